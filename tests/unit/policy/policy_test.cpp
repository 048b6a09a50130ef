// Longer than 600 lines on purpose: the declarative decision table and the
// exhaustive loop over it belong in one file, so a rule and its row are read together.
// Copyright (c) libsspf authors.
//
// The access decision is checked against a declarative table (kTable): each
// row is a set of conditions and the expected outcome; the first row that
// matches a combination gives its expected result.  The loop below runs
// every combination of operation x principal state x actor x role x
// category x team membership x grant x basis state (x author actor x
// receiving actor for entry reads and disclosures) and compares Decide with
// the table.
#include <cstdint>
#include <string>
#include <vector>

#include "catch.h"
#include "policy/policy.h"

namespace sspf {
namespace internal {
namespace {

using Mask = uint64_t;
constexpr Mask kAny = ~Mask{0};
template <typename E>
constexpr Mask Bit(E e) {
  return Mask{1} << static_cast<int>(e);
}
template <typename E, typename... Rest>
constexpr Mask Bits(E e, Rest... rest) {
  return (Bit(e) | ... | Bit(rest));
}

// The basis situations the loop tries, each built for the entry's real
// (author -> receiver, category) unless the name says otherwise.
enum class Basis {
  kNone,
  kConsentInForce,
  kConsentWrongScope,  // "in force" but evaluated for another triple
  kConsentMissing,
  kConsentWithdrawn,
  kConsentExpired,
  kConsentNotCovering,
  // Provision bases: the rule of OSL 10 kap. 18 a § (social -> police, under
  // 21) unless the name says otherwise; the youth is 16, the disclosure lasts
  // 30 days.
  kProvision,
  kProvisionNoReason,
  kProvisionExpired,
  kProvisionUnknown,             // a provision no configured rule names
  kProvisionTooOld,              // the youth is 22
  kProvisionTooLong,             // 366 days, past the 365-day maximum
  kProvisionBetweenAuthorities,  // 15 a §: any -> an authority, balancing
  kProvisionBalancingNoReason,   // 15 a § without the balancing recorded
  kProvisionNotInForce,          // 15 a §, in force only from 2027-01-01
  kProvisionReportingDuty,       // Socialtjänstlag: not an OSL rule
  kGrantActive,
  kGrantExpired,
  kGrantEnded,         // ended early (grant end): expired, with its own reason
  kDisclosureRevoked,  // the disclosure was revoked (entry revoke)
};
constexpr Basis kAllBases[] = {
    Basis::kNone,              Basis::kConsentInForce,
    Basis::kConsentWrongScope, Basis::kConsentMissing,
    Basis::kConsentWithdrawn,  Basis::kConsentExpired,
    Basis::kConsentNotCovering, Basis::kProvision,
    Basis::kProvisionNoReason, Basis::kProvisionExpired,
    Basis::kProvisionUnknown,  Basis::kProvisionTooOld,
    Basis::kProvisionTooLong,  Basis::kProvisionBetweenAuthorities,
    Basis::kProvisionBalancingNoReason, Basis::kProvisionNotInForce,
    Basis::kProvisionReportingDuty,
    Basis::kGrantActive,       Basis::kGrantExpired,
    Basis::kGrantEnded,        Basis::kDisclosureRevoked};

// Whether the principal's actor (the discloser, or a grant's holder) and the
// receiving actor are public authorities (StoreOptions::public_authorities).
enum class Auth { kBoth, kDiscloserNot, kRecipientNot };
constexpr Auth kAllAuths[] = {Auth::kBoth, Auth::kDiscloserNot, Auth::kRecipientNot};

enum class Tri { kAny, kYes, kNo };
enum class Rel { kAny, kSame, kOther };
// kCreateEntry: whether the new entry supersedes one, and of which actor.
enum class Sup { kAny, kNone, kSame, kOther };
constexpr Sup kAllSups[] = {Sup::kNone, Sup::kSame, Sup::kOther};
// kCreateEntry: whether the new entry is an action's status, and whose
// action it is (AccessRequest::status_of_action).
enum class Marks { kNone, kOwn, kOwnNamedOther, kOther };
constexpr Marks kAllMarks[] = {Marks::kNone, Marks::kOwn, Marks::kOwnNamedOther, Marks::kOther};

using Op = Operation;
constexpr Mask kAdminOps =
    Bits(Op::kManagePrincipals, Op::kManageKeys, Op::kRetention);
constexpr Mask kWorkers = Bits(Role::kMember, Role::kCoordinator);
constexpr Mask kCoord = Bit(Role::kCoordinator);
constexpr Mask kMember = Bit(Role::kMember);
constexpr Mask kNonCoordinationActors =
    Bits(Actor::kSchool, Actor::kSocial, Actor::kPolice, Actor::kLeisure);

struct Row {
  // Conditions.
  Mask ops = kAny;
  Mask roles = kAny;
  Tri active = Tri::kAny;
  Tri team = Tri::kAny;
  Tri grant = Tri::kAny;
  Mask actors = kAny;
  Mask categories = kAny;
  Rel author = Rel::kAny;  // entry author actor vs the principal's actor
  Rel to = Rel::kAny;      // receiving actor vs the author actor
  Mask to_actors = kAny;   // the receiving actor
  Mask auths = kAny;
  Mask bases = kAny;
  Sup supersedes = Sup::kAny;  // kCreateEntry
  Tri own = Tri::kAny;         // kEndGrant: the principal holds the grant
  Mask marks = kAny;           // kCreateEntry: an action's status, of Marks
  // Expected outcome.
  bool allow = false;
  const char* reason = "";       // substring of Decision::reason
  const char* basis = "";        // prefix of Decision::basis when allowed
  Tri flag = Tri::kNo;
  bool consent_code = false;     // denied with kConsentRequired
  Tri restrict = Tri::kNo;
};

Row R() { return Row{}; }
Row Allow(Row r, const char* basis, Tri flag = Tri::kNo,
          Tri restrict = Tri::kNo) {
  r.allow = true;
  r.basis = basis;
  r.flag = flag;
  r.restrict = restrict;
  return r;
}
Row Deny(Row r, const char* reason, bool consent = false) {
  r.allow = false;
  r.reason = reason;
  r.consent_code = consent;
  return r;
}
Row Ops(Mask m) { Row r; r.ops = m; return r; }
Row With(Row r, Mask roles) { r.roles = roles; return r; }
Row Team(Row r, Tri t) { r.team = t; return r; }
Row Grant(Row r, Tri g) { r.grant = g; return r; }
Row Author(Row r, Rel a) { r.author = a; return r; }
Row To(Row r, Rel t) { r.to = t; return r; }
Row Bases(Row r, Mask b) { r.bases = b; return r; }
Row Actors(Row r, Mask a) { r.actors = a; return r; }
Row ToActors(Row r, Mask a) { r.to_actors = a; return r; }
Row Auths(Row r, Mask a) { r.auths = a; return r; }
Row Supersedes(Row r, Sup s) { r.supersedes = s; return r; }
Row Own(Row r, Tri o) { r.own = o; return r; }
Row Marking(Row r, Mask m) { r.marks = m; return r; }
Mask AllBut(Actor a) { return kAny & ~Bit(a); }

// Provision bases by the rule they carry.
constexpr Mask k18aBases = Bits(Basis::kProvision, Basis::kProvisionNoReason,
                                Basis::kProvisionTooOld, Basis::kProvisionTooLong);
constexpr Mask k15aBases =
    Bits(Basis::kProvisionBetweenAuthorities, Basis::kProvisionBalancingNoReason);
// Provision bases with a reason recorded, and every provision basis.
constexpr Mask kReasonedProvisions =
    Bits(Basis::kProvision, Basis::kProvisionUnknown, Basis::kProvisionTooOld,
         Basis::kProvisionTooLong, Basis::kProvisionBetweenAuthorities,
         Basis::kProvisionNotInForce, Basis::kProvisionReportingDuty);
constexpr Mask kProvisionBases =
    kReasonedProvisions | Bits(Basis::kProvisionNoReason, Basis::kProvisionExpired,
                               Basis::kProvisionBalancingNoReason);

constexpr Mask kCaseOps = Bits(Op::kShowCase, Op::kListConsent,
                               Op::kListEntries, Op::kCreateEntry,
                               Op::kReadEntry, Op::kDiscloseEntry,
                               Op::kRevokeDisclosure);

const std::vector<Row>& Table() {
  static const std::vector<Row> table = [] {
    std::vector<Row> t;
    Row disabled;
    disabled.active = Tri::kNo;
    t.push_back(Deny(disabled, "principal disabled"));
    // What a principal does as itself, whatever its role.
    t.push_back(Allow(Ops(Bits(Op::kUnlock, Op::kChangeOwnCredential)), "self"));
    t.push_back(Allow(With(Ops(Bit(Op::kListPrincipals)), Bit(Role::kAdmin)), "role:admin"));
    t.push_back(Allow(With(Ops(Bit(Op::kListPrincipals)), Bit(Role::kAuditor)),
                      "role:auditor"));
    t.push_back(Deny(Ops(Bit(Op::kListPrincipals)), "only roles admin and auditor"));
    // The active staff, to build a case team (issue 14): coordinators and
    // admins; members and auditors are denied.
    t.push_back(Allow(With(Ops(Bit(Op::kListStaff)), kCoord), "role:coordinator"));
    t.push_back(Allow(With(Ops(Bit(Op::kListStaff)), Bit(Role::kAdmin)), "role:admin"));
    t.push_back(Deny(Ops(Bit(Op::kListStaff)), "only coordinators and admins list the staff"));
    t.push_back(Allow(With(Ops(Bit(Op::kDeliverActorKeys)), kWorkers), "actor-member"));
    t.push_back(Deny(Ops(Bit(Op::kDeliverActorKeys)), "only members and coordinators"));
    t.push_back(Allow(With(Ops(Bit(Op::kRewrapEntryKeys)), kWorkers), "actor-member"));
    t.push_back(Deny(Ops(Bit(Op::kRewrapEntryKeys)), "only members and coordinators"));
    // Auditor and admin.
    t.push_back(Allow(With(Ops(Bit(Op::kAuditRead)), Bit(Role::kAuditor)),
                      "role:auditor"));
    t.push_back(Deny(With(Ops(kAdminOps), Bit(Role::kAuditor)),
                     "only role admin"));
    t.push_back(Deny(With(R(), Bit(Role::kAuditor)),
                     "role auditor never sees case content"));
    t.push_back(Allow(With(Ops(kAdminOps), Bit(Role::kAdmin)), "role:admin"));
    t.push_back(Deny(With(Ops(Bit(Op::kAuditRead)), Bit(Role::kAdmin)),
                     "only role auditor"));
    t.push_back(Deny(With(R(), Bit(Role::kAdmin)),
                     "role admin never sees case content"));
    // Member and coordinator.
    t.push_back(Deny(With(Ops(Bit(Op::kAuditRead)), kWorkers),
                     "only role auditor"));
    t.push_back(Deny(With(Ops(kAdminOps), kWorkers), "only role admin"));
    // Every youth's identity at once (subject list): coordinators only,
    // whatever the team (auditors and admins are denied above).
    t.push_back(Allow(With(Ops(Bit(Op::kListSubjects)), kCoord), "role:coordinator"));
    t.push_back(Deny(With(Ops(Bit(Op::kListSubjects)), kMember),
                     "only a coordinator lists subjects"));
    t.push_back(Allow(With(Ops(Bit(Op::kFindSubject)), kCoord),
                      "role:coordinator"));
    t.push_back(Allow(Team(With(Ops(Bit(Op::kFindSubject)), kMember),
                           Tri::kYes), "team"));
    t.push_back(Allow(Grant(With(Ops(Bit(Op::kFindSubject)), kMember),
                            Tri::kYes), "grant", Tri::kYes));
    t.push_back(Deny(With(Ops(Bit(Op::kFindSubject)), kMember),
                     "not on the team of any case"));
    t.push_back(Allow(With(Ops(Bits(Op::kAddSubject, Op::kOpenCase)), kCoord),
                      "role:coordinator"));
    t.push_back(Deny(With(Ops(Bit(Op::kAddSubject)), kMember),
                     "only a coordinator adds subjects"));
    // Custody decides who must consent: a coordinator records it.
    t.push_back(Allow(With(Ops(Bit(Op::kChangeCustody)), kCoord), "role:coordinator"));
    t.push_back(Deny(With(Ops(Bit(Op::kChangeCustody)), kMember),
                     "only a coordinator records a guardian's custody"));
    t.push_back(Deny(With(Ops(Bit(Op::kOpenCase)), kMember),
                     "only a coordinator opens cases"));
    t.push_back(Allow(With(Ops(Bit(Op::kListCases)), kCoord),
                      "role:coordinator"));
    t.push_back(Allow(With(Ops(Bit(Op::kListCases)), kMember), "team",
                      Tri::kNo, Tri::kYes));
    const Mask close_team = Bits(Op::kCloseCase, Op::kReopenCase, Op::kManageTeam);
    t.push_back(Deny(With(Ops(close_team), kMember), "only a coordinator"));
    t.push_back(Allow(Team(With(Ops(close_team), kCoord), Tri::kYes), "team"));
    t.push_back(Deny(With(Ops(close_team), kCoord), "not on the case team"));
    const Mask consent_ops =
        Bits(Op::kGrantConsent, Op::kWithdrawConsent, Op::kConfirmConsent);
    t.push_back(Allow(Team(Ops(consent_ops), Tri::kYes), "team"));
    t.push_back(Deny(Ops(consent_ops), "not on the case team"));
    // An emergency grant: a provision with a reason, whose rule names the
    // holder's actor as a receiver; for an OSL rule the holder's actor must
    // be an authority.
    const Row grant_op = Ops(Bit(Op::kEmergencyGrant));
    t.push_back(Deny(Bases(grant_op, kAny & ~kReasonedProvisions),
                     "needs a legal provision and a reason"));
    t.push_back(Deny(Bases(grant_op, Bit(Basis::kProvisionUnknown)),
                     "not a configured legal provision"));
    t.push_back(Deny(Bases(grant_op, Bit(Basis::kProvisionNotInForce)),
                     "OSL 10 kap. 15 a § is in force only from 2027-01-01"));
    t.push_back(Deny(Auths(Bases(grant_op, k18aBases | k15aBases), Bit(Auth::kDiscloserNot)),
                     "applies only to a public authority"));
    t.push_back(Deny(Actors(Bases(grant_op, k18aBases), AllBut(Actor::kPolice)),
                     "OSL 10 kap. 18 a § does not allow disclosure to"));
    t.push_back(Deny(Actors(Bases(grant_op, Bit(Basis::kProvisionReportingDuty)),
                            AllBut(Actor::kSocial)),
                     "does not allow disclosure to"));
    t.push_back(Deny(Bases(grant_op, Bit(Basis::kProvisionTooOld)),
                     "applies only to a person under 21"));
    t.push_back(Deny(Bases(grant_op, Bit(Basis::kProvisionTooLong)),
                     "allows at most 365 days"));
    t.push_back(Allow(grant_op, "provision:", Tri::kYes));
    // Ending a grant early: its holder, or a coordinator on the case team.
    const Row end_grant = Ops(Bit(Op::kEndGrant));
    t.push_back(Allow(Own(end_grant, Tri::kYes), "grant-holder"));
    t.push_back(Allow(Team(With(end_grant, kCoord), Tri::kYes), "team"));
    t.push_back(Deny(end_grant, "only the grant's holder or a coordinator on the case team"));
    // A coordinator sees every case's metadata (as in the case list), not
    // its content.
    t.push_back(Allow(With(Ops(Bit(Op::kShowCase)), kCoord), "role:coordinator"));
    // Case work needs the team or an active grant.
    t.push_back(Deny(Grant(Team(Ops(kCaseOps), Tri::kNo), Tri::kNo),
                     "not on the case team"));
    const Mask show = Bits(Op::kShowCase, Op::kListConsent);
    t.push_back(Allow(Team(Ops(show), Tri::kYes), "team"));
    t.push_back(Allow(Ops(show), "grant", Tri::kYes));
    t.push_back(Allow(Team(Ops(Bit(Op::kListEntries)), Tri::kYes), "team",
                      Tri::kNo, Tri::kYes));
    t.push_back(Allow(Ops(Bit(Op::kListEntries)), "grant", Tri::kYes,
                      Tri::kYes));
    {
      Row r = With(Ops(Bit(Op::kCreateEntry)), kMember);
      r.actors = kNonCoordinationActors;
      r.categories = Bits(Category::kPlan, Category::kMeeting);
      // An action's status by a team member of its owner actor (and, when
      // the action names a principal, by that principal only): allowed,
      // unless it would supersede another actor's entry.  Another actor's
      // action, a named principal not the caller, a meeting, a grant
      // holder off the team: the plan rule denies.
      Row owner = Team(Marking(r, Bit(Marks::kOwn)), Tri::kYes);
      owner.categories = Bit(Category::kPlan);
      t.push_back(Deny(Supersedes(owner, Sup::kOther),
                       "supersedes only an entry of the principal's own actor"));
      t.push_back(Allow(owner, "action-owner"));
      t.push_back(Deny(r, "plan and meeting entries"));
    }
    // A correction supersedes only an entry of the principal's own actor.
    t.push_back(Deny(Supersedes(Ops(Bit(Op::kCreateEntry)), Sup::kOther),
                     "supersedes only an entry of the principal's own actor"));
    t.push_back(Allow(Team(Ops(Bit(Op::kCreateEntry)), Tri::kYes), "team"));
    t.push_back(Allow(Ops(Bit(Op::kCreateEntry)), "grant", Tri::kYes));
    // Reading an entry.
    const Row read = Ops(Bit(Op::kReadEntry));
    t.push_back(Allow(Team(Author(read, Rel::kSame), Tri::kYes),
                      "author-actor"));
    // Not on the team: the grant let the principal in, and the log says so.
    t.push_back(Allow(Author(read, Rel::kSame), "grant", Tri::kYes));
    t.push_back(Deny(Bases(read, Bit(Basis::kNone)), "entry not disclosed"));
    t.push_back(Allow(Team(Bases(read, Bit(Basis::kConsentInForce)),
                           Tri::kYes), "consent:c1"));
    t.push_back(Allow(Bases(read, Bit(Basis::kConsentInForce)), "consent:c1",
                      Tri::kYes));
    // A provision disclosure is read while it lasts; its rule was applied
    // when it was made.
    t.push_back(Allow(Bases(read, Bit(Basis::kProvision)),
                      "provision:OSL 10 kap. 18 a §", Tri::kYes));
    t.push_back(Allow(Bases(read, kReasonedProvisions), "provision:", Tri::kYes));
    t.push_back(Allow(Bases(read, Bit(Basis::kGrantActive)), "grant:g1",
                      Tri::kYes));
    // Revoking a disclosure: the disclosing (author) actor only.
    const Row revoke = Ops(Bit(Op::kRevokeDisclosure));
    t.push_back(Deny(Author(revoke, Rel::kOther), "only the disclosing actor revokes"));
    t.push_back(Allow(Team(revoke, Tri::kYes), "team"));
    t.push_back(Allow(revoke, "grant", Tri::kYes));
    // Disclosing an entry.
    const Row disclose = Ops(Bit(Op::kDiscloseEntry));
    t.push_back(Deny(Author(disclose, Rel::kOther), "not the author actor"));
    t.push_back(Deny(To(disclose, Rel::kSame), "already belongs"));
    t.push_back(Allow(Team(Bases(disclose, Bit(Basis::kConsentInForce)),
                           Tri::kYes), "consent:c1"));
    t.push_back(Allow(Bases(disclose, Bit(Basis::kConsentInForce)),
                      "consent:c1", Tri::kYes));
    // Under a provision: the rule's checks, in Decide's order.
    t.push_back(Deny(Bases(disclose, Bit(Basis::kProvisionUnknown)),
                     "not a configured legal provision"));
    t.push_back(Deny(Bases(disclose, Bit(Basis::kProvisionNotInForce)),
                     "is in force only from 2027-01-01"));
    t.push_back(Deny(Auths(Bases(disclose, k18aBases | k15aBases), Bit(Auth::kDiscloserNot)),
                     "applies only to a public authority (myndighet)"));
    t.push_back(Deny(Actors(Bases(disclose, k18aBases), AllBut(Actor::kSocial)),
                     "OSL 10 kap. 18 a § does not allow"));
    t.push_back(Deny(ToActors(Bases(disclose, k18aBases), AllBut(Actor::kPolice)),
                     "OSL 10 kap. 18 a § does not allow social -> "));
    const Mask report = Bit(Basis::kProvisionReportingDuty);
    t.push_back(Deny(Actors(Bases(disclose, report), Bit(Actor::kSocial)), "does not allow"));
    t.push_back(Deny(ToActors(Bases(disclose, report), AllBut(Actor::kSocial)),
                     "does not allow"));
    t.push_back(Deny(Auths(Bases(disclose, k15aBases), Bit(Auth::kRecipientNot)),
                     "allows disclosure only to a public authority"));
    t.push_back(Deny(Bases(disclose, Bit(Basis::kProvisionTooOld)),
                     "OSL 10 kap. 18 a § applies only to a person under 21"));
    t.push_back(Deny(Bases(disclose, Bit(Basis::kProvisionBalancingNoReason)),
                     "OSL 10 kap. 15 a § needs a recorded balancing test (intresseavvägning)"));
    t.push_back(Deny(Bases(disclose, Bit(Basis::kProvisionNoReason)),
                     "OSL 10 kap. 18 a § needs a recorded reason"));
    t.push_back(Deny(Bases(disclose, Bit(Basis::kProvisionTooLong)),
                     "OSL 10 kap. 18 a § allows at most 365 days"));
    t.push_back(Allow(Bases(disclose, Bit(Basis::kProvision)),
                      "provision:OSL 10 kap. 18 a §", Tri::kYes));
    t.push_back(Allow(Bases(disclose, kReasonedProvisions), "provision:", Tri::kYes));
    t.push_back(Allow(Bases(disclose, Bit(Basis::kGrantActive)), "grant:g1",
                      Tri::kYes));
    t.push_back(Deny(Bases(disclose, Bit(Basis::kNone)),
                     "no consent in force and no legal provision", true));
    // Invalid bases, for reads of disclosed entries and for disclosures.
    const Row content = Ops(Bits(Op::kReadEntry, Op::kDiscloseEntry));
    t.push_back(Deny(Bases(content, Bits(Basis::kConsentWrongScope,
                                         Basis::kConsentNotCovering)),
                     "does not cover", true));
    t.push_back(Deny(Bases(content, Bit(Basis::kConsentMissing)),
                     "no consent in force from all required parties", true));
    t.push_back(Deny(Bases(content, Bit(Basis::kConsentWithdrawn)),
                     "consent c1 withdrawn", true));
    t.push_back(Deny(Bases(content, Bit(Basis::kConsentExpired)),
                     "consent c1 expired", true));
    t.push_back(Deny(Bases(content, Bits(Basis::kProvisionNoReason,
                                         Basis::kProvisionBalancingNoReason)),
                     "without provision or reason"));
    t.push_back(Deny(Bases(content, Bit(Basis::kProvisionExpired)),
                     "legal provision disclosure p1 expired"));
    t.push_back(Deny(Bases(content, Bit(Basis::kGrantExpired)),
                     "legal-basis grant g1 expired"));
    t.push_back(Deny(Bases(content, Bit(Basis::kGrantEnded)),
                     "legal-basis grant g1 ended early"));
    // A revoked disclosure stops the recipient's reads at once.
    t.push_back(Deny(Bases(content, Bit(Basis::kDisclosureRevoked)),
                     "disclosure d1 revoked by the disclosing actor"));
    return t;
  }();
  return table;
}

bool TriMatches(Tri t, bool v) {
  return t == Tri::kAny || (t == Tri::kYes) == v;
}

struct Combo {
  Op op;
  bool active;
  Actor actor;
  Role role;
  Category category;
  bool team;
  bool grant;
  Actor author;
  Actor to;
  Basis basis;
  Auth auth;
  Sup supersedes;
  bool own;
  Marks marks;
};

bool RowMatches(const Row& r, const Combo& c) {
  return (r.ops & Bit(c.op)) && (r.roles & Bit(c.role)) &&
         (r.actors & Bit(c.actor)) && (r.categories & Bit(c.category)) &&
         (r.bases & Bit(c.basis)) && (r.to_actors & Bit(c.to)) &&
         (r.auths & Bit(c.auth)) && TriMatches(r.active, c.active) &&
         TriMatches(r.team, c.team) && TriMatches(r.grant, c.grant) &&
         (r.author == Rel::kAny || (r.author == Rel::kSame) ==
                                       (c.author == c.actor)) &&
         (r.to == Rel::kAny || (r.to == Rel::kSame) == (c.to == c.author)) &&
         (r.supersedes == Sup::kAny || r.supersedes == c.supersedes) &&
         TriMatches(r.own, c.own) && (r.marks & Bit(c.marks));
}

BasisState MakeBasis(Basis b, Actor from, Actor to, Category c) {
  BasisState s;
  s.scope = ConsentScope{from, to, c};
  s.id = "c1";
  switch (b) {
    case Basis::kNone: s = BasisState{}; break;
    case Basis::kConsentInForce: s.kind = BasisKind::kConsentInForce; break;
    case Basis::kConsentWrongScope:
      s.kind = BasisKind::kConsentInForce;
      s.scope->category =
          c == Category::kHealth ? Category::kSchool : Category::kHealth;
      break;
    case Basis::kConsentMissing: s.kind = BasisKind::kConsentMissing; break;
    case Basis::kConsentWithdrawn: s.kind = BasisKind::kConsentWithdrawn; break;
    case Basis::kConsentExpired: s.kind = BasisKind::kConsentExpired; break;
    case Basis::kConsentNotCovering:
      s.kind = BasisKind::kConsentNotCovering;
      break;
    case Basis::kProvision:
    case Basis::kProvisionNoReason:
    case Basis::kProvisionExpired:
    case Basis::kProvisionUnknown:
    case Basis::kProvisionTooOld:
    case Basis::kProvisionTooLong:
    case Basis::kProvisionBetweenAuthorities:
    case Basis::kProvisionBalancingNoReason:
    case Basis::kProvisionNotInForce:
    case Basis::kProvisionReportingDuty: {
      static const std::vector<LegalProvision> rules = DefaultLegalProvisions();
      const char* id = "osl-10-18a";
      if (Bit(b) & (k15aBases | Bit(Basis::kProvisionNotInForce))) id = "osl-10-15a";
      if (b == Basis::kProvisionReportingDuty) id = "sol-2025-400-report";
      s = BasisState{};
      s.kind = b == Basis::kProvisionExpired ? BasisKind::kProvisionExpired
                                             : BasisKind::kLegalProvision;
      s.id = "p1";
      s.rule = *FindLegalProvision(rules, id);
      if (b == Basis::kProvisionNotInForce) s.rule->in_force_from = Date{2027, 1, 1};
      s.provision = s.rule->citation;
      if (b == Basis::kProvisionUnknown) {
        s.rule.reset();
        s.provision = "OSL 99 kap. 1 §";
      }
      s.reason_recorded =
          b != Basis::kProvisionNoReason && b != Basis::kProvisionBalancingNoReason;
      s.duration_seconds = (b == Basis::kProvisionTooLong ? 366 : 30) * int64_t{86400};
      break;
    }
    case Basis::kGrantActive:
    case Basis::kGrantExpired:
      s = BasisState{};
      s.kind = b == Basis::kGrantActive ? BasisKind::kGrantActive
                                        : BasisKind::kGrantExpired;
      s.id = "g1";
      break;
    case Basis::kGrantEnded:
      s = BasisState{};
      s.kind = BasisKind::kGrantExpired;
      s.id = "g1";
      s.detail = "legal-basis grant g1 ended early (grant end)";
      break;
    case Basis::kDisclosureRevoked:
      s = BasisState{};
      s.kind = BasisKind::kDisclosureRevoked;
      s.id = "d1";
      break;
  }
  return s;
}

AccessRequest MakeRequest(const Combo& c) {
  AccessRequest r;
  r.op = c.op;
  r.principal_active = c.active;
  r.actor = c.actor;
  r.role = c.role;
  r.on_case_team = c.team;
  r.has_active_grant = c.grant;
  r.entry_author_actor = c.author;
  r.category = c.category;
  r.disclose_to = c.to;
  if (c.supersedes == Sup::kSame) r.superseded_author_actor = c.actor;
  if (c.supersedes == Sup::kOther) {
    r.superseded_author_actor = c.actor == Actor::kSchool ? Actor::kSocial : Actor::kSchool;
  }
  r.own_grant = c.own;
  if (c.marks != Marks::kNone) {
    AccessRequest::ActionOwner o;
    o.actor = c.marks == Marks::kOther
                  ? (c.actor == Actor::kSchool ? Actor::kSocial : Actor::kSchool)
                  : c.actor;
    o.other_principal_named = c.marks == Marks::kOwnNamedOther;
    r.status_of_action = o;
  }
  r.today = Date{2026, 12, 1};
  r.subject_age = c.basis == Basis::kProvisionTooOld ? 22 : 16;
  r.actor_is_authority = c.auth != Auth::kDiscloserNot;
  r.recipient_is_authority = c.auth != Auth::kRecipientNot;
  const Actor receiver = c.op == Op::kReadEntry ? c.actor : c.to;
  BasisState b = MakeBasis(c.basis, c.author, receiver, c.category);
  if (c.op == Op::kReadEntry) {
    if (c.basis != Basis::kNone) r.disclosures.push_back(b);
  } else {
    r.basis = b;
  }
  return r;
}

std::string Describe(const Combo& c) {
  return std::string(OperationName(c.op)) + (c.active ? " active " : " disabled ") +
         ActorName(c.actor) + "/" + RoleName(c.role) + " cat=" +
         CategoryName(c.category) + (c.team ? " team" : " no-team") +
         (c.grant ? " grant" : " no-grant") + " author=" +
         ActorName(c.author) + " to=" + ActorName(c.to) + " basis#" +
         std::to_string(static_cast<int>(c.basis)) + " auth#" +
         std::to_string(static_cast<int>(c.auth)) + " supersedes#" +
         std::to_string(static_cast<int>(c.supersedes)) + (c.own ? " own" : "") + " marks#" +
         std::to_string(static_cast<int>(c.marks));
}

TEST_CASE("Decide matches the declarative table for every combination",
          "[policy]") {
  const std::vector<Row>& table = Table();
  std::vector<long> hits(table.size(), 0);
  long combinations = 0, mismatches = 0, allowed = 0;
  for (Op op : kAllOperations) {
    const bool entry_op = op == Op::kReadEntry || op == Op::kDiscloseEntry ||
                          op == Op::kRevokeDisclosure;
    for (bool active : {true, false})
    for (Actor actor : kAllActors)
    for (Role role : kAllRoles)
    for (Category cat : kAllCategories)
    for (bool team : {true, false})
    for (bool grant : {true, false})
    for (Basis basis : kAllBases)
    for (Actor author : kAllActors) {
      if (!entry_op && author != actor) continue;
      for (Actor to : kAllActors)
      for (Auth auth : kAllAuths)
      for (Sup sup : kAllSups)
      for (bool own : {false, true})
      for (Marks marks : kAllMarks) {
        if (op != Op::kCreateEntry && (sup != Sup::kNone || marks != Marks::kNone)) continue;
        if (op != Op::kEndGrant && own) continue;
        if (op != Op::kDiscloseEntry && to != Actor::kSchool) continue;
        // Authority status matters only to a provision rule.
        if (auth != Auth::kBoth && ((Bit(basis) & kProvisionBases) == 0 ||
                                    (op != Op::kDiscloseEntry && op != Op::kEmergencyGrant))) {
          continue;
        }
        const Combo c{op, active, actor, role, cat, team, grant, author, to,
                      basis, auth, sup, own, marks};
        ++combinations;
        size_t i = 0;
        while (i < table.size() && !RowMatches(table[i], c)) ++i;
        Decision d = Decide(MakeRequest(c));
        std::string problem;
        if (i == table.size()) {
          if (d.allowed) problem = "no table row, but allowed";
        } else {
          ++hits[i];
          const Row& row = table[i];
          if (d.allowed != row.allow) {
            problem = "allowed mismatch";
          } else if (row.allow) {
            if (d.code != StatusCode::kOk) problem = "code not ok";
            if (d.basis.rfind(row.basis, 0) != 0) problem = "basis";
            if (row.flag != Tri::kAny &&
                d.flag_for_review != (row.flag == Tri::kYes)) {
              problem = "flag";
            }
            if (d.restrict_rows != (row.restrict == Tri::kYes)) {
              problem = "restrict_rows";
            }
          } else {
            if (d.reason.find(row.reason) == std::string::npos) {
              problem = "reason";
            }
            if (d.code != (row.consent_code ? StatusCode::kConsentRequired
                                            : StatusCode::kPermissionDenied)) {
              problem = "code";
            }
            if (!d.basis.empty() || d.flag_for_review) problem = "deny basis";
          }
        }
        if (d.allowed) ++allowed;
        if (d.reason.empty()) problem = "empty reason";
        if (!problem.empty()) {
          ++mismatches;
          if (mismatches <= 20) {
            FAIL_CHECK(problem << ": " << Describe(c) << " row " << i
                               << " got allowed=" << d.allowed << " reason='"
                               << d.reason << "' basis='" << d.basis << "'");
          }
        }
      }
    }
  }
  CHECK(mismatches == 0);
  // Every row of the table must decide something, or it is dead.
  for (size_t i = 0; i < hits.size(); ++i) {
    INFO("table row " << i);
    CHECK(hits[i] > 0);
  }
  CHECK(allowed > 0);
  CHECK(combinations > 500000);
}

TEST_CASE("Decide fails closed on incomplete requests", "[policy]") {
  AccessRequest r;
  r.principal_active = true;
  r.role = Role::kMember;
  r.on_case_team = true;
  r.op = Op::kReadEntry;
  CHECK_FALSE(Decide(r).allowed);  // no author/category
  r.op = Op::kDiscloseEntry;
  r.entry_author_actor = r.actor;
  r.category = Category::kSchool;
  CHECK_FALSE(Decide(r).allowed);  // no receiver
  r.op = Op::kCreateEntry;
  r.category.reset();
  CHECK_FALSE(Decide(r).allowed);
  AccessRequest unknown_role = r;
  unknown_role.role = static_cast<Role>(99);
  CHECK_FALSE(Decide(unknown_role).allowed);
  AccessRequest unknown_op = r;
  unknown_op.op = static_cast<Op>(99);
  CHECK_FALSE(Decide(unknown_op).allowed);
  // A default-constructed request is denied.
  CHECK_FALSE(Decide(AccessRequest{}).allowed);
}

TEST_CASE("a read succeeds if any disclosure basis is still valid",
          "[policy]") {
  AccessRequest r;
  r.op = Op::kReadEntry;
  r.principal_active = true;
  r.actor = Actor::kSchool;
  r.role = Role::kMember;
  r.on_case_team = true;
  r.entry_author_actor = Actor::kSocial;
  r.category = Category::kSocial;
  r.disclosures.push_back(MakeBasis(Basis::kConsentWithdrawn, Actor::kSocial,
                                    Actor::kSchool, Category::kSocial));
  Decision d = Decide(r);
  CHECK_FALSE(d.allowed);
  CHECK(d.code == StatusCode::kConsentRequired);
  r.disclosures.push_back(MakeBasis(Basis::kProvision, Actor::kSocial,
                                    Actor::kSchool, Category::kSocial));
  d = Decide(r);
  CHECK(d.allowed);
  CHECK(d.flag_for_review);
  CHECK(d.basis == "provision:OSL 10 kap. 18 a §");
}

// ---------------------------------------------------------------------------
// Consent evaluation.

constexpr UnixSeconds kNow = 1750000000;  // 2025-06-15
constexpr Date kToday{2025, 6, 15};
const ConsentPolicy kPolicy;

ConsentRecord Record(std::string id, bool youth, std::string guardian = "") {
  ConsentRecord r;
  r.id = std::move(id);
  r.party_is_youth = youth;
  r.guardian_id = std::move(guardian);
  r.actors = {Actor::kSchool, Actor::kSocial, Actor::kCoordination};
  r.categories = {Category::kSchool, Category::kSocial, Category::kPlan};
  r.valid_from = kNow - 86400;
  r.valid_until = {2025, 12, 31};
  return r;
}

ConsentEvaluation Eval(Date birth, const std::vector<std::string>& guardians,
                       const std::vector<ConsentRecord>& records,
                       Date today = kToday, Actor from = Actor::kSocial,
                       Actor to = Actor::kSchool,
                       Category c = Category::kSocial,
                       const ConsentPolicy& policy = kPolicy) {
  return EvaluateConsent(policy, birth, guardians, records, kNow, today, from,
                         to, c);
}

const std::vector<std::string> kTwoGuardians = {"g1", "g2"};

TEST_CASE("consent: age 14 needs every guardian, not the youth",
          "[policy][consent]") {
  const Date birth{2010, 6, 16};  // 14 on kToday, 15 the day after
  auto both = Eval(birth, kTwoGuardians,
                   {Record("c1", false, "g1"), Record("c2", false, "g2")});
  CHECK(both.in_force);
  CHECK(both.consent_ids == std::vector<std::string>{"c1", "c2"});
  auto one = Eval(birth, kTwoGuardians, {Record("c1", false, "g1")});
  CHECK_FALSE(one.in_force);
  CHECK(one.reason == "guardian g2 has not consented");
  CHECK(one.failure == BasisKind::kConsentMissing);
  CHECK(one.consent_ids.empty());
  // A youth record alone is not enough at 14.
  CHECK_FALSE(Eval(birth, kTwoGuardians, {Record("c3", true)}).in_force);
}

TEST_CASE("consent: from 15 the youth's own consent is also required",
          "[policy][consent]") {
  const Date birth{2010, 6, 16};
  const Date birthday{2025, 6, 16};
  std::vector<ConsentRecord> guardians = {Record("c1", false, "g1"),
                                          Record("c2", false, "g2")};
  CHECK(Eval(birth, kTwoGuardians, guardians, kToday).in_force);
  auto at15 = Eval(birth, kTwoGuardians, guardians, birthday);
  CHECK_FALSE(at15.in_force);
  CHECK(at15.reason == "youth's own consent required from age 15");
  guardians.push_back(Record("c3", true));
  auto with_youth = Eval(birth, kTwoGuardians, guardians, birthday);
  CHECK(with_youth.in_force);
  CHECK(with_youth.consent_ids == std::vector<std::string>{"c1", "c2", "c3"});
  // A configured age of 13.
  ConsentPolicy p;
  p.youth_consent_from_age = 13;
  CHECK_FALSE(Eval(birth, kTwoGuardians, {guardians[0], guardians[1]}, kToday,
                   Actor::kSocial, Actor::kSchool, Category::kSocial, p)
                  .in_force);
}

TEST_CASE("consent: at 17 guardians and youth, at 18 only the youth",
          "[policy][consent]") {
  const Date birth{2007, 6, 16};  // 17 on kToday, 18 the day after
  const Date birthday{2025, 6, 16};
  ConsentRecord youth = Record("c3", true);
  ConsentRecord g1 = Record("c1", false, "g1");
  ConsentRecord g2_withdrawn = Record("c2", false, "g2");
  g2_withdrawn.withdrawn_at = kNow - 10;
  auto at17 = Eval(birth, kTwoGuardians, {g1, g2_withdrawn, youth});
  CHECK_FALSE(at17.in_force);
  CHECK(at17.reason == "consent c2 withdrawn");
  CHECK(at17.failure == BasisKind::kConsentWithdrawn);
  // At 18 the guardians' records no longer matter, withdrawn or not.
  auto at18 = Eval(birth, kTwoGuardians, {g1, g2_withdrawn, youth}, birthday);
  CHECK(at18.in_force);
  CHECK(at18.consent_ids == std::vector<std::string>{"c3"});
  auto at18_no_youth = Eval(birth, kTwoGuardians, {g1}, birthday);
  CHECK_FALSE(at18_no_youth.in_force);
  CHECK(at18_no_youth.reason.find("youth's own consent required") !=
        std::string::npos);
  // An adult needs no guardian registered at all.
  CHECK(Eval(birth, {}, {youth}, birthday).in_force);
}

TEST_CASE("consent: a 29 February birthday falls on 28 February in common years",
          "[policy][consent]") {
  // Lag (1930:173): a period of years ending on a missing day ends on the
  // last day of the month.  Turning 18 (adult_age): the youth alone.
  const Date birth{2008, 2, 29};
  std::vector<ConsentRecord> youth_only = {Record("c3", true)};
  youth_only[0].valid_until = {2028, 12, 31};
  CHECK_FALSE(Eval(birth, kTwoGuardians, youth_only, {2026, 2, 27}).in_force);
  CHECK(Eval(birth, kTwoGuardians, youth_only, {2026, 2, 28}).in_force);
  CHECK(Eval(birth, kTwoGuardians, youth_only, {2026, 3, 1}).in_force);
  // Turning 15 (youth_consent_from_age) in a common year: the youth's own
  // consent is required from 28 February, not from 1 March.
  std::vector<ConsentRecord> guardians_only = {Record("c1", false, "g1"),
                                               Record("c2", false, "g2")};
  for (ConsentRecord& r : guardians_only) r.valid_until = {2028, 12, 31};
  CHECK(Eval(birth, kTwoGuardians, guardians_only, {2023, 2, 27}).in_force);
  auto on_28th = Eval(birth, kTwoGuardians, guardians_only, {2023, 2, 28});
  CHECK_FALSE(on_28th.in_force);
  CHECK(on_28th.reason == "youth's own consent required from age 15");
  CHECK_FALSE(Eval(birth, kTwoGuardians, guardians_only, {2023, 3, 1}).in_force);
  // In a leap year the birthday is 29 February itself: with the youth's
  // consent from 16 (2008 + 16 = 2024, a leap year), 28 February is still
  // before it, 29 February and 1 March after.
  ConsentPolicy from16;
  from16.youth_consent_from_age = 16;
  auto at = [&](Date d) {
    return Eval(birth, kTwoGuardians, guardians_only, d, Actor::kSocial, Actor::kSchool,
                Category::kSocial, from16)
        .in_force;
  };
  CHECK(at({2024, 2, 28}));
  CHECK_FALSE(at({2024, 2, 29}));
  CHECK_FALSE(at({2024, 3, 1}));
  // A 28 February or 1 March birthday is not moved.
  CHECK(Eval({2008, 3, 1}, kTwoGuardians, guardians_only, {2023, 2, 28}).in_force);
  CHECK_FALSE(Eval({2008, 2, 28}, kTwoGuardians, guardians_only, {2023, 2, 28}).in_force);
}

TEST_CASE("consent: no guardian registered under 18 is never in force",
          "[policy][consent]") {
  auto r = Eval({2012, 1, 1}, {}, {Record("c3", true)});
  CHECK_FALSE(r.in_force);
  CHECK(r.reason.find("no guardian with custody registered") !=
        std::string::npos);
}

TEST_CASE("consent: valid_until is inclusive, valid_from is respected",
          "[policy][consent]") {
  const Date birth{2019, 1, 1};
  ConsentRecord g = Record("c1", false, "g1");
  g.valid_until = kToday;
  CHECK(Eval(birth, {"g1"}, {g}).in_force);
  auto next_day = Eval(birth, {"g1"}, {g}, {2025, 6, 16});
  CHECK_FALSE(next_day.in_force);
  CHECK(next_day.reason == "consent c1 expired");
  CHECK(next_day.failure == BasisKind::kConsentExpired);
  ConsentRecord future = Record("c1", false, "g1");
  future.valid_from = kNow + 1;
  auto not_yet = Eval(birth, {"g1"}, {future});
  CHECK_FALSE(not_yet.in_force);
  CHECK(not_yet.reason == "consent c1 not yet valid");
  future.valid_from = kNow;
  CHECK(Eval(birth, {"g1"}, {future}).in_force);
}

TEST_CASE("consent: must cover both actors and the category",
          "[policy][consent]") {
  const Date birth{2019, 1, 1};
  ConsentRecord g = Record("c1", false, "g1");
  auto police = Eval(birth, {"g1"}, {g}, kToday, Actor::kPolice,
                     Actor::kSchool, Category::kSocial);
  CHECK_FALSE(police.in_force);
  CHECK(police.reason ==
        "consent c1 does not cover police -> school for category social");
  CHECK(police.failure == BasisKind::kConsentNotCovering);
  auto health = Eval(birth, {"g1"}, {g}, kToday, Actor::kSocial,
                     Actor::kSchool, Category::kHealth);
  CHECK_FALSE(health.in_force);
  CHECK(health.reason.find("for category health") != std::string::npos);
  // Another record of the same party that covers it is enough, and a
  // withdrawal is reported ahead of a record that never covered it.
  ConsentRecord g_police = Record("c5", false, "g1");
  g_police.actors = {Actor::kPolice, Actor::kSchool};
  g_police.categories = {Category::kSocial};
  CHECK(Eval(birth, {"g1"}, {g, g_police}, kToday, Actor::kPolice,
             Actor::kSchool, Category::kSocial)
            .in_force);
  g_police.withdrawn_at = kNow;
  CHECK(Eval(birth, {"g1"}, {g, g_police}, kToday, Actor::kPolice,
             Actor::kSchool, Category::kSocial)
            .reason == "consent c5 withdrawn");
  // A record of a guardian without custody (not listed) does not count.
  CHECK_FALSE(Eval(birth, {"g1"}, {Record("c9", false, "g9")}).in_force);
}

TEST_CASE("consent: all missing parties are named", "[policy][consent]") {
  auto r = Eval({2009, 1, 1}, kTwoGuardians, {});
  CHECK_FALSE(r.in_force);
  CHECK(r.reason ==
        "guardian g1 has not consented; guardian g2 has not consented; "
        "youth's own consent required from age 15");
}

TEST_CASE("consent: an invalid policy fails closed", "[policy][consent]") {
  ConsentPolicy bad;
  bad.youth_consent_from_age = 19;
  CHECK_FALSE(ValidateConsentPolicy(bad).ok());
  CHECK(ValidateConsentPolicy(ConsentPolicy{}).ok());
  auto r = Eval({2019, 1, 1}, {"g1"}, {Record("c1", false, "g1")}, kToday,
                Actor::kSocial, Actor::kSchool, Category::kSocial, bad);
  CHECK_FALSE(r.in_force);
}

TEST_CASE("consent evaluation drives the decision end to end",
          "[policy][consent]") {
  const Date birth{2012, 3, 3};
  std::vector<ConsentRecord> records = {Record("c1", false, "g1")};
  AccessRequest read;
  read.op = Op::kReadEntry;
  read.principal_active = true;
  read.actor = Actor::kSchool;
  read.role = Role::kMember;
  read.on_case_team = true;
  read.entry_author_actor = Actor::kSocial;
  read.category = Category::kSocial;
  auto eval = Eval(birth, {"g1"}, records);
  read.disclosures = {ConsentBasis(eval, Actor::kSocial, Actor::kSchool,
                                   Category::kSocial)};
  Decision before = Decide(read);
  CHECK(before.allowed);
  CHECK(before.basis == "consent:c1");
  CHECK_FALSE(before.flag_for_review);
  // Withdrawing stops further reads of what was disclosed under it.
  records[0].withdrawn_at = kNow;
  eval = Eval(birth, {"g1"}, records);
  read.disclosures = {ConsentBasis(eval, Actor::kSocial, Actor::kSchool,
                                   Category::kSocial)};
  Decision after = Decide(read);
  CHECK_FALSE(after.allowed);
  CHECK(after.code == StatusCode::kConsentRequired);
  CHECK(after.reason.find("consent c1 withdrawn") != std::string::npos);
  // A basis evaluated for the wrong pair of actors is refused.
  records[0].withdrawn_at.reset();
  eval = Eval(birth, {"g1"}, records, kToday, Actor::kSocial,
              Actor::kCoordination);
  read.disclosures = {ConsentBasis(eval, Actor::kSocial, Actor::kCoordination,
                                   Category::kSocial)};
  CHECK_FALSE(Decide(read).allowed);
}

TEST_CASE("default legal provisions are rules from DESIGN §14", "[policy]") {
  const std::vector<LegalProvision> provisions = DefaultLegalProvisions();
  REQUIRE(ValidateLegalProvisions(provisions).ok());
  for (const auto& p : provisions) {
    INFO(p.id);
    CHECK_FALSE(p.citation.empty());
    CHECK_FALSE(p.summary.empty());
    CHECK_FALSE(p.source.empty());
    CHECK_FALSE(p.directions.empty());
    CHECK(p.default_duration_seconds > 0);
    CHECK(p.default_duration_seconds <= p.max_duration_seconds);
    // Every OSL rule needs an authority as the discloser.
    if (p.citation.rfind("OSL", 0) == 0) CHECK(p.requires_public_authority);
    // The outdated citation of the old act is gone.
    CHECK(p.citation.find("SoL 14 kap. 1 §") == std::string::npos);
  }
  const LegalProvision* p18a = FindLegalProvision(provisions, "OSL 10 kap. 18 a §");
  REQUIRE(p18a != nullptr);
  CHECK(FindLegalProvision(provisions, "osl-10-18a") == p18a);
  CHECK(p18a->subject_age_under == 21);
  REQUIRE(p18a->directions.size() == 1);
  CHECK(p18a->directions[0].from == std::vector<Actor>{Actor::kSocial});
  CHECK(p18a->directions[0].to == std::vector<Actor>{Actor::kPolice});
  const LegalProvision* p15a = FindLegalProvision(provisions, "OSL 10 kap. 15 a §");
  REQUIRE(p15a != nullptr);
  CHECK(p15a->requires_balancing);
  CHECK(p15a->recipient_must_be_authority);
  CHECK(p15a->in_force_from == std::optional<Date>(Date{2025, 12, 1}));
  REQUIRE(FindLegalProvision(provisions, "OSL 10 kap. 28 §") != nullptr);
  const LegalProvision* sol = FindLegalProvision(provisions, "sol-2025-400-report");
  REQUIRE(sol != nullptr);
  CHECK(sol->citation.find("2025:400") != std::string::npos);
  CHECK_FALSE(sol->verified);
  CHECK_FALSE(sol->requires_public_authority);
  CHECK(FindLegalProvision(provisions, "OSL 10 kap. 18") == nullptr);
}

TEST_CASE("ValidateLegalProvisions refuses malformed rules", "[policy]") {
  std::vector<LegalProvision> ok = DefaultLegalProvisions();
  auto broken = [&](auto change) {
    std::vector<LegalProvision> v = ok;
    change(v);
    return ValidateLegalProvisions(v).code() == StatusCode::kInvalidArgument;
  };
  CHECK(broken([](auto& v) { v[0].id.clear(); }));
  CHECK(broken([](auto& v) { v[1].id = v[0].id; }));
  CHECK(broken([](auto& v) { v[1].citation = v[0].citation; }));
  CHECK(broken([](auto& v) { v[1].id = v[0].citation; }));
  CHECK(broken([](auto& v) { v[0].max_duration_seconds = -1; }));
  CHECK(broken([](auto& v) { v[0].subject_age_under = 151; }));
  CHECK(broken([](auto& v) { v[0].subject_min_age = 18, v[0].subject_age_under = 18; }));
  CHECK(broken([](auto& v) { v[0].in_force_from = Date{2025, 2, 30}; }));
  CHECK(ValidateLegalProvisions({}).ok());
}

TEST_CASE("provision rules decide the examples of issue 12", "[policy]") {
  const std::vector<LegalProvision> rules = DefaultLegalProvisions();
  auto disclose = [&](Actor from, Actor to, const char* provision, int age,
                      bool authority = true) {
    AccessRequest r;
    r.op = Op::kDiscloseEntry;
    r.principal_active = true;
    r.actor = from;
    r.role = Role::kMember;
    r.on_case_team = true;
    r.entry_author_actor = from;
    r.category = Category::kSocial;
    r.disclose_to = to;
    r.today = Date{2026, 12, 1};
    r.subject_age = age;
    r.actor_is_authority = authority;
    r.recipient_is_authority = true;
    r.basis.kind = BasisKind::kLegalProvision;
    r.basis.provision = provision;
    if (const LegalProvision* p = FindLegalProvision(rules, provision)) r.basis.rule = *p;
    r.basis.reason_recorded = true;
    r.basis.duration_seconds = 86400;
    return Decide(r);
  };
  Decision school = disclose(Actor::kSchool, Actor::kPolice, "OSL 10 kap. 18 a §", 16);
  CHECK_FALSE(school.allowed);
  CHECK(school.reason == "OSL 10 kap. 18 a § does not allow school -> police");
  Decision social = disclose(Actor::kSocial, Actor::kPolice, "OSL 10 kap. 18 a §", 16);
  CHECK(social.allowed);
  CHECK(social.flag_for_review);
  CHECK(social.basis == "provision:OSL 10 kap. 18 a §");
  CHECK(disclose(Actor::kSocial, Actor::kPolice, "OSL 10 kap. 18 a §", 20).allowed);
  CHECK(disclose(Actor::kSocial, Actor::kPolice, "OSL 10 kap. 18 a §", 21).reason ==
        "OSL 10 kap. 18 a § applies only to a person under 21");
  CHECK_FALSE(disclose(Actor::kPolice, Actor::kSocial, "OSL 10 kap. 18 a §", 16).allowed);
  // 28 §: the reporting duty, to social services only; not for a free school.
  CHECK(disclose(Actor::kSchool, Actor::kSocial, "OSL 10 kap. 28 §", 16).allowed);
  CHECK_FALSE(disclose(Actor::kSchool, Actor::kPolice, "OSL 10 kap. 28 §", 16).allowed);
  Decision free_school =
      disclose(Actor::kSchool, Actor::kSocial, "OSL 10 kap. 28 §", 16, /*authority=*/false);
  CHECK_FALSE(free_school.allowed);
  CHECK(free_school.reason.find("OSL 10 kap. 28 § applies only to a public authority") == 0);
  CHECK(disclose(Actor::kSchool, Actor::kSocial, "sol-2025-400-report", 16, false).allowed);
  // 21 §: a person under 18.
  CHECK(disclose(Actor::kSchool, Actor::kPolice, "OSL 10 kap. 21 §", 17).allowed);
  CHECK_FALSE(disclose(Actor::kSchool, Actor::kPolice, "OSL 10 kap. 21 §", 18).allowed);
  // 15 a § is in force from 2025-12-01.
  AccessRequest before;
  {
    Decision d = disclose(Actor::kSchool, Actor::kPolice, "OSL 10 kap. 15 a §", 16);
    CHECK(d.allowed);
  }
  const LegalProvision* p15a = FindLegalProvision(rules, "osl-10-15a");
  before.op = Op::kEmergencyGrant;
  before.principal_active = true;
  before.actor = Actor::kPolice;
  before.role = Role::kMember;
  before.actor_is_authority = true;
  before.today = Date{2025, 11, 30};
  before.basis.kind = BasisKind::kLegalProvision;
  before.basis.provision = p15a->citation;
  before.basis.rule = *p15a;
  before.basis.reason_recorded = true;
  before.basis.duration_seconds = 3600;
  CHECK(Decide(before).reason == "OSL 10 kap. 15 a § is in force only from 2025-12-01");
  before.today = Date{2025, 12, 1};
  CHECK(Decide(before).allowed);
  // An unknown age fails a rule with age limits closed.
  AccessRequest grant = before;
  grant.basis.rule = *FindLegalProvision(rules, "osl-10-18a");
  grant.basis.provision = grant.basis.rule->citation;
  CHECK(Decide(grant).reason == "OSL 10 kap. 18 a § has age limits and the youth's age is unknown");
  grant.subject_age = 16;
  CHECK(Decide(grant).allowed);
}

TEST_CASE("enum names round-trip", "[policy][types]") {
  for (Actor a : kAllActors) CHECK(ParseActor(ActorName(a)) == a);
  for (Role r : kAllRoles) CHECK(ParseRole(RoleName(r)) == r);
  for (Category c : kAllCategories) CHECK(ParseCategory(CategoryName(c)) == c);
  for (int v = 0; v < 200; ++v) {
    const Action a = static_cast<Action>(v);
    const std::string name = ActionName(a);
    if (name == "unknown") continue;
    CHECK(ParseAction(name) == a);
  }
  CHECK(ParseAction("case.team_add") == Action::kCaseTeamAdd);
  CHECK(std::string(ActionName(Action::kRetentionRun)) == "retention.run");
  CHECK_FALSE(ParseActor("School").has_value());
  CHECK_FALSE(ParseAction("").has_value());
  CHECK(std::string(ActorName(static_cast<Actor>(0))) == "unknown");
}

}  // namespace
}  // namespace internal
}  // namespace sspf
