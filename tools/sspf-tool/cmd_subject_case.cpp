// Subject and case commands: subject add|find|show|custody, case open|list|
// show|close|reopen|team add|team remove (DESIGN §9).
//
// Every command unlocks the store as --user and calls one Session method;
// the library decides and logs.  A denial exits 3 with one line naming the
// missing condition and prints nothing of the content.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"

namespace sspf::cli {
namespace {

bool ReadFirstLine(std::istream& in, std::string* line) {
  if (!std::getline(in, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// The personal identity number from --pnr N, --pnr - (stdin) or --pnr-file F.
// argv is visible to other local users (ps, /proc), so the file and stdin
// forms are preferred; --pnr N is kept because DESIGN §9 names it.
// kInvalidArgument (a usage error) when it is missing.
Status ReadPnr(const std::string& pnr, const std::string& pnr_file, std::string* number) {
  if (!pnr.empty() && !pnr_file.empty()) {
    return InvalidArgument("give either --pnr or --pnr-file, not both");
  }
  if (!pnr_file.empty()) {
    std::ifstream in(pnr_file);
    if (!in || !ReadFirstLine(in, number)) {
      return InvalidArgument("cannot read the personal identity number file");
    }
    return Status::Ok();
  }
  if (pnr == "-") {
    if (!ReadFirstLine(std::cin, number)) {
      return InvalidArgument("no personal identity number on stdin");
    }
    return Status::Ok();
  }
  if (pnr.empty()) return InvalidArgument("--pnr or --pnr-file is required");
  *number = pnr;
  return Status::Ok();
}

void PrintSubject(Context& ctx, const SubjectInfo& s) {
  *ctx.out << "Subject " << s.id << "\n"
           << "  name:        " << s.name << "\n"
           << "  personnummer: " << s.personal_number << "\n"
           << "  born:        " << FormatDate(s.birth_date) << "\n";
  // By position too, as --party guardian:N takes it (1 the first registered).
  for (size_t i = 0; i < s.guardians.size(); ++i) {
    const GuardianInfo& g = s.guardians[i];
    *ctx.out << "  guardian:" << (i + 1) << "  " << g.id << "  " << g.name
             << (g.custody ? "" : "  (no custody)") << "\n";
  }
}

// ---- subject -----------------------------------------------------------------

int SubjectAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string pnr, pnr_file;
  TextArg name("name", "Name of the youth"), guardians("guardian", "Guardian", true);
  desc.add_options()
      ("pnr", po::value<std::string>(&pnr),
       "personnummer or samordningsnummer (10 or 12 digits, with - or +); '-' reads it "
       "from stdin.  NOTE: argv is visible to other users in ps; prefer --pnr-file or -")
      ("pnr-file", po::value<std::string>(&pnr_file), "read the number from this file");
  name.AddTo(desc, "the youth's name (asked for on a terminal if not given)");
  guardians.AddTo(desc, "a guardian with custody (repeat for each)");
  int exit = 0;
  std::string number;
  SessionHandle s = ParseAndOpen(
      ctx,
      "subject add (--pnr N | --pnr - | --pnr-file F) (--name TEXT | --name-file F)\n"
      "                   [--guardian TEXT... | --guardian-file F]\n\n"
      "Registers a youth (coordinators).  The number and names are stored\n"
      "encrypted; only the birth date is kept in clear (age rules).  Prints the\n"
      "subject id and the guardian ids (needed for consent grant).  Values on\n"
      "argv are visible to other local users (/proc/PID/cmdline): for real data\n"
      "give the number, the name and the guardians (one per line) in files, or\n"
      "one of them on stdin ('-').  Example:\n"
      "  sspf-tool subject add --pnr-file nummer.txt --name-file namn.txt \\\n"
      "      --guardian-file vardnadshavare.txt",
      desc, {}, &exit, [&] {
        SSPF_RETURN_IF_ERROR(ReadPnr(pnr, pnr_file, &number));
        return ReadTextArgs({{&name, true}, {&guardians, false}}, pnr == "-");
      });
  if (!s) {
    Wipe(&number);
    return exit;
  }
  Session::NewSubject ns{number, name.value(), guardians.values()};
  Wipe(&number);
  Result<SubjectInfo> r = s->AddSubject(ns);
  Wipe(&ns.personal_number);
  Wipe(&ns.name);
  for (std::string& g : ns.guardians) Wipe(&g);
  return Show(ctx, r, SubjectAddedJson, [&](const SubjectInfo& added) {
    *ctx.out << "Added subject " << added.id << "\n";
    for (size_t i = 0; i < added.guardians.size(); ++i) {
      *ctx.out << "  guardian:" << (i + 1) << "  " << added.guardians[i].id << "  "
               << added.guardians[i].name << "\n";
    }
  });
}

int SubjectFind(Context& ctx) {
  po::options_description desc("Options");
  std::string pnr, pnr_file;
  desc.add_options()
      ("pnr", po::value<std::string>(&pnr),
       "the number; '-' reads it from stdin (argv is visible in ps)")
      ("pnr-file", po::value<std::string>(&pnr_file), "read the number from this file");
  int exit = 0;
  std::string number;
  SessionHandle s =
      ParseAndOpen(ctx, "subject find (--pnr N | --pnr - | --pnr-file F)\n\n"
                   "Finds a subject by personal identity number (coordinators, or members on\n"
                   "the team of one of its cases).  The lookup is logged.  Example:\n"
                   "  sspf-tool subject find --pnr-file nummer.txt --json",
                   desc, {}, &exit, [&] { return ReadPnr(pnr, pnr_file, &number); });
  if (!s) {
    Wipe(&number);
    return exit;
  }
  Result<SubjectInfo> r = s->FindSubject(number);
  Wipe(&number);
  return Show(ctx, r, SubjectJson, [&](const SubjectInfo& found) { PrintSubject(ctx, found); });
}

int SubjectShow(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "subject id");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "subject show ID\n\nShows a subject by id (as subject find).  Example:\n"
                   "  sspf-tool subject show 3f2ae9 --json",
                   desc, {"id"}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ShowSubject(id), SubjectJson,
              [&](const SubjectInfo& shown) { PrintSubject(ctx, shown); });
}

int SubjectList(Context& ctx) {
  po::options_description desc("Options");
  TextArg name("name", "Part of the name");
  name.AddTo(desc, "list only youths whose name contains this (case-insensitive)");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "subject list [--name TEXT | --name-file F]\n\n"
      "Lists the registered youths (coordinators only): id, name, birth date and\n"
      "guardians by position.  The names are decrypted in this process and\n"
      "searched here; the access log records one subject.list event with the\n"
      "number found, never the search text.  Example:\n"
      "  sspf-tool subject list --name ali",
      desc, {}, &exit, [&] { return ReadTextArgs({{&name, false}}); });
  if (!s) return exit;
  return Show(ctx, s->ListSubjects(name.value()), SubjectListJson,
              [&](const std::vector<SubjectInfo>& list) {
    for (const SubjectInfo& sub : list) {
      *ctx.out << sub.id << "\t" << sub.name << "\tborn " << FormatDate(sub.birth_date);
      for (size_t i = 0; i < sub.guardians.size(); ++i) {
        *ctx.out << "\tguardian:" << (i + 1) << " " << sub.guardians[i].name;
      }
      *ctx.out << "\n";
    }
  });
}

// ---- case ----------------------------------------------------------------------

int CaseOpen(Context& ctx) {
  po::options_description desc("Options");
  std::string subject, team;
  desc.add_options()
      ("subject", po::value<std::string>(&subject)->required(), "subject id")
      ("team", po::value<std::string>(&team),
       "comma-separated principal names (active members or coordinators); you are "
       "added yourself");
  int exit = 0;
  std::vector<std::string> names;
  SessionHandle s =
      ParseAndOpen(ctx, "case open --subject ID [--team NAME,...]\n\n"
                   "Opens a case (coordinators).  Prints the case id.  Example:\n"
                   "  sspf-tool case open --subject 3f2ae9 --team sara.skola,per.polis",
                   desc, {}, &exit, [&]() -> Status {
                     SSPF_ASSIGN_OR_RETURN(names, SplitNames(team));
                     return Status::Ok();
                   });
  if (!s) return exit;
  return ShowCreated(ctx, s->OpenCase(subject, names), "Opened case");
}

int CaseList(Context& ctx) {
  po::options_description desc("Options");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "case list\n\nLists cases: all of them for coordinators, otherwise the "
                   "cases whose team\nyou are on (or hold an emergency grant for).  One line "
                   "each: the case\nnumber (2026-0042), the id, open or closed, the subject id "
                   "with the youth's\nname (coordinators and team members only), and when and "
                   "by whom it was\nopened.  Example:\n"
                   "  sspf-tool case list --json",
                   desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListCases(), CaseListJson, [&](const std::vector<CaseInfo>& cases) {
    for (const CaseInfo& c : cases) {
      *ctx.out << c.number << "\t" << c.id << "\t" << (c.open ? "open" : "closed")
               << "\tsubject " << c.subject_id
               << (c.subject_name ? "  " + *c.subject_name : std::string()) << "\topened "
               << FormatTime(c.opened) << " by " << c.opened_by_name << "\n";
    }
  });
}

