// The log extract (loggutdrag) for a youth and the family: every logged
// access to the subject's data in plain Swedish or English (DESIGN §6,
// sspf/report.h).  Everything is read from the subject's own events: the
// order of guardians (subject.add), who consented (consent.grant), the
// provision of a grant (grant.emergency) and the actor of an entry
// (entry.add).  Those details are used here and never returned.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "audit/audit_internal.h"
#include "audit/review_internal.h"
#include "log/replay_detail.h"
#include "sspf/report.h"
#include "storage/principals_table.h"
#include "util/civil_time.h"

namespace sspf {

using internal::Db;
using internal::audit::ForEachSubjectEvent;

namespace {

bool Sv(ReportLanguage l) { return l == ReportLanguage::kSwedish; }

// The value of key in a replay detail ("k=v k=v ..."), or "".
std::string DetailValue(std::string_view detail, std::string_view key) {
  size_t pos = 0;
  while (pos < detail.size()) {
    size_t end = detail.find(' ', pos);
    if (end == std::string_view::npos) end = detail.size();
    std::string_view pair = detail.substr(pos, end - pos);
    if (pair.size() > key.size() && pair.substr(0, key.size()) == key &&
        pair[key.size()] == '=') {
      return std::string(pair.substr(key.size() + 1));
    }
    pos = end + 1;
  }
  return {};
}

// The actor as a name ("Polisen") and as it reads after "från"/"from"
// ("polisen", "the police").
struct ActorWords {
  const char* name;
  const char* after;
};
ActorWords WordsOf(Actor a, ReportLanguage l) {
  const bool sv = Sv(l);
  switch (a) {
    case Actor::kSchool: return sv ? ActorWords{"Skolan", "skolan"}
                                   : ActorWords{"School", "the school"};
    case Actor::kSocial: return sv ? ActorWords{"Socialtjänsten", "socialtjänsten"}
                                   : ActorWords{"Social services", "social services"};
    case Actor::kPolice: return sv ? ActorWords{"Polisen", "polisen"}
                                   : ActorWords{"Police", "the police"};
    case Actor::kLeisure: return sv ? ActorWords{"Fritid", "fritid"}
                                    : ActorWords{"Leisure", "leisure services"};
    case Actor::kCoordination:
      return sv ? ActorWords{"Samordningen", "samordningen"}
                : ActorWords{"Coordination", "SSPF coordination"};
  }
  return sv ? ActorWords{"Okänd organisation", "okänd organisation"}
            : ActorWords{"Unknown organisation", "an unknown organisation"};
}

// What an action did, in the past tense and after "försökte"/"tried to".
struct Phrase {
  const char* sv_past;
  const char* sv_inf;
  const char* en_past;
  const char* en_inf;
};
std::optional<Phrase> PhraseOf(Action a) {
  switch (a) {
    case Action::kSubjectAdd:
      return Phrase{"registrerade den unge", "registrera den unge", "registered the youth",
                    "register the youth"};
    case Action::kSubjectFind:
      return Phrase{"sökte efter den unge med personnumret", "söka efter den unge med personnumret",
                    "looked up the youth by personal identity number",
                    "look up the youth by personal identity number"};
    case Action::kSubjectShow:
      return Phrase{"visade den unges uppgifter", "visa den unges uppgifter",
                    "viewed the youth's details", "view the youth's details"};
    case Action::kCaseOpen:
      return Phrase{"öppnade ett ärende", "öppna ett ärende", "opened a case", "open a case"};
    case Action::kCaseList:
      return Phrase{"listade ärenden", "lista ärenden", "listed cases", "list cases"};
    case Action::kCaseShow:
      return Phrase{"visade ärendet", "visa ärendet", "viewed the case", "view the case"};
    case Action::kCaseClose:
      return Phrase{"avslutade ärendet", "avsluta ärendet", "closed the case", "close the case"};
    case Action::kCaseTeamAdd:
      return Phrase{"lade till en medarbetare i ärendets team",
                    "lägga till en medarbetare i ärendets team",
                    "added a staff member to the case team", "add a staff member to the case team"};
    case Action::kConsentGrant:
      return Phrase{"registrerade ett samtycke", "registrera ett samtycke", "recorded a consent",
                    "record a consent"};
    case Action::kConsentWithdraw:
      return Phrase{"registrerade att ett samtycke återkallades",
                    "registrera att ett samtycke återkallades",
                    "recorded the withdrawal of a consent", "record the withdrawal of a consent"};
    case Action::kConsentList:
      return Phrase{"visade samtyckena", "visa samtyckena", "viewed the consents",
                    "view the consents"};
    case Action::kEntryAdd:
      return Phrase{"skrev en anteckning", "skriva en anteckning", "wrote an entry",
                    "write an entry"};
    case Action::kEntryList:
      return Phrase{"listade ärendets anteckningar", "lista ärendets anteckningar",
                    "listed the case's entries", "list the case's entries"};
    case Action::kEntryRead:
      return Phrase{"läste en anteckning", "läsa en anteckning", "read an entry", "read an entry"};
    case Action::kEntryDisclose:
      return Phrase{"lämnade ut en anteckning", "lämna ut en anteckning", "disclosed an entry",
                    "disclose an entry"};
    case Action::kReasonList:
      return Phrase{"läste motiveringarna i ärendet", "läsa motiveringarna i ärendet",
                    "read the reasons recorded in the case", "read the reasons recorded in the case"};
    case Action::kPurposeNoteList:
      return Phrase{"läste anteckningarna om ändamål i ärendet",
                    "läsa anteckningarna om ändamål i ärendet", "read the case's purpose notes",
                    "read the case's purpose notes"};
    case Action::kPurposeNoteErase:
      return Phrase{"raderade en anteckning om ändamål", "radera en anteckning om ändamål",
                    "erased a purpose note", "erase a purpose note"};
    case Action::kGrantEmergency:
      return Phrase{"fick tillgång till ärendet utan samtycke",
                    "få tillgång till ärendet utan samtycke",
                    "was given access to the case without consent",
                    "be given access to the case without consent"};
    case Action::kAuditQuery:
    case Action::kAuditReview:
      return Phrase{"granskade loggen", "granska loggen", "reviewed the access log",
                    "review the access log"};
    case Action::kAuditExport:
      return Phrase{"exporterade loggen", "exportera loggen", "exported the access log",
                    "export the access log"};
    case Action::kAuditExtract:
      return Phrase{"tog fram ett loggutdrag", "ta fram ett loggutdrag", "produced a log extract",
                    "produce a log extract"};
    case Action::kRetentionRun:
      return Phrase{"gallrade uppgifter", "gallra uppgifter",
                    "erased data under the retention rules", "erase data under the retention rules"};
    default:
      return std::nullopt;
  }
}

// "1, 2 och 3" / "1, 2 and 3" (last separator `last`), or with ", " only.
std::string JoinWords(const std::vector<std::string>& items, const std::string& last) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size() && !last.empty()) ? last : ", ";
    out += items[i];
  }
  return out;
}

