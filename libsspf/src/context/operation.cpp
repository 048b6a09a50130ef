// The plumbing of every operation (operation.h): the runner, transactions
// and batches, the principal re-check, logging and denial, actor keys.

#include <algorithm>

#include "context/operation.h"
#include "keys/key_hierarchy.h"
#include "log/audit_log.h"
#include "log/replay_detail.h"
#include "context/trust.h"
#include "storage/certificates_table.h"
#include "storage/grants_table.h"
#include "storage/principals_table.h"
#include "sspf/civil_time.h"
#include "util/text.h"

namespace sspf {

using internal::ActorSealAd;
using internal::Bytes;
using internal::Db;
using internal::Stmt;

namespace internal {
AccessRequest RequestFor(const Session::Impl* impl, Operation op) {
  AccessRequest r;
  r.op = op;
  r.principal_active = impl->me.active;
  r.actor = impl->me.actor;
  r.role = impl->me.role;
  r.actor_is_authority = impl->options.public_authorities.IsAuthority(impl->me.actor);
  r.today = impl->Today();
  return r;
}

Status LoadCaseFacts(Session::Impl* impl, std::string_view case_id, std::string* subject_id,
                     bool* open, bool* on_team, bool* has_grant) {
  // One statement: this runs on every case operation and every read.
  static const std::string sql =
      "SELECT c.subject_id, c.open, "
      "EXISTS(SELECT 1 FROM case_team t WHERE t.case_id = c.id AND t.principal_id = ?2), "
      "EXISTS(SELECT 1 FROM grants g WHERE g.case_id = c.id AND " + GrantInForceSql(2, 3) +
      ") FROM cases c WHERE c.id = ?1";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, case_id).Bind(2, impl->me.id).Bind(3, impl->Now());
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such case");
  *subject_id = st->Text(0);
  *open = st->Int(1) != 0;
  *on_team = st->Int(2) != 0;
  *has_grant = st->Int(3) != 0;
  st->Reset();
  if (*has_grant) {
    // Rare, so checked at use (DESIGN §13): each grant in force by its row
    // must agree with its signed event (a lengthened grant is refused).
    static const std::string grants =
        "SELECT g.id, g.until FROM grants g WHERE g.case_id = ?1 AND " +
        GrantInForceSql(2, 3);
    SSPF_ASSIGN_OR_RETURN(Stmt * gs, impl->db->Prepare(grants.c_str()));
    gs->Bind(1, case_id).Bind(2, impl->me.id).Bind(3, impl->Now());
    std::vector<GrantFacts> in_force;
    SSPF_RETURN_IF_ERROR(ForEachRow(gs, [&]() -> Status {
      in_force.push_back({gs->Text(0), std::string(case_id), impl->me.id, gs->Int(1)});
      return Status::Ok();
    }));
    for (const GrantFacts& g : in_force) SSPF_RETURN_IF_ERROR(CheckGrantAtUse(impl, g));
  }
  return Status::Ok();
}

Status LoadCase(Op& op, std::string_view case_id) {
  op.event.case_id = std::string(case_id);
  if (op.event.target.empty()) op.event.target = "case:" + op.event.case_id;
  return LoadCaseFacts(op.impl, case_id, &op.event.subject_id, &op.case_open,
                       &op.request.on_case_team, &op.request.has_active_grant);
}

namespace {

// The body of an allowed operation failed: its writes are undone, and the
// decision is logged with the failure as its outcome.
Status RecordFailure(Session::Impl* impl, Session::Impl::Scope& scope, Savepoint& savepoint,
                     Session::Impl::EventArgs& event, const Status& failure) {
  Status undone = savepoint.Rollback();
  if (!undone.ok()) return failure;  // the transaction rolls back as a whole
  event.detail.clear();
  if (failure.code() == StatusCode::kPermissionDenied ||
      failure.code() == StatusCode::kConsentRequired) {
    event.reason = failure.message();
    event.basis.clear();
    return impl->Deny(scope, event, failure.code() == StatusCode::kConsentRequired);
  }
  event.reason += std::string("; failed: ") + StatusCodeName(failure.code());
  event.detail = FailureDetail(failure.code());
  // When even that cannot be written, the transaction rolls back as a whole
  // and the caller still gets the body's failure.
  if (impl->Log(event).ok()) scope.Commit().IgnoreError();
  return failure;
}

// The operations that change no consent, custody or case fact (they only
// read, and log that they did).
bool ReadsOnly(Operation op) {
  switch (op) {
    case Operation::kReadEntry:
    case Operation::kListEntries:
    case Operation::kShowCase:
    case Operation::kListCases:
    case Operation::kListConsent:
      return true;
    default:
      return false;
  }
}

}  // namespace

Status RunOperation(Session::Impl* impl, const OpSpec& spec, const OpFacts& facts,
                    const OpBody& body) {
  if (spec.refused_in_batch != nullptr && impl->batch) {
    return FailedPrecondition(spec.refused_in_batch);
  }
  // Only a read in a batch may reuse what an earlier read of the batch
  // checked (Session::Impl::BatchMemo); any other operation may change it.
  impl->batch_memo_usable = impl->batch != nullptr && ReadsOnly(spec.op);
  if (!impl->batch_memo_usable) impl->batch_memo.Clear();
  // ... and only while it runs: code between operations never reuses it.
  struct EndOfRead {
    bool* usable;
    ~EndOfRead() { *usable = false; }
  } end_of_read{&impl->batch_memo_usable};
  SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
  Op op;
  op.impl = impl;
  op.request = RequestFor(impl, spec.op);
  op.event.action = spec.action;
  op.event.target = spec.target;
  op.event.case_id = spec.case_id;
  op.event.subject_id = spec.subject_id;
  op.event.purpose = spec.purpose;
  if (!spec.case_id.empty()) SSPF_RETURN_IF_ERROR(LoadCase(op, spec.case_id));
  if (facts) SSPF_RETURN_IF_ERROR(facts(op));
  op.decision = Decide(op.request);
  op.event.reason = op.decision.reason;
  if (!op.decision.allowed) {
    return impl->Deny(scope, op.event, op.decision.code == StatusCode::kConsentRequired);
  }
  op.event.allowed = true;
  op.event.basis = op.decision.basis;
  SSPF_ASSIGN_OR_RETURN(Savepoint savepoint, Savepoint::Begin(impl->db.get()));
  Status done = body(op);
  if (!done.ok()) return RecordFailure(impl, scope, savepoint, op.event, done);
  SSPF_RETURN_IF_ERROR(savepoint.Release());
  SSPF_RETURN_IF_ERROR(impl->Log(op.event));
  if (op.after_log) SSPF_RETURN_IF_ERROR(op.after_log());
  return scope.Commit();
}

}  // namespace internal