int CaseShow(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "case id");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "case show ID\n\nShows a case and its team (team members and grant "
                   "holders).  ID is the case id,\na prefix of it or the case number.  The "
                   "youth's name is shown to\ncoordinators and team members only.  Example:\n"
                   "  sspf-tool case show 2026-0042",
                   desc, {"id"}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ShowCase(id), CaseJson, [&](const CaseInfo& c) {
    *ctx.out << "Case " << c.number << "  " << c.id << " (" << (c.open ? "open" : "closed")
             << ")\n"
             << "  subject: " << c.subject_id
             << (c.subject_name ? "  " + *c.subject_name : std::string()) << "\n"
             << "  opened:  " << FormatTime(c.opened) << " by " << c.opened_by_name << " ("
             << c.opened_by << ")\n";
    if (c.closed) *ctx.out << "  closed:  " << FormatTime(*c.closed) << "\n";
    for (size_t i = 0; i < c.team.size(); ++i) {
      const std::string& m = c.team[i];
      const bool disabled =
          std::find(c.team_disabled.begin(), c.team_disabled.end(), m) != c.team_disabled.end();
      *ctx.out << "  team:    " << m << (disabled ? "  (disabled)" : "") << "  "
               << (i < c.team_ids.size() ? c.team_ids[i] : "") << "\n";
    }
  });
}

