// Copyright (c) libsspf authors.
// One file over 700 lines on purpose: Decide is the single access decision
// (DESIGN §3), and its rules and the default legal provisions are read
// together; splitting them would hide a rule from its reviewer.
#include "policy/policy.h"

#include <algorithm>
#include <utility>

#include "sspf/lists.h"
#include "sspf/pnr.h"

namespace sspf {

Status ValidateConsentPolicy(const ConsentPolicy& policy) {
  if (policy.youth_consent_from_age < 0 ||
      policy.youth_consent_from_age > policy.adult_age ||
      policy.adult_age > 150) {
    return InvalidArgument(
        "consent policy: need 0 <= youth_consent_from_age <= adult_age <= 150");
  }
  return Status::Ok();
}

bool PublicAuthorities::IsAuthority(Actor actor) const {
  switch (actor) {
    case Actor::kSchool: return school;
    case Actor::kSocial: return social;
    case Actor::kPolice: return police;
    case Actor::kLeisure: return leisure;
    case Actor::kCoordination: return coordination;
  }
  return false;
}

void PublicAuthorities::Set(Actor actor, bool is_authority) {
  switch (actor) {
    case Actor::kSchool: school = is_authority; return;
    case Actor::kSocial: social = is_authority; return;
    case Actor::kPolice: police = is_authority; return;
    case Actor::kLeisure: leisure = is_authority; return;
    case Actor::kCoordination: coordination = is_authority; return;
  }
}

std::vector<LegalProvision> DefaultLegalProvisions() {
  // DESIGN §14; docs/access-rules.md is checked against this list by
  // tests/unit/policy/provisions_doc_test.cpp.  The durations are the
  // library's policy, not the law's: a disclosure without consent should
  // not stay readable for ever.
  constexpr int64_t kDay = 86400;
  constexpr int64_t kDefault = 90 * kDay, kMax = 365 * kDay;
  const std::vector<Actor> all(std::begin(kAllActors), std::end(kAllActors));
  const std::vector<Actor> not_social = {Actor::kSchool, Actor::kPolice, Actor::kLeisure,
                                         Actor::kCoordination};
  const std::vector<Actor> not_police = {Actor::kSchool, Actor::kSocial, Actor::kLeisure,
                                         Actor::kCoordination};
  const std::vector<ProvisionFlow> any = {{all, all}};
  const std::vector<ProvisionFlow> social_to_police = {{{Actor::kSocial}, {Actor::kPolice}}};
  auto rule = [&](const char* id, const char* citation, const char* summary,
                  const char* source, bool verified, std::vector<ProvisionFlow> directions) {
    LegalProvision p;
    p.id = id;
    p.citation = citation;
    p.summary = summary;
    p.source = source;
    p.verified = verified;
    p.directions = std::move(directions);
    p.default_duration_seconds = kDefault;
    p.max_duration_seconds = kMax;
    return p;
  };
  std::vector<LegalProvision> out;
  out.push_back(rule("osl-12-2", "OSL 12 kap. 2 §",
                     "the protected individual waives secrecy (samtycke); prefer a "
                     "consent record",
                     "secondary source, project review Dec 2026 (DESIGN §14)", true, any));
  out.push_back(rule("osl-10-2", "OSL 10 kap. 2 §",
                     "disclosure necessary for the disclosing authority to carry out "
                     "its own activity",
                     "secondary source, project review Dec 2026 (DESIGN §14)", true, any));
  LegalProvision p15a = rule(
      "osl-10-15a", "OSL 10 kap. 15 a §",
      "an authority to another authority, to prevent, stop, detect or investigate "
      "crime; balancing test (intresseavvägning); some secrecy excluded",
      "prop. 2024/25:180 and press release; in force 2025-12-01; the exclusion "
      "list is unverified",
      true, any);
  p15a.requires_balancing = true;
  p15a.recipient_must_be_authority = true;
  p15a.in_force_from = Date{2025, 12, 1};
  out.push_back(std::move(p15a));
  LegalProvision p18a = rule(
      "osl-10-18a", "OSL 10 kap. 18 a §",
      "social services to the police only, about a person under 21, on special "
      "circumstances (särskilda omständigheter) and a risk of criminal activity",
      "prop. 2011/12:171; Brå", true, social_to_police);
  p18a.subject_age_under = 21;
  out.push_back(std::move(p18a));
  out.push_back(rule("osl-10-18c", "OSL 10 kap. 18 c §",
                     "social services (and health care) to the police, to prevent "
                     "serious violence against a family member",
                     "guidance", true, social_to_police));
  LegalProvision p21 = rule(
      "osl-10-21", "OSL 10 kap. 21 §",
      "suspected offences under BrB 3, 4 or 6 kap. against a person under 18, to "
      "the police (or a prosecutor)",
      "secondary source, project review Dec 2026 (DESIGN §14)", true, {{not_police, {Actor::kPolice}}});
  p21.subject_age_under = 18;
  out.push_back(std::move(p21));
  out.push_back(rule("osl-10-23", "OSL 10 kap. 23 §",
                     "social services (and health care) to the police, suspected crime "
                     "carrying at least one year's imprisonment",
                     "DESIGN §14: partly verified", false, social_to_police));
  LegalProvision p27 = rule(
      "osl-10-27", "OSL 10 kap. 27 §",
      "general clause (generalklausul): to an authority where the interest in "
      "disclosure clearly outweighs the interest secrecy protects; not for all "
      "secrecy (not social services secrecy)",
      "DESIGN §14: detail unverified", false, any);
  p27.requires_balancing = true;
  p27.recipient_must_be_authority = true;
  out.push_back(std::move(p27));
  out.push_back(rule("osl-10-28", "OSL 10 kap. 28 §",
                     "a duty to report laid down in law breaks secrecy: the route of "
                     "a notification of concern (orosanmälan) to social services",
                     "guidance", true, {{not_social, {Actor::kSocial}}}));
  LegalProvision sol = rule(
      "sol-2025-400-report", "Socialtjänstlag (2025:400), anmälningsskyldighet",
      "duty to notify social services of concern for a child (orosanmälan), also "
      "for private activities concerning children; replaces SoL (2001:453) 14 kap. "
      "1 § from 2025-07-01, widened 2026-01-15",
      "DESIGN §14: the chapter and section number are unverified", false,
      {{not_social, {Actor::kSocial}}});
  sol.requires_public_authority = false;
  out.push_back(std::move(sol));
  out.push_back(rule("information-duty-police",
                     "Lag om uppgiftsskyldighet till brottsbekämpande myndigheter",
                     "municipalities and schools give information to the police on "
                     "request and on their own initiative",
                     "prop. 2024/25:65; the SFS number and the date in force are "
                     "unverified",
                     false, {{not_police, {Actor::kPolice}}}));
  return out;
}

const LegalProvision* FindLegalProvision(const std::vector<LegalProvision>& provisions,
                                         std::string_view name) {
  for (const LegalProvision& p : provisions) {
    if (p.id == name || p.citation == name) return &p;
  }
  return nullptr;
}

Status ValidateLegalProvisions(const std::vector<LegalProvision>& provisions) {
  for (size_t i = 0; i < provisions.size(); ++i) {
    const LegalProvision& p = provisions[i];
    const std::string what = "legal provision '" + p.id + "': ";
    if (p.id.empty() || p.citation.empty() || p.summary.empty()) {
      return InvalidArgument("legal provision " + std::to_string(i) +
                             ": needs an id, a citation and a summary");
    }
    for (size_t j = 0; j < i; ++j) {
      if (provisions[j].id == p.id || provisions[j].citation == p.citation ||
          provisions[j].id == p.citation || provisions[j].citation == p.id) {
        return InvalidArgument(what + "id or citation used twice");
      }
    }
    if (p.default_duration_seconds < 0 || p.max_duration_seconds < 0) {
      return InvalidArgument(what + "durations must not be negative");
    }
    if (p.subject_min_age < 0 || p.subject_min_age > 150 || p.subject_age_under < 0 ||
        p.subject_age_under > 150 ||
        (p.subject_age_under > 0 && p.subject_age_under <= p.subject_min_age)) {
      return InvalidArgument(what + "need 0 <= min age < age under <= 150");
    }
    if (p.in_force_from && !IsValidDate(*p.in_force_from)) {
      return InvalidArgument(what + "the date in force is not a real date");
    }
  }
  return Status::Ok();
}

namespace internal {
namespace {

Decision Allow(std::string basis, std::string reason, bool flag = false) {
  Decision d;
  d.allowed = true;
  d.code = StatusCode::kOk;
  d.basis = std::move(basis);
  d.reason = std::move(reason);
  d.flag_for_review = flag;
  return d;
}

Decision Deny(std::string reason,
              StatusCode code = StatusCode::kPermissionDenied) {
  Decision d;
  d.allowed = false;
  d.code = code;
  d.reason = std::move(reason);
  return d;
}

bool IsAdminOperation(Operation op) {
  return op == Operation::kManagePrincipals || op == Operation::kManageKeys ||
         op == Operation::kRetention;
}

std::string ScopeText(Actor from, Actor to, Category c) {
  return std::string(ActorName(from)) + " -> " + ActorName(to) +
         " for category " + CategoryName(c);
}

// Team membership is the normal gate; an emergency grant replaces it but is
// legal-basis access, hence flagged.
std::optional<Decision> CaseAccess(const AccessRequest& r,
                                   std::string* basis, bool* flag) {
  if (r.on_case_team) {
    *basis = "team";
    *flag = false;
    return std::nullopt;
  }
  if (r.has_active_grant) {
    *basis = "grant";
    *flag = true;
    return std::nullopt;
  }
  return Deny("not on the case team and no active legal-basis grant");
}

struct BasisCheck {
  bool valid = false;
  std::string basis;
  bool flag = false;
  std::string reason;
  StatusCode code = StatusCode::kPermissionDenied;
};

BasisCheck CheckBasis(const BasisState& b, Actor from, Actor to, Category c) {
  BasisCheck out;
  auto consent_failure = [&](std::string generic) {
    out.code = StatusCode::kConsentRequired;
    out.reason = b.detail.empty() ? std::move(generic) : b.detail;
  };
  switch (b.kind) {
    case BasisKind::kConsentInForce:
      if (!b.scope || b.scope->from != from || b.scope->to != to ||
          b.scope->category != c) {
        out.code = StatusCode::kConsentRequired;
        out.reason = "consent does not cover " + ScopeText(from, to, c);
        return out;
      }
      if (b.id.empty()) {
        out.reason = "consent basis without a consent id";
        return out;
      }
      out.valid = true;
      out.basis = "consent:" + b.id;
      return out;
    case BasisKind::kConsentMissing:
      consent_failure("no consent in force from all required parties");
      return out;
    case BasisKind::kConsentWithdrawn:
      consent_failure("consent " + b.id + " withdrawn");
      return out;
    case BasisKind::kConsentExpired:
      consent_failure("consent " + b.id + " expired");
      return out;
    case BasisKind::kConsentNotCovering:
      consent_failure("consent does not cover " + ScopeText(from, to, c));
      return out;
    case BasisKind::kLegalProvision:
      if (b.provision.empty() ||
          (!b.reason_recorded &&
           (!b.rule || b.rule->requires_reason || b.rule->requires_balancing))) {
        out.reason = "legal provision recorded without provision or reason";
        return out;
      }
      out.valid = true;
      out.basis = "provision:" + b.provision;
      out.flag = true;
      return out;
    case BasisKind::kProvisionExpired:
      out.reason = "legal provision disclosure " + b.id + " expired";
      return out;
    case BasisKind::kGrantActive:
      if (b.id.empty()) {
        out.reason = "grant basis without a grant id";
        return out;
      }
      out.valid = true;
      out.basis = "grant:" + b.id;
      out.flag = true;
      return out;
    case BasisKind::kGrantExpired:
      out.reason = b.detail.empty() ? "legal-basis grant " + b.id + " expired" : b.detail;
      return out;
    case BasisKind::kDisclosureRevoked:
      out.reason = "disclosure " + b.id + " revoked by the disclosing actor";
      return out;
    case BasisKind::kNone:
      break;
  }
  consent_failure("no consent in force and no legal provision recorded");
  return out;
}

bool Contains(const std::vector<Actor>& actors, Actor a) {
  return std::find(actors.begin(), actors.end(), a) != actors.end();
}

// What a provision rule can never cover (DESIGN §4): the person's secrecy
// assessment is theirs, but a direction, an age, a discloser or a duration
// the rule does not allow is refused, naming the rule.  `from` is the
// disclosing actor; none for an emergency grant, where the principal's own
// actor is the receiver.
std::optional<Decision> CheckProvisionRule(const AccessRequest& r, const BasisState& b,
                                           std::optional<Actor> from, Actor to) {
  if (!b.rule) {
    return Deny("the provision named is not a configured legal provision");
  }
  const LegalProvision& p = *b.rule;
  const std::string& name = p.citation;
  if (p.in_force_from && r.today < *p.in_force_from) {
    return Deny(name + " is in force only from " + FormatDate(*p.in_force_from));
  }
  if (p.requires_public_authority && !r.actor_is_authority) {
    return Deny(name + " applies only to a public authority (myndighet); " +
                ActorName(r.actor) + " is configured as not one");
  }
  bool direction = false;
  for (const ProvisionFlow& f : p.directions) {
    if ((!from || Contains(f.from, *from)) && Contains(f.to, to)) direction = true;
  }
  if (!direction) {
    return Deny(from ? name + " does not allow " + ActorName(*from) + " -> " + ActorName(to)
                     : name + " does not allow disclosure to " + std::string(ActorName(to)));
  }
  const bool recipient_authority = from ? r.recipient_is_authority : r.actor_is_authority;
  if (p.recipient_must_be_authority && !recipient_authority) {
    return Deny(name + " allows disclosure only to a public authority; " + ActorName(to) +
                " is configured as not one");
  }
  if (p.subject_min_age > 0 || p.subject_age_under > 0) {
    if (!r.subject_age) return Deny(name + " has age limits and the youth's age is unknown");
    if (*r.subject_age < p.subject_min_age) {
      return Deny(name + " applies only from age " + std::to_string(p.subject_min_age));
    }
    if (p.subject_age_under > 0 && *r.subject_age >= p.subject_age_under) {
      return Deny(name + " applies only to a person under " +
                  std::to_string(p.subject_age_under));
    }
  }
  if (!b.reason_recorded && p.requires_balancing) {
    return Deny(name + " needs a recorded balancing test (intresseavvägning) as the reason");
  }
  if (!b.reason_recorded && p.requires_reason) {
    return Deny(name + " needs a recorded reason (motivering)");
  }
  if (p.max_duration_seconds > 0 &&
      (!b.duration_seconds || *b.duration_seconds > p.max_duration_seconds)) {
    return Deny(name + " allows at most " + std::to_string(p.max_duration_seconds / 86400) +
                " days (" + std::to_string(p.max_duration_seconds) + " s)");
  }
  return std::nullopt;
}

Decision DecideReadEntry(const AccessRequest& r, const std::string& access,
                         bool access_flag) {
  if (!r.entry_author_actor || !r.category) {
    return Deny("request lacks the entry's author actor or category");
  }
  const Actor author = *r.entry_author_actor;
  if (author == r.actor) {
    // Under a grant, the grant is what let the principal in: it is the
    // basis the log records (and the review flags).
    return Allow(access_flag ? access : "author-actor",
                 "entry written by the principal's actor (" + access + ")", access_flag);
  }
  if (r.disclosures.empty()) {
    return Deny(std::string("entry not disclosed to ") + ActorName(r.actor));
  }
  std::optional<BasisCheck> first_failure;
  for (const BasisState& b : r.disclosures) {
    BasisCheck check = CheckBasis(b, author, r.actor, *r.category);
    if (check.valid) {
      return Allow(check.basis, "disclosed to the principal's actor (" +
                                    access + ")",
                   check.flag || access_flag);
    }
    if (!first_failure) first_failure = std::move(check);
  }
  return Deny("disclosure no longer valid: " + first_failure->reason,
              first_failure->code);
}

Decision DecideDisclose(const AccessRequest& r, bool access_flag) {
  if (!r.entry_author_actor || !r.category || !r.disclose_to) {
    return Deny("request lacks the entry's author actor, category or "
                "receiving actor");
  }
  const Actor author = *r.entry_author_actor;
  if (author != r.actor) return Deny("not the author actor");
  if (*r.disclose_to == author) {
    return Deny("entry already belongs to the receiving actor");
  }
  if (r.basis.kind == BasisKind::kLegalProvision) {
    if (auto denied = CheckProvisionRule(r, r.basis, author, *r.disclose_to)) return *denied;
  }
  BasisCheck check = CheckBasis(r.basis, author, *r.disclose_to, *r.category);
  if (!check.valid) return Deny(check.reason, check.code);
  return Allow(check.basis, "author actor discloses on a valid basis",
               check.flag || access_flag);
}

}  // namespace

const char* OperationName(Operation op) {
  switch (op) {
    case Operation::kFindSubject: return "find_subject";
    case Operation::kAddSubject: return "add_subject";
    case Operation::kOpenCase: return "open_case";
    case Operation::kListCases: return "list_cases";
    case Operation::kShowCase: return "show_case";
    case Operation::kCloseCase: return "close_case";
    case Operation::kManageTeam: return "manage_team";
    case Operation::kGrantConsent: return "grant_consent";
    case Operation::kWithdrawConsent: return "withdraw_consent";
    case Operation::kListConsent: return "list_consent";
    case Operation::kCreateEntry: return "create_entry";
    case Operation::kListEntries: return "list_entries";
    case Operation::kReadEntry: return "read_entry";
    case Operation::kDiscloseEntry: return "disclose_entry";
    case Operation::kEmergencyGrant: return "emergency_grant";
    case Operation::kAuditRead: return "audit_read";
    case Operation::kManagePrincipals: return "manage_principals";
    case Operation::kManageKeys: return "manage_keys";
    case Operation::kRetention: return "retention";
    case Operation::kUnlock: return "unlock";
    case Operation::kChangeOwnCredential: return "change_own_credential";
    case Operation::kListPrincipals: return "list_principals";
    case Operation::kDeliverActorKeys: return "deliver_actor_keys";
    case Operation::kRewrapEntryKeys: return "rewrap_entry_keys";
    case Operation::kReopenCase: return "reopen_case";
    case Operation::kRevokeDisclosure: return "revoke_disclosure";
    case Operation::kEndGrant: return "end_grant";
    case Operation::kChangeCustody: return "change_custody";
    case Operation::kConfirmConsent: return "confirm_consent";
    case Operation::kListSubjects: return "list_subjects";
    case Operation::kListStaff: return "list_staff";
  }
  return "unknown";
}

const char* BasisKindName(BasisKind kind) {
  switch (kind) {
    case BasisKind::kNone: return "none";
    case BasisKind::kConsentInForce: return "consent_in_force";
    case BasisKind::kConsentMissing: return "consent_missing";
    case BasisKind::kConsentWithdrawn: return "consent_withdrawn";
    case BasisKind::kConsentExpired: return "consent_expired";
    case BasisKind::kConsentNotCovering: return "consent_not_covering";
    case BasisKind::kLegalProvision: return "legal_provision";
    case BasisKind::kProvisionExpired: return "provision_expired";
    case BasisKind::kGrantActive: return "grant_active";
    case BasisKind::kGrantExpired: return "grant_expired";
    case BasisKind::kDisclosureRevoked: return "disclosure_revoked";
  }
  return "unknown";
}

Decision Decide(const AccessRequest& r) {
  if (!r.principal_active) return Deny("principal disabled");

  // What a principal does as itself, whatever its role.
  switch (r.op) {
    case Operation::kUnlock:
      return Allow("self", "unlocked");
    case Operation::kChangeOwnCredential:
      return Allow("self", "own credential changed");
    case Operation::kListPrincipals:
      if (r.role == Role::kAdmin) {
        return Allow("role:admin", "admin manages principals, keys, retention");
      }
      if (r.role == Role::kAuditor) {
        return Allow("role:auditor", "auditors may list principals to read the log");
      }
      return Deny("only roles admin and auditor list principals");
    case Operation::kListStaff:
      // Who may be put on a case team: names, actors and roles of active
      // staff, no history (docs/access-rules.md).
      if (r.role == Role::kCoordinator) {
        return Allow("role:coordinator", "coordinator lists the active staff to build a team");
      }
      if (r.role == Role::kAdmin) {
        return Allow("role:admin", "admin manages principals, keys, retention");
      }
      return Deny("only coordinators and admins list the staff");
    case Operation::kDeliverActorKeys:
      if (r.role == Role::kMember || r.role == Role::kCoordinator) {
        return Allow("actor-member", "actor key delivered to a member of the same actor");
      }
      return Deny("only members and coordinators hold actor keys");
    case Operation::kRewrapEntryKeys:
      if (r.role == Role::kMember || r.role == Role::kCoordinator) {
        return Allow("actor-member", "a member re-seals its own actor's entry keys");
      }
      return Deny("only members and coordinators re-seal their actor's entry keys");
    default:
      break;
  }

  switch (r.role) {
    case Role::kAuditor:
      if (r.op == Operation::kAuditRead) {
        return Allow("role:auditor", "auditor reads the access log");
      }
      if (IsAdminOperation(r.op)) {
        return Deny("only role admin manages principals, keys and retention");
      }
      return Deny("role auditor never sees case content");
    case Role::kAdmin:
      if (IsAdminOperation(r.op)) {
        return Allow("role:admin", "admin manages principals, keys, retention");
      }
      if (r.op == Operation::kAuditRead) {
        return Deny("only role auditor reads the access log");
      }
      return Deny("role admin never sees case content");
    case Role::kMember:
    case Role::kCoordinator:
      break;
    default:
      return Deny("unknown role");
  }
  if (r.op == Operation::kAuditRead) {
    return Deny("only role auditor reads the access log");
  }
  if (IsAdminOperation(r.op)) {
    return Deny("only role admin manages principals, keys and retention");
  }

  const bool coordinator = r.role == Role::kCoordinator;
  std::string access;
  bool access_flag = false;
  switch (r.op) {
    case Operation::kFindSubject:
      if (coordinator) {
        return Allow("role:coordinator", "coordinator may look up subjects");
      }
      if (r.on_case_team) {
        return Allow("team", "on the team of a case of this subject");
      }
      if (r.has_active_grant) {
        return Allow("grant", "active legal-basis grant for a case of this "
                              "subject",
                     true);
      }
      return Deny("not on the team of any case of this subject");
    case Operation::kListSubjects:
      // Every youth's identity at once: only the coordinator, who registers
      // them and opens their cases (docs/access-rules.md).
      if (coordinator) {
        return Allow("role:coordinator", "coordinator lists and searches the subjects");
      }
      return Deny("only a coordinator lists subjects (members use subject find or show)");
    case Operation::kAddSubject:
      if (coordinator) return Allow("role:coordinator", "coordinator");
      return Deny("only a coordinator adds subjects");
    case Operation::kChangeCustody:
      // Custody decides who must consent (DESIGN §3): recorded by whoever
      // registers the youth and its guardians.
      if (coordinator) return Allow("role:coordinator", "coordinator records custody");
      return Deny("only a coordinator records a guardian's custody");
    case Operation::kOpenCase:
      if (coordinator) return Allow("role:coordinator", "coordinator");
      return Deny("only a coordinator opens cases");
    case Operation::kListCases: {
      if (coordinator) {
        return Allow("role:coordinator", "coordinator lists all cases");
      }
      Decision d = Allow("team", "member lists own team's and granted cases");
      d.restrict_rows = true;
      return d;
    }
    case Operation::kCloseCase:
    case Operation::kReopenCase:
    case Operation::kManageTeam:
      if (!coordinator) {
        return Deny("only a coordinator closes or reopens cases and manages the team");
      }
      if (!r.on_case_team) return Deny("not on the case team");
      return Allow("team", "coordinator on the case team");
    case Operation::kGrantConsent:
    case Operation::kWithdrawConsent:
    case Operation::kConfirmConsent:
      if (!r.on_case_team) return Deny("not on the case team");
      return Allow("team", "consent recorded by a case team member");
    case Operation::kShowCase:
      // Consistent with kListCases: a coordinator sees every case's
      // metadata and team, never its content.
      if (coordinator) {
        return Allow("role:coordinator", "coordinator sees case metadata");
      }
      [[fallthrough]];
    case Operation::kListConsent:
    case Operation::kListEntries: {
      if (auto denied = CaseAccess(r, &access, &access_flag)) return *denied;
      Decision d = Allow(access, "case access", access_flag);
      d.restrict_rows = r.op == Operation::kListEntries;
      return d;
    }
    case Operation::kCreateEntry:
      if (auto denied = CaseAccess(r, &access, &access_flag)) return *denied;
      if (!r.category) return Deny("request lacks the entry category");
    {
      // Plan and meeting entries: the coordination actor or a coordinator;
      // besides them an action's status, by a team member of the action's
      // owner actor (its named principal, when it names one).
      const bool plan = *r.category == Category::kPlan || *r.category == Category::kMeeting;
      const bool plan_writer = r.actor == Actor::kCoordination || coordinator;
      const bool owner_status = *r.category == Category::kPlan && r.status_of_action &&
                                r.on_case_team && r.status_of_action->actor == r.actor &&
                                !r.status_of_action->other_principal_named;
      if (plan && !plan_writer && !owner_status) {
        return Deny("plan and meeting entries are written by the "
                    "coordination actor or a coordinator (an action's status also by a "
                    "team member of its owner actor, or its named principal)");
      }
      if (r.superseded_author_actor && *r.superseded_author_actor != r.actor) {
        return Deny(std::string("a correction supersedes only an entry of the principal's "
                                "own actor; the entry is by ") +
                    ActorName(*r.superseded_author_actor));
      }
      if (plan && !plan_writer) {
        return Allow("action-owner", "a team member of the owner actor marks its action done");
      }
      return Allow(access, "writes an entry as its author actor", access_flag);
    }
    case Operation::kReadEntry:
      if (auto denied = CaseAccess(r, &access, &access_flag)) return *denied;
      return DecideReadEntry(r, access, access_flag);
    case Operation::kDiscloseEntry:
      if (auto denied = CaseAccess(r, &access, &access_flag)) return *denied;
      return DecideDisclose(r, access_flag);
    case Operation::kRevokeDisclosure:
      if (auto denied = CaseAccess(r, &access, &access_flag)) return *denied;
      if (!r.entry_author_actor) return Deny("request lacks the entry's author actor");
      if (*r.entry_author_actor != r.actor) {
        return Deny("only the disclosing actor revokes a disclosure");
      }
      return Allow(access, "the disclosing actor revokes its disclosure", access_flag);
    case Operation::kEndGrant:
      if (r.own_grant) return Allow("grant-holder", "the holder ends its own grant");
      if (coordinator && r.on_case_team) {
        return Allow("team", "coordinator on the case team ends a grant");
      }
      return Deny("only the grant's holder or a coordinator on the case team ends a grant");
    case Operation::kEmergencyGrant:
      if (r.basis.kind != BasisKind::kLegalProvision ||
          r.basis.provision.empty() || !r.basis.reason_recorded) {
        return Deny("emergency grant needs a legal provision and a reason");
      }
      if (auto denied = CheckProvisionRule(r, r.basis, std::nullopt, r.actor)) {
        return *denied;
      }
      return Allow("provision:" + r.basis.rule->citation,
                   "legal-basis grant recorded", true);
    default:
      break;
  }
  return Deny("operation not permitted");
}

ConsentEvaluation EvaluateConsent(const ConsentPolicy& policy,
                                  Date subject_birth,
                                  const std::vector<std::string>& guardian_ids,
                                  const std::vector<ConsentRecord>& records,
                                  UnixSeconds now, Date today, Actor from,
                                  Actor to, Category c) {
  ConsentEvaluation out;
  if (!ValidateConsentPolicy(policy).ok()) {
    out.reason = "invalid consent policy";
    return out;
  }
  const int age = AgeOn(subject_birth, today);
  const bool guardians_required = age < policy.adult_age;
  const bool youth_required = age >= policy.youth_consent_from_age;

  // Ranked so that the most informative failure of a party is reported:
  // a withdrawal matters more than an expiry, which matters more than a
  // record that never covered the request.
  enum Rank { kNoRecord = 0, kNotCovering, kNotYetValid, kExpired, kWithdrawn };
  std::vector<std::string> failures;
  BasisKind first_failure = BasisKind::kConsentMissing;

  auto check_party = [&](bool youth, const std::string& guardian_id,
                         std::string missing_text) {
    Rank worst = kNoRecord;
    const ConsentRecord* worst_record = nullptr;
    for (const ConsentRecord& rec : records) {
      if (rec.party_is_youth != youth) continue;
      if (!youth && rec.guardian_id != guardian_id) continue;
      const bool covers =
          std::count(rec.actors.begin(), rec.actors.end(), from) > 0 &&
          std::count(rec.actors.begin(), rec.actors.end(), to) > 0 &&
          std::count(rec.categories.begin(), rec.categories.end(), c) > 0;
      Rank rank;
      if (!covers) {
        rank = kNotCovering;
      } else if (rec.withdrawn_at) {
        rank = kWithdrawn;
      } else if (rec.valid_until < today) {
        rank = kExpired;
      } else if (now < rec.valid_from) {
        rank = kNotYetValid;
      } else {
        out.consent_ids.push_back(rec.id);
        return;
      }
      if (worst_record == nullptr || rank > worst) {
        worst = rank;
        worst_record = &rec;
      }
    }
    BasisKind kind = BasisKind::kConsentMissing;
    std::string text;
    switch (worst) {
      case kNoRecord:
        text = std::move(missing_text);
        break;
      case kNotCovering:
        kind = BasisKind::kConsentNotCovering;
        text = "consent " + worst_record->id + " does not cover " +
               ScopeText(from, to, c);
        break;
      case kNotYetValid:
        kind = BasisKind::kConsentExpired;
        text = "consent " + worst_record->id + " not yet valid";
        break;
      case kExpired:
        kind = BasisKind::kConsentExpired;
        text = "consent " + worst_record->id + " expired";
        break;
      case kWithdrawn:
        kind = BasisKind::kConsentWithdrawn;
        text = "consent " + worst_record->id + " withdrawn";
        break;
    }
    if (failures.empty()) first_failure = kind;
    failures.push_back(std::move(text));
  };

  if (guardians_required) {
    if (guardian_ids.empty()) {
      failures.push_back(
          "no guardian with custody registered; guardian consent required "
          "under age " + std::to_string(policy.adult_age));
    }
    for (const std::string& g : guardian_ids) {
      check_party(false, g, "guardian " + g + " has not consented");
    }
  }
  if (youth_required) {
    check_party(true, "",
                guardians_required
                    ? "youth's own consent required from age " +
                          std::to_string(policy.youth_consent_from_age)
                    : "youth's own consent required (age " +
                          std::to_string(policy.adult_age) + " or over)");
  }

  if (!failures.empty()) {
    out.consent_ids.clear();
    out.failure = first_failure;
    for (size_t i = 0; i < failures.size(); ++i) {
      if (i > 0) out.reason += "; ";
      out.reason += failures[i];
    }
    return out;
  }
  out.in_force = true;
  return out;
}

BasisState ConsentBasis(const ConsentEvaluation& evaluation, Actor from,
                        Actor to, Category c) {
  BasisState b;
  b.scope = ConsentScope{from, to, c};
  if (evaluation.in_force) {
    b.kind = BasisKind::kConsentInForce;
    b.id = JoinList(evaluation.consent_ids);
    return b;
  }
  b.kind = evaluation.failure;
  b.detail = evaluation.reason;
  return b;
}

}  // namespace internal
}  // namespace sspf
