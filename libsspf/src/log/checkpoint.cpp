#include "log/checkpoint.h"

#include <algorithm>

#include "log/audit_log.h"

namespace sspf::internal {

std::string LogOrigin(const std::string& store_id_hex) {
  return "sspf.local/" + store_id_hex;
}

std::string PrincipalNoteKeyName(const std::string& store_id_hex, const std::string& signer_id) {
  return LogOrigin(store_id_hex) + "/" + signer_id;
}

Result<VerifierKey> StoreVerifierKey(const std::string& store_id_hex, const Bytes& public_key) {
  if (public_key.size() != kEd25519PublicKeySize) {
    return IntegrityViolation("the store's audit public key is malformed");
  }
  Ed25519PublicKey pk;
  std::copy(public_key.begin(), public_key.end(), pk.begin());
  return MakeVerifierKey(LogOrigin(store_id_hex), pk);
}

Result<std::string> MakeCheckpoint(Db* db, const CheckpointSigner& signer, UnixSeconds now) {
  SSPF_ASSIGN_OR_RETURN(uint64_t size, LogSize(db));
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db->Prepare("SELECT note FROM checkpoints WHERE tree_size = ?"));
    st->Bind(1, static_cast<int64_t>(size));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row) {
      std::string note = st->Text(0);
      st->Reset();
      return note;
    }
  }
  DbSubtreeSource source(db);
  SSPF_ASSIGN_OR_RETURN(Hash root, RootAt(source, size));
  SSPF_ASSIGN_OR_RETURN(std::string note, SignCheckpoint(signer, size, root));
  SSPF_RETURN_IF_ERROR(StoreCheckpoint(db, size, note, now));
  return note;
}

Result<std::string> SignCheckpoint(const CheckpointSigner& signer, uint64_t size,
                                   const Hash& root) {
  Checkpoint cp;
  cp.origin = LogOrigin(signer.store_id);
  cp.size = size;
  cp.root = root;
  SSPF_ASSIGN_OR_RETURN(std::string body, FormatCheckpoint(cp));
  // The maker's signature line first, the store key's last.
  SSPF_ASSIGN_OR_RETURN(
      std::string made,
      SignNote(body, PrincipalNoteKeyName(signer.store_id, signer.principal_id),
               *signer.principal_key));
  return CosignNote(made, cp.origin, *signer.secret_key);
}

Status StoreCheckpoint(Db* db, uint64_t size, const std::string& note, UnixSeconds now) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins,
      db->Prepare("INSERT INTO checkpoints(tree_size, created, note) VALUES(?,?,?)"));
  ins->Bind(1, static_cast<int64_t>(size)).Bind(2, now).Bind(3, note);
  return ins->Run();
}

Status MaybeAutoCheckpoint(Db* db, const CheckpointSigner& signer, UnixSeconds now,
                           uint64_t log_size) {
  if (signer.every_events == 0 && signer.every_seconds == 0) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st,
      db->Prepare("SELECT tree_size, created FROM checkpoints "
                  "ORDER BY tree_size DESC LIMIT 1"));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  uint64_t last_size = row ? static_cast<uint64_t>(st->Int(0)) : 0;
  UnixSeconds last_time = row ? st->Int(1) : 0;
  st->Reset();
  const uint64_t size = log_size;
  if (size <= last_size) return Status::Ok();
  bool due = (signer.every_events != 0 && size - last_size >= signer.every_events) ||
             (signer.every_seconds != 0 && row && now - last_time >= signer.every_seconds);
  if (!due) return Status::Ok();
  return MakeCheckpoint(db, signer, now).status();
}

}  // namespace sspf::internal
