// Entries, disclosures and emergency (legal-basis) grants.
// (Over 700 lines: the three share the entry-key sealing and the at-use
// checks of their signed events; the split is due with the lifecycle
// commands of issue 12.)
//
// Each entry body is encrypted with its own random key (XChaCha20-Poly1305)
// whose associated data binds it to (format version, store id, case id,
// entry id, category, author actor, key version).  The entry key is sealed
// to the author actor's public key and, on disclosure, to the receiving
// actor's.  Only members of an actor hold that actor's secret key, so a
// principal of actor A cannot decrypt an entry whose key was never sealed to
// A, whatever the access decision says and even with the root key.
#include <algorithm>

#include "domain/domain_internal.h"
#include "sspf/lists.h"
#include "context/trust.h"
#include "storage/grants_table.h"
#include "sspf/pnr.h"

namespace sspf {

using internal::BasisKind;
using internal::BasisState;
using internal::Bytes;
using internal::Db;
using internal::EncodeDetail;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {

// The newest version of the actor's key, checked against its certificate
// before anything is sealed to it: a key version planted by an insider is
// refused (kIntegrityViolation).
Result<std::pair<int64_t, Bytes>> CurrentActorKey(Session::Impl* impl, Actor actor) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT version, public_key FROM actor_keys WHERE actor = ? "
                                    "ORDER BY version DESC LIMIT 1"));
  st->Bind(1, static_cast<int64_t>(actor));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return FailedPrecondition(std::string("actor ") + ActorName(actor) +
                              " has no key yet (add a member of that actor first)");
  }
  std::pair<int64_t, Bytes> out{st->Int(0), st->Blob(1)};
  st->Reset();
  // Never an older version than the log's key.rotate events say (a newest
  // version deleted by an insider who holds an older one).
  SSPF_ASSIGN_OR_RETURN(int64_t in_force, ActorKeyVersionInForce(impl, actor));
  if (out.first != in_force) {
    return IntegrityViolation(std::string("actor key of ") + ActorName(actor) + ": the newest " +
                              "version is " + std::to_string(out.first) + " but the access " +
                              "log rotated it to version " + std::to_string(in_force));
  }
  SSPF_RETURN_IF_ERROR(CheckActorKeyCert(impl, actor, out.first, out.second));
  return out;
}

}  // namespace internal

using internal::CurrentActorKey;

namespace {

constexpr uint64_t kEntryFormatVersion = 1;
constexpr int kMaxGrantHours = 72;
// Entry keys re-sealed per transaction (and per logged event) by rewrap.
constexpr uint64_t kRewrapBatchSize = 64;

struct EntryRow {
  EntryInfo info;
  std::string author_id;
  int64_t key_version = 0;
  bool has_body = false;
  Bytes body;
};

Bytes EntryAd(const Session::Impl* impl, const EntryRow& e) {
  return internal::AdBuilder()
      .Add("sspf-entry-v1")
      .AddU64(kEntryFormatVersion)
      .Add(impl->store_id_bytes)
      .Add(e.info.case_id)
      .Add(e.info.id)
      .AddU64(static_cast<uint64_t>(e.info.category))
      .AddU64(static_cast<uint64_t>(e.info.author_actor))
      .AddU64(static_cast<uint64_t>(e.key_version))
      .bytes();
}

// Prefixed to the entry key inside each seal, so that a seal cannot be
// moved to another entry, actor or key version.
Bytes EntryKeyHeader(const Session::Impl* impl, const std::string& entry_id, Actor actor,
                     int64_t actor_key_version) {
  return internal::AdBuilder()
      .Add("sspf-entry-key-v1")
      .Add(impl->store_id_bytes)
      .Add(entry_id)
      .AddU64(static_cast<uint64_t>(actor))
      .AddU64(static_cast<uint64_t>(actor_key_version))
      .bytes();
}

Bytes SealEntryKey(const Session::Impl* impl, const std::string& entry_id, Actor actor,
                   int64_t version, const Bytes& actor_pk, const uint8_t* entry_key) {
  Bytes msg = EntryKeyHeader(impl, entry_id, actor, version);
  msg.insert(msg.end(), entry_key, entry_key + internal::kKeySize);
  Bytes sealed = internal::SealTo(actor_pk, msg.data(), msg.size());
  SecureWipe(msg.data(), msg.size());
  return sealed;
}

// Unseals the entry key held for `actor` (the caller's own actor or the
// author actor) into out.  kPermissionDenied if no seal exists for that actor
// or this principal does not hold the actor's secret key.
Status UnsealEntryKey(Session::Impl* impl, const std::string& entry_id, Actor actor,
                      internal::EphemeralKey* out) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT actor_key_version, sealed FROM entry_keys "
                             "WHERE entry_id = ? AND actor = ?"));
  st->Bind(1, entry_id).Bind(2, static_cast<int64_t>(actor));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return PermissionDenied(std::string("no entry key is sealed to actor ") + ActorName(actor));
  }
  int64_t version = st->Int(0);
  Bytes sealed = st->Blob(1);
  st->Reset();
  SSPF_ASSIGN_OR_RETURN(const SecretBytes* actor_sk, impl->ActorKey(actor, version));
  const Bytes& actor_pk = impl->actor_public_keys[{actor, version}];
  Bytes header = EntryKeyHeader(impl, entry_id, actor, version);
  if (sealed.size() != header.size() + internal::kKeySize + internal::kSealOverhead) {
    return IntegrityViolation("entry key seal is bound to another entry, actor or version");
  }
  internal::SecureBuffer plain(header.size() + internal::kKeySize);
  SSPF_RETURN_IF_ERROR(
      internal::SealOpenInto(actor_pk, *actor_sk, sealed, plain.data(), plain.size()));
  if (!std::equal(header.begin(), header.end(), plain.begin())) {
    return IntegrityViolation("entry key seal is bound to another entry, actor or version");
  }
  std::copy(plain.begin() + static_cast<long>(header.size()), plain.end(), out->data());
  return Status::Ok();
}

