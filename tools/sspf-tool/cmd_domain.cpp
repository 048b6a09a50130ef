// Domain commands: subject, case, consent, entry, grant (DESIGN §9).
//
// Every command unlocks the store as --user and calls one Session method;
// the library decides and logs.  A denial exits 3 with one line naming the
// missing condition and prints nothing of the content.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli.h"

namespace sspf::cli {
namespace {

using nlohmann::json;

// Largest body read from a file or stdin (the library's default limit plus
// one byte, so that the library reports the limit).
constexpr size_t kMaxBodyRead = (1u << 20) + 1;

void Wipe(std::string* s) {
  if (!s->empty()) SecureWipe(&(*s)[0], s->size());
  s->clear();
}

// JSON output that survives invalid UTF-8 in stored text (replaced, not thrown).
void PrintJsonLenient(Context& ctx, const json& j) {
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  *ctx.out << text << "\n";
  Wipe(&text);
}

bool ReadFirstLine(std::istream& in, std::string* line) {
  if (!std::getline(in, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// The personal identity number from --pnr N, --pnr - (stdin) or --pnr-file F.
// argv is visible to other local users (ps, /proc), so the file and stdin
// forms are preferred; --pnr N is kept because DESIGN §9 names it.
Result<std::string> ReadPnr(const std::string& pnr, const std::string& pnr_file) {
  if (!pnr.empty() && !pnr_file.empty()) {
    return InvalidArgument("give either --pnr or --pnr-file, not both");
  }
  std::string line;
  if (!pnr_file.empty()) {
    std::ifstream in(pnr_file);
    if (!in || !ReadFirstLine(in, &line)) {
      return InvalidArgument("cannot read the personal identity number file");
    }
    return line;
  }
  if (pnr == "-") {
    if (!ReadFirstLine(std::cin, &line)) {
      return InvalidArgument("no personal identity number on stdin");
    }
    return line;
  }
  if (pnr.empty()) return InvalidArgument("--pnr or --pnr-file is required");
  return pnr;
}

json GuardiansJson(const std::vector<GuardianInfo>& gs) {
  json arr = json::array();
  for (const GuardianInfo& g : gs) arr.push_back(json{{"id", g.id}, {"name", g.name}});
  return arr;
}

json SubjectJson(const SubjectInfo& s) {
  return json{{"id", s.id},
              {"personal_number", s.personal_number},
              {"name", s.name},
              {"birth_date", FormatDate(s.birth_date)},
              {"guardians", GuardiansJson(s.guardians)}};
}

void PrintSubject(Context& ctx, const SubjectInfo& s) {
  *ctx.out << "Subject " << s.id << "\n"
           << "  name:        " << s.name << "\n"
           << "  personnummer: " << s.personal_number << "\n"
           << "  born:        " << FormatDate(s.birth_date) << "\n";
  for (const GuardianInfo& g : s.guardians) {
    *ctx.out << "  guardian:    " << g.id << "  " << g.name << "\n";
  }
}

json CaseJson(const CaseInfo& c) {
  json j{{"id", c.id},
         {"subject", c.subject_id},
         {"open", c.open},
         {"opened", FormatTime(c.opened)},
         {"team", c.team}};
  j["closed"] = c.closed ? json(FormatTime(*c.closed)) : json(nullptr);
  return j;
}

std::string PartyText(const ConsentParty& p) {
  return p.youth ? "youth" : "guardian:" + p.guardian_id;
}

json ConsentJson(const ConsentInfo& c) {
  json actors = json::array(), cats = json::array();
  for (Actor a : c.actors) actors.push_back(ActorName(a));
  for (Category k : c.categories) cats.push_back(CategoryName(k));
  json j{{"id", c.id},
         {"case", c.case_id},
         {"party", PartyText(c.party)},
         {"actors", actors},
         {"categories", cats},
         {"valid_from", FormatTime(c.valid_from)},
         {"valid_until", FormatDate(c.valid_until)},
         {"purpose", c.purpose},
         {"form_ref", c.form_ref},
         {"version", c.version},
         {"recorded_by", c.recorded_by}};
  j["withdrawn_at"] = c.withdrawn_at ? json(FormatTime(*c.withdrawn_at)) : json(nullptr);
  return j;
}

json EntryJson(const EntryInfo& e) {
  json to = json::array();
  for (Actor a : e.disclosed_to) to.push_back(ActorName(a));
  json j{{"id", e.id},
         {"case", e.case_id},
         {"category", CategoryName(e.category)},
         {"author", e.author},
         {"author_actor", ActorName(e.author_actor)},
         {"created", FormatTime(e.created)},
         {"disclosed_to", to}};
  j["supersedes"] = e.supersedes ? json(*e.supersedes) : json(nullptr);
  return j;
}

// Prints {"id": id} or the text line.
int PrintId(Context& ctx, const std::string& what, const std::string& id) {
  if (ctx.globals.json) {
    PrintJson(ctx, json{{"id", id}});
  } else {
    *ctx.out << what << " " << id << "\n";
  }
  return kExitOk;
}

int Done(Context& ctx, const std::string& text, json j) {
  if (ctx.globals.json) {
    PrintJson(ctx, j);
  } else {
    *ctx.out << text << "\n";
  }
  return kExitOk;
}

// ---- subject -----------------------------------------------------------------

int SubjectAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string pnr, pnr_file, name;
  std::vector<std::string> guardians;
  desc.add_options()
      ("pnr", po::value<std::string>(&pnr),
       "personnummer or samordningsnummer (10 or 12 digits, with - or +); '-' reads it "
       "from stdin.  NOTE: argv is visible to other users in ps; prefer --pnr-file or -")
      ("pnr-file", po::value<std::string>(&pnr_file), "read the number from this file")
      ("name", po::value<std::string>(&name)->required(), "the youth's name")
      ("guardian", po::value<std::vector<std::string>>(&guardians),
       "a guardian with custody (repeat for each)");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "subject add (--pnr N | --pnr - | --pnr-file F) --name TEXT "
                 "[--guardian TEXT]...\n\n"
                 "Registers a youth (coordinators).  The number and names are stored\n"
                 "encrypted; only the birth date is kept in clear (age rules).  Prints the\n"
                 "subject id and the guardian ids (needed for consent grant).  Example:\n"
                 "  echo 20100310-1239 | sspf-tool subject add --pnr - --name \"Alex A\" \\\n"
                 "      --guardian \"Kim A\" --guardian \"Robin A\"",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<std::string> number = ReadPnr(pnr, pnr_file);
  if (!number.ok()) return UsageError(ctx, number.status().message());
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Session::NewSubject ns{*number, name, guardians};
  Wipe(&*number);
  Result<SubjectInfo> r = s->AddSubject(ns);
  Wipe(&ns.personal_number);
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    PrintJsonLenient(ctx, json{{"id", r->id}, {"guardians", GuardiansJson(r->guardians)}});
  } else {
    *ctx.out << "Added subject " << r->id << "\n";
    for (const GuardianInfo& g : r->guardians) {
      *ctx.out << "  guardian " << g.id << "  " << g.name << "\n";
    }
  }
  return kExitOk;
}

int SubjectFind(Context& ctx) {
  po::options_description desc("Options");
  std::string pnr, pnr_file;
  desc.add_options()
      ("pnr", po::value<std::string>(&pnr),
       "the number; '-' reads it from stdin (argv is visible in ps)")
      ("pnr-file", po::value<std::string>(&pnr_file), "read the number from this file");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "subject find (--pnr N | --pnr - | --pnr-file F)\n\n"
                 "Finds a subject by personal identity number (coordinators, or members on\n"
                 "the team of one of its cases).  The lookup is logged.  Example:\n"
                 "  sspf-tool subject find --pnr-file nummer.txt --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<std::string> number = ReadPnr(pnr, pnr_file);
  if (!number.ok()) return UsageError(ctx, number.status().message());
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<SubjectInfo> r = s->FindSubject(*number);
  Wipe(&*number);
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    PrintJsonLenient(ctx, SubjectJson(*r));
  } else {
    PrintSubject(ctx, *r);
  }
  return kExitOk;
}

int SubjectShow(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "subject id");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "subject show ID\n\nShows a subject by id (as subject find).  Example:\n"
                 "  sspf-tool subject show 3f2a...e9 --json",
                 desc, {"id"}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<SubjectInfo> r = s->ShowSubject(id);
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    PrintJsonLenient(ctx, SubjectJson(*r));
  } else {
    PrintSubject(ctx, *r);
  }
  return kExitOk;
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
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "case open --subject ID [--team NAME,...]\n\n"
                 "Opens a case (coordinators).  Prints the case id.  Example:\n"
                 "  sspf-tool case open --subject 3f2a...e9 --team sara.skola,per.polis",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  std::vector<std::string> names;
  if (!team.empty()) {
    Result<std::vector<std::string>> n = SplitNames(team);
    if (!n.ok()) return UsageError(ctx, n.status().message());
    names = *n;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::string> id = s->OpenCase(subject, names);
  if (!id.ok()) return Fail(ctx, id.status());
  return PrintId(ctx, "Opened case", *id);
}

int CaseList(Context& ctx) {
  po::options_description desc("Options");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "case list\n\nLists cases: all of them for coordinators, otherwise the "
                 "cases whose team\nyou are on (or hold an emergency grant for).  Example:\n"
                 "  sspf-tool case list --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::vector<CaseInfo>> r = s->ListCases();
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    json arr = json::array();
    for (const CaseInfo& c : *r) arr.push_back(CaseJson(c));
    PrintJson(ctx, arr);
  } else {
    for (const CaseInfo& c : *r) {
      *ctx.out << c.id << "\t" << (c.open ? "open" : "closed") << "\tsubject " << c.subject_id
               << "\topened " << FormatTime(c.opened) << "\n";
    }
  }
  return kExitOk;
}

