// The scoped review and the auditor's sign-off (issue 13, DESIGN §6, §13):
// flags with time, principal name, actor, case and target; scope by period,
// principal, actor and flag kind; summaries by day and week; top readers;
// acknowledgements (signed, note sealed to auditors) and closed periods,
// replayed by verify so that an insider's direct SQL on them is caught; a
// wrong checkpoint file is a usage error, not a tampering alarm.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "audit/review_internal.h"
#include "catch.h"
#include "insider_util.h"
#include "log/replay_detail.h"
#include "sspf/civil_time.h"
#include "sspf/json.h"
#include "sspf/store.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::testing;

namespace {

constexpr int64_t kDay = 86400;

// The insider world with a few flagged events over two days:
//   day 0 (Wed 2026-11-18, 12:06 Stockholm): school1 reads its entry twice
//     (no flag), police1 takes an emergency grant (flag);
//   day 1, 23:30 Stockholm: school1 reads again (outside office hours).
struct ReviewWorld : InsiderWorld {
  std::string entry_id;
  UnixSeconds day0 = 0;
  uint64_t read_seq = 0, grant_seq = 0, night_seq = 0;

  ReviewWorld() {
    day0 = clock->Now();
    Result<std::string> e = school->AddEntry(case_id, Category::kSchool, "Skolans anteckning");
    REQUIRE(e.ok());
    entry_id = *e;
    read_seq = NextSeq();
    REQUIRE(school->ReadEntry(entry_id, "follow-up").ok());
    REQUIRE(school->ReadEntry(entry_id, "follow-up").ok());
    grant_seq = NextSeq();
    Result<std::string> g =
        police->GrantEmergency(case_id, "OSL 10 kap. 15 a §", "Akut fara", 2);
    INFO(g.status().ToString());
    REQUIRE(g.ok());
    clock->Set(day0 + kDay + 11 * 3600 + 23 * 60);  // Thu 23:29 Stockholm
    night_seq = NextSeq();
    REQUIRE(school->ReadEntry(entry_id, "follow-up").ok());
    clock->Advance(3600);
  }
  uint64_t NextSeq() { return static_cast<uint64_t>(QueryInt(*auditor, "SELECT count(*) FROM events")); }
  ReviewReport Review(const ReviewOptions& o) {
    Result<ReviewReport> r = auditor->Review(o);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return std::move(r).value();
  }
  const ReviewFlag* FlagAt(const ReviewReport& r, uint64_t seq, const std::string& kind) {
    for (const ReviewFlag& f : r.flags) {
      if (f.seq == seq && f.kind == kind) return &f;
    }
    return nullptr;
  }
};

TEST_CASE("review rows carry time, principal name, actor, case and target",
          "[audit][review]") {
  ReviewWorld w;
  ReviewReport r = w.Review({});
  const ReviewFlag* g = w.FlagAt(r, w.grant_seq, "emergency-grant");
  REQUIRE(g != nullptr);
  CHECK(g->principal_name == "police1");
  CHECK(g->actor == Actor::kPolice);
  CHECK(g->case_id == w.case_id);
  CHECK(g->target.find("grant:") == 0);
  CHECK(g->time >= w.day0);
  CHECK(g->action == Action::kGrantEmergency);
  CHECK_FALSE(g->ack.has_value());
  const ReviewFlag* n = w.FlagAt(r, w.night_seq, "outside-office-hours");
  REQUIRE(n != nullptr);
  CHECK(n->principal_name == "school1");
  CHECK(n->target == "entry:" + w.entry_id);
  CHECK(r.flags_open == r.flags.size());
  CHECK(r.flags_acknowledged == 0);
  CHECK(r.store_id == w.auditor->store_id());
  // The flag-only Review() is the same list.
  Result<std::vector<ReviewFlag>> all = w.auditor->Review();
  REQUIRE(all.ok());
  CHECK(all->size() + 0 >= r.flags.size());
  // The JSON document has the new keys, and the flags list as before.
  const std::string doc = ReviewReportJson(r);
  for (const char* key : {"\"principal_name\":\"police1\"", "\"case_id\":\"", "\"flags\":[",
                          "\"acknowledged\":false", "\"summary\":{\"by\":\"day\"",
                          "\"top_readers\":[", "\"closures\":[]"}) {
    INFO(key);
    CHECK(doc.find(key) != std::string::npos);
  }
}

TEST_CASE("review scope: period, principal, actor and flag kind", "[audit][review]") {
  ReviewWorld w;
  ReviewOptions day1;
  day1.since = w.day0 + kDay / 2;
  ReviewReport r = w.Review(day1);
  CHECK(w.FlagAt(r, w.grant_seq, "emergency-grant") == nullptr);
  CHECK(w.FlagAt(r, w.night_seq, "outside-office-hours") != nullptr);
  for (const ReviewFlag& f : r.flags) CHECK(f.time >= *day1.since);

  ReviewOptions day0;
  day0.until = w.day0 + kDay / 2;
  r = w.Review(day0);
  CHECK(w.FlagAt(r, w.grant_seq, "emergency-grant") != nullptr);
  CHECK(w.FlagAt(r, w.night_seq, "outside-office-hours") == nullptr);

  ReviewOptions by_name;
  by_name.principal = "police1";
  r = w.Review(by_name);
  REQUIRE_FALSE(r.flags.empty());
  for (const ReviewFlag& f : r.flags) CHECK(f.principal_name == "police1");
  for (const ReviewCount& c : r.summary.per_principal) CHECK(c.name == "police1");

  ReviewOptions by_actor;
  by_actor.actor = Actor::kSchool;
  r = w.Review(by_actor);
  CHECK(w.FlagAt(r, w.night_seq, "outside-office-hours") != nullptr);
  for (const ReviewFlag& f : r.flags) CHECK(f.actor == Actor::kSchool);

  ReviewOptions kind;
  kind.flag_kind = "emergency-grant";
  r = w.Review(kind);
  REQUIRE_FALSE(r.flags.empty());
  for (const ReviewFlag& f : r.flags) CHECK(f.kind == "emergency-grant");

  ReviewOptions bad;
  bad.flag_kind = "no-such-kind";
  CHECK(w.auditor->Review(bad).status().code() == StatusCode::kInvalidArgument);
  bad = {};
  bad.principal = "nobody";
  CHECK(w.auditor->Review(bad).status().code() == StatusCode::kNotFound);
  bad = {};
  bad.since = w.day0;
  bad.until = w.day0;
  CHECK(w.auditor->Review(bad).status().code() == StatusCode::kInvalidArgument);
  // Not for content roles.
  CHECK(w.school->Review(ReviewOptions{}).status().code() == StatusCode::kPermissionDenied);
}

TEST_CASE("review summaries by day and week, and top readers per case", "[audit][review]") {
  ReviewWorld w;
  ReviewOptions o;
  o.until = w.day0 + 2 * kDay;
  ReviewReport r = w.Review(o);
  CHECK(r.events_in_scope > 0);
  std::map<std::pair<std::string, std::string>, ReviewCount> per_action;
  for (const ReviewCount& c : r.summary.per_action) per_action[{c.period, c.key}] = c;
  REQUIRE(per_action.count({"2026-11-18", "entry.read"}));
  CHECK(per_action[{"2026-11-18", "entry.read"}].entry_reads == 2);
  REQUIRE(per_action.count({"2026-11-19", "entry.read"}));
  CHECK(per_action[{"2026-11-19", "entry.read"}].entry_reads == 1);
  // Accesses: allowed events naming a case or a subject; membership and
  // log housekeeping are events but no accesses.
  CHECK(per_action[{"2026-11-18", "entry.read"}].accesses == 2);
  uint64_t membership_events = 0, membership_accesses = 0;
  for (const ReviewCount& c : r.summary.per_action) {
    if (c.key != "principal.add") continue;
    membership_events += c.events;
    membership_accesses += c.accesses;
  }
  CHECK(membership_events > 0);
  CHECK(membership_accesses == 0);
  uint64_t police_accesses = 0;
  for (const ReviewCount& c : r.summary.per_actor) {
    if (c.key == "police") police_accesses += c.accesses;
  }
  CHECK(police_accesses >= 1);  // the emergency grant names the case
  // Periods start at Stockholm midnight (CET in November: 23:00 UTC).
  CHECK(FormatRfc3339(per_action[{"2026-11-19", "entry.read"}].period_start) ==
        "2026-11-18T23:00:00Z");
  bool school_named = false;
  for (const ReviewCount& c : r.summary.per_principal) {
    if (c.name == "school1") school_named = true;
  }
  CHECK(school_named);
  std::set<std::string> actors;
  for (const ReviewCount& c : r.summary.per_actor) actors.insert(c.key);
  CHECK(actors.count("school"));
  CHECK(actors.count("police"));

  o.by = ReviewPeriodUnit::kWeek;
  r = w.Review(o);
  for (const ReviewCount& c : r.summary.per_action) CHECK(c.period == "2026-W47");
  CHECK(FormatRfc3339(r.summary.per_action.front().period_start) == "2026-11-15T23:00:00Z");

  REQUIRE(r.top_readers.size() == 1);
  CHECK(r.top_readers[0].case_id == w.case_id);
  CHECK(r.top_readers[0].reads == 3);
  REQUIRE(r.top_readers[0].readers.size() == 1);
  CHECK(r.top_readers[0].readers[0].name == "school1");
  CHECK(r.top_readers[0].readers[0].reads == 3);
  o.top_readers = 0;
  CHECK(w.Review(o).top_readers.empty());
}

TEST_CASE("ISO weeks across a year boundary", "[audit][review]") {
  // 2026-12-31 is a Thursday: week 2026-W53; 2027-01-04 starts 2027-W01.
  ReviewWorld w;
  w.clock->Set(1798675200 + 12 * 3600);  // 2026-12-31T12:00:00Z
  REQUIRE(w.school->ReadEntry(w.entry_id, "follow-up").ok());
  w.clock->Set(1799020800 + 12 * 3600);  // 2027-01-04T12:00:00Z
  REQUIRE(w.school->ReadEntry(w.entry_id, "follow-up").ok());
  ReviewOptions o;
  o.since = 1798675200;
  o.by = ReviewPeriodUnit::kWeek;
  std::set<std::string> weeks;
  for (const ReviewCount& c : w.Review(o).summary.per_action) weeks.insert(c.period);
  CHECK(weeks == std::set<std::string>{"2026-W53", "2027-W01"});
}

TEST_CASE("audit ack signs off a flag; the note is for auditors only", "[audit][review][ack]") {
  ReviewWorld w;
  const std::string note = "Kontrollerat: polisens nödåtkomst var befogad (ärende 2026/117).";
  Result<ReviewAck> a = w.auditor->AcknowledgeFlag(w.grant_seq, note);
  INFO(a.status().ToString());
  REQUIRE(a.ok());
  CHECK(a->flagged_seq == w.grant_seq);
  CHECK(a->auditor_name == "auditor");
  ReviewReport r = w.Review({});
  const ReviewFlag* g = w.FlagAt(r, w.grant_seq, "emergency-grant");
  REQUIRE(g != nullptr);
  REQUIRE(g->ack.has_value());
  CHECK(g->ack->seq == a->seq);
  CHECK(g->ack->note == note);
  CHECK_FALSE(g->ack->note_sealed);
  CHECK(g->ack->auditor_name == "auditor");
  CHECK(r.flags_acknowledged >= 1);
  CHECK(r.flags_open + r.flags_acknowledged == r.flags.size());
  // The ack is a signed event audit.ack with a replay detail.
  AuditFilter f;
  f.action = Action::kAuditAck;
  Result<std::vector<AuditEvent>> ev = w.auditor->QueryEvents(f);
  REQUIRE(ev.ok());
  REQUIRE(ev->size() == 1);
  CHECK((*ev)[0].seq == a->seq);
  CHECK((*ev)[0].target == "event:" + std::to_string(w.grant_seq));
  CHECK((*ev)[0].signer == w.auditor->principal().id);
  CHECK((*ev)[0].principal_name == "auditor");
  CHECK((*ev)[0].detail.find("note=") != std::string::npos);
  CHECK(VerifyMessage(*w.auditor) == "ok");

  // The note is in no leaf and no table in clear (an insider's view).
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);
  CHECK(FindEverywhere(db.get(), "nödåtkomst").empty());

