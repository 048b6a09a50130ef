// Ids by a unique prefix (Session::ResolveId; issue 14, "human handles"):
// a prefix of 6+ hex digits names exactly one record or is refused, never
// guessed, and an ambiguous one lists the candidates.
#include <string>

#include "catch.h"
#include "sspf/json.h"
#include "sspf/store.h"
#include "insider_util.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

TEST_CASE("ResolveId finds a case, an entry and a subject by a prefix of 6 or more digits",
          "[ids]") {
  InsiderWorld w;
  Result<std::string> entry = w.school->AddEntry(w.case_id, Category::kSchool, "Anteckning");
  REQUIRE(entry.ok());
  Result<IdMatch> c = w.coord->ResolveId(w.case_id.substr(0, 6));
  REQUIRE(c.ok());
  CHECK(c->kind == "case");
  CHECK(c->id == w.case_id);
  // Either case, and every length up to the whole id.
  std::string upper = entry->substr(0, 9);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  Result<IdMatch> e = w.school->ResolveId(upper);
  REQUIRE(e.ok());
  CHECK(e->kind == "entry");
  CHECK(e->id == *entry);
  Result<IdMatch> whole = w.school->ResolveId(*entry);
  REQUIRE(whole.ok());
  CHECK(whole->id == *entry);
  CHECK(IdMatchJson(*whole) ==
        "{\"schema_version\":1,\"kind\":\"entry\",\"id\":\"" + *entry + "\"}");
}

TEST_CASE("ResolveId refuses short, non-hex, unknown and ambiguous prefixes", "[ids]") {
  InsiderWorld w;
  for (const char* bad : {"", "abc12", "abcdeg", "7c1d-04", "0123456789abcdef0123456789abcdef0"}) {
    Result<IdMatch> m = w.coord->ResolveId(bad);
    REQUIRE_FALSE(m.ok());
    CHECK(m.status().code() == StatusCode::kInvalidArgument);
  }
  // A prefix no record has (the case id with its first digit changed).
  std::string other = w.case_id.substr(0, 8);
  other[0] = other[0] == '0' ? '1' : '0';
  Result<IdMatch> none = w.coord->ResolveId(other);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == StatusCode::kNotFound);

  // Two records whose ids share 10 digits: the second, a purpose note row
  // planted with the case id's first 10 digits, makes the prefix ambiguous,
  // and neither is picked.
  const std::string shared = w.case_id.substr(0, 10);
  const std::string twin = shared + std::string(22, w.case_id[10] == 'f' ? 'e' : 'f');
  auto db = InsiderDb(*w.coord, w.options.path);
  ExecOrFail(db.get(), "INSERT INTO sealed_reasons(tbl, row_id, commitment, ciphertext) "
                       "VALUES('purpose_notes', '" + twin + "', x'00', x'')");
  Result<IdMatch> both = w.coord->ResolveId(shared.substr(0, 7));
  REQUIRE_FALSE(both.ok());
  CHECK(both.status().code() == StatusCode::kInvalidArgument);
  CHECK(both.status().message().find("ambiguous") != std::string::npos);
  CHECK(both.status().message().find("case " + w.case_id) != std::string::npos);
  CHECK(both.status().message().find("purpose_note " + twin) != std::string::npos);
  // One more digit than they share tells them apart.
  Result<IdMatch> one = w.coord->ResolveId(w.case_id.substr(0, 11));
  REQUIRE(one.ok());
  CHECK(one->id == w.case_id);
}
