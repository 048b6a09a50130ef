// Session::ResolveId: ids by a unique prefix (sspf/store.h), for people who
// type them.  Every table whose rows a command names by id is searched by a
// range on its primary key, so a lookup costs one b-tree descent per table.
#include <algorithm>
#include <cctype>

#include "domain/domain_internal.h"

namespace sspf {

using internal::Db;
using internal::Stmt;

namespace {

constexpr size_t kMinPrefix = 6;
constexpr size_t kFullId = 32;
constexpr size_t kMaxCandidates = 10;

struct IdTable {
  const char* kind;
  const char* sql;  // ?1: the prefix; ?2: just above every id with it
};

// The ids are lowercase hex, so every id starting with p sorts in
// [p, p + "g").  Purpose notes live among the sealed reasons.
constexpr IdTable kIdTables[] = {
    {"subject", "SELECT id FROM subjects WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"guardian", "SELECT id FROM guardians WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"case", "SELECT id FROM cases WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"consent", "SELECT DISTINCT id FROM consents WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"entry", "SELECT id FROM entries WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"disclosure", "SELECT id FROM disclosures WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"grant", "SELECT id FROM grants WHERE id >= ?1 AND id < ?2 LIMIT 11"},
    {"purpose_note",
     "SELECT row_id FROM sealed_reasons WHERE tbl = 'purpose_notes' AND row_id >= ?1 "
     "AND row_id < ?2 LIMIT 11"},
};

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<IdMatch> Session::ResolveId(std::string_view prefix) {
  if (std::optional<std::string> number = internal::ParseCaseNumber(prefix)) {
    SSPF_ASSIGN_OR_RETURN(std::optional<std::string> id,
                          internal::CaseIdByNumber(impl_.get(), *number));
    if (!id) return NotFound("no case has the number " + *number + " (case list shows them)");
    return IdMatch{"case", *id};
  }
  if (prefix.size() < kMinPrefix || prefix.size() > kFullId ||
      !std::all_of(prefix.begin(), prefix.end(), IsHex)) {
    return InvalidArgument("an id or id prefix is 6 to 32 hex digits (as in git: type "
                           "more digits of the id if a prefix is ambiguous), or a case "
                           "number such as 2026-0042");
  }
  std::string p(prefix);
  std::transform(p.begin(), p.end(), p.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  const std::string above = p + "g";
  Db* db = impl_->db.get();
  std::vector<IdMatch> found;
  for (const IdTable& t : kIdTables) {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(t.sql));
    st->Bind(1, p).Bind(2, above);
    SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
      found.push_back({t.kind, st->Text(0)});
      return Status::Ok();
    }));
  }
  if (found.empty()) {
    return NotFound("no subject, guardian, case, consent, entry, disclosure, grant or "
                    "purpose note has an id starting with " + p);
  }
  if (found.size() == 1) return found.front();
  std::string list;
  for (size_t i = 0; i < found.size() && i < kMaxCandidates; ++i) {
    list += (i ? ", " : "") + found[i].kind + " " + found[i].id;
  }
  if (found.size() > kMaxCandidates) list += ", ...";
  return InvalidArgument("the id prefix " + p + " is ambiguous: it starts " +
                         std::to_string(found.size() > kMaxCandidates ? kMaxCandidates
                                                                      : found.size()) +
                         (found.size() > kMaxCandidates ? "+" : "") + " ids (" + list +
                         "); type more digits");
}

}  // namespace sspf