// "vårdnadshavare 1, 2 och den unge", "guardians 1 and 2", "the youth".
std::string PartiesText(const std::vector<std::string>& parties, ReportLanguage l) {
  const bool sv = Sv(l);
  std::vector<std::string> numbers;
  bool youth = false;
  for (const std::string& p : parties) {
    if (p == "youth") youth = true;
    else if (p.rfind("guardian:", 0) == 0) numbers.push_back(p.substr(9));
  }
  const std::string conj = sv ? " och " : " and ";
  std::string out;
  if (!numbers.empty()) {
    out = sv ? "vårdnadshavare " : numbers.size() > 1 ? "guardians " : "guardian ";
    out += JoinWords(numbers, youth ? "" : conj);
  }
  if (youth) out += (out.empty() ? "" : conj) + (sv ? "den unge" : "the youth");
  return out;
}

std::string BasisText(const ExtractLine& line, const std::string& raw, ReportLanguage l) {
  const bool sv = Sv(l);
  const std::string& k = line.basis_kind;
  if (k == "consent") {
    std::string parties = PartiesText(line.consent_parties, l);
    std::string out = sv ? "samtycke" : "consent";
    return parties.empty() ? out : out + " (" + parties + ")";
  }
  if (k == "grant") {
    std::string out = sv ? "beslut om tillgång utan samtycke" : "access granted without consent";
    if (!line.provision.empty()) out += (sv ? " med stöd av " : " under ") + line.provision;
    return out;
  }
  if (k == "provision") return (sv ? "lagstöd: " : "legal provision: ") + line.provision;
  if (k == "team") return sv ? "ingår i ärendets team" : "member of the case team";
  if (k == "author-actor") {
    return sv ? "anteckningen är skriven av den egna organisationen"
              : "the entry was written by their own organisation";
  }
  if (k == "role") {
    if (raw == "role:coordinator") return sv ? "behörighet som samordnare" : "role as coordinator";
    if (raw == "role:auditor") return sv ? "behörighet som loggranskare" : "role as log auditor";
    if (raw == "role:admin") return sv ? "behörighet som administratör" : "role as administrator";
  }
  return raw;
}