  // Refusals.
  CHECK(w.auditor->AcknowledgeFlag(w.grant_seq, "again").status().code() ==
        StatusCode::kAlreadyExists);
  CHECK(w.FlagAt(r, w.read_seq, "outside-office-hours") == nullptr);
  CHECK(w.auditor->AcknowledgeFlag(w.read_seq, "not flagged").status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(w.auditor->AcknowledgeFlag(1000000, "x").status().code() == StatusCode::kNotFound);
  CHECK(w.auditor->AcknowledgeFlag(w.night_seq, "").status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(w.school->AcknowledgeFlag(w.night_seq, "my own").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(w.admin->AcknowledgeFlag(w.night_seq, "admin").status().code() ==
        StatusCode::kPermissionDenied);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("audit review close records who reviewed which period", "[audit][review][close]") {
  ReviewWorld w;
  REQUIRE(w.auditor->AcknowledgeFlag(w.grant_seq, "Befogad.").ok());
  const UnixSeconds end0 = w.day0 + kDay / 2;
  Result<ReviewClosure> c = w.auditor->CloseReview(end0);
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  CHECK(c->since == 0);
  CHECK(c->until == end0);
  CHECK(c->auditor_name == "auditor");
  CHECK(c->flags_acknowledged == 1);
  CHECK(c->flags_open >= 1);  // the membership changes of the setup
  // The next period starts where this one ended.
  Result<ReviewClosure> c2 = w.auditor->CloseReview(w.day0 + kDay + kDay / 2);
  REQUIRE(c2.ok());
  CHECK(c2->since == end0);
  CHECK(w.auditor->CloseReview(end0).status().code() == StatusCode::kInvalidArgument);
  CHECK(w.auditor->CloseReview(w.clock->Now() + 3600).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(w.police->CloseReview(end0 + 1).status().code() == StatusCode::kPermissionDenied);

  ReviewOptions o;
  o.since = w.day0 + kDay;
  ReviewReport r = w.Review(o);
  REQUIRE(r.closures.size() == 1);
  CHECK(r.closures[0].seq == c2->seq);
  CHECK(w.Review({}).closures.size() == 2);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

// The insider (school1, who holds the root key and writes any row) tries to
// make the review look done, or undone.  Verify catches each edit.
TEST_CASE("attack: deleting, forging or editing sign-offs with direct SQL",
          "[audit][review][attack]") {
  ReviewWorld w;
  REQUIRE(w.auditor->AcknowledgeFlag(w.grant_seq, "Befogad.").ok());
  REQUIRE(w.auditor->CloseReview(w.day0 + kDay / 2).ok());
  REQUIRE(VerifyMessage(*w.auditor) == "ok");
  std::unique_ptr<internal::Db> db = InsiderDb(*w.school, w.options.path);

  SECTION("an ack row deleted (a reviewed flag shown as open)") {
    REQUIRE(db->Exec("DELETE FROM review_acks").ok());
    CHECK(w.FlagAt(w.Review({}), w.grant_seq, "emergency-grant")->ack == std::nullopt);
    const std::string m = VerifyMessage(*w.auditor);
    CHECK(m.find("audit.ack") != std::string::npos);
    CHECK(m.find("not in the tables") != std::string::npos);
  }
  SECTION("an ack forged for a flag nobody reviewed") {
    const std::string auditor_id = w.auditor->principal().id;
    REQUIRE(db->Exec(("INSERT INTO review_acks(id, event_seq, flagged_seq, auditor_id, created) "
                      "VALUES('0123456789abcdef0123456789abcdef', 3, " +
                      std::to_string(w.night_seq) + ", '" + auditor_id + "', " +
                      std::to_string(w.clock->Now()) + ")")
                         .c_str())
                .ok());
    // An ack without its sealed note: the review refuses to show it ...
    Result<ReviewReport> r = w.auditor->Review(ReviewOptions{});
    CHECK(r.status().code() == StatusCode::kIntegrityViolation);
    CHECK(r.status().message().find("review_acks row") != std::string::npos);
    // ... and verify names it.
    const std::string m = VerifyMessage(*w.auditor);
    CHECK(m.find("review_acks row 0123456789abcdef0123456789abcdef") != std::string::npos);
    CHECK(m.find("no event in the log") != std::string::npos);
  }
  SECTION("an ack forged with a note row left as retention leaves an erased one") {
    // Found by a second review on 2026-12-04: with an empty sealed note the
    // review showed the forged sign-off; it is now held to its event.
    const std::string id = "0123456789abcdef0123456789abcdef";
    REQUIRE(db->Exec(("INSERT INTO review_acks(id, event_seq, flagged_seq, auditor_id, created) "
                      "VALUES('" + id + "', 3, " + std::to_string(w.night_seq) + ", '" +
                      w.auditor->principal().id + "', " + std::to_string(w.clock->Now()) + ")")
                         .c_str())
                .ok());
    REQUIRE(db->Exec(("INSERT INTO sealed_reasons(tbl, row_id, commitment, ciphertext) "
                      "VALUES('review_acks', '" + id + "', zeroblob(32), x'')")
                         .c_str())
                .ok());
    Result<ReviewReport> r = w.auditor->Review(ReviewOptions{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kIntegrityViolation);
    CHECK(r.status().message().find("no signed audit.ack event records it") != std::string::npos);
  }
  SECTION("an ack moved to another flag") {
    REQUIRE(db->Exec(("UPDATE review_acks SET flagged_seq = " + std::to_string(w.night_seq))
                         .c_str())
                .ok());
    CHECK(VerifyMessage(*w.auditor).find("review_acks row") != std::string::npos);
  }
  SECTION("the note replaced") {
    REQUIRE(db->Exec("UPDATE sealed_reasons SET commitment = x'00' WHERE tbl = 'review_acks'")
                .ok());
    CHECK(VerifyMessage(*w.auditor) != "ok");
  }
  SECTION("a closed period deleted or its counts edited") {
    SECTION("deleted") { REQUIRE(db->Exec("DELETE FROM review_closures").ok()); }
    SECTION("edited") {
      REQUIRE(db->Exec("UPDATE review_closures SET flags_open = 0").ok());
    }
    const std::string m = VerifyMessage(*w.auditor);
    CHECK(m != "ok");
    CHECK((m.find("review_close") != std::string::npos ||
           m.find("review_closures row") != std::string::npos));
  }
}

// The read-after-team-leave rule, fed synthetic events (case.team_remove,
// issue 12).
TEST_CASE("flag rules: reads after leaving a case team", "[audit][review]") {
  const Action remove = Action::kCaseTeamRemove;
  REQUIRE(internal::audit::TeamRemoveAction() == remove);
  internal::audit::FlagRules rules(remove);
  CHECK(rules.Selection().find(std::to_string(static_cast<int>(remove))) != std::string::npos);
  auto event = [](uint64_t seq, Action a, const std::string& pid, bool allowed,
                  const std::string& detail) {
    internal::EventRecord e;
    e.seq = seq;
    e.time = 1795000000 + static_cast<int64_t>(seq);  // Wednesday, office hours
    e.principal_id = pid;
    e.action = a;
    e.allowed = allowed;
    e.case_id = "c1";
    e.target = "entry:e1";
    e.basis = "author-actor";
    e.detail = detail;
    return e;
  };
  rules.Add(event(1, Action::kCaseTeamAdd, "coord", true, "case=c1 member=p1"));
  rules.Add(event(2, Action::kEntryRead, "p1", true, ""));
  rules.Add(event(3, remove, "coord", true, "case=c1 member=p1"));
  rules.Add(event(4, Action::kEntryRead, "p1", false, ""));  // a denied attempt
  rules.Add(event(5, Action::kEntryRead, "p2", true, ""));   // someone else
  rules.Add(event(6, Action::kCaseTeamAdd, "coord", true, "case=c1 member=p1"));
  rules.Add(event(7, Action::kEntryRead, "p1", true, ""));  // back on the team
  std::vector<uint64_t> seqs;
  for (const ReviewFlag& f : rules.flags()) {
    if (f.kind == "read-after-team-leave") seqs.push_back(f.seq);
  }
  CHECK(seqs == std::vector<uint64_t>{4});
  // Without a removal action in the build, the rule cannot fire.
  internal::audit::FlagRules none(std::nullopt);
  none.Add(event(3, remove, "coord", true, "case=c1 member=p1"));
  none.Add(event(4, Action::kEntryRead, "p1", true, ""));
  for (const ReviewFlag& f : none.flags()) CHECK(f.kind != "read-after-team-leave");
  CHECK(std::find(ReviewFlagKinds().begin(), ReviewFlagKinds().end(),
                  "read-after-team-leave") != ReviewFlagKinds().end());
}

// The same rule on a real store: the coordinator takes school1 off the
// team (sspf-tool case team remove); her next read is denied and flagged,
// and nobody else's read is.
TEST_CASE("review flags a read of a case after leaving its team", "[audit][review]") {
  ReviewWorld w;
  for (const ReviewFlag& f : w.Review({}).flags) CHECK(f.kind != "read-after-team-leave");
  const uint64_t remove_seq = w.NextSeq();
  REQUIRE(w.coord->RemoveTeamMember(w.case_id, "school1").ok());
  const uint64_t late_seq = w.NextSeq();
  CHECK(w.school->ReadEntry(w.entry_id, "follow-up").status().code() ==
        StatusCode::kPermissionDenied);
  REQUIRE(w.police->ListEntries(w.case_id).ok());
  ReviewReport r = w.Review({});
  std::vector<uint64_t> seqs;
  for (const ReviewFlag& f : r.flags) {
    if (f.kind == "read-after-team-leave") seqs.push_back(f.seq);
  }
  CHECK(seqs == std::vector<uint64_t>{late_seq});
  const ReviewFlag* f = w.FlagAt(r, late_seq, "read-after-team-leave");
  REQUIRE(f != nullptr);
  CHECK(f->principal_name == "school1");
  CHECK_FALSE(f->allowed);
  CHECK(f->case_id == w.case_id);
  CHECK(f->detail == "denied entry read after leaving the case team in event " +
                         std::to_string(remove_seq));
  // Back on the team, her reads are not flagged again.
  REQUIRE(w.coord->AddTeamMember(w.case_id, "school1").ok());
  const uint64_t back_seq = w.NextSeq();
  REQUIRE(w.school->ReadEntry(w.entry_id, "follow-up").ok());
  CHECK(w.FlagAt(w.Review({}), back_seq, "read-after-team-leave") == nullptr);
  CHECK(VerifyMessage(*w.auditor) == "ok");
}

TEST_CASE("audit query by seq and around a seq, with principal names", "[audit][query]") {
  ReviewWorld w;
  AuditFilter f;
  f.seq_from = w.grant_seq;
  f.seq_to = w.grant_seq;
  Result<std::vector<AuditEvent>> one = w.auditor->QueryEvents(f);
  REQUIRE(one.ok());
  REQUIRE(one->size() == 1);
  CHECK((*one)[0].seq == w.grant_seq);
  CHECK((*one)[0].principal_name == "police1");
  f.seq_from = w.grant_seq - 2;
  f.seq_to = w.grant_seq + 2;
  Result<std::vector<AuditEvent>> around = w.auditor->QueryEvents(f);
  REQUIRE(around.ok());
  CHECK(around->size() == 5);
  CHECK(around->front().seq == w.grant_seq - 2);
  f.seq_from = 1000000;
  f.seq_to = 1000000;
  CHECK(w.auditor->QueryEvents(f).status().code() == StatusCode::kNotFound);
  f.seq_from = 5;
  f.seq_to = 4;
  CHECK(w.auditor->QueryEvents(f).status().code() == StatusCode::kInvalidArgument);
  // The CSV export names principals next to their ids.
  std::vector<std::string> lines;
  AuditFilter all;
  all.seq_from = w.grant_seq;
  all.seq_to = w.grant_seq;
  REQUIRE(w.auditor
              ->ExportEvents(all, ExportFormat::kCsv,
                             [&](std::string_view l) {
                               lines.emplace_back(l);
                               return Status::Ok();
                             })
              .ok());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("seq,time,principal,principal_name,actor,", 0) == 0);
  CHECK(lines[1].find("," + w.police->principal().id + ",police1,police,") != std::string::npos);
}

TEST_CASE("a wrong checkpoint file is a usage error; a forged one is tampering",
          "[audit][verify]") {
  InsiderWorld w;
  InsiderWorld other;
  Result<std::string> foreign = other.auditor->Checkpoint();
  REQUIRE(foreign.ok());
  VerifyOptions o;
  o.kept_checkpoint = *foreign;
  Result<VerifyReport> r = w.auditor->Verify(o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  const std::string expected_origin = "sspf.local/" + w.auditor->store_id();
  CHECK(r.status().message() == "this is not a checkpoint of this store: origin sspf.local/" +
                                    other.auditor->store_id() + ", expected " +
                                    expected_origin);
  // The verifier key file, or any other text.
  Result<std::string> vkey = w.auditor->VerifierKey();
  REQUIRE(vkey.ok());
  for (const std::string& wrong : {*vkey + "\n", std::string("hello\n\nworld\n"),
                                   std::string("")}) {
    o.kept_checkpoint = wrong;
    r = w.auditor->Verify(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().message() ==
          "this is not a checkpoint of this store: origin none (the file is not a signed "
          "checkpoint note), expected " + expected_origin);
  }
  // This store's checkpoint with a forged signature stays an integrity
  // violation (exit 6).
  Result<std::string> note = w.auditor->Checkpoint();
  REQUIRE(note.ok());
  std::string forged = *note;
  const size_t sig = forged.rfind(' ') + 5;
  forged[sig] = forged[sig] == 'A' ? 'B' : 'A';
  o.kept_checkpoint = forged;
  CHECK(w.auditor->Verify(o).status().code() == StatusCode::kIntegrityViolation);
  o.kept_checkpoint = *note;
  CHECK(w.auditor->Verify(o).ok());
}

}  // namespace