constexpr const char* kEntryColumns =
    "e.id, e.case_id, e.category, p.name, e.author_actor, e.created, e.supersedes, "
    "e.key_version, e.author_id, e.body IS NOT NULL";

void ReadEntryColumns(Stmt* st, EntryRow* e) {
  e->info.id = st->Text(0);
  e->info.case_id = st->Text(1);
  e->info.category = static_cast<Category>(st->Int(2));
  e->info.author = st->Text(3);
  e->info.author_actor = static_cast<Actor>(st->Int(4));
  e->info.created = st->Int(5);
  if (!st->IsNull(6)) e->info.supersedes = st->Text(6);
  e->key_version = st->Int(7);
  e->author_id = st->Text(8);
  e->has_body = st->Int(9) != 0;
}

Status LoadDisclosedTo(Db* db, EntryInfo* info) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT DISTINCT to_actor FROM disclosures WHERE "
                                    "entry_id = ? AND revoked IS NULL ORDER BY to_actor"));
  st->Bind(1, info->id);
  info->disclosed_to.clear();
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    info->disclosed_to.push_back(static_cast<Actor>(st->Int(0)));
  }
  st->Reset();
  return Status::Ok();
}

Result<EntryRow> LoadEntry(Db* db, std::string_view entry_id, bool with_body) {
  static const std::string sql = std::string("SELECT ") + kEntryColumns +
                                 ", e.body FROM entries e JOIN principals p ON "
                                 "p.id = e.author_id WHERE e.id = ?";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  st->Bind(1, entry_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such entry");
  EntryRow e;
  ReadEntryColumns(st, &e);
  if (with_body && e.has_body) e.body = st->Blob(10);
  st->Reset();
  SSPF_RETURN_IF_ERROR(LoadDisclosedTo(db, &e.info));
  return e;
}

std::vector<std::string> SplitIds(const std::string& s) {
  std::vector<std::string> out = SplitList(s);
  out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
  return out;
}

// A grant in force by its row is checked against its signed event before
// the decision relies on it (an expired one needs no check: it grants
// nothing).
Result<BasisState> GrantState(Session::Impl* impl, const std::string& grant_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT created, until, case_id, "
                                                     "principal_id, ended FROM grants "
                                                     "WHERE id = ?"));
  st->Bind(1, grant_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  BasisState b;
  b.id = grant_id;
  b.kind = BasisKind::kGrantExpired;
  internal::GrantFacts g;
  if (row) {
    UnixSeconds from = st->Int(0);
    g = {grant_id, st->Text(2), st->Text(3), st->Int(1)};
    if (!st->IsNull(4)) {
      b.detail = "legal-basis grant " + grant_id + " ended early (grant end)";
    } else if (internal::GrantInForce(from, g.until, impl->Now())) {
      b.kind = BasisKind::kGrantActive;
    }
  }
  st->Reset();
  if (b.kind == BasisKind::kGrantActive) SSPF_RETURN_IF_ERROR(internal::CheckGrantAtUse(impl, g));
  return b;
}

bool NameIs(const std::string& value, const char* name) { return name && value == name; }

