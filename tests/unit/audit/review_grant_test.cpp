// Review flags for access under an emergency grant (issue 11: "every read,
// list and subject show done under an emergency grant"): a police member
// who is not on the case team takes a legal-basis grant and reads, lists
// and shows the subject; each of these events is flagged, and the same
// accesses by a team member are not.
#include <map>
#include <string>

#include "catch.h"
#include "insider_util.h"
#include "sspf/pnr.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr const char* kPass = "a-test-passphrase-1";

TEST_CASE("review flags every access done under an emergency grant", "[audit][review]") {
  TempDir dir;
  auto clock = std::make_shared<FakeClock>();
  StoreOptions options = TestOptions(dir, clock);
  REQUIRE(Store::Create(options, "admin", Pass(kPass)).ok());
  {
    Session admin = OpenOrFail(options, "admin", kPass);
    AddPrincipalOrFail(admin, "coord", Actor::kCoordination, Role::kCoordinator, kPass);
    AddPrincipalOrFail(admin, "school1", Actor::kSchool, Role::kMember, kPass);
    AddPrincipalOrFail(admin, "police1", Actor::kPolice, Role::kMember, kPass);
    AddPrincipalOrFail(admin, "auditor", Actor::kCoordination, Role::kAuditor, kPass);
  }
  Session coord = OpenOrFail(options, "coord", kPass);
  Session school = OpenOrFail(options, "school1", kPass);
  Session police = OpenOrFail(options, "police1", kPass);
  Result<SubjectInfo> s = coord.AddSubject(
      {MakeTestPersonalNumber(Date{DateOf(clock->Now()).year - 16, 5, 17}, 318, true),
       "Ung Testsson", {}});
  REQUIRE(s.ok());
  Result<std::string> c = coord.OpenCase(s->id, {"school1"});
  REQUIRE(c.ok());
  Result<std::string> own = police.AddEntry(*c, Category::kPolice, "Polisens anteckning");
  CHECK_FALSE(own.ok());  // not on the team, no grant yet

  // Team-member accesses: no grant, no flag.
  Result<std::string> e = school.AddEntry(*c, Category::kSchool, "Skolans anteckning");
  REQUIRE(e.ok());
  REQUIRE(school.ListEntries(*c).ok());
  REQUIRE(school.ShowSubject(s->id).ok());

  Result<std::string> g = police.GrantEmergency(*c, "OSL 10 kap. 18 a §", "Akut fara", 2);
  INFO(g.status().ToString());
  REQUIRE(g.ok());
  const uint64_t first_under_grant = static_cast<uint64_t>(QueryInt(police, "SELECT count(*) FROM events"));
  Result<std::vector<EntryInfo>> listed = police.ListEntries(*c);
  INFO(listed.status().ToString());
  REQUIRE(listed.ok());
  Result<SubjectInfo> shown = police.ShowSubject(s->id);
  INFO(shown.status().ToString());
  REQUIRE(shown.ok());
  Result<std::string> police_entry = police.AddEntry(*c, Category::kPolice, "Under grant");
  INFO(police_entry.status().ToString());
  REQUIRE(police_entry.ok());
  Result<EntryContent> read = police.ReadEntry(*police_entry, "follow-up");
  INFO(read.status().ToString());
  REQUIRE(read.ok());
  const uint64_t end = static_cast<uint64_t>(QueryInt(police, "SELECT count(*) FROM events"));

  Session auditor = OpenOrFail(options, "auditor", kPass);
  Result<std::vector<ReviewFlag>> flags = auditor.Review();
  REQUIRE(flags.ok());
  std::map<uint64_t, std::string> grant_flags;  // seq -> kind
  for (const ReviewFlag& f : *flags) {
    if (f.kind == "emergency-grant") grant_flags[f.seq] = f.kind;
  }
  // The grant itself and each of the four accesses after it.
  size_t after = 0;
  for (const auto& [seq, kind] : grant_flags) {
    if (seq >= first_under_grant && seq < end) ++after;
  }
  CHECK(after == 4);
  CHECK(grant_flags.size() == 5);
  // The school member's accesses (before the grant) are not flagged.
  for (const auto& [seq, kind] : grant_flags) CHECK(seq + 1 >= first_under_grant);
}

}  // namespace