int CaseShow(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "case id");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "case show ID\n\nShows a case and its team (team members and grant "
                 "holders).  Example:\n  sspf-tool case show 7c1d...04",
                 desc, {"id"}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<CaseInfo> c = s->ShowCase(id);
  if (!c.ok()) return Fail(ctx, c.status());
  if (ctx.globals.json) {
    PrintJson(ctx, CaseJson(*c));
  } else {
    *ctx.out << "Case " << c->id << " (" << (c->open ? "open" : "closed") << ")\n"
             << "  subject: " << c->subject_id << "\n"
             << "  opened:  " << FormatTime(c->opened) << "\n";
    if (c->closed) *ctx.out << "  closed:  " << FormatTime(*c->closed) << "\n";
    for (const std::string& m : c->team) *ctx.out << "  team:    " << m << "\n";
  }
  return kExitOk;
}

int CaseClose(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "case id");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "case close ID\n\nCloses a case (a coordinator on its team).  Example:\n"
                 "  sspf-tool case close 7c1d...04",
                 desc, {"id"}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Status st = s->CloseCase(id);
  if (!st.ok()) return Fail(ctx, st);
  return Done(ctx, "Closed case " + id, json{{"id", id}, {"open", false}});
}

int CaseTeamAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string id, name;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "case id")
      ("name", po::value<std::string>(&name)->required(), "principal name");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "case team add ID NAME\n\nAdds a member or coordinator to a case team "
                 "(a coordinator on the team).\nExample:\n"
                 "  sspf-tool case team add 7c1d...04 lia.fritid",
                 desc, {"id", "name"}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Status st = s->AddTeamMember(id, name);
  if (!st.ok()) return Fail(ctx, st);
  return Done(ctx, "Added " + name + " to case " + id, json{{"id", id}, {"member", name}});
}