int CaseReasons(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "case id");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "case reasons ID\n\nLists the reasons (motiveringar) of the case's disclosures and "
      "emergency grants.\nA reason is shown to members of the deciding and the receiving actor "
      "and to\nauditors (the oversight key); others see \"(sealed)\".  Example:\n"
      "  sspf-tool case reasons 2026-0042 --json",
      desc, {"id"}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListReasons(id), ReasonListJson, [&](const std::vector<ReasonInfo>& rs) {
    for (const ReasonInfo& r : rs) {
      *ctx.out << r.kind << "\t" << r.id << "\t" << FormatTime(r.created) << "\t"
               << (r.to ? ActorName(*r.to) : "-") << "\t"
               << (r.reason ? *r.reason : r.reason_sealed ? "(sealed)" : "(none)") << "\n";
    }
  });
}

int CaseNotes(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "case id");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "case notes ID\n\nLists the purpose notes of the reads in a case: note id, "
      "event, time, reader,\npurpose code and the note.  A note is shown to members of the "
      "reader's actor\nand to auditors (the oversight key); others see \"(sealed)\", "
      "erased notes\n\"(erased)\".  Example:\n"
      "  sspf-tool case notes 2026-0042 --json",
      desc, {"id"}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListPurposeNotes(id), PurposeNoteListJson,
              [&](const std::vector<PurposeNoteInfo>& ns) {
    for (const PurposeNoteInfo& n : ns) {
      *ctx.out << n.id << "\t" << n.seq << "\t" << FormatTime(n.time) << "\t"
               << n.principal_id << "\t" << n.code << "\t"
               << (n.note ? *n.note : n.erased ? "(erased)" : "(sealed)") << "\n";
    }
  });
}

int CaseClose(Context& ctx) {
  return IdCommand(ctx, "case close ID\n\nCloses a case (a coordinator on its team).  Example:\n"
                   "  sspf-tool case close 2026-0042", "case id",
                   [](Session& s, const std::string& id) { return s.CloseCase(id); },
                   "Closed case", CaseClosedJson);
}

