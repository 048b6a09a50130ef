// The auditor's log review (loggkontroll, docs/auditing.md): audit review
// (scoped, with summaries), audit ack (sign off a flagged event) and audit
// review close (close a review period).
#include <iostream>
#include <string>

#include "cli.h"

namespace sspf::cli {
namespace {

std::string NameOr(const char* n, int v) { return n ? n : std::to_string(v); }
std::string ActorText(Actor a) { return NameOr(ActorName(a), static_cast<int>(a)); }
// A principal's name, or its id when the store has no name for it.
std::string Who(const std::string& name, const std::string& id) {
  return name.empty() ? id : name;
}
std::string Or(const std::string& s, const char* dash = "-") { return s.empty() ? dash : s; }

void PrintCounts(Context& ctx, const char* title, const char* key,
                 const std::vector<ReviewCount>& rows) {
  *ctx.out << "\n" << title << "\nperiod\t" << key << "\tevents\tdenied\tentry_reads\taccesses\n";
  for (const ReviewCount& c : rows) {
    *ctx.out << c.period << "\t" << Who(c.name, c.key) << "\t" << c.events << "\t" << c.denied
             << "\t" << c.entry_reads << "\t" << c.accesses << "\n";
  }
}

void PrintReport(Context& ctx, const ReviewReport& r) {
  *ctx.out << "Log review (loggkontroll) of store " << r.store_id << "\n"
           << "period     " << (r.since ? FormatTime(*r.since) : "the first event") << " to "
           << (r.until ? FormatTime(*r.until) : "now") << "\n";
  if (r.principal) *ctx.out << "principal  " << *r.principal << "\n";
  if (r.actor) *ctx.out << "actor      " << ActorText(*r.actor) << "\n";
  if (r.flag_kind) *ctx.out << "flag kind  " << *r.flag_kind << "\n";
  *ctx.out << "events     " << r.events_in_scope << " in scope, " << r.tree_size
           << " in the log\n"
           << "flags      " << r.flags.size() << ": " << r.flags_open << " open, "
           << r.flags_acknowledged << " acknowledged\n";
  if (r.flags.empty()) {
    *ctx.out << "\nNo events flagged for review.\n";
  } else {
    *ctx.out << "\nFlags\nseq\ttime\tprincipal\tactor\tcase\ttarget\tkind\tstatus\tdetail\n";
    for (const ReviewFlag& f : r.flags) {
      std::string status = "open";
      if (f.ack) {
        status = "acknowledged by " + Who(f.ack->auditor_name, f.ack->auditor_id) + " " +
                 FormatTime(f.ack->time) + " (event " + std::to_string(f.ack->seq) + ")";
      }
      *ctx.out << f.seq << "\t" << FormatTime(f.time) << "\t"
               << Who(f.principal_name, f.principal_id) << "\t" << ActorText(f.actor) << "\t"
               << Or(f.case_id) << "\t" << Or(f.target) << "\t" << f.kind << "\t" << status
               << "\t" << f.detail << "\n";
    }
  }
  const char* by = r.summary.by == ReviewPeriodUnit::kWeek ? "week" : "day";
  PrintCounts(ctx, (std::string("Per principal, by ") + by).c_str(), "principal",
              r.summary.per_principal);
  PrintCounts(ctx, (std::string("Per actor, by ") + by).c_str(), "actor", r.summary.per_actor);
  PrintCounts(ctx, (std::string("Per action, by ") + by).c_str(), "action",
              r.summary.per_action);
  if (!r.top_readers.empty()) {
    *ctx.out << "\nTop readers per case\ncase\tprincipal\tactor\treads\tdenied\tlast\n";
    for (const CaseReaders& c : r.top_readers) {
      for (const CaseReader& p : c.readers) {
        *ctx.out << c.case_id << "\t" << Who(p.name, p.principal_id) << "\t"
                 << ActorText(p.actor) << "\t" << p.reads << "\t" << p.denied << "\t"
                 << FormatTime(p.last) << "\n";
      }
    }
  }
  if (!r.closures.empty()) {
    *ctx.out << "\nClosed review periods\nsince\tuntil\tclosed_by\tclosed_at\topen\t"
                "acknowledged\n";
    for (const ReviewClosure& c : r.closures) {
      *ctx.out << FormatTime(c.since) << "\t" << FormatTime(c.until) << "\t"
               << Who(c.auditor_name, c.auditor_id) << "\t" << FormatTime(c.time) << "\t"
               << c.flags_open << "\t" << c.flags_acknowledged << "\n";
    }
  }
}

// audit review --html FILE: verify (against the kept checkpoint, if any),
// review, then one self-contained page (sspf/report.h), mode 0600.
int ReviewHtml(Context& ctx, Session& s, const ReviewOptions& o, const std::string& file,
               const std::string& checkpoint) {
  ReviewReportInput in;
  VerifyOptions vo;
  if (Status st = ReadCheckpoint(checkpoint, &vo.kept_checkpoint); !st.ok()) return Fail(ctx, st);
  in.kept_checkpoint = vo.kept_checkpoint.value_or("");
  Result<VerifyReport> verified = s.Verify(vo);
  if (!verified.ok()) return Fail(ctx, verified.status());
  in.verified = *verified;
  Result<ReviewReport> review = s.Review(o);
  if (!review.ok()) return Fail(ctx, review.status());
  in.review = std::move(*review);
  if (Status w = ::sspf::WriteFileAtomically(file, ReviewReportHtml(in), 0600); !w.ok()) {
    return Fail(ctx, w);
  }
  *ctx.out << "Wrote the review of " << in.review.events_in_scope << " events and "
           << in.review.flags.size() << " flags to " << file << "\n";
  return kExitOk;
}

int Review(Context& ctx) {
  po::options_description desc("Options");
  std::string since, until, principal, actor, flag, by = "day", html, checkpoint;
  Count top;
  desc.add_options()
      ("since", po::value<std::string>(&since), "from this time (inclusive): YYYY-MM-DD, "
                                                 "YYYY-MM-DDTHH:MM:SSZ or Unix seconds")
      ("until", po::value<std::string>(&until), "up to this time (exclusive)")
      ("principal", po::value<std::string>(&principal), "only this principal's events (by name)")
      ("actor", po::value<std::string>(&actor),
       "only this actor's events: school | social | police | leisure | coordination")
      ("flag", po::value<std::string>(&flag),
       "only flags of this kind, e.g. emergency-grant, read-after-team-leave")
      ("by", po::value<std::string>(&by), "summaries by day (default) or week")
      ("top", po::value<Count>(&top), "readers listed per case, 0 to 1000 (default 5; 0: none)")
      ("html", po::value<std::string>(&html),
       "write the review as one self-contained HTML file (mode 0600)")
      ("checkpoint", po::value<std::string>(&checkpoint),
       "with --html: verify the log against this kept checkpoint first");
  int exit = 0;
  ReviewOptions o;
  SessionHandle s = ParseAndOpen(
      ctx,
      "audit review [--since T] [--until T] [--principal NAME] [--actor A]\n"
      "             [--flag KIND] [--by day|week] [--top N] [--html FILE [--checkpoint F]]\n\n"
      "Loggkontroll (auditor): the flagged events of the period, each with its time,\n"
      "principal, actor, case, target and whether it was signed off (audit ack);\n"
      "summaries per principal, actor and action by day or week; the top readers\n"
      "per case; and the closed review periods.  Flags: legal-basis access,\n"
      "emergency grants, bursts of denials, entry reads outside office hours\n"
      "(Stockholm time), reads right after a consent withdrawal or after leaving the\n"
      "case team, bulk reads, membership and key changes.  See docs/auditing.md.\n"
      "Example (the November review):\n"
      "  sspf-tool --user eva.revisor audit review --since 2026-11-01 --until 2026-12-01\n"
      "  sspf-tool --user eva.revisor audit review --since 2026-11-01 --until 2026-12-01 \\\n"
      "      --html granskning.html --checkpoint kept-oktober.txt",
      desc, {}, &exit, [&]() -> Status {
        if (!since.empty()) {
          SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(since));
          o.since = t;
        }
        if (!until.empty()) {
          SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(until));
          o.until = t;
        }
        if (!principal.empty()) o.principal = principal;
        if (!actor.empty()) {
          o.actor = ParseActor(actor);
          if (!o.actor) return InvalidArgument("unknown actor '" + actor + "'");
        }
        if (!flag.empty()) o.flag_kind = flag;
        if (by == "week") {
          o.by = ReviewPeriodUnit::kWeek;
        } else if (by != "day") {
          return InvalidArgument("unknown --by (use day or week)");
        }
        if (top.given && top.value > 1000) return InvalidArgument("--top must be 0 to 1000");
        if (top.given) o.top_readers = static_cast<size_t>(top.value);
        if (!checkpoint.empty() && html.empty()) {
          return InvalidArgument("--checkpoint needs --html");
        }
        return Status::Ok();
      });
  if (!s) return exit;
  if (!html.empty()) return ReviewHtml(ctx, *s, o, html, checkpoint);
  return Show(ctx, s->Review(o), ReviewReportJson,
              [&](const ReviewReport& r) { PrintReport(ctx, r); });
}