// ---- consent -------------------------------------------------------------------

int ConsentGrant(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id, party, actors, categories, until, purpose, form_ref;
  desc.add_options()
      ("case", po::value<std::string>(&case_id)->required(), "case id")
      ("party", po::value<std::string>(&party)->required(),
       "youth, or guardian:GUARDIAN_ID (the id printed by subject add)")
      ("actors", po::value<std::string>(&actors)->required(),
       "actors that may exchange information, e.g. school,social")
      ("categories", po::value<std::string>(&categories)->required(),
       "categories covered, e.g. school,plan")
      ("until", po::value<std::string>(&until)->required(), "last valid day, YYYY-MM-DD")
      ("purpose", po::value<std::string>(&purpose), "purpose of the exchange")
      ("form-ref", po::value<std::string>(&form_ref), "reference to the signed form");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "consent grant --case ID --party youth|guardian:GID --actors A,B "
                 "--categories C,D\n                     --until YYYY-MM-DD [--purpose T] "
                 "[--form-ref T]\n\n"
                 "Records one party's consent (samtycke).  Under 18 every guardian must\n"
                 "consent; from 15 the youth too; from 18 the youth only.  Prints the id.\n"
                 "Example:\n"
                 "  sspf-tool consent grant --case 7c1d...04 --party guardian:9b0e...11 \\\n"
                 "      --actors school,social --categories school,plan --until 2027-06-30",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  ConsentInput in;
  in.case_id = case_id;
  if (party == "youth") {
    in.party.youth = true;
  } else if (party.rfind("guardian:", 0) == 0 && party.size() > 9) {
    in.party.youth = false;
    in.party.guardian_id = party.substr(9);
  } else {
    return UsageError(ctx, "--party must be youth or guardian:GUARDIAN_ID");
  }
  Result<std::vector<Actor>> a = ParseActorList(actors);
  if (!a.ok()) return UsageError(ctx, a.status().message());
  Result<std::vector<Category>> c = ParseCategoryList(categories);
  if (!c.ok()) return UsageError(ctx, c.status().message());
  Result<Date> d = ParseDate(until);
  if (!d.ok()) return UsageError(ctx, "--until: " + d.status().message());
  in.actors = *a;
  in.categories = *c;
  in.valid_until = *d;
  in.purpose = purpose;
  in.form_ref = form_ref;
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::string> id = s->GrantConsent(in);
  if (!id.ok()) return Fail(ctx, id.status());
  return PrintId(ctx, "Recorded consent", *id);
}

