// Commands: plan (the joint plan, åtagandeplan), meeting and due (issue 14).
#include <iostream>

#include "cli.h"

namespace sspf::cli {
namespace {

std::string PlanWriteText(const PlanWrite& w, const std::string& what) {
  std::string out = what + " " + w.id;
  out += w.disclosed_to.empty() ? " (disclosed to no other actor)"
                                : " (disclosed to " + JoinActors(w.disclosed_to) + ")";
  return out;
}

int ShowPlanWrite(Context& ctx, const Result<PlanWrite>& w, const std::string& what) {
  return Show(ctx, w, PlanWriteJson,
              [&](const PlanWrite& v) { *ctx.out << PlanWriteText(v, what) << "\n"; });
}

Status ParseDateOption(const std::string& text, const char* option, Date* out) {
  Result<Date> d = ParseDate(text);
  if (!d.ok()) return InvalidArgument(std::string("--") + option + ": " + d.status().message());
  *out = *d;
  return Status::Ok();
}

constexpr const char* kPlanNote =
    "The plan (åtagandeplan, the joint plan) is kept as entries of the case,\n"
    "encrypted and disclosed, on the consent in force, to each actor on the case\n"
    "team that the consent covers for category plan (meeting for meetings).\n"
    "Written by a coordinator on the case team.";

int PlanShow(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "plan show --case ID\n\n"
      "Shows the joint plan (åtagandeplan) of a case as you may read it: goals, actions\n"
      "with owner, due date and status (overdue when open past its due date), and the\n"
      "meetings with their next follow-up.  Each plan entry is read (decided and\n"
      "logged as entry.read); what you may not read is left out.  Example:\n"
      "  sspf-tool plan show --case 7c1d04",
      desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ShowPlan(case_id), CasePlanJson, [&](const CasePlan& p) {
    *ctx.out << "Plan of case " << p.case_id << " as of " << FormatDate(p.as_of) << "\n";
    for (const PlanGoal& g : p.goals) {
      *ctx.out << "Goal " << g.id << ": " << g.text << "\n";
      for (const PlanAction& a : p.actions) {
        if (a.goal_id != g.id) continue;
        *ctx.out << "  Action " << a.id << " [" << ActionStatusName(a.status)
                 << (a.overdue ? ", OVERDUE" : "") << "] " << ActorName(a.owner);
        if (!a.principal.empty()) *ctx.out << " (" << a.principal << ")";
        *ctx.out << " by " << FormatDate(a.due) << ": " << a.text << "\n";
      }
    }
    for (const PlanMeeting& m : p.meetings) {
      *ctx.out << "Meeting " << m.id << " " << FormatDate(m.date) << " " << MeetingKindName(m.kind)
               << " (" << JoinActors(m.attendees) << ")";
      if (m.next_follow_up) *ctx.out << ", next follow-up " << FormatDate(*m.next_follow_up);
      *ctx.out << "\n";
      if (!m.minutes.empty()) {
        *ctx.out << m.minutes;
        if (m.minutes.back() != '\n') *ctx.out << "\n";
      }
    }
    if (p.next_follow_up) *ctx.out << "Next follow-up: " << FormatDate(*p.next_follow_up) << "\n";
    if (p.unshared > 0) {
      *ctx.out << "Unshared: " << p.unshared << " disclosure" << (p.unshared == 1 ? "" : "s")
               << " of your actor's plan entries to covered team actors are missing; run\n"
               << "  sspf-tool plan share --case " << p.case_id << "\n";
    }
  });
}

int PlanShare(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "plan share --case ID\n\n"
      "Shares the joint plan after a new consent (samtycke) or a new team member:\n"
      "every plan and meeting entry of the case written by your actor is disclosed\n"
      "(entry.disclose, decided and logged one by one) to each actor on the case team\n"
      "that a consent in force covers for it and that does not hold it yet.  Never\n"
      "under a withdrawn or expired consent; a revoked disclosure is not made again\n"
      "(entry disclose does that).  Running it again discloses nothing.  plan show and\n"
      "due say when something is unshared.  Example:\n"
      "  sspf-tool plan share --case 7c1d04",
      desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->SharePlan(case_id), PlanShareJson, [&](const sspf::PlanShare& r) {
    if (r.disclosed.empty()) {
      *ctx.out << "Nothing to share: every covered team actor holds your actor's plan entries\n";
    }
    for (const PlanShareItem& d : r.disclosed) {
      *ctx.out << "Disclosed " << CategoryName(d.category) << " entry " << d.entry_id << " to "
               << ActorName(d.to) << " (disclosure " << d.disclosure_id << ")\n";
    }
    *ctx.out << "Left: " << r.held << " already held, " << r.not_covered
             << " without a consent in force, " << r.revoked << " revoked, " << r.other_author
             << " entries of other actors (their members share them)\n";
  });
}

int PlanGoalAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  TextArg text("text", "The goal");
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  text.AddTo(desc, "the goal, one line");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "plan goal add --case ID (--text T | --text-file F)\n\n"
      "Adds a goal (mål) to the joint plan.  Prints the goal's id and the actors it\n"
      "was disclosed to.\n" + std::string(kPlanNote) + "\nExample:\n"
      "  sspf-tool plan goal add --case 7c1d04 --text-file goal.txt",
      desc, {}, &exit, [&] { return ReadTextArgs({{&text, true}}); });
  if (!s) return exit;
  return ShowPlanWrite(ctx, s->AddPlanGoal(case_id, text.value()), "Added goal");
}

int PlanActionAdd(Context& ctx) {
  po::options_description desc("Options");
  NewPlanAction in;
  std::string owner, due;
  TextArg text("text", "The action"), principal("principal", "The responsible person");
  desc.add_options()
      ("case", po::value<std::string>(&in.case_id)->required(), "case id")
      ("goal", po::value<std::string>(&in.goal_id)->required(),
       "the goal's id (or a prefix of 6+ digits)")
      ("owner", po::value<std::string>(&owner)->required(),
       "the actor that takes it on: school | social | police | leisure | coordination")
      ("due", po::value<std::string>(&due)->required(), "due date, YYYY-MM-DD");
  principal.AddTo(desc, "optional: the principal (user name) of the owner actor who does it");
  text.AddTo(desc, "what is to be done, one line");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "plan action add --case ID --goal GOAL --owner ACTOR\n"
      "                [--principal NAME | --principal-file F]\n"
      "                --due YYYY-MM-DD (--text T | --text-file F)\n\n"
      "Adds an action (insats) to a goal of the joint plan: who does what by when.\n"
      "Its status is open until plan action done.\n" + std::string(kPlanNote) +
      "\nExample:\n"
      "  sspf-tool plan action add --case 7c1d04 --goal 3e9a5b --owner school \\\n"
      "      --principal larare1 --due 2027-01-15 --text-file action.txt",
      desc, {}, &exit, [&] {
        std::optional<Actor> a = ParseActor(owner);
        if (!a) return InvalidArgument("--owner: unknown actor '" + owner + "'");
        in.owner = *a;
        SSPF_RETURN_IF_ERROR(ParseDateOption(due, "due", &in.due));
        return ReadTextArgs({{&text, true}, {&principal, false}});
      });
  if (!s) return exit;
  in.text = text.value();
  in.principal = principal.value();
  Result<PlanWrite> w = s->AddPlanAction(in);
  Wipe(&in.text);
  Wipe(&in.principal);
  return ShowPlanWrite(ctx, w, "Added action");
}

int PlanActionDone(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "action id");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "plan action done ID\n\n"
      "Marks an action of the joint plan done: a new plan entry that names the\n"
      "action (the action's own entry never changes).  A coordinator on the case\n"
      "team records it, or a team member of the action's owner actor (only its named\n"
      "principal, when it names one) who can read the action; the status entry is\n"
      "then that actor's, disclosed to the team actors its consent covers.  Example:\n"
      "  sspf-tool plan action done 5d21c0",
      desc, {"id"}, &exit);
  if (!s) return exit;
  return ShowPlanWrite(ctx, s->MarkPlanActionDone(id), "Marked action done: status entry");
}