int CaseReopen(Context& ctx) {
  return IdCommand(ctx, "case reopen ID\n\nOpens a closed case again (a coordinator on its "
                   "team).  Logged as\ncase.reopen.  Example:\n"
                   "  sspf-tool case reopen 2026-0042", "case id",
                   [](Session& s, const std::string& id) { return s.ReopenCase(id); },
                   "Reopened case", CaseReopenedJson);
}

int CaseTeamRemove(Context& ctx) {
  po::options_description desc("Options");
  std::string id, name;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "case id")
      ("name", po::value<std::string>(&name)->required(), "principal name");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "case team remove ID NAME\n\nTakes a principal off a case team (a "
                   "coordinator on the team); its access\nthrough the team ends at once.  "
                   "The team keeps at least one active\ncoordinator.  Example:\n"
                   "  sspf-tool case team remove 2026-0042 lia.fritid",
                   desc, {"id", "name"}, &exit);
  if (!s) return exit;
  Status st = s->RemoveTeamMember(id, name);
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, "Removed " + name + " from case " + id, TeamMemberRemovedJson(id, name));
}

int SubjectCustody(Context& ctx) {
  po::options_description desc("Options");
  std::string id, guardian, custody;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "subject id")
      ("guardian-id", po::value<std::string>(&guardian)->required(),
       "guardian id (or a prefix of 6+ digits; subject show lists them)")
      ("custody", po::value<std::string>(&custody)->required(),
       "yes: the guardian has custody (vårdnad); no: it has not");
  int exit = 0;
  bool has = true;
  SessionHandle s = ParseAndOpen(
      ctx, "subject custody ID GUARDIAN_ID --custody yes|no\n\n"
      "Records whether a guardian has custody (vårdnadshavare med vårdnad) of the\n"
      "youth (coordinators).  Only guardians with custody must consent; every\n"
      "guardian has custody when registered.  Logged as guardian.custody.  Example:\n"
      "  sspf-tool subject custody 3f2a9c 81bc0d --custody no",
      desc, {"id", "guardian-id"}, &exit, [&]() -> Status {
        if (custody != "yes" && custody != "no") {
          return InvalidArgument("--custody must be yes or no");
        }
        has = custody == "yes";
        return Status::Ok();
      });
  if (!s) return exit;
  Status st = s->SetGuardianCustody(id, guardian, has);
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx,
                   "Guardian " + guardian + (has ? " has custody" : " has no custody"),
                   GuardianCustodyJson(id, guardian, has));
}

int CaseTeamAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string id, name;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "case id")
      ("name", po::value<std::string>(&name)->required(), "principal name");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "case team add ID NAME\n\nAdds a member or coordinator to a case team "
                   "(a coordinator on the team).\nExample:\n"
                   "  sspf-tool case team add 2026-0042 lia.fritid",
                   desc, {"id", "name"}, &exit);
  if (!s) return exit;
  Status st = s->AddTeamMember(id, name);
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, "Added " + name + " to case " + id, TeamMemberAddedJson(id, name));
}

}  // namespace

void RegisterSubjectCaseCommands() {
  RegisterCommand({"subject add", "register a youth (coordinator)", SubjectAdd});
  RegisterCommand({"subject find", "find a youth by personnummer", SubjectFind});
  RegisterCommand({"subject show", "show a youth by subject id", SubjectShow});
  RegisterCommand({"subject list", "list or search the youths by name (coordinator)",
                   SubjectList});
  RegisterCommand({"subject custody", "record a guardian's custody (coordinator)",
                   SubjectCustody});
  RegisterCommand({"case open", "open a case (coordinator)", CaseOpen});
  RegisterCommand({"case list", "list the cases you may see", CaseList});
  RegisterCommand({"case show", "show a case and its team", CaseShow});
  RegisterCommand({"case close", "close a case (coordinator)", CaseClose});
  RegisterCommand({"case reopen", "reopen a closed case (coordinator)", CaseReopen});
  RegisterCommand({"case reasons", "the reasons of a case's disclosures and grants",
                   CaseReasons});
  RegisterCommand({"case notes", "the purpose notes of a case's reads", CaseNotes});
  RegisterCommand({"case team add", "add a principal to a case team (coordinator)",
                   CaseTeamAdd});
  RegisterCommand({"case team remove", "take a principal off a case team (coordinator)",
                   CaseTeamRemove});
}

}  // namespace sspf::cli