// Checked at use (DESIGN §13): the entry's row against its signed
// entry.add event, which must name this entry, its case, category, author,
// actor and key version, and (from the body= field on) commit to the body
// ciphertext as read.  An entry.add without body= (written before it) is
// legacy: its metadata is checked, its content is not.  A NULL body needs
// the signed retention.erase event that names the entry, and a body the
// log says was erased is a page replay (retention.cpp).
Status CheckEntryAtUse(Session::Impl* impl, const EntryRow& e, bool with_body) {
  const std::string what = "entry " + e.info.id;
  SSPF_ASSIGN_OR_RETURN(std::optional<internal::EventRecord> ev,
                        internal::SignedStateEvent(impl, Action::kEntryAdd, "entry:" + e.info.id));
  if (!ev) return IntegrityViolation(what + " has no entry.add event in the log (direct edit)");
  Result<std::vector<std::string>> v = internal::DecodeDetail(Action::kEntryAdd, ev->detail);
  const std::string differs =
      what + " differs from its signed event " + std::to_string(ev->seq) + " (direct edit)";
  if (!v.ok()) return IntegrityViolation(differs);
  const std::vector<std::string>& f = *v;
  if (f[0] != e.info.id || f[1] != e.info.case_id ||
      !NameIs(f[2], CategoryName(e.info.category)) || f[3] != e.author_id ||
      !NameIs(f[4], ActorName(e.info.author_actor)) || ev->principal_id != e.author_id ||
      (f.size() > 5 && (f[5] != std::to_string(e.info.created) ||
                        f[6] != e.info.supersedes.value_or("-") ||
                        f[7] != std::to_string(e.key_version)))) {
    return IntegrityViolation(differs);
  }
  // Erased by retention (kFailedPrecondition), or a direct edit.
  if (!e.has_body) return internal::ErasedEntryAtUse(impl, e.info.case_id, e.info.id);
  SSPF_RETURN_IF_ERROR(internal::NotErasedAtUse(impl, e.info.case_id, e.info.id));
  if (!with_body) return Status::Ok();
  if (f.size() > 8 && f[8] != internal::EntryBodyCommitment(e.body)) {
    return IntegrityViolation(what + ": its content is not the content signed in event " +
                              std::to_string(ev->seq) + " (replaced)");
  }
  return Status::Ok();
}

// Every disclosure of the entry to `to`, newest first (so a denial names
// the state of the latest basis), each re-evaluated now.  A
// consent-based disclosure stays valid only while the very consents it
// named are in force and still required-complete: a withdrawal or expiry of
// any of them stops reads at once, and a new consent needs a new disclosure.
Result<std::vector<BasisState>> DisclosureStates(Session::Impl* impl, const EntryRow& e,
                                                 Actor to) {
  Db* db = impl->db.get();
  struct Row {
    std::string id, consent, grant, provision;
    bool has_consent, has_grant, has_provision, has_reason, revoked;
    std::optional<UnixSeconds> until;
  };
  std::vector<Row> rows;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT d.id, d.consent_id, d.grant_id, d.provision, "
                               "CASE WHEN d.reason <> '' OR EXISTS (SELECT 1 FROM "
                               "sealed_reasons r WHERE r.tbl = 'disclosures' AND "
                               "r.row_id = d.id) THEN 1 ELSE 0 END, d.until, "
                               "d.revoked IS NOT NULL "
                               "FROM disclosures d WHERE d.entry_id = ? AND d.to_actor = ? "
                               "ORDER BY d.rowid DESC"));
    st->Bind(1, e.info.id).Bind(2, static_cast<int64_t>(to));
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      Row r;
      r.id = st->Text(0);
      r.has_consent = !st->IsNull(1);
      r.has_grant = !st->IsNull(2);
      r.has_provision = !st->IsNull(3);
      if (r.has_consent) r.consent = st->Text(1);
      if (r.has_grant) r.grant = st->Text(2);
      if (r.has_provision) r.provision = st->Text(3);
      r.has_reason = st->Int(4) != 0;
      if (!st->IsNull(5)) r.until = st->Int(5);
      r.revoked = st->Int(6) != 0;
      rows.push_back(std::move(r));
    }
    st->Reset();
  }
  std::vector<BasisState> out;
  std::optional<std::vector<ConsentInfo>> latest;
  for (const Row& r : rows) {
    if (r.revoked) {
      BasisState b;
      b.kind = BasisKind::kDisclosureRevoked;
      b.id = r.id;
      out.push_back(std::move(b));
      continue;
    }
    // Checked at use: a revocation in the log stops the read whatever the
    // row says (a revoked column cleared by an insider).
    SSPF_RETURN_IF_ERROR(internal::CheckNotRevoked(impl, r.id));
    if (r.has_consent) {
      if (!latest) {
        SSPF_ASSIGN_OR_RETURN(latest, internal::LatestConsents(impl, e.info.case_id));
      }
      std::vector<std::string> ids = SplitIds(r.consent);
      std::vector<internal::ConsentRecord> records;
      for (const ConsentInfo& c : *latest) {
        if (std::find(ids.begin(), ids.end(), c.id) != ids.end()) {
          records.push_back(internal::ToRecord(c));
        }
      }
      SSPF_ASSIGN_OR_RETURN(
          internal::ConsentEvaluation ev,
          internal::EvaluateCaseConsent(impl, e.info.case_id, records, e.info.author_actor,
                                        to, e.info.category));
      BasisState b = internal::ConsentBasis(ev, e.info.author_actor, to, e.info.category);
      if (!ev.in_force && b.id.empty()) b.id = r.consent;
      out.push_back(std::move(b));
    } else if (r.has_grant) {
      SSPF_ASSIGN_OR_RETURN(BasisState b, GrantState(impl, r.grant));
      out.push_back(std::move(b));
    } else if (r.has_provision) {
      BasisState b;
      b.kind = r.until && impl->Now() >= *r.until ? BasisKind::kProvisionExpired
                                                  : BasisKind::kLegalProvision;
      b.id = r.id;
      b.provision = r.provision;
      b.reason_recorded = r.has_reason;
      out.push_back(std::move(b));
    } else {
      out.push_back(BasisState());
    }
  }
  return out;
}