Result<Session::Impl::Scope> Session::Impl::Begin() {
  if (batch) {
    SSPF_RETURN_IF_ERROR(CheckClock());
    SSPF_RETURN_IF_ERROR(internal::RefreshPrincipal(this));
    return Scope();
  }
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn,
                        internal::Txn::Begin(db.get()));
  SSPF_RETURN_IF_ERROR(CheckClock());
  SSPF_RETURN_IF_ERROR(internal::RefreshPrincipal(this));
  return Scope(std::move(txn));
}

Status Session::Impl::CheckClock() {
  SSPF_ASSIGN_OR_RETURN(std::optional<internal::EventTime> last,
                        internal::LastEventTime(db.get()));
  if (!last) return Status::Ok();
  if (last->time > time_floor) time_floor = last->time;
  const UnixSeconds clock_now = clock->Now();
  const int64_t tolerance = std::max<int64_t>(0, options.clock_tolerance_seconds);
  if (last->time > clock_now && last->time - clock_now > tolerance) {
    return FailedPrecondition(
        "the clock is " + std::to_string(last->time - clock_now) +
        " s behind the access log's last event (seq " + std::to_string(last->seq) + " at " +
        FormatRfc3339(last->time) + "); nothing is written while it is more than " +
        std::to_string(tolerance) + " s behind: correct the system clock");
  }
  return Status::Ok();
}

