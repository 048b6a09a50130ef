// Opening sealed reasons (context/sealed_reasons.h).
#include "context/sealed_reasons.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "keys/key_hierarchy.h"

namespace sspf::internal {

Result<std::optional<std::string>> OpenReason(Session::Impl* impl, std::string_view table,
                                              const std::string& row_id) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT commitment, ciphertext FROM sealed_reasons "
                                    "WHERE tbl = ? AND row_id = ?"));
  st->Bind(1, table).Bind(2, row_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return IntegrityViolation(std::string(table) + " row " + row_id +
                              ": its sealed reason is missing");
  }
  const Bytes commitment = st->Blob(0);
  const Bytes ciphertext = st->Blob(1);
  st->Reset();
  // The holders this session can open: its own actor's key versions, or
  // for an auditor the oversight key.
  std::vector<std::pair<std::string, Bytes>> seals;
  SSPF_ASSIGN_OR_RETURN(Stmt * hs, db->Prepare("SELECT holder, sealed FROM reason_seals "
                                               "WHERE tbl = ? AND row_id = ? ORDER BY holder"));
  hs->Bind(1, table).Bind(2, row_id);
  SSPF_RETURN_IF_ERROR(ForEachRow(hs, [&]() -> Status {
    seals.emplace_back(hs->Text(0), hs->Blob(1));
    return Status::Ok();
  }));
  const bool content_role = impl->me.role == Role::kMember || impl->me.role == Role::kCoordinator;
  const std::string mine = "actor:" + std::to_string(static_cast<int>(impl->me.actor)) + ":";
  for (const auto& [holder, sealed] : seals) {
    const SecretBytes* sk = nullptr;
    Bytes pk;
    if (content_role && holder.rfind(mine, 0) == 0) {
      const int64_t v = std::atoll(holder.c_str() + mine.size());
      Result<const SecretBytes*> k = impl->ActorKey(impl->me.actor, v);
      if (!k.ok()) continue;
      sk = *k;
      pk = impl->actor_public_keys[{impl->me.actor, v}];
    } else if (impl->me.role == Role::kAuditor && holder.rfind("oversight:", 0) == 0) {
      const int64_t v = std::atoll(holder.c_str() + 10);
      Result<const SecretBytes*> k = impl->OversightKey(v);
      if (!k.ok()) continue;
      sk = *k;
      pk = impl->oversight_public_keys[v];
    } else {
      continue;
    }
    const Bytes header = ReasonKeyHeader(impl->store_id_bytes, table, row_id, holder);
    SSPF_ASSIGN_OR_RETURN(SecretBytes plain, SealOpen(pk, *sk, sealed));
    const uint8_t* p = plain.data(InsecureSecretAccess::Get());
    if (plain.size() != header.size() + kKeySize || !std::equal(header.begin(), header.end(), p)) {
      return IntegrityViolation(std::string(table) + " row " + row_id +
                                ": a reason key seal is bound to another row or holder");
    }
    SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Copy(p + header.size(), kKeySize));
    Result<SecureBuffer> text =
        AeadOpen(key, ciphertext, ReasonAd(impl->store_id_bytes, table, row_id));
    if (!text.ok() || text->size() < kReasonSaltSize) {
      return IntegrityViolation(std::string(table) + " row " + row_id +
                                ": the reason does not decrypt (replaced ciphertext)");
    }
    std::string out(text->begin() + kReasonSaltSize, text->end());
    SSPF_ASSIGN_OR_RETURN(Bytes check, ReasonCommitment(text->data(), out));
    if (check != commitment) {
      SecureWipe(out.data(), out.size());
      return IntegrityViolation(std::string(table) + " row " + row_id +
                                ": the reason does not match its commitment (replaced)");
    }
    return std::optional<std::string>(std::move(out));
  }
  return std::optional<std::string>();
}

Status CheckSealedReasons(Session::Impl* impl) {
  if (impl->me.role != Role::kAuditor) return Status::Ok();
  std::vector<std::pair<std::string, std::string>> rows;
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT tbl, row_id FROM sealed_reasons "
                                                     "ORDER BY tbl, row_id"));
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    rows.emplace_back(st->Text(0), st->Text(1));
    return Status::Ok();
  }));
  for (const auto& [table, id] : rows) {
    SSPF_ASSIGN_OR_RETURN(std::optional<std::string> text, OpenReason(impl, table, id));
    if (text) SecureWipe(text->data(), text->size());
  }
  return Status::Ok();
}

}  // namespace sspf::internal