int Ack(Context& ctx) {
  po::options_description desc("Options");
  Count seq;
  TextArg note("note", "Note (what you checked and found)");
  desc.add_options()("seq", po::value<Count>(&seq)->required(), "the flagged event");
  note.AddTo(desc, "what was checked and found (stored encrypted for auditors only)");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "audit ack SEQ --note TEXT | --note-file F\n\n"
      "Signs off the flags of event SEQ (auditor): a signed log event audit.ack,\n"
      "with your note stored encrypted so that only auditors read it.  The review\n"
      "then shows the flag as acknowledged; audit verify catches a deleted or\n"
      "forged acknowledgement.  Example:\n"
      "  sspf-tool --user eva.revisor audit ack 812 --note-file ack-812.txt",
      desc, {"seq"}, &exit, [&] { return ReadTextArgs({{&note, true}}); });
  if (!s) return exit;
  Result<ReviewAck> a = s->AcknowledgeFlag(seq.value, note.value());
  if (!a.ok()) return Fail(ctx, a.status());
  return PrintDone(ctx,
                   "acknowledged the flags of event " + std::to_string(a->flagged_seq) +
                       " (event " + std::to_string(a->seq) + ")",
                   ReviewAckJson(*a));
}

int Close(Context& ctx) {
  po::options_description desc("Options");
  std::string until;
  desc.add_options()("until", po::value<std::string>(&until)->required(),
                     "the end of the reviewed period (exclusive)");
  int exit = 0;
  UnixSeconds t = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "audit review close --until T\n\n"
      "Closes the review period from the end of the previous closed period (or the\n"
      "start of the log) up to T (auditor): a signed log event audit.review_close\n"
      "that records who reviewed which period, when, and how many of its flags\n"
      "were still open.  Example:\n"
      "  sspf-tool --user eva.revisor audit review close --until 2026-12-01",
      desc, {}, &exit, [&]() -> Status {
        SSPF_ASSIGN_OR_RETURN(t, ParseTime(until));
        return Status::Ok();
      });
  if (!s) return exit;
  Result<ReviewClosure> c = s->CloseReview(t);
  if (!c.ok()) return Fail(ctx, c.status());
  return PrintDone(ctx,
                   "closed the review period " + FormatTime(c->since) + " to " +
                       FormatTime(c->until) + ": " + std::to_string(c->flags_open) +
                       " flags open, " + std::to_string(c->flags_acknowledged) +
                       " acknowledged (event " + std::to_string(c->seq) + ")",
                   ReviewClosureJson(*c));
}

}  // namespace

void RegisterReviewCommands() {
  RegisterCommand({"audit review",
                   "log review (loggkontroll): flags, summaries, top readers of a period",
                   Review});
  RegisterCommand({"audit ack", "sign off the flags of one event with a note (auditor)", Ack});
  RegisterCommand({"audit review close", "close a review period (auditor)", Close});
}

}  // namespace sspf::cli
