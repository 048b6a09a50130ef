// sspf-bench: the CLI figures (cli_agent.cpp).
#ifndef SSPF_TOOLS_SSPF_BENCH_CLI_AGENT_H_
#define SSPF_TOOLS_SSPF_BENCH_CLI_AGENT_H_

#include <string>
#include <vector>

#include "bench.h"

namespace sspf::bench {

// cli_agent, cli_agent_command_ms and cli_no_unlock_ms, on a store made in
// `dir` with the sspf-tool at `tool`.
std::vector<Figure> CliAgentFigures(const std::string& tool, const std::string& dir);

}  // namespace sspf::bench

#endif  // SSPF_TOOLS_SSPF_BENCH_CLI_AGENT_H_
