// Witness commands (DESIGN §13, sspf/witness.h): audit witness init |
// cosign.  They need no store and no --user: the witness is run by another
// party (e.g. the police authority's auditor) on its own machine.
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli.h"
#include "sspf/witness.h"

namespace sspf::cli {
namespace {

// A checkpoint or proof file (small text).
Result<std::string> ReadInputFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(std::string("cannot read the ") + what + " " + path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (s.size() > (1 << 20)) return InvalidArgument(path + " is too large");
  return s;
}

int WitnessInitCmd(Context& ctx) {
  po::options_description desc("Options");
  std::string out, name;
  desc.add_options()
      ("out", po::value<std::string>(&out)->required(),
       "the new key file (mode 0600; never overwritten); the verifier key goes to FILE.pub")
      ("name", po::value<std::string>(&name)->required(),
       "the witness's name, e.g. polisen.se/witness (no spaces or '+')");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "audit witness init --out KEYFILE --name NAME\n\n"
                 "Makes a witness (vittne) key outside any store and prints its verifier\n"
                 "key (C2SP cosignature/v1).  Give the verifier key to the log's auditors:\n"
                 "they check cosignatures with audit verify --witness-key VKEY.  Example:\n"
                 "  sspf-tool audit witness init --out polisen.witness --name polisen-revision",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  return Show(ctx, WitnessInit(out, name), WitnessKeyJson,
              [&](const WitnessKey& k) { *ctx.out << k.verifier_key << "\n"; });
}

int WitnessCosignCmd(Context& ctx) {
  po::options_description desc("Options");
  std::string key, state, proof, log_key, checkpoint;
  desc.add_options()
      ("key", po::value<std::string>(&key)->required(), "the witness key file (audit witness init)")
      ("state", po::value<std::string>(&state)->required(),
       "the witness's state directory (pinned to one log; created if absent)")
      ("proof", po::value<std::string>(&proof),
       "consistency proof (audit consistency --from LAST --to NEW --json); "
       "needed when the log has grown since the last cosignature")
      ("log-key", po::value<std::string>(&log_key),
       "the log's verifier key (audit verifier-key); needed on first use, then pinned")
      ("checkpoint", po::value<std::string>(&checkpoint)->required(),
       "the checkpoint file to cosign");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "audit witness cosign --key KEYFILE --state DIR [--proof PROOF]\n"
                 "                          [--log-key VKEY] CHECKPOINT\n\n"
                 "Checks that CHECKPOINT is signed by the witnessed log and consistent with\n"
                 "the last checkpoint this witness cosigned, records it in DIR and prints\n"
                 "the checkpoint with a C2SP tlog-cosignature line added.  Exit 6 for a\n"
                 "rollback, a fork, a failing proof or a checkpoint of another log.  Example:\n"
                 "  sspf-tool audit witness cosign --key polisen.witness --state state/ \\\n"
                 "      --proof proof.txt checkpoint.txt > cosigned.txt",
                 desc, {"checkpoint"}, &vm, &exit)) {
    return exit;
  }
  WitnessCosignRequest req;
  req.key_file = key;
  req.state_dir = state;
  if (!log_key.empty()) req.log_key = log_key;
  Result<std::string> note = ReadInputFile(checkpoint, "checkpoint");
  if (!note.ok()) return Fail(ctx, note.status());
  req.checkpoint = std::move(*note);
  if (!proof.empty()) {
    Result<std::string> p = ReadInputFile(proof, "proof");
    if (!p.ok()) return Fail(ctx, p.status());
    req.proof_json = std::move(*p);
  }
  return Show(ctx, WitnessCosign(req), WitnessCosignatureJson,
              [&](const WitnessCosignature& c) { *ctx.out << c.note; });
}

}  // namespace

void RegisterWitnessCommands() {
  RegisterCommand({"audit witness init", "make a witness key (outside any store)",
                   WitnessInitCmd});
  RegisterCommand({"audit witness cosign",
                   "cosign a checkpoint consistent with the last one (witness)",
                   WitnessCosignCmd});
}

}  // namespace sspf::cli
