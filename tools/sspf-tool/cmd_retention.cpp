// Retention (gallring) commands: retention rules, plan, run.
#include <iostream>

#include "cli.h"

namespace sspf::cli {

namespace {

std::string RuleLine(const RetentionRule& r) {
  std::string cats;
  for (Category c : r.categories) cats += (cats.empty() ? "" : ",") + std::string(CategoryName(c));
  std::string line = r.id + "  " + ActorName(r.actor) + " " + (cats.empty() ? "*" : cats) + "  " +
                     RetentionFromName(r.from);
  if (r.from != RetentionFrom::kNever) line += " +" + std::to_string(r.years) + "y";
  if (!r.birth_days.empty()) {
    line += "  born on day";
    for (int d : r.birth_days) line += " " + std::to_string(d);
  }
  return line + "  (" + r.citation + (r.verified ? "" : "; unverified") + ")";
}

int Rules(Context& ctx) {
  po::options_description desc("Options");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "retention rules [--json]\n\n"
                 "Lists the retention (gallring) rules in force: the defaults of\n"
                 "docs/retention.md, or those of SSPF_RETENTION_FILE.  Reads no store.\n"
                 "Example:\n  sspf-tool retention rules --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<StoreOptions> o = OptionsFor(ctx.globals);
  if (!o.ok()) return UsageError(ctx, o.status().message());
  if (ctx.globals.json) {
    PrintJson(ctx, RetentionRulesJson(o->retention_rules));
  } else {
    for (const RetentionRule& r : o->retention_rules) *ctx.out << RuleLine(r) << "\n";
  }
  return kExitOk;
}

// ParseAndOpen with the option --rule, and for a run --decision, into *req.
// A plan takes no --decision: it would only be checked, never used.
SessionHandle OpenWithRequest(Context& ctx, const std::string& usage, bool run,
                              RetentionRequest* req, int* exit,
                              const std::function<Status()>& check = nullptr) {
  po::options_description desc("Options");
  if (run) {
    desc.add_options()
        ("decision", po::value<std::string>(&req->decision),
         "the erasure decision (gallringsbeslut) by its register reference, e.g. "
         "\"SN 2026/123 § 45\"");
  }
  desc.add_options()
      ("rule", po::value<std::vector<std::string>>(&req->decided_rules),
       run ? "a decision rule the decision covers (repeatable)"
           : "a decision rule to plan as decided (repeatable)");
  return ParseAndOpen(ctx, usage, desc, {}, exit, check);
}

int Plan(Context& ctx) {
  RetentionRequest req;
  int exit = 0;
  SessionHandle s = OpenWithRequest(
      ctx, "retention plan [--rule ID]... [--json]\n\n"
      "The dry run (admin): every entry not yet erased with the rule that decides it,\n"
      "its state (due, pending, case-open, decision, never, no-rule) and deadline,\n"
      "the cases a run would mark fully erased and the subjects whose identity it\n"
      "would erase.  Changes nothing; logged as retention.plan.  Example:\n"
      "  sspf-tool --user anna.admin retention plan --json",
      false, &req, &exit);
  if (!s) return exit;
  Result<RetentionPlan> plan = s->PlanRetention(req);
  if (!plan.ok()) return Fail(ctx, plan.status());
  if (ctx.globals.json) {
    PrintJson(ctx, RetentionPlanJson(*plan));
    return kExitOk;
  }
  for (const RetentionPlanEntry& e : plan->entries) {
    *ctx.out << e.state << "  entry " << e.entry_id << "  case " << e.case_id << "  "
             << ActorName(e.actor) << "/" << CategoryName(e.category) << "  rule "
             << (e.rule.empty() ? "-" : e.rule) << "  due "
             << (e.due ? FormatRfc3339(*e.due) : std::string("-")) << "\n";
  }
  for (const std::string& c : plan->cases) *ctx.out << "case " << c << " would be fully erased\n";
  for (const RetentionPlanSubject& sub : plan->subjects) {
    *ctx.out << "subject " << sub.subject_id << ": identity and guardians would be erased\n";
  }
  *ctx.out << plan->due_entries << " entries due\n";
  return kExitOk;
}

int Run(Context& ctx) {
  RetentionRequest req;
  int exit = 0;
  SessionHandle s = OpenWithRequest(
      ctx, "retention run --decision REF [--rule ID]... [--json]\n\n"
      "Executes an erasure decision (gallringsbeslut; admin only): erases every due\n"
      "entry's body and key seals, the texts of fully erased cases, and a subject's\n"
      "identity and guardians once all its cases are erased; leaves tombstones; signs\n"
      "a checkpoint; truncates the WAL and vacuums.  Each case is one transaction: if\n"
      "the run is interrupted, run it again.  Close other sessions first, or the WAL\n"
      "cannot be truncated (exit 1; run again).  Example:\n"
      "  sspf-tool --user anna.admin retention run --decision \"SN 2026/123 § 45\"",
      true, &req, &exit, [&]() -> Status {
        if (req.decision.empty()) {
          return InvalidArgument("give --decision REF: the erasure decision the run executes");
        }
        return Status::Ok();
      });
  if (!s) return exit;
  Result<RetentionRunResult> r = s->RunRetention(req, TerminalProgress(ctx, "erasing cases"));
  ClearProgress(ctx);
  if (!r.ok()) return Fail(ctx, r.status());
  const std::string text = "Erased " + std::to_string(r->entries_erased) + " entries, " +
                           std::to_string(r->cases_erased) + " cases and " +
                           std::to_string(r->subjects_erased) + " subjects under " + r->decision;
  if (!r->compacted) {
    if (ctx.globals.json) PrintJson(ctx, RetentionRunJson(*r));
    return Fail(ctx, Status(StatusCode::kFailedPrecondition,
                            text + ", but the WAL could not be truncated: close the other "
                                   "sessions and run 'retention run' again"));
  }
  return PrintDone(ctx, text, RetentionRunJson(*r));
}

}  // namespace

void RegisterRetentionCommands() {
  RegisterCommand({"retention rules", "list the retention (gallring) rules", Rules});
  RegisterCommand({"retention plan", "the dry run: what a retention run would erase (admin)",
                   Plan});
  RegisterCommand({"retention run", "execute an erasure decision (gallringsbeslut; admin)", Run});
}

}  // namespace sspf::cli