// The kReadEntry request for one entry.
Result<internal::AccessRequest> ReadRequest(Session::Impl* impl, const EntryRow& e,
                                            bool on_team, bool has_grant) {
  internal::AccessRequest r = internal::RequestFor(impl, internal::Operation::kReadEntry);
  r.on_case_team = on_team;
  r.has_active_grant = has_grant;
  r.entry_author_actor = e.info.author_actor;
  r.category = e.info.category;
  if (e.info.author_actor != impl->me.actor && impl->me.active &&
      (impl->me.role == Role::kMember || impl->me.role == Role::kCoordinator)) {
    SSPF_ASSIGN_OR_RETURN(r.disclosures, DisclosureStates(impl, e, impl->me.actor));
  }
  return r;
}

}  // namespace

Result<std::string> Session::AddEntry(std::string_view case_id, Category category,
                                      std::string_view body,
                                      std::optional<std::string> supersedes) {
  return internal::AddEntryWith(impl_.get(), case_id, category, body, std::move(supersedes),
                                std::nullopt);
}

Result<internal::EntryHolding> internal::HoldingOf(Session::Impl* impl,
                                                   std::string_view entry_id, Actor to) {
  SSPF_ASSIGN_OR_RETURN(EntryRow row, LoadEntry(impl->db.get(), entry_id, /*with_body=*/false));
  SSPF_ASSIGN_OR_RETURN(std::vector<BasisState> states, DisclosureStates(impl, row, to));
  EntryHolding h;
  for (const BasisState& b : states) {
    h.revoked = h.revoked || b.kind == BasisKind::kDisclosureRevoked;
    h.readable = h.readable || b.kind == BasisKind::kConsentInForce ||
                 b.kind == BasisKind::kLegalProvision || b.kind == BasisKind::kGrantActive;
  }
  return h;
}

Result<std::string> internal::AddEntryWith(
    Session::Impl* impl, std::string_view case_id, Category category, std::string_view body,
    std::optional<std::string> supersedes,
    std::optional<AccessRequest::ActionOwner> status_of_action) {
  if (!ParseCategory(CategoryName(category))) return InvalidArgument("unknown category");
  if (body.size() > impl->options.max_entry_bytes) {
    return InvalidArgument("entry body is too large (limit " +
                           std::to_string(impl->options.max_entry_bytes) + " bytes)");
  }
  if (body.empty()) return InvalidArgument("entry body is empty");
  OpSpec spec{Operation::kCreateEntry, Action::kEntryAdd, "entry:?"};
  spec.case_id = std::string(case_id);
  auto facts = [&](Op& op) -> Status {
    op.request.category = category;
    op.request.status_of_action = status_of_action;
    if (supersedes) {
      // Decide refuses to supersede another actor's entry (issue 12).
      SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT author_actor FROM entries "
                                                         "WHERE id = ? AND case_id = ?"));
      st->Bind(1, *supersedes).Bind(2, case_id);
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (row) op.request.superseded_author_actor = static_cast<Actor>(st->Int(0));
      st->Reset();
    }
    return Status::Ok();
  };
  return internal::RunOperationFor<std::string>(impl, spec, facts, [&](Op& op)
                                                    -> Result<std::string> {
  Db* db = impl->db.get();
  if (!op.case_open) return FailedPrecondition("the case is closed");
  if (supersedes) {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT case_id FROM entries WHERE id = ?"));
    st->Bind(1, *supersedes);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    bool same_case = row && st->Text(0) == case_id;
    st->Reset();
    if (!same_case) {
      return InvalidArgument("the superseded entry is not an entry of this case");
    }
  }
  if (supersedes) {
    // The rule (own actor's entries only) was decided on the row; the row
    // must agree with its signed entry.add.
    SSPF_ASSIGN_OR_RETURN(EntryRow old, LoadEntry(db, *supersedes, /*with_body=*/false));
    SSPF_RETURN_IF_ERROR(CheckEntryAtUse(impl, old, /*with_body=*/false));
  }
  SSPF_ASSIGN_OR_RETURN(auto actor_key, CurrentActorKey(impl, impl->me.actor));

  EntryRow row;
  row.info.id = internal::RandomId();
  row.info.case_id = std::string(case_id);
  row.info.category = category;
  row.info.author_actor = impl->me.actor;
  row.key_version = actor_key.first;
  SSPF_ASSIGN_OR_RETURN(SecretBytes entry_key, SecretBytes::Random(internal::kKeySize));
  SSPF_ASSIGN_OR_RETURN(
      Bytes sealed_body,
      internal::AeadSeal(entry_key, reinterpret_cast<const uint8_t*>(body.data()), body.size(),
                         EntryAd(impl, row)));
  Bytes sealed_key = SealEntryKey(impl, row.info.id, impl->me.actor, actor_key.first,
                                  actor_key.second, entry_key.data(InsecureSecretAccess::Get()));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins,
      db->Prepare("INSERT INTO entries(id, case_id, category, author_id, author_actor, "
                  "created, supersedes, key_version, body) VALUES(?,?,?,?,?,?,?,?,?)"));
  const UnixSeconds created = impl->Now();
  ins->Bind(1, row.info.id).Bind(2, case_id).Bind(3, static_cast<int64_t>(category))
      .Bind(4, impl->me.id).Bind(5, static_cast<int64_t>(impl->me.actor)).Bind(6, created)
      .BindOpt(7, supersedes).Bind(8, actor_key.first).BindBlob(9, sealed_body);
  SSPF_RETURN_IF_ERROR(ins->Run());
  SSPF_ASSIGN_OR_RETURN(
      Stmt * key, db->Prepare("INSERT INTO entry_keys(entry_id, actor, actor_key_version, "
                              "sealed) VALUES(?,?,?,?)"));
  key->Bind(1, row.info.id).Bind(2, static_cast<int64_t>(impl->me.actor))
      .Bind(3, actor_key.first).BindBlob(4, sealed_key);
  SSPF_RETURN_IF_ERROR(key->Run());
  op.event.target = "entry:" + row.info.id;
  op.event.detail = EncodeDetail(Action::kEntryAdd,
                                 {row.info.id, case_id, CategoryName(category), impl->me.id,
                                  ActorName(impl->me.actor), std::to_string(created),
                                  supersedes ? *supersedes : "-",
                                  std::to_string(actor_key.first),
                                  internal::EntryBodyCommitment(sealed_body)});
  return row.info.id;
  });
}

