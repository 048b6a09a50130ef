// Consent, entry and grant commands: consent grant|withdraw|list, entry
// add|list|read|disclose, grant emergency (DESIGN §9).
//
// Every command unlocks the store as --user and calls one Session method;
// the library decides and logs.  A denial exits 3 with one line naming the
// missing condition and prints nothing of the content.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli.h"

namespace sspf::cli {
namespace {

// "youth", or the guardian by position and id: "guardian:2 (d68ffb...)".
std::string PartyText(const ConsentInfo& c) {
  if (c.party.youth) return "youth";
  if (c.guardian_position <= 0) return "guardian:" + c.party.guardian_id;
  return "guardian:" + std::to_string(c.guardian_position) + " (" + c.party.guardian_id + ")";
}

// A provision the policy does not know: the library's denial (for every
// host) gets this tool's pointer to the list.
template <typename T>
Result<T> PointToProvisions(Result<T> r) {
  if (!r.ok() && r.status().code() == StatusCode::kPermissionDenied &&
      r.status().message().find("not a configured legal provision") != std::string::npos) {
    return Status(r.status().code(), r.status().message() + " (sspf-tool provisions lists them)");
  }
  return r;
}

// ---- consent -------------------------------------------------------------------

// The party, actors, categories and last day of consent grant.
Status ParseConsentOptions(const std::string& party, const std::string& actors,
                           const std::string& categories, const std::string& until,
                           ConsentInput* in) {
  if (party == "youth") {
    in->party.youth = true;
  } else if (party.rfind("guardian:", 0) == 0 && party.size() > 9) {
    in->party.youth = false;
    in->party.guardian_id = party.substr(9);
  } else {
    return InvalidArgument("--party must be youth or guardian:X, X a guardian's position "
                           "(guardian:1 is the first registered), name or id (subject show "
                           "lists them)");
  }
  SSPF_ASSIGN_OR_RETURN(in->actors, ParseActorList(actors));
  SSPF_ASSIGN_OR_RETURN(in->categories, ParseCategoryList(categories));
  Result<Date> d = ParseDate(until);
  if (!d.ok()) return InvalidArgument("--until: " + d.status().message());
  in->valid_until = *d;
  return Status::Ok();
}

int ConsentGrant(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id, party, actors, categories, until;
  TextArg purpose("purpose", "Purpose"), form_ref("form-ref", "Form reference");
  desc.add_options()
      ("case", po::value<std::string>(&case_id)->required(), "case id")
      ("party", po::value<std::string>(&party)->required(),
       "youth, or guardian:X: the guardian's position (1 is the first registered), "
       "name (when no other guardian of the youth has it; argv is visible in ps) or id")
      ("actors", po::value<std::string>(&actors)->required(),
       "actors that may exchange information, e.g. school,social")
      ("categories", po::value<std::string>(&categories)->required(),
       "categories covered, e.g. school,plan")
      ("until", po::value<std::string>(&until)->required(), "last valid day, YYYY-MM-DD");
  purpose.AddTo(desc, "the kind of collaboration: a purpose code or its label");
  form_ref.AddTo(desc, "your actor's reference to the signed form");
  int exit = 0;
  ConsentInput in;
  SessionHandle s =
      ParseAndOpen(ctx, "consent grant --case ID --party youth|guardian:N --actors A,B "
                   "--categories C,D\n                     --until YYYY-MM-DD "
                   "(--purpose CODE | --purpose-file F)\n"
                   "                     [--form-ref T | --form-ref-file F]\n\n"
                   "Records one party's consent (samtycke).  Under 18 every guardian with\n"
                   "custody must consent; from 15 the youth too; from 18 the youth only.  A\n"
                   "consent is not general: at least two actors, the categories, a purpose code\n"
                   "(the kind of collaboration; sspf-tool purposes lists them) and a last day\n"
                   "at most 12 months away (SSPF_CONSENT_MAX_MONTHS).  A guardian is named\n"
                   "by position (guardian:1, in registration order), by name when only one\n"
                   "guardian of the youth has it, or by id.  Prints the id.  Example:\n"
                   "  sspf-tool consent grant --case 2026-0042 --party guardian:1 \\\n"
                   "      --actors school,social --categories school,plan --until 2027-06-30 \\\n"
                   "      --purpose planning --form-ref \"KS 2026/41\"",
                   desc, {}, &exit, [&] {
                     in.case_id = case_id;
                     SSPF_RETURN_IF_ERROR(
                         ReadTextArgs({{&purpose, false}, {&form_ref, false}}));
                     in.purpose = purpose.value();
                     in.form_ref = form_ref.value();
                     return ParseConsentOptions(party, actors, categories, until, &in);
                   });
  if (!s) return exit;
  Result<std::string> id = s->GrantConsent(in);
  Wipe(&in.purpose);
  Wipe(&in.form_ref);
  return ShowCreated(ctx, id, "Recorded consent");
}

int ConsentWithdraw(Context& ctx) {
  return IdCommand(ctx, "consent withdraw ID\n\nRecords a withdrawal (a new version; nothing "
                   "is deleted).  Reads of what was\ndisclosed under it stop at once.  Example:\n"
                   "  sspf-tool consent withdraw 51aac3", "consent id",
                   [](Session& s, const std::string& id) { return s.WithdrawConsent(id); },
                   "Withdrew consent", ConsentWithdrawnJson);
}

int ConsentConfirm(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  TextArg ref("ref", "Your actor's reference to the consent");
  desc.add_options()("id", po::value<std::string>(&id)->required(), "consent id");
  ref.AddTo(desc, "your actor's own reference to the signed consent (e.g. its diary number)");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "consent confirm ID (--ref T | --ref-file F)\n\n"
      "Records your actor's own reference to a consent another actor recorded: each\n"
      "authority documents the consent itself.  The reference is stored; the access\n"
      "log holds only a salted commitment.  Once per actor (exit 1 the second time);\n"
      "consent list shows the references.  Logged as consent.confirm.  Example:\n"
      "  sspf-tool consent confirm 51aac3 --ref \"Dnr POL-2026-117\"",
      desc, {"id"}, &exit, [&] { return ref.Read(true); });
  if (!s) return exit;
  Status st = s->ConfirmConsent(id, ref.value());
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, "Confirmed consent " + id,
                   ConsentConfirmedJson(id, s->principal().actor));
}