int ConsentWithdraw(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  desc.add_options()("id", po::value<std::string>(&id)->required(), "consent id");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "consent withdraw ID\n\nRecords a withdrawal (a new version; nothing "
                 "is deleted).  Reads of what was\ndisclosed under it stop at once.  Example:\n"
                 "  sspf-tool consent withdraw 51aa...c3",
                 desc, {"id"}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Status st = s->WithdrawConsent(id);
  if (!st.ok()) return Fail(ctx, st);
  return Done(ctx, "Withdrew consent " + id, json{{"id", id}, {"withdrawn", true}});
}

int ConsentList(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "consent list --case ID\n\nLists the consents of a case (latest "
                 "version of each).  Example:\n  sspf-tool consent list --case 7c1d...04 --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::vector<ConsentInfo>> r = s->ListConsents(case_id);
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    json arr = json::array();
    for (const ConsentInfo& c : *r) arr.push_back(ConsentJson(c));
    PrintJsonLenient(ctx, arr);
  } else {
    for (const ConsentInfo& c : *r) {
      *ctx.out << c.id << "\t" << PartyText(c.party) << "\t" << JoinActors(c.actors) << "\t"
               << JoinCategories(c.categories) << "\tuntil " << FormatDate(c.valid_until)
               << "\t"
               << (c.withdrawn_at ? "withdrawn " + FormatTime(*c.withdrawn_at) : "active")
               << "\n";
    }
  }
  return kExitOk;
}

// ---- entry -----------------------------------------------------------------------

int EntryAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id, category, file, supersedes;
  desc.add_options()
      ("case", po::value<std::string>(&case_id)->required(), "case id")
      ("category", po::value<std::string>(&category)->required(),
       "identity | school | social | police | leisure | health | plan | meeting")
      ("file", po::value<std::string>(&file), "read the body from this file (else stdin)")
      ("supersedes", po::value<std::string>(&supersedes),
       "id of an entry of the same case that this one corrects");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "entry add --case ID --category C [--file F | < body] [--supersedes ID]\n\n"
                 "Adds an immutable entry written by your actor (encrypted; readable by your\n"
                 "actor only until disclosed).  Prints the entry id.  Example:\n"
                 "  sspf-tool entry add --case 7c1d...04 --category school --file anteckning.txt",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  std::optional<Category> c = ParseCategory(category);
  if (!c) return UsageError(ctx, "unknown category");
  std::string body;
  {
    std::ifstream f;
    std::istream* in = &std::cin;
    if (!file.empty()) {
      f.open(file, std::ios::binary);
      if (!f) return UsageError(ctx, "cannot read the body file");
      in = &f;
    }
    body.resize(kMaxBodyRead);
    in->read(&body[0], static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<size_t>(in->gcount()));
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) {
    Wipe(&body);
    return Fail(ctx, s.status());
  }
  std::optional<std::string> sup;
  if (!supersedes.empty()) sup = supersedes;
  Result<std::string> id = s->AddEntry(case_id, *c, body, sup);
  Wipe(&body);
  if (!id.ok()) return Fail(ctx, id.status());
  return PrintId(ctx, "Added entry", *id);
}

