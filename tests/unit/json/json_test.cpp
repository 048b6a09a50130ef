// The JSON documents of sspf/json.h (docs/json-schema.md): every document
// type carries schema_version, writes times as RFC 3339 UTC, bytes as
// base64, absent values as null, and escapes text correctly.
#include "sspf/json.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "catch.h"
#include "json/encoder.h"
#include "util/encoding.h"

namespace sspf {
namespace {

using Doc = nlohmann::ordered_json;

constexpr UnixSeconds kTime = 1796111254;  // 2026-12-01T07:47:34Z
const char kTimeText[] = "2026-12-01T07:47:34Z";
const std::vector<uint8_t> kHash = {0x00, 0x01, 0xfe, 0xff, 0x10};  // "AAH+/xA="

AuditEvent SampleEvent() {
  AuditEvent e;
  e.seq = 41;
  e.time = kTime;
  e.principal_id = "b5e850c0a29edcf6c3ab9b712857be48";
  e.actor = Actor::kSchool;
  e.role = Role::kMember;
  e.action = Action::kEntryRead;
  e.target = "entry:0d9e";
  e.allowed = true;
  e.reason = "author actor";
  e.basis = "author-actor";
  e.case_id = "7c1d";
  e.subject_id = "3f2a";
  e.leaf = {'S', 'S', 'P', 'F', 1};
  e.leaf_hash = kHash;
  return e;  // purpose and detail: none
}

PrincipalInfo SamplePrincipal() {
  PrincipalInfo p;
  p.id = "p1";
  p.name = "sara.skola";
  p.actor = Actor::kSchool;
  p.role = Role::kMember;
  p.created = kTime;
  return p;
}

SubjectInfo SampleSubject() {
  SubjectInfo s;
  s.id = "3f2a";
  s.personal_number = "201003101239";
  s.name = "Alex A";
  s.birth_date = Date{2010, 3, 10};
  s.guardians = {{"g1", "Kim A"}, {"g2", "Robin A"}};
  return s;
}

CaseInfo SampleCase() {
  CaseInfo c;
  c.id = "7c1d";
  c.subject_id = "3f2a";
  c.opened = kTime;
  c.team = {"kim", "sara.skola"};
  return c;  // open: closed is absent
}

ConsentInfo SampleConsent() {
  ConsentInfo c;
  c.id = "51aa";
  c.case_id = "7c1d";
  c.party.youth = true;
  c.actors = {Actor::kSchool, Actor::kSocial};
  c.categories = {Category::kSchool, Category::kPlan};
  c.valid_from = kTime;
  c.valid_until = Date{2027, 6, 30};
  c.recorded_by = "p1";
  return c;  // not withdrawn, no purpose, no form reference
}

EntryInfo SampleEntry() {
  EntryInfo e;
  e.id = "0d9e";
  e.case_id = "7c1d";
  e.category = Category::kSchool;
  e.author = "sara.skola";
  e.author_actor = Actor::kSchool;
  e.created = kTime;
  e.disclosed_to = {Actor::kSocial};
  return e;  // an original: supersedes is absent
}

// Every document type, by name.
CasePlan SamplePlan() {
  CasePlan p;
  p.case_id = "7c1d";
  p.as_of = Date{2026, 12, 1};
  p.next_follow_up = Date{2027, 1, 20};
  p.goals = {{"97f5", "Regelbunden skolgång", "kim", kTime}};
  PlanAction a;
  a.id = "dac9";
  a.goal_id = "97f5";
  a.owner = Actor::kSchool;
  a.principal = "sara";
  a.due = Date{2026, 11, 29};
  a.text = "Daglig närvarokontroll";
  a.overdue = true;
  a.author = "kim";
  a.created = kTime;
  PlanAction done = a;
  done.id = "0eec";
  done.principal = "";
  done.status = ActionStatus::kDone;
  done.overdue = false;
  done.done_entry_id = "93cd";
  done.done_at = kTime;
  p.actions = {a, done};
  PlanMeeting m;
  m.id = "912b";
  m.date = Date{2026, 12, 1};
  m.kind = MeetingKind::kNetwork;
  m.attendees = {Actor::kSchool, Actor::kCoordination};
  m.minutes = "Rad ett.\nRad två.";
  m.author = "kim";
  m.created = kTime;
  p.meetings = {m};
  return p;
}

DueReport SampleDue() {
  DueReport r;
  r.as_of = Date{2026, 12, 1};
  r.days = 14;
  DueItem action;
  action.kind = "action-overdue";
  action.case_id = "7c1d";
  action.case_number = "2026-0042";
  action.id = "dac9";
  action.date = Date{2026, 11, 29};
  action.days = -2;
  action.owner = Actor::kSchool;
  action.mine = true;
  action.text = "Daglig närvarokontroll";
  DueItem consent;
  consent.kind = "consent-expiring";
  consent.case_id = "7c1d";
  consent.id = "51aa";
  consent.date = Date{2026, 12, 11};
  consent.days = 10;
  consent.party = "guardian:2";
  r.items = {action, consent};
  return r;
}

std::vector<std::pair<std::string, std::string>> AllDocuments() {
  VerifyReport report;
  report.tree_size = 42;
  report.root = kHash;
  report.checkpoints_checked = 3;
  InclusionProof proof;
  proof.index = 2;
  proof.tree_size = 42;
  proof.leaf_hash = kHash;
  proof.root = kHash;
  proof.proof = {kHash, kHash};
  ConsistencyProof consistency;
  consistency.old_size = 7;
  consistency.new_size = 42;
  consistency.old_root = kHash;
  consistency.new_root = kHash;
  consistency.proof = {kHash};
  ReviewFlag flag{"denied-burst", 41, "p1", "log", ""};
  InitResult init;
  init.store_id = "s1";
  init.admin_id = "a1";
  init.trust_anchor = kHash;
  TrustAnchorInfo anchor{"s1", kHash, "0a1b-2c3d-4e5f-6071-8293-a4b5-c6d7-e8f9"};
  EntryContent content;
  content.info = SampleEntry();
  content.basis = "author-actor";
  content.body = {'H', 'i'};
  GrantInfo grant{"gr1", "7c1d", "p1", "OSL 10 kap. 2 §", kTime, kTime + 3600};
  LogExtract extract;
  extract.subject_id = "3f2a";
  extract.issued = extract.period_from = extract.period_until = kTime;
  ExtractLine line;
  line.time = kTime;
  line.local_time = StockholmTime(kTime, &line.zone);
  line.principal_id = "p1";
  line.basis_kind = "team";
  line.text = "…";
  extract.lines = {line};
  // The scoped review (issue 13): one flag acknowledged, one open.
  ReviewAck ack;
  ack.seq = 50;
  ack.flagged_seq = 41;
  ack.time = kTime;
  ack.auditor_id = "a1";
  ack.auditor_name = "eva";
  ack.note_id = "n1";
  ack.note = "Befogad.";
  ReviewClosure closure;
  closure.seq = 51;
  closure.time = kTime;
  closure.auditor_id = "a1";
  closure.until = kTime;
  closure.flags_open = 1;
  closure.flags_acknowledged = 1;
  ReviewReport report_doc;
  report_doc.store_id = "s1";
  report_doc.since = kTime - 3600;
  report_doc.generated = kTime;
  report_doc.flags = {flag, flag};
  report_doc.flags[0].ack = ack;
  report_doc.summary.per_actor = {{"2026-12-01", kTime, "school", "school", 3, 1, 1, 2}};
  report_doc.top_readers = {{"7c1d", 2, {{"p1", "sara", Actor::kSchool, 2, 0, kTime}}}};
  report_doc.closures = {closure};
  return {
      {"review", ReviewReportJson(report_doc)},
      {"review_ack", ReviewAckJson(ack)},
      {"review_closure", ReviewClosureJson(closure)},
      {"event", EventJson(SampleEvent())},
      {"events", EventListJson({SampleEvent()})},
      {"subject_extract", SubjectExtractJson("3f2a", {SampleEvent()}, {SamplePrincipal()})},
      {"log_extract", LogExtractJson(extract)},
      {"verify_report", VerifyReportJson(report, false)},
      {"inclusion_proof", InclusionProofJson(proof)},
      {"consistency_proof", ConsistencyProofJson(consistency)},
      {"review_flag", ReviewFlagJson(flag)},
      {"review_flags", ReviewFlagListJson({flag})},
      {"checkpoint", CheckpointJson("sspf.local/s1\n42\nAAH+/xA=\n", std::nullopt)},
      {"verifier_key", VerifierKeyJson("sspf.local/s1+01234567+AQ==")},
      {"init", InitJson(init, std::nullopt)},
      {"trust_anchor", TrustAnchorJson(anchor)},
      {"principal", PrincipalJson(SamplePrincipal())},
      {"principals", PrincipalListJson({SamplePrincipal()})},
      {"principal_added", PrincipalAddedJson("p1", "sara.skola", Actor::kSchool, Role::kMember)},
      {"principal_disabled", PrincipalDisabledJson("sara.skola")},
      {"passphrase_changed", PassphraseChangedJson("sara.skola")},
      {"recovery_reset", RecoveryResetJson("sara.skola")},
      {"subject", SubjectJson(SampleSubject())},
      {"subject_added", SubjectAddedJson(SampleSubject())},
      {"case", CaseJson(SampleCase())},
      {"cases", CaseListJson({SampleCase()})},
      {"case_closed", CaseClosedJson("7c1d")},
      {"team_member_added", TeamMemberAddedJson("7c1d", "lia")},
      {"consent", ConsentJson(SampleConsent())},
      {"consents", ConsentListJson({SampleConsent()})},
      {"consent_withdrawn", ConsentWithdrawnJson("51aa")},
      {"entry", EntryJson(SampleEntry())},
      {"entries", EntryListJson({SampleEntry()})},
      {"entry_content", EntryContentJson(content, true)},
      {"entry_content_meta", EntryContentJson(content, false)},
      {"grant", GrantJson(grant)},
      {"created", CreatedJson("7c1d")},
      {"plan", CasePlanJson(SamplePlan())},
      {"plan_write", PlanWriteJson({"93cd", "7c1d", "status", {Actor::kSchool}})},
      {"due", DueReportJson(SampleDue())},
      {"error", ErrorJson(PermissionDenied("denied: not on the case team"), 3)},
  };
}

const std::set<std::string> kTimeKeys = {"time",         "created", "opened", "closed",
                                         "valid_from",   "withdrawn_at", "from", "until",
                                         "issued", "period_from", "period_until", "done_at"};
const std::set<std::string> kHashKeys = {"root", "leaf_hash"};

bool IsRfc3339(const std::string& s) {
  static const std::regex re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  return std::regex_match(s, re);
}

// Walks a document and checks the conventions on every member.
void CheckMembers(const Doc& v, const std::string& where) {
  if (v.is_array()) {
    for (const Doc& x : v) CheckMembers(x, where);
    return;
  }
  if (!v.is_object()) return;
  for (auto it = v.begin(); it != v.end(); ++it) {
    INFO(where << "." << it.key());
    const Doc& x = it.value();
    if (kTimeKeys.count(it.key()) != 0) {
      CHECK((x.is_null() || (x.is_string() && IsRfc3339(x.get<std::string>()))));
    }
    if (kHashKeys.count(it.key()) != 0) {
      REQUIRE(x.is_string());
      Result<internal::Bytes> b = internal::Base64Decode(x.get<std::string>());
      REQUIRE(b.ok());
      CHECK(*b == kHash);
    }
    if (it.key() == "proof") {
      REQUIRE(x.is_array());
      for (const Doc& h : x) CHECK(internal::Base64Decode(h.get<std::string>()).ok());
    }
    if (it.key() == "schema_version" && where.find('.') != std::string::npos) {
      FAIL("schema_version inside a record of a list");
    }
    CheckMembers(x, where + "." + it.key());
  }
}

TEST_CASE("every document starts with schema_version 1 and is one line", "[json]") {
  for (const auto& [name, text] : AllDocuments()) {
    INFO(name << ": " << text);
    CHECK(text.find('\n') == std::string::npos);
    Doc d = Doc::parse(text);
    REQUIRE(d.is_object());
    REQUIRE(!d.empty());
    CHECK(d.begin().key() == "schema_version");
    CHECK(d["schema_version"] == 1);
    CHECK(d["schema_version"] == kJsonSchemaVersion);
    CheckMembers(d, name);
  }
}

TEST_CASE("the event document: field names, RFC 3339, base64, null", "[json]") {
  Doc d = Doc::parse(EventJson(SampleEvent()));
  std::vector<std::string> keys;
  for (auto it = d.begin(); it != d.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"schema_version", "seq", "time", "principal_id",
                                         "principal_name", "actor", "role", "action",
                                         "target", "allowed", "reason", "basis", "purpose",
                                         "case_id", "subject_id", "detail", "leaf",
                                         "leaf_hash", "signer", "signature",
                                         "signed_message"});
  CHECK(d["principal_name"].is_null());  // the sample's id names no principal
  AuditEvent named = SampleEvent();
  named.principal_name = "sara";
  CHECK(Doc::parse(EventJson(named))["principal_name"] == "sara");
  CHECK(d["seq"] == 41);
  CHECK(d["time"] == kTimeText);
  CHECK(d["actor"] == "school");
  CHECK(d["role"] == "member");
  CHECK(d["action"] == "entry.read");
  CHECK(d["allowed"] == true);
  CHECK(d["reason"] == "author actor");
  CHECK(d["purpose"].is_null());
  CHECK(d["detail"].is_null());
  CHECK(d["case_id"] == "7c1d");
  CHECK(d["leaf"] == "U1NQRgE=");
  CHECK(d["leaf_hash"] == "AAH+/xA=");
  CHECK(d["signer"].is_null());  // the sample carries no signature
  CHECK(d["signature"].is_null());
  CHECK(d["signed_message"].is_null());
  AuditEvent signed_event = SampleEvent();
  signed_event.signer = "p1";
  signed_event.signature = {0xff, 0x00};
  signed_event.signed_message = {0x53, 0x53};
  Doc sd = Doc::parse(EventJson(signed_event));
  CHECK(sd["signer"] == "p1");
  CHECK(sd["signature"] == "/wA=");
  CHECK(sd["signed_message"] == "U1M=");