Result<std::vector<EntryInfo>> Session::ListEntries(std::string_view case_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kListEntries, Action::kEntryList};
  spec.case_id = std::string(case_id);
  return internal::RunOperationFor<std::vector<EntryInfo>>(impl, spec, {}, [&](Op& op)
      -> Result<std::vector<EntryInfo>> {
  Db* db = impl->db.get();
  std::vector<EntryRow> rows;
  {
    static const std::string sql = std::string("SELECT ") + kEntryColumns +
                                   " FROM entries e JOIN principals p ON p.id = e.author_id "
                                   "WHERE e.case_id = ? ORDER BY e.created, e.id";
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
    st->Bind(1, case_id);
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      EntryRow er;
      ReadEntryColumns(st, &er);
      rows.push_back(std::move(er));
    }
    st->Reset();
  }
  std::vector<EntryInfo> out;
  for (EntryRow& row : rows) {
    if (op.decision.restrict_rows) {
      SSPF_ASSIGN_OR_RETURN(internal::AccessRequest rr,
                            ReadRequest(impl, row, op.request.on_case_team, op.request.has_active_grant));
      if (!internal::Decide(rr).allowed) continue;
    }
    SSPF_RETURN_IF_ERROR(LoadDisclosedTo(db, &row.info));
    out.push_back(std::move(row.info));
  }
  op.event.reason += " (" + std::to_string(out.size()) + " of " +
                     std::to_string(rows.size()) + " entries readable)";
  return out;
  });
}

Result<EntryContent> Session::ReadEntry(std::string_view entry_id, std::string_view purpose) {
  return ReadEntry(entry_id, Purpose{std::string(purpose), std::string()});
}

Result<EntryContent> Session::ReadEntry(std::string_view entry_id, const Purpose& purpose) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(std::string code, internal::StatedPurpose(impl, purpose));
  OpSpec spec{Operation::kReadEntry, Action::kEntryRead};
  spec.purpose = code;
  EntryRow row;
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(row, LoadEntry(impl->db.get(), entry_id, /*with_body=*/true));
    op.event.target = "entry:" + row.info.id;
    SSPF_RETURN_IF_ERROR(internal::LoadCase(op, row.info.case_id));
    SSPF_ASSIGN_OR_RETURN(op.request, ReadRequest(impl, row, op.request.on_case_team,
                                                  op.request.has_active_grant));
    // Last, so that every path from here logs the event that names it.
    SSPF_ASSIGN_OR_RETURN(op.event.purpose,
                          internal::WritePurposeNote(impl, code, purpose.note));
    return Status::Ok();
  };
  return internal::RunOperationFor<EntryContent>(impl, spec, facts, [&](Op& op)
                                                     -> Result<EntryContent> {
    SSPF_RETURN_IF_ERROR(CheckEntryAtUse(impl, row, /*with_body=*/true));
    // The decision allowed the read; the keys must agree.  A principal that
    // lacks its actor's key (not yet delivered) is denied and logged as such.
    internal::EphemeralKey entry_key;
    SSPF_RETURN_IF_ERROR(UnsealEntryKey(impl, row.info.id, impl->me.actor, &entry_key));
    SSPF_ASSIGN_OR_RETURN(PlainText body, internal::AeadOpen(entry_key.data(), row.body,
                                                             EntryAd(impl, row)));
    EntryContent out;
    out.info = row.info;
    out.body = std::move(body);
    out.basis = op.decision.basis;
    return out;
  });
}