std::string RefusalText(const std::string& reason, ReportLanguage l) {
  const bool sv = Sv(l);
  auto has = [&](const char* s) { return reason.find(s) != std::string::npos; };
  if (has("expired")) return sv ? "underlaget gäller inte längre" : "the basis is no longer valid";
  if (has("consent")) {
    return sv ? "inget samtycke som gäller och täcker detta"
              : "no consent in force that covers this";
  }
  if (has("not disclosed") || has("disclosure no longer valid")) {
    return sv ? "anteckningen var inte utlämnad till organisationen"
              : "the entry had not been disclosed to their organisation";
  }
  if (has("not on the case team") || has("not on the team")) {
    return sv ? "ingår inte i ärendets team" : "not on the case team";
  }
  return sv ? "saknar behörighet för detta" : "not authorised to do this";
}

std::string FailureText(const std::string& code, ReportLanguage l) {
  const bool sv = Sv(l);
  if (code == "already_exists") return sv ? "fanns redan registrerad" : "already registered";
  if (code == "not_found") return sv ? "hittades inte" : "not found";
  if (code == "failed_precondition") {
    return sv ? "inte möjligt i det läget" : "not possible at that point";
  }
  return sv ? "ett fel inträffade" : "an error occurred";
}

// What the subject's own events say about its guardians, consents, grants
// and entries.
struct Context {
  std::map<std::string, size_t> guardian_number;               // gid -> 1, 2, ...
  std::map<std::string, std::string> consent_party;            // consent id -> party
  struct Grant {
    std::string principal, case_id, provision;
    UnixSeconds until = 0;
  };
  std::map<std::string, Grant> grants;                         // grant id -> grant
  std::map<std::string, Actor> entry_actor;                    // entry id -> author actor

  void Learn(const AuditEvent& e) {
    if (!e.allowed || e.detail.empty() || internal::IsFailureDetail(e.detail)) return;
    switch (e.action) {
      case Action::kSubjectAdd: {
        size_t n = guardian_number.size();
        for (const std::string& g : internal::SplitDetailList(DetailValue(e.detail, "guardians"))) {
          if (!guardian_number.count(g)) guardian_number[g] = ++n;
        }
        break;
      }
      case Action::kConsentGrant: {
        std::string party = DetailValue(e.detail, "party");
        if (party.rfind("guardian:", 0) == 0) {
          auto it = guardian_number.find(party.substr(9));
          party = it == guardian_number.end() ? "guardian:?"
                                              : "guardian:" + std::to_string(it->second);
        }
        consent_party[DetailValue(e.detail, "consent")] = party;
        break;
      }
      case Action::kGrantEmergency: {
        Grant g;
        g.principal = DetailValue(e.detail, "principal");
        g.case_id = DetailValue(e.detail, "case");
        g.until = std::strtoll(DetailValue(e.detail, "until").c_str(), nullptr, 10);
        if (e.basis.rfind("provision:", 0) == 0) g.provision = e.basis.substr(10);
        grants[DetailValue(e.detail, "grant")] = std::move(g);
        break;
      }
      case Action::kEntryAdd:
        if (std::optional<Actor> a = ParseActor(DetailValue(e.detail, "actor"))) {
          entry_actor[DetailValue(e.detail, "entry")] = *a;
        }
        break;
      default:
        break;
    }
  }