  AuditEvent denied = SampleEvent();
  denied.allowed = false;
  denied.basis.clear();
  denied.case_id.clear();
  Doc dd = Doc::parse(EventJson(denied));
  CHECK(dd["allowed"] == false);
  CHECK(dd["basis"].is_null());
  CHECK(dd["case_id"].is_null());

  // A coded value without a name (tampered store) is its number.
  AuditEvent odd = SampleEvent();
  odd.actor = static_cast<Actor>(99);
  odd.action = static_cast<Action>(999);
  Doc od = Doc::parse(EventJson(odd));
  CHECK(od["actor"] == "99");
  CHECK(od["action"] == "999");
}

TEST_CASE("a record in a list is its own document without schema_version", "[json]") {
  auto same = [](const std::string& single, const std::string& list, const char* key) {
    Doc one = Doc::parse(single);
    Doc many = Doc::parse(list);
    REQUIRE(many[key].size() == 1);
    one.erase("schema_version");
    return one == many[key][0];
  };
  CHECK(same(EventJson(SampleEvent()), EventListJson({SampleEvent()}), "events"));
  CHECK(same(PrincipalJson(SamplePrincipal()), PrincipalListJson({SamplePrincipal()}),
             "principals"));
  CHECK(same(CaseJson(SampleCase()), CaseListJson({SampleCase()}), "cases"));
  CHECK(same(ConsentJson(SampleConsent()), ConsentListJson({SampleConsent()}), "consents"));
  CHECK(same(EntryJson(SampleEntry()), EntryListJson({SampleEntry()}), "entries"));
  ReviewFlag flag{"bulk-read", 7, "p1", "entry:1", "20 reads"};
  CHECK(same(ReviewFlagJson(flag), ReviewFlagListJson({flag}), "flags"));
  ReviewReport report;
  report.flags = {flag};
  CHECK(same(ReviewFlagJson(flag), ReviewReportJson(report), "flags"));
  ReviewFlag acked = flag;
  acked.ack = ReviewAck{};
  acked.ack->note = "Befogad.";
  Doc a = Doc::parse(ReviewFlagJson(acked));
  CHECK(a["acknowledged"] == true);
  CHECK(a["ack"]["note"] == "Befogad.");
  a.erase("schema_version");
  CHECK(a["ack"].count("schema_version") == 0);
  // The check can fail: a different event is not the same object.
  AuditEvent other = SampleEvent();
  other.seq = 42;
  CHECK_FALSE(same(EventJson(SampleEvent()), EventListJson({other}), "events"));
}

TEST_CASE("absent values are null, never missing", "[json]") {
  Doc c = Doc::parse(CaseJson(SampleCase()));
  REQUIRE(c.contains("closed"));
  CHECK(c["closed"].is_null());
  CaseInfo closed = SampleCase();
  closed.open = false;
  closed.closed = kTime;
  CHECK(Doc::parse(CaseJson(closed))["closed"] == kTimeText);

  Doc k = Doc::parse(ConsentJson(SampleConsent()));
  CHECK(k["party"] == "youth");
  CHECK(k["guardian_id"].is_null());
  CHECK(k["withdrawn_at"].is_null());
  CHECK(k["purpose"].is_null());
  CHECK(k["form_ref"].is_null());
  CHECK(k["valid_until"] == "2027-06-30");
  CHECK(k["actors"] == Doc::array({"school", "social"}));
  CHECK(k["categories"] == Doc::array({"school", "plan"}));
  ConsentInfo g = SampleConsent();
  g.party = {false, "g1"};
  g.withdrawn_at = kTime;
  Doc gd = Doc::parse(ConsentJson(g));
  CHECK(gd["party"] == "guardian");
  CHECK(gd["guardian_id"] == "g1");
  CHECK(gd["guardian_position"].is_null());  // not known outside ListConsents
  CHECK(gd["withdrawn_at"] == kTimeText);
  g.guardian_position = 2;
  CHECK(Doc::parse(ConsentJson(g))["guardian_position"] == 2);
  CHECK(k["guardian_position"].is_null());

  Doc e = Doc::parse(EntryJson(SampleEntry()));
  REQUIRE(e.contains("supersedes"));
  CHECK(e["supersedes"].is_null());

  VerifyReport r;
  CHECK(Doc::parse(VerifyReportJson(r, false))["kept_checkpoint_consistent"].is_null());
  r.kept_checkpoint_consistent = true;
  CHECK(Doc::parse(VerifyReportJson(r, true))["kept_checkpoint_consistent"] == true);
  CHECK(Doc::parse(CheckpointJson("n", std::nullopt))["file"].is_null());
  CHECK(Doc::parse(CheckpointJson("n", std::string_view("k.note")))["file"] == "k.note");

  InitResult init;
  init.store_id = "s1";
  CHECK(Doc::parse(InitJson(init, std::nullopt))["recovery_key"].is_null());
  CHECK(Doc::parse(InitJson(init, std::string_view("ab12-cd34")))["recovery_key"] ==
        "ab12-cd34");
  CHECK(Doc::parse(ReviewFlagJson({"bulk-read", 1, "p", "t", ""}))["detail"].is_null());
}

TEST_CASE("the trust anchor in the init and trust anchor documents", "[json]") {
  InitResult init;
  init.store_id = "s1";
  init.admin_id = "a1";
  init.trust_anchor = kHash;
  Doc i = Doc::parse(InitJson(init, std::nullopt));
  std::vector<std::string> keys;
  for (auto it = i.begin(); it != i.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"schema_version", "store_id", "admin_id",
                                         "recovery_key", "trust_anchor"});
  CHECK(i["trust_anchor"] == "AAH+/xA=");