Result<std::string> Session::DiscloseEntry(std::string_view entry_id, Actor to,
                                           const DisclosureBasis& basis) {
  Impl* impl = impl_.get();
  if (!ParseActor(ActorName(to))) return InvalidArgument("unknown actor");
  int named = (basis.consent_id ? 1 : 0) + (basis.grant_id ? 1 : 0) + (basis.provision ? 1 : 0);
  if (named > 1) {
    return InvalidArgument("name at most one basis: a consent, a grant or a provision");
  }
  if (basis.until && !basis.provision) {
    return InvalidArgument("an end time applies only to a disclosure under a legal provision");
  }
  if (basis.until && *basis.until <= impl->Now()) {
    return InvalidArgument("the disclosure's end time is not in the future");
  }
  // A provision disclosure ends when its rule says: without an end time it
  // gets the rule's default duration, capped at its maximum (Decide refuses
  // an end time past the maximum).
  std::optional<UnixSeconds> until = basis.until;
  if (basis.provision) {
    SSPF_RETURN_IF_ERROR(impl->CheckText("the provision", *basis.provision, true));
    const LegalProvision* rule =
        FindLegalProvision(impl->options.legal_provisions, *basis.provision);
    const bool reason_optional = rule && !rule->requires_reason && !rule->requires_balancing;
    SSPF_RETURN_IF_ERROR(impl->CheckText("the reason", basis.reason, !reason_optional));
    if (!until && rule) {
      int64_t d = rule->default_duration_seconds;
      const int64_t max = rule->max_duration_seconds;
      if (max > 0) d = d > 0 ? std::min(d, max) : max;
      if (d > 0) until = impl->Now() + d;
    }
  } else {
    SSPF_RETURN_IF_ERROR(impl->CheckText("the reason", basis.reason, false));
  }
  OpSpec spec{Operation::kDiscloseEntry, Action::kEntryDisclose};
  Db* db = impl->db.get();
  EntryRow row;
  auto facts = [&](Op& op) -> Status {
  SSPF_ASSIGN_OR_RETURN(row, LoadEntry(db, entry_id, /*with_body=*/false));
  const std::string& case_id = row.info.case_id;
  op.event.target = "entry:" + row.info.id;
  SSPF_RETURN_IF_ERROR(internal::LoadCase(op, case_id));
  internal::AccessRequest& r = op.request;
  r.entry_author_actor = row.info.author_actor;
  r.category = row.info.category;
  r.disclose_to = to;

  const Actor from = row.info.author_actor;
  const Category cat = row.info.category;
  if (basis.grant_id) {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT g.case_id, p.actor FROM grants g JOIN principals p "
                               "ON p.id = g.principal_id WHERE g.id = ?"));
    st->Bind(1, *basis.grant_id);
    SSPF_ASSIGN_OR_RETURN(bool found, st->Step());
    std::string grant_case = found ? st->Text(0) : std::string();
    Actor holder = found ? static_cast<Actor>(st->Int(1)) : Actor::kSchool;
    st->Reset();
    if (!found || grant_case != case_id) {
      return InvalidArgument("grant " + *basis.grant_id + " is not a grant for this case");
    }
    if (holder != to) {
      return InvalidArgument("grant " + *basis.grant_id +
                             " is held by a principal of another actor than " + ActorName(to));
    }
    SSPF_ASSIGN_OR_RETURN(r.basis, GrantState(impl, *basis.grant_id));
  } else if (basis.provision) {
    SSPF_RETURN_IF_ERROR(
        internal::AddProvisionFacts(impl, case_id, *basis.provision, &r, &r.basis));
    r.basis.reason_recorded = !basis.reason.empty();
    if (until) r.basis.duration_seconds = *until - impl->Now();
    r.recipient_is_authority = impl->options.public_authorities.IsAuthority(to);
  } else {
    SSPF_ASSIGN_OR_RETURN(std::vector<ConsentInfo> latest, internal::LatestConsents(impl, case_id));
    std::vector<internal::ConsentRecord> records;
    if (basis.consent_id) {
      auto named_it = std::find_if(latest.begin(), latest.end(), [&](const ConsentInfo& c) {
        return c.id == *basis.consent_id;
      });
      if (named_it == latest.end()) {
        return InvalidArgument("consent " + *basis.consent_id + " is not a consent of this case");
      }
      // The named consent stands for its party; the other parties' consents
      // must be in force as well.
      const ConsentParty party = named_it->party;
      for (const ConsentInfo& c : latest) {
        bool same_party = c.party.youth == party.youth &&
                          (party.youth || c.party.guardian_id == party.guardian_id);
        if (!same_party || c.id == *basis.consent_id) records.push_back(internal::ToRecord(c));
      }
    } else {
      for (const ConsentInfo& c : latest) records.push_back(internal::ToRecord(c));
    }
    SSPF_ASSIGN_OR_RETURN(internal::ConsentEvaluation ev,
                          internal::EvaluateCaseConsent(impl, case_id, records, from, to, cat));
    r.basis = internal::ConsentBasis(ev, from, to, cat);
    if (!ev.in_force && basis.consent_id && r.basis.id.empty()) r.basis.id = *basis.consent_id;
  }
  return Status::Ok();
  };
  return internal::RunOperationFor<std::string>(impl, spec, facts, [&](Op& op)
                                                    -> Result<std::string> {
  const Actor from = row.info.author_actor;
  const internal::AccessRequest& r = op.request;
  SSPF_RETURN_IF_ERROR(CheckEntryAtUse(impl, row, /*with_body=*/false));
  SSPF_ASSIGN_OR_RETURN(auto recipient_key, CurrentActorKey(impl, to));
  internal::EphemeralKey entry_key;
  SSPF_RETURN_IF_ERROR(UnsealEntryKey(impl, row.info.id, from, &entry_key));
  Bytes sealed = SealEntryKey(impl, row.info.id, to, recipient_key.first, recipient_key.second,
                              entry_key.data());
  SSPF_ASSIGN_OR_RETURN(
      Stmt * key, db->Prepare("INSERT OR REPLACE INTO entry_keys(entry_id, actor, "
                              "actor_key_version, sealed) VALUES(?,?,?,?)"));
  key->Bind(1, row.info.id).Bind(2, static_cast<int64_t>(to)).Bind(3, recipient_key.first)
      .BindBlob(4, sealed);
  SSPF_RETURN_IF_ERROR(key->Run());

  std::string id = internal::RandomId();
  std::string detail_basis;
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins,
      db->Prepare("INSERT INTO disclosures(id, entry_id, to_actor, consent_id, grant_id, "
                  "provision, reason, decided_by, created, until) "
                  "VALUES(?,?,?,?,?,?,?,?,?,?)"));
  ins->Bind(1, id).Bind(2, row.info.id).Bind(3, static_cast<int64_t>(to));
  if (basis.grant_id) {
    ins->BindNull(4).Bind(5, *basis.grant_id).BindNull(6);
    detail_basis = "grant:" + *basis.grant_id;
  } else if (basis.provision) {
    ins->BindNull(4).BindNull(5).Bind(6, r.basis.provision);
    detail_basis = until ? "provision-until:" + std::to_string(*until) : "provision";
  } else {
    ins->Bind(4, r.basis.id).BindNull(5).BindNull(6);
    detail_basis = "consent:" + r.basis.id;
  }
  const UnixSeconds created = impl->Now();
  // The reason column stays empty: the text is sealed (DESIGN §13).
  ins->Bind(7, "").Bind(8, impl->me.id).Bind(9, created).BindOpt(10, until);
  SSPF_RETURN_IF_ERROR(ins->Run());
  SSPF_ASSIGN_OR_RETURN(std::string commitment,
                        internal::SealReason(impl, internal::kDisclosuresTable, id, basis.reason,
                                             {impl->me.actor, to}));
  op.event.detail = EncodeDetail(Action::kEntryDisclose,
                                 {id, row.info.id, ActorName(to), detail_basis, impl->me.id,
                                  std::to_string(created), commitment});
  return id;
  });
}