int EntryList(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "entry list --case ID\n\nLists the entries of a case that you may read "
                 "(metadata only).  Example:\n  sspf-tool entry list --case 7c1d...04 --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::vector<EntryInfo>> r = s->ListEntries(case_id);
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    json arr = json::array();
    for (const EntryInfo& e : *r) arr.push_back(EntryJson(e));
    PrintJson(ctx, arr);
  } else {
    for (const EntryInfo& e : *r) {
      *ctx.out << e.id << "\t" << CategoryName(e.category) << "\t" << e.author << " ("
               << ActorName(e.author_actor) << ")\t" << FormatTime(e.created);
      if (e.supersedes) *ctx.out << "\tsupersedes " << *e.supersedes;
      *ctx.out << "\n";
    }
  }
  return kExitOk;
}

int EntryRead(Context& ctx) {
  po::options_description desc("Options");
  std::string id, purpose;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "entry id")
      ("purpose", po::value<std::string>(&purpose), "why you read it (recorded in the log)");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "entry read ID [--purpose TEXT]\n\n"
                 "Reads an entry if your actor wrote it or it was disclosed to your actor on\n"
                 "a basis still valid now (consent in force, grant not expired).  Example:\n"
                 "  sspf-tool entry read 0d9e...77 --purpose \"SSPF-möte 12 maj\"",
                 desc, {"id"}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<EntryContent> r = s->ReadEntry(id, purpose);
  if (!r.ok()) return Fail(ctx, r.status());
  std::string body(r->body.begin(), r->body.end());
  const EntryInfo& e = r->info;
  if (ctx.globals.json) {
    json j{{"id", e.id},
           {"case", e.case_id},
           {"category", CategoryName(e.category)},
           {"author", e.author},
           {"author_actor", ActorName(e.author_actor)},
           {"created", FormatTime(e.created)},
           {"basis", r->basis},
           {"body", body}};
    j["supersedes"] = e.supersedes ? json(*e.supersedes) : json(nullptr);
    PrintJsonLenient(ctx, j);
  } else {
    *ctx.out << "Entry " << e.id << " (" << CategoryName(e.category) << ", " << e.author << "/"
             << ActorName(e.author_actor) << ", " << FormatTime(e.created) << ", basis "
             << r->basis << ")\n\n"
             << body;
    if (!body.empty() && body.back() != '\n') *ctx.out << "\n";
  }
  ctx.out->flush();
  Wipe(&body);
  return kExitOk;
}

int EntryDisclose(Context& ctx) {
  po::options_description desc("Options");
  std::string id, to, consent, grant, provision, reason, basis, until;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "entry id")
      ("to", po::value<std::string>(&to)->required(), "receiving actor")
      ("consent", po::value<std::string>(&consent), "basis: this consent id")
      ("grant", po::value<std::string>(&grant), "basis: this emergency grant id")
      ("basis", po::value<std::string>(&basis), "basis as consent:ID or grant:ID")
      ("provision", po::value<std::string>(&provision),
       "basis: a secrecy-breaking provision, e.g. \"OSL 10 kap. 18 a §\" (needs --reason; "
       "flagged for review)")
      ("reason", po::value<std::string>(&reason), "the reason (motivering) for a provision")
      ("until", po::value<std::string>(&until),
       "with --provision: valid through this date (YYYY-MM-DD, UTC) or until this time "
       "(YYYY-MM-DDTHH:MM:SSZ); reads after it are denied");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "entry disclose ID --to ACTOR [--consent ID | --basis consent:ID | "
                 "--grant ID | --basis grant:ID |\n"
                 "                                 --provision TEXT --reason TEXT [--until T]]\n\n"
                 "Makes one of your actor's entries readable to another actor.  Without a\n"
                 "basis the library uses a consent in force that covers it, or refuses\n"
                 "naming what is missing.  Prints the disclosure id.  Example:\n"
                 "  sspf-tool entry disclose 0d9e...77 --to social --basis consent:51aa...c3",
                 desc, {"id"}, &vm, &exit)) {
    return exit;
  }
  std::optional<Actor> actor = ParseActor(to);
  if (!actor) return UsageError(ctx, "unknown actor for --to");
  if (!basis.empty()) {
    if (basis.rfind("consent:", 0) == 0 && basis.size() > 8 && consent.empty()) {
      consent = basis.substr(8);
    } else if (basis.rfind("grant:", 0) == 0 && basis.size() > 6 && grant.empty()) {
      grant = basis.substr(6);
    } else {
      return UsageError(ctx, "--basis must be consent:ID or grant:ID (use --provision for a "
                             "legal provision)");
    }
  }
  int named = !consent.empty() + !grant.empty() + !provision.empty();
  if (named > 1) return UsageError(ctx, "give only one basis");
  if (!provision.empty() && reason.empty()) {
    return UsageError(ctx, "--provision needs --reason");
  }
  DisclosureBasis b;
  if (!consent.empty()) b.consent_id = consent;
  if (!grant.empty()) b.grant_id = grant;
  if (!provision.empty()) b.provision = provision;
  b.reason = reason;
  if (!until.empty()) {
    if (provision.empty()) return UsageError(ctx, "--until applies only with --provision");
    Result<UnixSeconds> t = ParseTime(until);
    if (!t.ok()) return Fail(ctx, t.status());
    // A bare date means "through that day".
    const bool date_only = until.size() == 10 && until[4] == '-';
    b.until = date_only ? *t + 86400 : *t;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::string> d = s->DiscloseEntry(id, *actor, b);
  if (!d.ok()) return Fail(ctx, d.status());
  return PrintId(ctx, "Disclosed; disclosure", *d);
}