  TrustAnchorInfo anchor{"s1", kHash, "0a1b-2c3d-4e5f-6071-8293-a4b5-c6d7-e8f9"};
  CHECK(Doc::parse(TrustAnchorJson(anchor)) ==
        Doc::parse(R"({"schema_version":1,"store_id":"s1","public_key":"AAH+/xA=",)"
                   R"("fingerprint":"0a1b-2c3d-4e5f-6071-8293-a4b5-c6d7-e8f9"})"));
}

TEST_CASE("the error document", "[json]") {
  Doc d = Doc::parse(ErrorJson(ConsentRequired("guardian 9b0e has not consented"), 3));
  CHECK(d == Doc::parse(R"({"schema_version":1,"error":{"code":"consent_required","exit":3,)"
                        R"("message":"guardian 9b0e has not consented"}})"));
  CHECK(Doc::parse(ErrorJson(NotFound("no such case")))["error"]["exit"].is_null());
}

TEST_CASE("text is escaped: quotes, backslashes, control characters, UTF-8", "[json]") {
  const std::string tricky =
      "a \"quoted\" \\ back\nslash\ttab\r\x01\x1f\x7f Hög frånvaro – 😀 </script>";
  PrincipalInfo p = SamplePrincipal();
  p.name = tricky;
  const std::string text = PrincipalJson(p);
  INFO(text);
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find("\\\"quoted\\\"") != std::string::npos);
  CHECK(text.find(" \\\\ back\\nslash\\ttab\\r\\u0001\\u001f") != std::string::npos);
  // UTF-8 is written as UTF-8, not as \u escapes.
  CHECK(text.find("Hög frånvaro – 😀") != std::string::npos);
  for (unsigned char c : text) CHECK(c >= 0x20);
  CHECK(Doc::parse(text)["name"] == tricky);

  // Invalid UTF-8 (only in a tampered store) becomes U+FFFD; nothing throws.
  AuditEvent e = SampleEvent();
  e.reason = std::string("bad \xff\xfe byte");
  std::string bad;
  REQUIRE_NOTHROW(bad = EventJson(e));
  CHECK(Doc::parse(bad)["reason"] == "bad \xef\xbf\xbd\xef\xbf\xbd byte");
}