int ConsentList(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "consent list --case ID\n\n"
                   "Lists the consents of a case (latest version of each): id, party, actors,\n"
                   "categories, last day, status, version and each actor's reference\n"
                   "(ACTOR: REF).  Example:\n"
                   "  sspf-tool consent list --case 2026-0042 --json",
                   desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListConsents(case_id), ConsentListJson,
              [&](const std::vector<ConsentInfo>& consents) {
                for (const ConsentInfo& c : consents) {
                  *ctx.out << c.id << "\t" << PartyText(c) << "\t"
                           << JoinActors(c.actors) << "\t" << JoinCategories(c.categories)
                           << "\tuntil " << FormatDate(c.valid_until) << "\t"
                           << (c.withdrawn_at ? "withdrawn " + FormatTime(*c.withdrawn_at)
                                              : "active")
                           << "\tversion " << c.version;
                  for (const ConsentReference& r : c.references) {
                    *ctx.out << "\t" << ActorName(r.actor) << ": " << r.reference;
                  }
                  *ctx.out << "\n";
                }
              });
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
  int exit = 0;
  std::optional<Category> c;
  std::string body;
  SessionHandle s = ParseAndOpen(
      ctx,
      "entry add --case ID --category C [--file F | < body] [--supersedes ID]\n\n"
      "Adds an immutable entry written by your actor (encrypted; readable by your\n"
      "actor only until disclosed).  Prints the entry id.  Example:\n"
      "  sspf-tool entry add --case 2026-0042 --category school --file anteckning.txt",
      desc, {}, &exit, [&] {
        c = ParseCategory(category);
        if (!c) return InvalidArgument("unknown category");
        return ReadBody(file, "entry add", "the entry", &body);
      });
  if (!s) {
    Wipe(&body);
    return exit;
  }
  std::optional<std::string> sup;
  if (!supersedes.empty()) sup = supersedes;
  Result<std::string> id = s->AddEntry(case_id, *c, body, sup);
  Wipe(&body);
  return ShowCreated(ctx, id, "Added entry");
}