// ---- grant -----------------------------------------------------------------------

int GrantEmergency(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id, provision, reason;
  int hours = 8;
  desc.add_options()
      ("case", po::value<std::string>(&case_id)->required(), "case id")
      ("provision", po::value<std::string>(&provision)->required(),
       "the secrecy-breaking provision, e.g. \"OSL 10 kap. 2 §\"")
      ("reason", po::value<std::string>(&reason)->required(), "the reason (motivering)")
      ("hours", po::value<int>(&hours), "how long, 1..72 hours (default 8)");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "grant emergency --case ID --provision TEXT --reason TEXT [--hours N]\n\n"
                 "Gives you time-limited access to a case without consent, under a legal\n"
                 "provision you name after your secrecy assessment.  Always flagged for\n"
                 "review.  Prints the grant id.  Example:\n"
                 "  sspf-tool grant emergency --case 7c1d...04 --provision \"OSL 10 kap. 2 §\" \\\n"
                 "      --reason \"Akut skyddsbehov\" --hours 4",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<Session> s = OpenSession(ctx.globals);
  if (!s.ok()) return Fail(ctx, s.status());
  Result<std::string> id = s->GrantEmergency(case_id, provision, reason, hours);
  if (!id.ok()) return Fail(ctx, id.status());
  return PrintId(ctx, "Granted; grant", *id);
}

}  // namespace

void RegisterDomainCommands() {
  RegisterCommand({"subject add", "register a youth (coordinator)", SubjectAdd});
  RegisterCommand({"subject find", "find a youth by personnummer", SubjectFind});
  RegisterCommand({"subject show", "show a youth by subject id", SubjectShow});
  RegisterCommand({"case open", "open a case (coordinator)", CaseOpen});
  RegisterCommand({"case list", "list the cases you may see", CaseList});
  RegisterCommand({"case show", "show a case and its team", CaseShow});
  RegisterCommand({"case close", "close a case (coordinator)", CaseClose});
  RegisterCommand({"case team add", "add a principal to a case team (coordinator)",
                   CaseTeamAdd});
  RegisterCommand({"consent grant", "record a party's consent", ConsentGrant});
  RegisterCommand({"consent withdraw", "record a withdrawal of consent", ConsentWithdraw});
  RegisterCommand({"consent list", "list the consents of a case", ConsentList});
  RegisterCommand({"entry add", "add an entry (body from --file or stdin)", EntryAdd});
  RegisterCommand({"entry list", "list the entries of a case you may read", EntryList});
  RegisterCommand({"entry read", "read an entry", EntryRead});
  RegisterCommand({"entry disclose", "disclose an entry to another actor", EntryDisclose});
  RegisterCommand({"grant emergency", "time-limited legal-basis access to a case",
                   GrantEmergency});
}

}  // namespace sspf::cli