  // The provision of the grant that let e's principal into e's case.
  std::string GrantProvision(const AuditEvent& e, const std::string& grant_id) const {
    if (!grant_id.empty()) {
      auto it = grants.find(grant_id);
      return it == grants.end() ? "" : it->second.provision;
    }
    for (const auto& [id, g] : grants) {
      if (g.principal == e.principal_id && g.case_id == e.case_id && e.time <= g.until) {
        return g.provision;
      }
    }
    return {};
  }
};

void SetBasis(const AuditEvent& e, const Context& ctx, ExtractLine* line) {
  const std::string& b = e.basis;
  if (b.rfind("consent:", 0) == 0) {
    line->basis_kind = "consent";
    std::vector<std::string> youth, guardians;
    for (const std::string& id : internal::SplitDetailList(b.substr(8))) {
      auto it = ctx.consent_party.find(id);
      if (it == ctx.consent_party.end()) continue;
      (it->second == "youth" ? youth : guardians).push_back(it->second);
    }
    std::sort(guardians.begin(), guardians.end());
    guardians.erase(std::unique(guardians.begin(), guardians.end()), guardians.end());
    line->consent_parties = guardians;
    if (!youth.empty()) line->consent_parties.push_back("youth");
  } else if (b == "grant" || b.rfind("grant:", 0) == 0 ||
             (e.reason.size() >= 7 && e.reason.compare(e.reason.size() - 7, 7, "(grant)") == 0)) {
    line->basis_kind = "grant";
    line->provision = ctx.GrantProvision(e, b.size() > 6 ? b.substr(6) : "");
  } else if (b.rfind("provision:", 0) == 0) {
    line->basis_kind = "provision";
    line->provision = b.substr(10);
  } else if (b == "team" || b == "author-actor") {
    line->basis_kind = b;
  } else if (b.rfind("role:", 0) == 0) {
    line->basis_kind = "role";
  } else {
    line->basis_kind = "other";
  }
}

std::string PurposeLabel(const std::vector<PurposeCode>& codes, const std::string& code,
                         ReportLanguage l) {
  for (const PurposeCode& c : codes) {
    if (c.code == code) return Sv(l) ? c.label_sv : c.label_en;
  }
  return code;
}

}  // namespace

