// Encrypted reasons (DESIGN §13) and the auditors' oversight key.
//
// The free-text reason of a disclosure or an emergency grant is encrypted
// with its own random key (XChaCha20-Poly1305, AD = store id, table, row
// id).  The plaintext is a random salt followed by the text; the key is
// sealed to the deciding actor's and the receiving actor's current
// certified actor keys and to the certified oversight key, whose secret
// only auditors hold.  The event's replay detail carries a salted
// commitment of the text, never the text, so `audit verify` can tell a
// replaced reason from the one that was logged.
#include <algorithm>

#include "context/trust.h"
#include "domain/domain_internal.h"
#include "storage/certificates_table.h"

namespace sspf {

using internal::Db;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {
namespace {

std::string ActorHolder(Actor a, int64_t version) {
  return "actor:" + std::to_string(static_cast<int>(a)) + ":" + std::to_string(version);
}

std::string OversightHolder(int64_t version) { return "oversight:" + std::to_string(version); }

// The newest oversight key, checked against its certificate; nullopt only
// while no auditor was ever added (no oversight certificate, no auditor
// row).  Anything else without a key is an insider's deletion.
Result<std::optional<std::pair<int64_t, Bytes>>> CurrentOversightKey(Session::Impl* impl) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT version, public_key FROM oversight_keys "
                                               "ORDER BY version DESC LIMIT 1"));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::pair<int64_t, Bytes>> out;
  if (row) out.emplace(st->Int(0), st->Blob(1));
  st->Reset();
  if (out) {
    SSPF_RETURN_IF_ERROR(CheckOversightKeyCert(impl, out->first, out->second));
    return out;
  }
  SSPF_ASSIGN_OR_RETURN(
      Stmt * any, db->Prepare("SELECT (SELECT count(*) FROM certificates WHERE kind = ?) + "
                              "(SELECT count(*) FROM principals WHERE role = ?)"));
  any->Bind(1, static_cast<int64_t>(CertKind::kOversightKey))
      .Bind(2, static_cast<int64_t>(Role::kAuditor));
  SSPF_ASSIGN_OR_RETURN(bool counted, any->Step());
  const int64_t n = counted ? any->Int(0) : 0;
  any->Reset();
  if (n > 0) return IntegrityViolation("the oversight key is missing although auditors exist");
  return out;
}

Status InsertOversightSeal(Db* db, int64_t version, const std::string& principal_id,
                           const Bytes& sealed) {
  SSPF_ASSIGN_OR_RETURN(Stmt * ins,
                        db->Prepare("INSERT INTO oversight_seals(version, principal_id, sealed) "
                                    "VALUES(?,?,?)"));
  ins->Bind(1, version).Bind(2, principal_id).BindBlob(3, sealed);
  return ins->Run();
}

}  // namespace

Status EnsureOversightKey(Session::Impl* impl, const std::string& auditor_id,
                          const Bytes& auditor_pk) {
  Db* db = impl->db.get();
  // The newest version, and whether anyone still holds it.
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT k.version, EXISTS (SELECT 1 FROM oversight_seals s WHERE "
                             "s.version = k.version) FROM oversight_keys k "
                             "ORDER BY k.version DESC LIMIT 1"));
  SSPF_ASSIGN_OR_RETURN(bool exists, st->Step());
  const int64_t newest = exists ? st->Int(0) : 0;
  const bool held = exists && st->Int(1) != 0;
  st->Reset();
  // Later auditors receive it from an auditor at their first unlock.  When
  // nobody holds it any more (its only auditors disabled or reset), a new
  // version takes over for new reasons.
  if (held) return Status::Ok();
  const int64_t version = newest + 1;
  SSPF_ASSIGN_OR_RETURN(BoxKeyPair kp, NewBoxKeyPair());
  SSPF_RETURN_IF_ERROR(CertifyOversightKey(impl, version, kp.public_key));
  SSPF_ASSIGN_OR_RETURN(Stmt * ins, db->Prepare("INSERT INTO oversight_keys(version, "
                                                "public_key, created) VALUES(?, ?, ?)"));
  ins->Bind(1, version).BindBlob(2, kp.public_key).Bind(3, impl->Now());
  SSPF_RETURN_IF_ERROR(ins->Run());
  return InsertOversightSeal(
      db, version, auditor_id,
      SealKeyWithHeader(OversightSealAd(version), kp.secret_key, auditor_pk));
}