TEST_CASE("an entry read carries the body only when asked", "[json]") {
  EntryContent c;
  c.info = SampleEntry();
  c.basis = "consent:51aa";
  const std::string body = "Hög frånvaro sedan augusti.\n";
  c.body.assign(body.begin(), body.end());
  Doc with = Doc::parse(EntryContentJson(c, true));
  CHECK(with["body"] == body);
  CHECK(with["basis"] == "consent:51aa");
  Doc without = Doc::parse(EntryContentJson(c, false));
  CHECK_FALSE(without.contains("body"));
  with.erase("body");
  CHECK(with == without);
}

TEST_CASE("the plan documents: members in order, dates, derived and absent values", "[json]") {
  Doc p = Doc::parse(CasePlanJson(SamplePlan()));
  std::vector<std::string> keys;
  for (auto it = p.begin(); it != p.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"schema_version", "case_id", "as_of", "next_follow_up",
                                         "goals", "actions", "meetings", "unshared"});
  CHECK(p["unshared"] == 0);
  CHECK(p["as_of"] == "2026-12-01");
  CHECK(p["next_follow_up"] == "2027-01-20");
  const Doc& open = p["actions"][0];
  CHECK(open["status"] == "open");
  CHECK(open["overdue"] == true);
  CHECK(open["due"] == "2026-11-29");
  CHECK(open["owner"] == "school");
  CHECK(open["principal"] == "sara");
  CHECK(open["done_entry_id"].is_null());
  CHECK(open["done_at"].is_null());
  const Doc& done = p["actions"][1];
  CHECK(done["status"] == "done");
  CHECK(done["principal"].is_null());
  CHECK(done["done_entry_id"] == "93cd");
  CHECK(done["done_at"] == kTimeText);
  const Doc& m = p["meetings"][0];
  CHECK(m["kind"] == "natverksmote");
  CHECK(m["attendees"] == Doc::array({"school", "coordination"}));
  CHECK(m["next_follow_up"].is_null());
  CHECK(m["minutes"] == "Rad ett.\nRad två.");
  Doc w = Doc::parse(PlanWriteJson({"93cd", "7c1d", "status", {Actor::kSchool, Actor::kSocial}}));
  CHECK(w.dump() ==
        R"({"schema_version":1,"id":"93cd","case_id":"7c1d","kind":"status",)"
        R"("disclosed_to":["school","social"]})");
  PlanShare share;
  share.case_id = "7c1d";
  share.disclosed.push_back({"93cd", Category::kMeeting, Actor::kPolice, "d1e2"});
  share.held = 4;
  share.not_covered = 1;
  share.other_author = 2;
  Doc sh = Doc::parse(PlanShareJson(share));
  CHECK(sh.dump() ==
        R"({"schema_version":1,"case_id":"7c1d","disclosed":[{"entry_id":"93cd",)"
        R"("category":"meeting","to":"police","disclosure_id":"d1e2"}],"held":4,)"
        R"("not_covered":1,"revoked":0,"other_author":2})");
  Doc d = Doc::parse(DueReportJson(SampleDue()));
  CHECK(d["days"] == 14);
  CHECK(d["items"][0]["days"] == -2);
  CHECK(d["items"][0]["mine"] == true);
  CHECK(d["items"][0]["principal"].is_null());
  CHECK(d["items"][1]["owner"].is_null());
  CHECK(d["items"][1]["text"].is_null());
  CHECK(d["items"][1]["date"] == "2026-12-11");
  // The case by its number and a consent by its party, as a person names them.
  CHECK(d["items"][0]["case_number"] == "2026-0042");
  CHECK(d["items"][1]["case_number"].is_null());
  CHECK(d["items"][1]["party"] == "guardian:2");
  CHECK(d["items"][0]["party"].is_null());
}

TEST_CASE("times are RFC 3339 UTC, also before 1970", "[json]") {
  CHECK(internal::json::Rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(internal::json::Rfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK(internal::json::Rfc3339(kTime) == kTimeText);
  CHECK(internal::json::Rfc3339(951782400) == "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace sspf
