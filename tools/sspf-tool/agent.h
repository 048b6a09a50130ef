// sspf-tool agent (agent.cpp): unlock once, serve many commands.
#ifndef SSPF_TOOL_AGENT_H_
#define SSPF_TOOL_AGENT_H_

#include <optional>
#include <string>
#include <vector>

namespace sspf::cli {

// Runs `command` (with the whole argv `args`) in the agent of its store and
// user, printing the agent's stdout and stderr; its exit code, or nullopt
// when it is to run here: no agent runs, the command has a passphrase
// option, or it is `agent` or `lock`.
std::optional<int> ForwardToAgent(const std::string& command,
                                  const std::vector<std::string>& args);

// The commands "agent" and "lock".
void RegisterAgentCommands();

}  // namespace sspf::cli

#endif  // SSPF_TOOL_AGENT_H_