int EntryList(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id;
  desc.add_options()("case", po::value<std::string>(&case_id)->required(), "case id");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "entry list --case ID\n\nLists the entries of a case that you may read "
                   "(metadata only).  Example:\n  sspf-tool entry list --case 2026-0042 --json",
                   desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListEntries(case_id), EntryListJson,
              [&](const std::vector<EntryInfo>& entries) {
                for (const EntryInfo& e : entries) {
                  *ctx.out << e.id << "\t" << CategoryName(e.category) << "\t" << e.author
                           << " (" << ActorName(e.author_actor) << ")\t"
                           << FormatTime(e.created);
                  if (e.supersedes) *ctx.out << "\tsupersedes " << *e.supersedes;
                  *ctx.out << "\n";
                }
              });
}

// The configured purpose codes with their labels, one per line.
std::string PurposeLines(const std::vector<PurposeCode>& codes, const std::string& indent) {
  std::string out;
  for (const PurposeCode& p : codes) {
    out += indent + p.code + std::string(p.code.size() < 16 ? 16 - p.code.size() : 1, ' ') +
           p.label_sv + " / " + p.label_en + "\n";
  }
  return out;
}

// For help texts: the configured list, or the defaults when it is broken
// (the command then reports the error itself).
std::vector<PurposeCode> ConfiguredPurposes(const Context& ctx) {
  Result<StoreOptions> o = OptionsFor(ctx.globals);
  return o.ok() ? o->purposes : DefaultPurposeCodes();
}

int EntryRead(Context& ctx) {
  po::options_description desc("Options");
  std::string id;
  TextArg purpose("purpose", "Purpose"), note("note", "Purpose note");
  desc.add_options()("id", po::value<std::string>(&id)->required(), "entry id");
  purpose.AddTo(desc, "why you read it: a purpose code or its Swedish or English label "
                      "(the log records the code)");
  note.AddTo(desc, "free text about the purpose, stored encrypted and erasable (never in the "
                   "log; the log holds a salted commitment)");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "entry read ID [--purpose CODE | --purpose-file F] [--note T | --note-file F]\n\n"
      "Reads an entry if your actor wrote it or it was disclosed to your actor on\n"
      "a basis still valid now (consent in force, grant not expired).\n"
      "Purpose codes (ändamål; sspf-tool purposes lists them):\n" +
      PurposeLines(ConfiguredPurposes(ctx), "  ") +
      "Example:\n"
      "  sspf-tool entry read 0d9e77 --purpose sspf-meeting --note-file note.txt",
      desc, {"id"}, &exit, [&] { return ReadTextArgs({{&purpose, false}, {&note, false}}); });
  if (!s) return exit;
  Result<EntryContent> r = s->ReadEntry(id, Purpose{purpose.value(), note.value()});
  if (!r.ok()) return Fail(ctx, r.status());
  if (ctx.globals.json) {
    PrintSecretJson(ctx, EntryContentJson(*r, /*include_body=*/true));
    return kExitOk;
  }
  std::string body(r->body.begin(), r->body.end());
  const EntryInfo& e = r->info;
  *ctx.out << "Entry " << e.id << " (" << CategoryName(e.category) << ", " << e.author << "/"
           << ActorName(e.author_actor) << ", " << FormatTime(e.created) << ", basis "
           << r->basis << ")\n\n"
           << body;
  if (!body.empty() && body.back() != '\n') *ctx.out << "\n";
  ctx.out->flush();
  Wipe(&body);
  return kExitOk;
}

int Purposes(Context& ctx) {
  po::options_description desc("Options");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "purposes [--json]\n\n"
                 "Lists the purpose codes (ändamål) that entry read --purpose accepts, with\n"
                 "their Swedish and English labels.  Needs no store or passphrase.\n"
                 "SSPF_PURPOSES_FILE=F replaces the defaults by the lines of F, each\n"
                 "code<TAB>Swedish label<TAB>English label ('#' starts a comment line).\n"
                 "Example:\n  sspf-tool purposes --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<StoreOptions> o = OptionsFor(ctx.globals);
  if (!o.ok()) return Fail(ctx, o.status());
  if (ctx.globals.json) {
    PrintJson(ctx, PurposeCodesJson(o->purposes));
  } else {
    *ctx.out << PurposeLines(o->purposes, "");
  }
  return kExitOk;
}