namespace internal {
Status RefreshPrincipal(Session::Impl* impl) {
  if (!impl->refresh_principal) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(auto row, PrincipalById(impl->db.get(), impl->me.id));
  SSPF_ASSIGN_OR_RETURN(std::optional<CertRow> cert,
                        LatestCert(impl->db.get(), CertKind::kPrincipal, impl->me.id));
  // Role and status come from the certificate (a row edit grants nothing);
  // a disabled row, or a newer certificate (disable, recovery), takes
  // effect at once.
  bool active = row && row->info.active && cert.has_value();
  if (active && cert->version != impl->certificate_version) {
    impl->me.active = true;
    SSPF_RETURN_IF_ERROR(AdoptCertifiedSelf(impl));
  }
  active = active && impl->certificate_active;
  impl->me.active = active;
  if (!active) {
    impl->actor_keys.clear();
    impl->actor_public_keys.clear();
    impl->oversight_keys.clear();
    impl->oversight_public_keys.clear();
  }
  return Status::Ok();
}
}  // namespace internal

Status Session::Impl::Log(const EventArgs& a) {
  internal::EventRecord e;
  e.time = a.time && *a.time >= time_floor ? *a.time : Now();
  e.principal_id = me.id;
  e.actor = me.actor;
  e.role = me.role;
  e.action = a.action;
  e.target = a.target;
  e.allowed = a.allowed;
  e.reason = a.reason;
  e.basis = a.basis;
  e.purpose = a.purpose;
  e.case_id = a.case_id;
  e.subject_id = a.subject_id;
  e.detail = a.detail;
  SSPF_RETURN_IF_ERROR(internal::AppendEvent(db.get(), &e, EventSigner()));
  return internal::MaybeAutoCheckpoint(db.get(), Signer(), Now(), e.seq + 1);
}

Status Session::Impl::Deny(Scope& scope, EventArgs e, bool consent_missing) {
  e.allowed = false;
  std::string reason = e.reason;
  SSPF_RETURN_IF_ERROR(Log(e));
  SSPF_RETURN_IF_ERROR(scope.Commit());
  return consent_missing ? ConsentRequired("denied: " + reason)
                         : PermissionDenied("denied: " + reason);
}

Status Session::Impl::CheckText(std::string_view what, std::string_view text,
                                bool required) const {
  std::string w(what);
  if (required && text.empty()) return InvalidArgument(w + " is required");
  if (text.size() > options.max_text_bytes) {
    return InvalidArgument(w + " is too long (at most " +
                           std::to_string(options.max_text_bytes) + " bytes)");
  }
  // UTF-8 validation (no overlongs, no surrogates), no control characters.
  switch (internal::CheckUtf8(text, [](uint32_t cp) {
    return (cp < 0x20 && cp != '\t') || cp == 0x7f;
  })) {
    case internal::Utf8Check::kOk: break;
    case internal::Utf8Check::kInvalid: return InvalidArgument(w + " is not valid UTF-8");
    case internal::Utf8Check::kForbidden:
      return InvalidArgument(w + " contains a control character or NUL");
  }
  return Status::Ok();
}