Result<uint64_t> Session::RewrapEntryKeys(
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  Impl* impl = impl_.get();
  uint64_t done = 0, total = 0;
  for (bool first = true;; first = false) {
    OpSpec spec{Operation::kRewrapEntryKeys, Action::kEntryKeysRewrap,
                std::string("actor:") + ActorName(impl->me.actor)};
    spec.refused_in_batch = "key changes cannot run inside a batch";
    // One batch, one transaction, one event: a kill -9 between batches (or
    // inside one) leaves every entry key sealed to the old version or, in
    // a committed batch, to the new one; never neither.
    Result<uint64_t> batch = internal::RunOperationFor<uint64_t>(
        impl, spec, {}, [&](Op& op) -> Result<uint64_t> {
          Db* db = impl->db.get();
          const Actor actor = impl->me.actor;
          SSPF_ASSIGN_OR_RETURN(auto newest, CurrentActorKey(impl, actor));
          if (first) {
            SSPF_ASSIGN_OR_RETURN(
                Stmt * count, db->Prepare("SELECT count(*) FROM entry_keys WHERE actor = ? "
                                          "AND actor_key_version < ?"));
            count->Bind(1, static_cast<int64_t>(actor)).Bind(2, newest.first);
            SSPF_ASSIGN_OR_RETURN(bool row, count->Step());
            total = row ? static_cast<uint64_t>(count->Int(0)) : 0;
            count->Reset();
          }
          std::vector<std::string> ids;
          SSPF_ASSIGN_OR_RETURN(
              Stmt * st, db->Prepare("SELECT entry_id FROM entry_keys WHERE actor = ? AND "
                                     "actor_key_version < ? ORDER BY entry_id LIMIT ?"));
          st->Bind(1, static_cast<int64_t>(actor)).Bind(2, newest.first)
              .Bind(3, static_cast<int64_t>(kRewrapBatchSize));
          for (;;) {
            SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
            if (!row) break;
            ids.push_back(st->Text(0));
          }
          st->Reset();
          SSPF_ASSIGN_OR_RETURN(
              Stmt * upd, db->Prepare("UPDATE entry_keys SET actor_key_version = ?, "
                                      "sealed = ? WHERE entry_id = ? AND actor = ?"));
          for (const std::string& id : ids) {
            internal::EphemeralKey entry_key;
            SSPF_RETURN_IF_ERROR(UnsealEntryKey(impl, id, actor, &entry_key));
            Bytes sealed =
                SealEntryKey(impl, id, actor, newest.first, newest.second, entry_key.data());
            upd->Bind(1, newest.first).BindBlob(2, sealed).Bind(3, id)
                .Bind(4, static_cast<int64_t>(actor));
            Status s = upd->Run();
            upd->Reset();
            SSPF_RETURN_IF_ERROR(s);
          }
          op.event.reason += " (" + std::to_string(ids.size()) +
                             " entry keys to version " + std::to_string(newest.first) + ")";
          return static_cast<uint64_t>(ids.size());
        });
    if (!batch.ok()) return batch.status();
    done += *batch;
    if (total < done) total = done;  // entries added while it runs
    if (progress && (*batch > 0 || first)) progress(done, total);
    if (*batch < kRewrapBatchSize) return done;
  }
}