int MeetingAdd(Context& ctx) {
  po::options_description desc("Options");
  NewMeeting in;
  std::string date, kind, attendees, next, minutes_file;
  desc.add_options()
      ("case", po::value<std::string>(&in.case_id)->required(), "case id")
      ("date", po::value<std::string>(&date)->required(), "the meeting's date, YYYY-MM-DD")
      ("kind", po::value<std::string>(&kind)->required(),
       "kartlaggning | natverksmote (samverkansmote) | uppfoljning")
      ("attendees", po::value<std::string>(&attendees)->required(),
       "the actors present, e.g. school,social,coordination")
      ("minutes-file", po::value<std::string>(&minutes_file),
       "the minutes (protokoll), from this file, or - for stdin")
      ("next-follow-up", po::value<std::string>(&next), "the next follow-up's date, YYYY-MM-DD");
  int exit = 0;
  std::string minutes;
  SessionHandle s = ParseAndOpen(
      ctx,
      "meeting add --case ID --date YYYY-MM-DD --kind kartlaggning|natverksmote|uppfoljning\n"
      "            --attendees ACTOR,... [--minutes-file F | --minutes-file -]\n"
      "            [--next-follow-up YYYY-MM-DD]\n\n"
      "Records an SSPF meeting: kartläggning (mapping), nätverksmöte or\n"
      "samverkansmöte (network meeting) or uppföljning (follow-up), the actors\n"
      "present, the minutes and the next follow-up date.  The meeting is an entry of\n"
      "category meeting, disclosed to each actor on the case team that the consent\n"
      "covers for meetings.  Written by a coordinator on the case team.  Example:\n"
      "  sspf-tool meeting add --case 7c1d04 --date 2026-12-01 --kind natverksmote \\\n"
      "      --attendees school,social,coordination --minutes-file protokoll.txt \\\n"
      "      --next-follow-up 2027-01-20",
      desc, {}, &exit, [&] {
        SSPF_RETURN_IF_ERROR(ParseDateOption(date, "date", &in.date));
        std::optional<MeetingKind> k = ParseMeetingKind(kind);
        if (!k) {
          return InvalidArgument("--kind: unknown meeting kind '" + kind +
                                 "' (kartlaggning, natverksmote or uppfoljning)");
        }
        in.kind = *k;
        SSPF_ASSIGN_OR_RETURN(in.attendees, ParseActorList(attendees));
        if (!next.empty()) {
          Date d;
          SSPF_RETURN_IF_ERROR(ParseDateOption(next, "next-follow-up", &d));
          in.next_follow_up = d;
        }
        if (minutes_file.empty()) return Status::Ok();
        return ReadBody(minutes_file, "meeting add", "the minutes", &minutes);
      });
  if (!s) {
    Wipe(&minutes);
    return exit;
  }
  in.minutes = std::move(minutes);
  Result<PlanWrite> w = s->AddMeeting(in);
  Wipe(&in.minutes);
  return ShowPlanWrite(ctx, w, "Added meeting");
}

int DueCommand(Context& ctx) {
  po::options_description desc("Options");
  Count days;
  desc.add_options()("days", po::value<Count>(&days), "the window in days, 0-366 (default 14)");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "due [--days N]\n\n"
      "What is due for you within N days (default 14): in every case whose team you\n"
      "are on, the open actions that are overdue or due, the next follow-up\n"
      "(uppföljning), the consents (samtycken) whose last day is near and the\n"
      "retention (gallring) deadlines of the entries you may read; for an admin, the\n"
      "deadlines of the retention plan.  Lists only what you may read: every case,\n"
      "entry and consent is read as the commands above read it (and logged).  Items\n"
      "of your own actor are marked *; plan-unshared says that plan share has\n"
      "something to disclose.  Each line names the case by its number (and id), and\n"
      "an expiring consent by its party (youth, or guardian:N by position).  Example:\n"
      "  sspf-tool due --days 30",
      desc, {}, &exit, [&] {
        if (days.given && days.value > 366) return InvalidArgument("--days must be 0 to 366");
        return Status::Ok();
      });
  if (!s) return exit;
  const int n = days.given ? static_cast<int>(days.value) : 14;
  return Show(ctx, s->Due(n), DueReportJson, [&](const DueReport& r) {
    if (r.items.empty()) {
      *ctx.out << "Nothing due within " << r.days << " days of " << FormatDate(r.as_of) << "\n";
    }
    for (const DueItem& d : r.items) {
      // The case by its number (the id after it, for scripts), a consent
      // by its party.
      *ctx.out << (d.mine ? "* " : "  ") << FormatDate(d.date) << "\t" << d.kind << "\tcase "
               << (d.case_number.empty() ? d.case_id : d.case_number + " " + d.case_id) << "\t"
               << d.id;
      if (!d.party.empty()) *ctx.out << "\t" << d.party;
      if (d.owner) {
        *ctx.out << "\t" << ActorName(*d.owner);
        if (!d.principal.empty()) *ctx.out << " (" << d.principal << ")";
      }
      if (d.kind == "plan-unshared") {
        *ctx.out << d.text << " disclosures missing: sspf-tool plan share --case "
                 << (d.case_number.empty() ? d.case_id : d.case_number);
      } else if (!d.text.empty()) {
        *ctx.out << "\t" << d.text;
      }
      *ctx.out << "\n";
    }
  });
}

}  // namespace

void RegisterPlanCommands() {
  RegisterCommand({"plan show", "show a case's joint plan (åtagandeplan) and meetings", PlanShow});
  RegisterCommand({"plan goal add", "add a goal to a case's joint plan", PlanGoalAdd});
  RegisterCommand({"plan action add", "add an action (owner, due date) to a goal", PlanActionAdd});
  RegisterCommand({"plan action done", "mark a plan action done", PlanActionDone});
  RegisterCommand({"plan share", "disclose the plan to team actors a newer consent covers",
                   PlanShare});
  RegisterCommand({"meeting add", "record an SSPF meeting (minutes, attendees, follow-up)",
                   MeetingAdd});
  RegisterCommand({"due", "overdue actions, follow-ups, expiring consents, retention",
                   DueCommand});
}

}  // namespace sspf::cli