Result<const SecretBytes*> Session::Impl::ActorKey(Actor actor, int64_t version) {
  auto key = std::make_pair(actor, version);
  auto it = actor_keys.find(key);
  if (it != actor_keys.end()) return &it->second;
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT s.sealed, k.public_key FROM actor_key_seals s "
                  "JOIN actor_keys k ON k.actor = s.actor AND k.version = s.version "
                  "WHERE s.actor = ? AND s.version = ? AND s.principal_id = ?"));
  st->Bind(1, static_cast<int64_t>(actor)).Bind(2, version).Bind(3, me.id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return PermissionDenied(std::string("this principal holds no key of actor ") +
                            ActorName(actor) +
                            " (a member of that actor must unlock once to deliver it)");
  }
  Bytes sealed = st->Blob(0);
  Bytes actor_pk = st->Blob(1);
  st->Reset();
  SSPF_ASSIGN_OR_RETURN(SecretBytes sk, internal::OpenKeyWithHeader(
                                          ActorSealAd(actor, version), sealed,
                                          principal_public_key, principal_secret_key, actor_pk));
  SSPF_RETURN_IF_ERROR(internal::CheckActorKeyCert(this, actor, version, actor_pk));
  actor_public_keys[key] = actor_pk;
  auto ins = actor_keys.emplace(key, std::move(sk));
  return &ins.first->second;
}

Result<const SecretBytes*> Session::Impl::OversightKey(int64_t version) {
  auto it = oversight_keys.find(version);
  if (it != oversight_keys.end()) return &it->second;
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT s.sealed, k.public_key FROM oversight_seals s "
                  "JOIN oversight_keys k ON k.version = s.version "
                  "WHERE s.version = ? AND s.principal_id = ?"));
  st->Bind(1, version).Bind(2, me.id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return PermissionDenied("this principal holds no oversight key");
  Bytes sealed = st->Blob(0);
  Bytes pk = st->Blob(1);
  st->Reset();
  SSPF_RETURN_IF_ERROR(internal::CheckOversightKeyCert(this, version, pk));
  SSPF_ASSIGN_OR_RETURN(SecretBytes sk,
                        internal::OpenKeyWithHeader(internal::OversightSealAd(version), sealed,
                                                    principal_public_key,
                                                    principal_secret_key, pk));
  oversight_public_keys[version] = pk;
  auto ins = oversight_keys.emplace(version, std::move(sk));
  return &ins.first->second;
}

namespace {

// One delivery round (actor keys or the oversight key).  pending yields
// (principal id, row box key, key version) for every recipient that lacks
// a version this principal holds.  Each recipient is checked by
// `deliverable` (certificate, box key, addition in the log); a refusal is
// an insider's planted row and is logged as a denied key.deliver.  `seal`
// seals the key version to the certified box key and stores it.
struct KeyDelivery {
  Result<Bytes> (*deliverable)(Session::Impl*, std::string_view, const Bytes&);
  std::function<Status(const std::string& id, int64_t version, const Bytes& box)> seal;
  std::string reason;
  std::string basis;
  std::string key;  // the replay detail's key= (actor name or "oversight")
};

Status DeliverKeys(Session::Impl* impl, internal::Stmt* pending_query, const KeyDelivery& d) {
  struct Pending {
    std::string id;
    Bytes pk;
    int64_t version;
  };
  std::vector<Pending> pending;
  SSPF_RETURN_IF_ERROR(internal::ForEachRow(pending_query, [&]() -> Status {
    pending.push_back({pending_query->Text(0), pending_query->Blob(1), pending_query->Int(2)});
    return Status::Ok();
  }));
  if (pending.empty()) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
  for (const Pending& p : pending) {
    Session::Impl::EventArgs e;
    e.action = Action::kActorKeyDeliver;
    e.target = "principal:" + p.id;
    Result<Bytes> box = d.deliverable(impl, p.id, p.pk);
    if (!box.ok()) {
      if (box.status().code() != StatusCode::kIntegrityViolation) return box.status();
      e.reason = "integrity: " + box.status().message();
      SSPF_RETURN_IF_ERROR(impl->Log(e));
      continue;
    }
    SSPF_RETURN_IF_ERROR(d.seal(p.id, p.version, *box));
    e.allowed = true;
    e.detail = internal::EncodeDetail(Action::kActorKeyDeliver,
                                      {d.key, std::to_string(p.version), p.id});
    e.reason = d.reason;
    e.basis = d.basis;
    SSPF_RETURN_IF_ERROR(impl->Log(e));
  }
  return scope.Commit();
}

// At an auditor's unlock: the oversight-key versions it holds, to every
// other active auditor lacking them.
Status DeliverOversightKeys(Session::Impl* impl) {
  if (impl->me.role != Role::kAuditor || !impl->me.active) return Status::Ok();
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT p.id, p.box_public_key, mine.version FROM principals p "
                  "JOIN oversight_seals mine ON mine.principal_id = ? "
                  "WHERE p.role = 3 AND p.active = 1 AND NOT EXISTS (SELECT 1 FROM "
                  "oversight_seals s WHERE s.version = mine.version AND s.principal_id = p.id)"));
  st->Bind(1, impl->me.id);
  KeyDelivery d;
  d.deliverable = internal::DeliverableAuditorBoxKey;
  d.seal = [&](const std::string& id, int64_t version, const Bytes& box) -> Status {
    SSPF_ASSIGN_OR_RETURN(const SecretBytes* sk, impl->OversightKey(version));
    Bytes sealed = internal::SealKeyWithHeader(internal::OversightSealAd(version), *sk, box);
    SSPF_ASSIGN_OR_RETURN(
        internal::Stmt * ins,
        db->Prepare("INSERT OR IGNORE INTO oversight_seals(version, principal_id, sealed) "
                    "VALUES(?,?,?)"));
    ins->Bind(1, version).Bind(2, id).BindBlob(3, sealed);
    return ins->Run();
  };
  d.reason = "oversight key delivered to an auditor";
  d.key = "oversight";
  d.basis = "role:auditor";
  return DeliverKeys(impl, st, d);
}

}  // namespace