Result<LogExtract> Session::ExtractSubjectReport(std::string_view subject_id,
                                                 const ExtractOptions& options) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the youth's name", options.youth_name, false));
  if (options.since && options.until && *options.until <= *options.since) {
    return InvalidArgument("the period is empty (until is not after since)");
  }
  const ReportLanguage lang = options.language;
  if (lang != ReportLanguage::kSwedish && lang != ReportLanguage::kEnglish) {
    return InvalidArgument("unknown report language (use sv or en)");
  }
  const bool sv = Sv(lang);
  LogExtract out;
  out.subject_id = std::string(subject_id);
  out.youth_name = options.youth_name;
  out.language = lang;
  Context ctx;
  // Principal id -> certified name (staff only).
  std::unordered_map<std::string, std::string> names;
  bool names_loaded = false;
  std::vector<AuditEvent> events;
  SSPF_RETURN_IF_ERROR(ForEachSubjectEvent(impl, out.subject_id, [&](AuditEvent e) -> Status {
    if (!names_loaded) {  // inside the snapshot, after the extract's event
      SSPF_ASSIGN_OR_RETURN(names, internal::audit::PrincipalNames(impl));
      names_loaded = true;
    }
    ctx.Learn(e);
    events.push_back(std::move(e));
    return Status::Ok();
  }));
  // The extract's own event is the last one: its time is the date of issue.
  out.issued = events.empty() ? impl->Now() : events.back().time;
  out.period_from = options.since.value_or(events.empty() ? out.issued : events.front().time);
  out.period_until = options.until.value_or(out.issued);
  for (AuditEvent& e : events) {
    if (e.time < out.period_from) continue;
    if (options.until ? e.time >= *options.until : e.time > out.period_until) continue;
    ExtractLine line;
    line.seq = e.seq;
    line.time = e.time;
    line.local_time = StockholmTime(e.time, &line.zone);
    line.principal_id = e.principal_id;
    if (auto it = names.find(e.principal_id); it != names.end()) line.principal_name = it->second;
    line.actor = e.actor;
    const ActorWords who = WordsOf(e.actor, lang);
    line.organisation = who.name;
    line.action = e.action;
    const bool failed = internal::IsFailureDetail(e.detail) ||
                        e.reason.find("; failed: ") != std::string::npos;
    line.outcome = !e.allowed ? ExtractOutcome::kDenied
                   : failed   ? ExtractOutcome::kFailed
                              : ExtractOutcome::kAllowed;
    // The purpose code only: a note's id and commitment stay out.
    line.purpose = e.purpose.substr(0, e.purpose.find(' '));
    if (line.outcome == ExtractOutcome::kAllowed) {
      SetBasis(e, ctx, &line);
    } else if (line.outcome == ExtractOutcome::kDenied) {
      line.refusal = e.reason;
    } else {
      std::string code = DetailValue(e.detail, "outcome");
      if (code.empty()) code = e.reason.substr(e.reason.rfind("; failed: ") + 10);
      line.refusal = code;
    }

    std::string text = line.organisation + " (";
    text += line.principal_name.empty()
                ? (sv ? "okänd användare" : "unknown user")
                : (sv ? "användare " : "user ") + line.principal_name;
    text += ") ";
    std::optional<Phrase> p = PhraseOf(e.action);
    std::string what;
    if (p) {
      what = line.outcome == ExtractOutcome::kAllowed ? (sv ? p->sv_past : p->en_past)
                                                      : (sv ? p->sv_inf : p->en_inf);
    } else {
      what = std::string(sv ? "utförde åtgärden " : "performed ") + ActionName(e.action);
      if (line.outcome != ExtractOutcome::kAllowed) {
        what = std::string(sv ? "utföra åtgärden " : "perform ") + ActionName(e.action);
      }
    }
    if (e.action == Action::kEntryRead || e.action == Action::kEntryDisclose) {
      const std::string entry =
          e.target.rfind("entry:", 0) == 0 ? e.target.substr(6) : std::string();
      if (auto it = ctx.entry_actor.find(entry); it != ctx.entry_actor.end()) {
        what += std::string(sv ? " från " : " from ") + WordsOf(it->second, lang).after;
      }
      if (std::optional<Actor> to = ParseActor(DetailValue(e.detail, "to"))) {
        what += std::string(sv ? " till " : " to ") + WordsOf(*to, lang).after;
      }
    }
    if (e.action == Action::kConsentGrant && line.outcome == ExtractOutcome::kAllowed) {
      auto it = ctx.consent_party.find(DetailValue(e.detail, "consent"));
      if (it != ctx.consent_party.end()) {
        what += (sv ? " från " : " from ") + PartiesText({it->second}, lang);
      }
    }
    if (line.outcome != ExtractOutcome::kAllowed) what = (sv ? "försökte " : "tried to ") + what;
    line.what_text = text + what;
    switch (line.outcome) {
      case ExtractOutcome::kAllowed:
        line.basis_label = sv ? "grund" : "basis";
        line.basis_text = BasisText(line, e.basis, lang);
        break;
      case ExtractOutcome::kDenied:
        line.basis_label = sv ? "nekades" : "refused";
        line.basis_text = RefusalText(e.reason, lang);
        break;
      case ExtractOutcome::kFailed:
        line.basis_label = sv ? "genomfördes inte" : "not carried out";
        line.basis_text = FailureText(line.refusal, lang);
        break;
    }
    text = line.local_time + " " + line.zone + " " + line.what_text + " — " + line.basis_label +
           ": " + line.basis_text;
    if (!line.purpose.empty()) {
      line.purpose_text = PurposeLabel(impl->options.purposes, line.purpose, lang);
      text += (sv ? "; ändamål: " : "; purpose: ") + line.purpose_text;
    }
    line.text = std::move(text);
    out.lines.push_back(std::move(line));
  }
  return out;
}

}  // namespace sspf
