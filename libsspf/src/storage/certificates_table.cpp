#include "storage/certificates_table.h"

namespace sspf::internal {
namespace {

CertRow ReadRow(const Stmt* st) {
  CertRow r;
  r.kind = static_cast<CertKind>(st->Int(0));
  r.subject = st->Text(1);
  r.version = st->Int(2);
  r.body = st->Blob(3);
  r.signature = st->Blob(4);
  r.created = st->Int(5);
  return r;
}

}  // namespace

std::string ActorKeySubject(Actor actor, int64_t version) {
  return std::to_string(static_cast<int>(actor)) + ":" + std::to_string(version);
}

std::string OversightKeySubject(int64_t version) {
  return "oversight:" + std::to_string(version);
}

Status InsertCert(Db* db, const CertRow& row) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("INSERT INTO certificates(kind, subject, version, body, "
                             "signature, created) VALUES(?,?,?,?,?,?)"));
  st->Bind(1, static_cast<int64_t>(row.kind)).Bind(2, row.subject).Bind(3, row.version)
      .BindBlob(4, row.body).BindBlob(5, row.signature).Bind(6, row.created);
  return st->Run();
}

Result<std::optional<CertRow>> LatestCert(Db* db, CertKind kind, std::string_view subject) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT kind, subject, version, body, signature, created "
                             "FROM certificates WHERE kind = ? AND subject = ? "
                             "ORDER BY version DESC LIMIT 1"));
  st->Bind(1, static_cast<int64_t>(kind)).Bind(2, subject);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<CertRow> out;
  if (row) out = ReadRow(st);
  st->Reset();
  return out;
}

Status ForEachCert(Db* db, const std::function<Status(const CertRow&)>& fn) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT kind, subject, version, body, signature, created "
                             "FROM certificates ORDER BY kind, subject, version"));
  return ForEachRow(st, [&] { return fn(ReadRow(st)); });
}

Status ForEachCertOf(Db* db, CertKind kind, std::string_view subject,
                    const std::function<Status(const CertRow&)>& fn) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT kind, subject, version, body, signature, created "
                             "FROM certificates WHERE kind = ? AND subject = ? "
                             "ORDER BY version"));
  st->Bind(1, static_cast<int64_t>(kind)).Bind(2, subject);
  return ForEachRow(st, [&] { return fn(ReadRow(st)); });
}

Status PutAuthoritySeal(Db* db, std::string_view principal_id, const Bytes& sealed) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("INSERT OR REPLACE INTO authority_seals("
                                               "principal_id, sealed) VALUES(?,?)"));
  st->Bind(1, principal_id).BindBlob(2, sealed);
  return st->Run();
}

Result<std::optional<Bytes>> AuthoritySeal(Db* db, std::string_view principal_id) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT sealed FROM authority_seals WHERE principal_id = ?"));
  st->Bind(1, principal_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<Bytes> out;
  if (row) out = st->Blob(0);
  st->Reset();
  return out;
}

Status DeleteAuthoritySeal(Db* db, std::string_view principal_id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("DELETE FROM authority_seals WHERE principal_id = ?"));
  st->Bind(1, principal_id);
  return st->Run();
}

}  // namespace sspf::internal