Status Session::Impl::DeliverActorKeys() {
  SSPF_RETURN_IF_ERROR(DeliverOversightKeys(this));
  // Not a request of the principal: when the policy gives it no actor keys
  // to hold, there is nothing to deliver and nothing to log.
  const internal::Decision d =
      internal::Decide(internal::RequestFor(this, internal::Operation::kDeliverActorKeys));
  if (!d.allowed) return Status::Ok();
  // Members of my actor (content roles) lacking a seal of a version I hold.
  SSPF_ASSIGN_OR_RETURN(
      internal::Stmt * st,
      db->Prepare("SELECT p.id, p.box_public_key, k.version FROM principals p "
                  "JOIN actor_keys k ON k.actor = p.actor "
                  "JOIN actor_key_seals mine ON mine.actor = k.actor AND "
                  "  mine.version = k.version AND mine.principal_id = ? "
                  "WHERE p.actor = ? AND p.active = 1 AND p.role IN (1, 2) AND "
                  "NOT EXISTS (SELECT 1 FROM actor_key_seals s WHERE s.actor = k.actor "
                  "  AND s.version = k.version AND s.principal_id = p.id)"));
  st->Bind(1, me.id).Bind(2, static_cast<int64_t>(me.actor));
  // Only to a member whose certificate says so and whose addition is in
  // the log; anything else is an insider's planted row: refused, logged.
  KeyDelivery delivery;
  delivery.deliverable = internal::DeliverableBoxKey;
  delivery.seal = [&](const std::string& id, int64_t version, const Bytes& box) -> Status {
    SSPF_ASSIGN_OR_RETURN(const SecretBytes* sk, ActorKey(me.actor, version));
    Bytes sealed = internal::SealActorKey(me.actor, version, *sk, box);
    SSPF_ASSIGN_OR_RETURN(
        internal::Stmt * ins,
        db->Prepare("INSERT OR IGNORE INTO actor_key_seals(actor, version, "
                    "principal_id, sealed) VALUES(?,?,?,?)"));
    ins->Bind(1, static_cast<int64_t>(me.actor)).Bind(2, version).Bind(3, id)
        .BindBlob(4, sealed);
    return ins->Run();
  };
  delivery.reason = d.reason;
  delivery.basis = d.basis;
  delivery.key = ActorName(me.actor);
  return DeliverKeys(this, st, delivery);
}

}  // namespace sspf