int NoteErase(Context& ctx) {
  return IdCommand(
      ctx, "note erase ID\n\n"
      "Erases the text of a purpose note (its ciphertext and key seals); the salted\n"
      "commitment stays, so the access log still verifies.  Allowed for the note's\n"
      "author and for coordinators; logged as purpose_note.erase.  Note ids are\n"
      "listed by case notes.  Example:\n"
      "  sspf-tool note erase 5b1e9a",
      "purpose note id", [](Session& s, const std::string& id) { return s.ErasePurposeNote(id); },
      "Erased purpose note", PurposeNoteErasedJson);
}

// The basis options of entry disclose.
struct BasisArgs {
  std::string consent, grant, provision, reason, basis, until;

  // kInvalidArgument (a usage error) for a wrong combination or value.
  Status Build(DisclosureBasis* b) {
    if (!basis.empty()) {
      if (basis.rfind("consent:", 0) == 0 && basis.size() > 8 && consent.empty()) {
        consent = basis.substr(8);
      } else if (basis.rfind("grant:", 0) == 0 && basis.size() > 6 && grant.empty()) {
        grant = basis.substr(6);
      } else {
        return InvalidArgument("--basis must be consent:ID or grant:ID (use --provision for "
                               "a legal provision)");
      }
    }
    int named = !consent.empty() + !grant.empty() + !provision.empty();
    if (named > 1) return InvalidArgument("give only one basis");
    if (!provision.empty() && reason.empty()) {
      return InvalidArgument("--provision needs --reason");
    }
    if (!consent.empty()) b->consent_id = consent;
    if (!grant.empty()) b->grant_id = grant;
    if (!provision.empty()) b->provision = provision;
    b->reason = reason;
    if (!until.empty()) {
      if (provision.empty()) return InvalidArgument("--until applies only with --provision");
      SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(until));
      // A bare date means "through that day".
      const bool date_only = until.size() == 10 && until[4] == '-';
      b->until = date_only ? t + 86400 : t;
    }
    return Status::Ok();
  }
};

int EntryDisclose(Context& ctx) {
  po::options_description desc("Options");
  std::string id, to;
  BasisArgs ba;
  desc.add_options()
      ("id", po::value<std::string>(&id)->required(), "entry id")
      ("to", po::value<std::string>(&to)->required(), "receiving actor")
      ("consent", po::value<std::string>(&ba.consent), "basis: this consent id")
      ("grant", po::value<std::string>(&ba.grant), "basis: this emergency grant id")
      ("basis", po::value<std::string>(&ba.basis), "basis as consent:ID or grant:ID")
      ("provision", po::value<std::string>(&ba.provision),
       "basis: a secrecy-breaking provision, e.g. \"OSL 10 kap. 18 a §\" (needs --reason; "
       "flagged for review)")
      ("until", po::value<std::string>(&ba.until),
       "with --provision: valid through this date (YYYY-MM-DD, UTC) or until this time "
       "(YYYY-MM-DDTHH:MM:SSZ); reads after it are denied");
  TextArg reason("reason", "Reason (motivering)");
  reason.AddTo(desc, "the reason (motivering) for a provision (asked for on a terminal)");
  int exit = 0;
  std::optional<Actor> actor;
  DisclosureBasis b;
  SessionHandle s = ParseAndOpen(
      ctx,
      "entry disclose ID --to ACTOR [--consent ID | --basis consent:ID | "
      "--grant ID | --basis grant:ID |\n"
      "                                 --provision TEXT (--reason TEXT | --reason-file F)\n"
      "                                 [--until T]]\n\n"
      "Makes one of your actor's entries readable to another actor.  Without a\n"
      "basis the library uses a consent in force that covers it, or refuses\n"
      "naming what is missing.  Prints the disclosure id.  Example:\n"
      "  sspf-tool entry disclose 0d9e77 --to social --basis consent:51aac3",
      desc, {"id"}, &exit, [&] {
        actor = ParseActor(to);
        if (!actor) return InvalidArgument("unknown actor for --to");
        SSPF_RETURN_IF_ERROR(reason.Read(!ba.provision.empty()));
        ba.reason = reason.value();
        return ba.Build(&b);
      });
  Wipe(&ba.reason);
  if (!s) return exit;
  Result<std::string> disclosed = PointToProvisions(s->DiscloseEntry(id, *actor, b));
  Wipe(&b.reason);
  return ShowCreated(ctx, disclosed, "Disclosed; disclosure");
}