Result<std::string> SealReason(Session::Impl* impl, std::string_view table,
                               const std::string& row_id, std::string_view text,
                               std::vector<Actor> actors) {
  if (text.empty()) return std::string("-");
  Db* db = impl->db.get();
  // Every target is checked against its certificate before anything is
  // sealed: a planted key gets nothing.
  std::vector<std::pair<std::string, Bytes>> holders;
  std::sort(actors.begin(), actors.end());
  actors.erase(std::unique(actors.begin(), actors.end()), actors.end());
  for (Actor a : actors) {
    SSPF_ASSIGN_OR_RETURN(auto key, CurrentActorKey(impl, a));
    holders.emplace_back(ActorHolder(a, key.first), key.second);
  }
  SSPF_ASSIGN_OR_RETURN(auto oversight, CurrentOversightKey(impl));
  if (oversight) holders.emplace_back(OversightHolder(oversight->first), oversight->second);

  SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Random(kKeySize));
  SecureBuffer plain(kReasonSaltSize + text.size());
  const Bytes salt = RandomBytes(kReasonSaltSize);
  std::copy(salt.begin(), salt.end(), plain.begin());
  std::copy(text.begin(), text.end(), plain.begin() + kReasonSaltSize);
  SSPF_ASSIGN_OR_RETURN(Bytes commitment, ReasonCommitment(plain.data(), text));
  SSPF_ASSIGN_OR_RETURN(Bytes ciphertext,
                        AeadSeal(key, plain.data(), plain.size(),
                                 ReasonAd(impl->store_id_bytes, table, row_id)));
  SSPF_ASSIGN_OR_RETURN(Stmt * ins,
                        db->Prepare("INSERT INTO sealed_reasons(tbl, row_id, commitment, "
                                    "ciphertext) VALUES(?,?,?,?)"));
  ins->Bind(1, table).Bind(2, row_id).BindBlob(3, commitment).BindBlob(4, ciphertext);
  SSPF_RETURN_IF_ERROR(ins->Run());
  SSPF_ASSIGN_OR_RETURN(Stmt * seal,
                        db->Prepare("INSERT INTO reason_seals(tbl, row_id, holder, sealed) "
                                    "VALUES(?,?,?,?)"));
  for (const auto& [holder, pk] : holders) {
    Bytes msg = ReasonKeyHeader(impl->store_id_bytes, table, row_id, holder);
    Bytes sealed = SealKeyWithHeader(msg, key, pk);
    seal->Bind(1, table).Bind(2, row_id).Bind(3, holder).BindBlob(4, sealed);
    Status s = seal->Run();
    seal->Reset();
    SSPF_RETURN_IF_ERROR(s);
  }
  return HexEncode(commitment);
}

}  // namespace internal

namespace {

// A reason row of the listing: given (a sealed row, or a legacy plaintext
// column from before schema 3) and decrypted when this session can.
Status FillReason(Session::Impl* impl, std::string_view table, const std::string& legacy,
                  bool sealed, ReasonInfo* r) {
  if (!sealed) {
    if (!legacy.empty()) r->reason = legacy;
    return Status::Ok();
  }
  SSPF_ASSIGN_OR_RETURN(std::optional<std::string> text,
                        internal::OpenReason(impl, table, r->id));
  r->reason = std::move(text);
  r->reason_sealed = !r->reason.has_value();
  return Status::Ok();
}

}  // namespace

namespace internal {
OpSpec SealedListingSpec(Session::Impl* impl, Action action, std::string_view case_id) {
  OpSpec spec{impl->me.role == Role::kAuditor ? Operation::kAuditRead : Operation::kShowCase,
              action};
  spec.case_id = std::string(case_id);
  return spec;
}
}  // namespace internal

Result<std::vector<ReasonInfo>> Session::ListReasons(std::string_view case_id) {
  Impl* impl = impl_.get();
  const OpSpec spec = internal::SealedListingSpec(impl, Action::kReasonList, case_id);
  return internal::RunOperationFor<std::vector<ReasonInfo>>(
      impl, spec, {}, [&](Op&) -> Result<std::vector<ReasonInfo>> {
        Db* db = impl->db.get();
        std::vector<ReasonInfo> out;
        std::vector<std::pair<std::string, bool>> raw;  // legacy text, sealed
        SSPF_ASSIGN_OR_RETURN(
            Stmt * d,
            db->Prepare("SELECT d.id, d.entry_id, d.to_actor, d.provision, d.decided_by, "
                        "d.created, d.reason, EXISTS (SELECT 1 FROM sealed_reasons r WHERE "
                        "r.tbl = 'disclosures' AND r.row_id = d.id) FROM disclosures d "
                        "JOIN entries e ON e.id = d.entry_id WHERE e.case_id = ? "
                        "ORDER BY d.created, d.id"));
        d->Bind(1, case_id);
        SSPF_RETURN_IF_ERROR(internal::ForEachRow(d, [&]() -> Status {
          ReasonInfo r;
          r.kind = "disclosure";
          r.id = d->Text(0);
          r.case_id = std::string(case_id);
          r.entry_id = d->Text(1);
          r.to = static_cast<Actor>(d->Int(2));
          if (!d->IsNull(3)) r.provision = d->Text(3);
          r.decided_by = d->Text(4);
          r.created = d->Int(5);
          raw.emplace_back(d->Text(6), d->Int(7) != 0);
          out.push_back(std::move(r));
          return Status::Ok();
        }));
        SSPF_ASSIGN_OR_RETURN(
            Stmt * g,
            db->Prepare("SELECT g.id, g.principal_id, g.provision, g.created, g.reason, "
                        "EXISTS (SELECT 1 FROM sealed_reasons r WHERE r.tbl = 'grants' AND "
                        "r.row_id = g.id) FROM grants g WHERE g.case_id = ? "
                        "ORDER BY g.created, g.id"));
        g->Bind(1, case_id);
        SSPF_RETURN_IF_ERROR(internal::ForEachRow(g, [&]() -> Status {
          ReasonInfo r;
          r.kind = "grant";
          r.id = g->Text(0);
          r.case_id = std::string(case_id);
          r.decided_by = g->Text(1);
          r.provision = g->Text(2);
          r.created = g->Int(3);
          raw.emplace_back(g->Text(4), g->Int(5) != 0);
          out.push_back(std::move(r));
          return Status::Ok();
        }));
        for (size_t i = 0; i < out.size(); ++i) {
          const char* table =
              out[i].kind == "grant" ? internal::kGrantsTable : internal::kDisclosuresTable;
          SSPF_RETURN_IF_ERROR(FillReason(impl, table, raw[i].first, raw[i].second, &out[i]));
        }
        std::stable_sort(out.begin(), out.end(), [](const ReasonInfo& a, const ReasonInfo& b) {
          return a.created < b.created;
        });
        return out;
      });
}

}  // namespace sspf
