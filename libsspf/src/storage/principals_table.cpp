#include "storage/principals_table.h"

namespace sspf::internal {
namespace {

constexpr char kColumns[] = "id, name, actor, role, active, created, box_public_key";

PrincipalRow ReadRow(const Stmt* st) {
  PrincipalRow r;
  r.info.id = st->Text(0);
  r.info.name = st->Text(1);
  r.info.actor = static_cast<Actor>(st->Int(2));
  r.info.role = static_cast<Role>(st->Int(3));
  r.info.active = st->Int(4) != 0;
  r.info.created = st->Int(5);
  r.box_public_key = st->Blob(6);
  return r;
}

Result<std::optional<PrincipalRow>> One(Db* db, const char* where, std::string_view key) {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM principals WHERE " + where;
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  st->Bind(1, key);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<PrincipalRow> out;
  if (row) out = ReadRow(st);
  st->Reset();
  return out;
}

}  // namespace

Status InsertPrincipal(Db* db, const PrincipalRow& row) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("INSERT INTO principals(id, name, actor, role, active, created, "
                             "box_public_key) VALUES(?,?,?,?,1,?,?)"));
  st->Bind(1, row.info.id).Bind(2, row.info.name)
      .Bind(3, static_cast<int64_t>(row.info.actor))
      .Bind(4, static_cast<int64_t>(row.info.role)).Bind(5, row.info.created)
      .BindBlob(6, row.box_public_key);
  return st->Run();
}

Result<std::optional<PrincipalRow>> PrincipalByName(Db* db, std::string_view name) {
  return One(db, "name = ?", name);
}

Result<std::optional<PrincipalRow>> PrincipalById(Db* db, std::string_view id) {
  return One(db, "id = ?", id);
}

Result<std::vector<PrincipalRow>> AllPrincipals(Db* db) {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM principals ORDER BY name";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  std::vector<PrincipalRow> out;
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadRow(st));
  }
  st->Reset();
  return out;
}

Status DisablePrincipalRow(Db* db, std::string_view id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("UPDATE principals SET active = 0 WHERE id = ?"));
  st->Bind(1, id);
  return st->Run();
}

Status DeletePrincipalSeals(Db* db, std::string_view id) {
  for (const char* sql : {"DELETE FROM actor_key_seals WHERE principal_id = ?",
                          "DELETE FROM oversight_seals WHERE principal_id = ?"}) {
    SSPF_ASSIGN_OR_RETURN(Stmt * del, db->Prepare(sql));
    del->Bind(1, id);
    SSPF_RETURN_IF_ERROR(del->Run());
  }
  return Status::Ok();
}

Status SetPrincipalBoxKey(Db* db, std::string_view id, const Bytes& box_public_key) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("UPDATE principals SET box_public_key = ? WHERE id = ?"));
  st->BindBlob(1, box_public_key).Bind(2, id);
  return st->Run();
}

}  // namespace sspf::internal