// ---- grant -----------------------------------------------------------------------

int GrantEmergency(Context& ctx) {
  po::options_description desc("Options");
  std::string case_id, provision;
  TextArg reason("reason", "Reason (motivering)");
  int hours = 8;
  desc.add_options()
      ("case", po::value<std::string>(&case_id)->required(), "case id")
      ("provision", po::value<std::string>(&provision)->required(),
       "the secrecy-breaking provision, e.g. \"OSL 10 kap. 2 §\"")
      ("hours", po::value<int>(&hours), "how long, 1..72 hours (default 8)");
  reason.AddTo(desc, "the reason (motivering; asked for on a terminal if not given)");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "grant emergency --case ID --provision TEXT (--reason TEXT | "
                   "--reason-file F)\n                       [--hours N]\n\n"
                   "Gives you time-limited access to a case without consent, under a legal\n"
                   "provision you name after your secrecy assessment.  Always flagged for\n"
                   "review.  Prints the grant id and its end time.  Example:\n"
                   "  sspf-tool grant emergency --case 2026-0042 "
                   "--provision \"OSL 10 kap. 2 §\" \\\n"
                   "      --reason-file motivering.txt --hours 4",
                   desc, {}, &exit, [&] { return reason.Read(true); });
  if (!s) return exit;
  return Show(ctx,
              PointToProvisions(s->GrantEmergencyInfo(case_id, provision, reason.value(), hours)),
              GrantJson, [&](const GrantInfo& g) {
                *ctx.out << "Granted; grant " << g.id << " until " << FormatTime(g.until)
                         << "\n";
              });
}

int GrantEnd(Context& ctx) {
  return IdCommand(ctx, "grant end ID\n\nEnds an emergency grant before its end time (its "
                   "holder, or a coordinator\non the case team).  Reads under it stop at "
                   "once.  Logged as grant.end.\nExample:\n  sspf-tool grant end 2b7fc1",
                   "grant id", [](Session& s, const std::string& id) { return s.EndGrant(id); },
                   "Ended grant", GrantEndedJson);
}

int EntryRevoke(Context& ctx) {
  return IdCommand(
      ctx, "entry revoke DISCLOSURE\n\nRevokes a disclosure your actor made: the receiving "
      "actor's reads under it\nstop at once, and its copy of the entry key is deleted unless "
      "another\ndisclosure still covers it.  Logged as entry.revoke.  Example:\n"
      "  sspf-tool entry revoke 9a4ce0",
      "disclosure id", [](Session& s, const std::string& id) { return s.RevokeDisclosure(id); },
      "Revoked disclosure", DisclosureRevokedJson);
}

}  // namespace

void RegisterConsentEntryCommands() {
  RegisterCommand({"consent grant", "record a party's consent", ConsentGrant});
  RegisterCommand({"consent withdraw", "record a withdrawal of consent", ConsentWithdraw});
  RegisterCommand({"consent confirm", "record your actor's own reference to a consent",
                   ConsentConfirm});
  RegisterCommand({"consent list", "list the consents of a case", ConsentList});
  RegisterCommand({"entry add", "add an entry (body from --file or stdin)", EntryAdd});
  RegisterCommand({"entry list", "list the entries of a case you may read", EntryList});
  RegisterCommand({"entry read", "read an entry", EntryRead});
  RegisterCommand({"purposes", "list the purpose codes a read may state", Purposes});
  RegisterCommand({"note erase", "erase a purpose note's text (author or coordinator)",
                   NoteErase});
  RegisterCommand({"entry disclose", "disclose an entry to another actor", EntryDisclose});
  RegisterCommand({"grant emergency", "time-limited legal-basis access to a case",
                   GrantEmergency});
  RegisterCommand({"grant end", "end an emergency grant early", GrantEnd});
  RegisterCommand({"entry revoke", "revoke a disclosure your actor made", EntryRevoke});
}

}  // namespace sspf::cli