Result<std::string> Session::GrantEmergency(std::string_view case_id,
                                            std::string_view provision,
                                            std::string_view reason, int hours) {
  SSPF_ASSIGN_OR_RETURN(GrantInfo g, GrantEmergencyInfo(case_id, provision, reason, hours));
  return g.id;
}

Result<GrantInfo> Session::GrantEmergencyInfo(std::string_view case_id,
                                              std::string_view provision,
                                              std::string_view reason, int hours) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the provision", provision, true));
  SSPF_RETURN_IF_ERROR(impl->CheckText("the reason", reason, true));
  if (hours < 1 || hours > kMaxGrantHours) {
    return InvalidArgument("a grant lasts 1 to " + std::to_string(kMaxGrantHours) + " hours");
  }
  OpSpec spec{Operation::kEmergencyGrant, Action::kGrantEmergency, "grant:?"};
  spec.case_id = std::string(case_id);
  auto facts = [&](Op& op) -> Status {
    SSPF_RETURN_IF_ERROR(internal::AddProvisionFacts(impl, case_id, provision, &op.request,
                                                     &op.request.basis));
    op.request.basis.reason_recorded = true;
    op.request.basis.duration_seconds = static_cast<int64_t>(hours) * 3600;
    return Status::Ok();
  };
  return internal::RunOperationFor<GrantInfo>(impl, spec, facts, [&](Op& op)
                                                  -> Result<GrantInfo> {
  if (!op.case_open) return FailedPrecondition("the case is closed");
  std::string id = internal::RandomId();
  const UnixSeconds now = impl->Now();
  const UnixSeconds until = now + static_cast<UnixSeconds>(hours) * 3600;
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins, impl->db->Prepare("INSERT INTO grants(id, case_id, principal_id, provision, "
                                    "reason, created, until) VALUES(?,?,?,?,?,?,?)"));
  ins->Bind(1, id).Bind(2, case_id).Bind(3, impl->me.id).Bind(4, op.request.basis.provision)
      .Bind(5, "")
      .Bind(6, now).Bind(7, until);
  SSPF_RETURN_IF_ERROR(ins->Run());
  SSPF_ASSIGN_OR_RETURN(std::string commitment,
                        internal::SealReason(impl, internal::kGrantsTable, id, reason,
                                             {impl->me.actor}));
  op.event.target = "grant:" + id;
  op.event.detail = EncodeDetail(Action::kGrantEmergency,
                                 {id, case_id, impl->me.id, std::to_string(until), commitment});
  GrantInfo g;
  g.id = id;
  g.case_id = std::string(case_id);
  g.principal_id = impl->me.id;
  g.provision = op.request.basis.provision;
  g.from = now;
  g.until = until;
  return g;
  });
}

namespace internal {

Result<EntryHead> CheckedEntryHead(Session::Impl* impl, std::string_view entry_id) {
  SSPF_ASSIGN_OR_RETURN(EntryRow row, LoadEntry(impl->db.get(), entry_id, /*with_body=*/false));
  SSPF_RETURN_IF_ERROR(CheckEntryAtUse(impl, row, /*with_body=*/false));
  return EntryHead{row.info.case_id, row.info.author_actor};
}

}  // namespace internal

}  // namespace sspf
