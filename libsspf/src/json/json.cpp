// The one JSON encoder (sspf/json.h, docs/json-schema.md).
// One file over 700 lines on purpose: every document of the one schema is
// encoded here, side by side, so that shared fields stay spelled alike and
// the schema and docs/json-schema.md are checked in one place.
#include "sspf/json.h"

#include <sodium.h>

#include <cstdio>

#include "json/encoder.h"
#include "json/fields.h"
#include "sspf/civil_time.h"
#include "sspf/options.h"
#include "sspf/pnr.h"
#include "util/encoding.h"

namespace sspf {
namespace internal::json {
namespace {

// sodium_memzero rather than SecureWipe (layer crypto): this layer sits on
// util only.
void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(&s[0], s.size());
}

// The name, unless the value has none (ActorName and friends then say
// "unknown"): then the number, so that a tampered value stays visible.
template <typename T, typename Parse>
std::string NameOr(T value, const char* name, Parse parse) {
  if (parse(name) == std::optional<T>(value)) return name;
  return std::to_string(static_cast<int>(value));
}

// Documents that carry identity data, content or a key: every string in
// them is wiped once the text is made (the caller wipes the text).
void WipeStrings(Value& v) {
  if (v.is_string()) {
    Wipe(v.get_ref<std::string&>());
  } else if (v.is_structured()) {
    for (Value& child : v) WipeStrings(child);
  }
}

std::string DumpSecret(Value& doc) {
  std::string text = Dump(doc);
  WipeStrings(doc);
  return text;
}

Value ActorArray(const std::vector<Actor>& actors) { return ArrayOf(actors, ActorText); }

}  // namespace

std::string Rfc3339(UnixSeconds t) { return FormatRfc3339(t); }

std::string ActorText(Actor a) { return NameOr(a, ActorName(a), ParseActor); }
std::string RoleText(Role r) { return NameOr(r, RoleName(r), ParseRole); }
std::string ActionText(Action a) { return NameOr(a, ActionName(a), ParseAction); }
std::string CategoryText(Category c) { return NameOr(c, CategoryName(c), ParseCategory); }

Value TextOrNull(std::string_view s) {
  return s.empty() ? Value(nullptr) : Value(std::string(s));
}

Value TimeOrNull(const std::optional<UnixSeconds>& t) {
  return t ? Value(Rfc3339(*t)) : Value(nullptr);
}

Value Base64Value(const std::vector<uint8_t>& bytes) { return Base64Encode(bytes); }

Value EventObject(const AuditEvent& e) {
  Value j = Value::object();
  j["seq"] = e.seq;
  j["time"] = Rfc3339(e.time);
  j["principal_id"] = e.principal_id;
  j["principal_name"] = TextOrNull(e.principal_name);
  j["actor"] = ActorText(e.actor);
  j["role"] = RoleText(e.role);
  j["action"] = ActionText(e.action);
  j["target"] = e.target;
  j["allowed"] = e.allowed;
  j["reason"] = TextOrNull(e.reason);
  j["basis"] = TextOrNull(e.basis);
  j["purpose"] = TextOrNull(e.purpose);
  j["case_id"] = TextOrNull(e.case_id);
  j["subject_id"] = TextOrNull(e.subject_id);
  j["detail"] = TextOrNull(e.detail);
  j["leaf"] = Base64Value(e.leaf);
  j["leaf_hash"] = Base64Value(e.leaf_hash);
  j["signer"] = TextOrNull(e.signer);
  j["signature"] = e.signature.empty() ? Value(nullptr) : Base64Value(e.signature);
  j["signed_message"] = e.signed_message.empty() ? Value(nullptr) : Base64Value(e.signed_message);
  return j;
}

Value PrincipalObject(const PrincipalInfo& p) {
  Value j = Value::object();
  j["id"] = p.id;
  j["name"] = p.name;
  j["actor"] = ActorText(p.actor);
  j["role"] = RoleText(p.role);
  j["active"] = p.active;
  j["created"] = Rfc3339(p.created);
  return j;
}

Value GuardiansArray(const std::vector<GuardianInfo>& guardians) {
  Value arr = Value::array();
  for (const GuardianInfo& g : guardians) {
    Value j = Value::object();
    j["id"] = g.id;
    j["name"] = g.name;
    j["custody"] = g.custody;
    arr.push_back(std::move(j));
  }
  return arr;
}

Value SubjectObject(const SubjectInfo& s) {
  Value j = Value::object();
  j["id"] = s.id;
  j["personal_number"] = s.personal_number;
  j["name"] = s.name;
  j["birth_date"] = FormatDate(s.birth_date);
  j["guardians"] = GuardiansArray(s.guardians);
  return j;
}

Value CaseObject(const CaseInfo& c) {
  Value j = Value::object();
  j["id"] = c.id;
  j["number"] = TextOrNull(c.number);
  j["subject_id"] = c.subject_id;
  j["subject_name"] = c.subject_name ? Value(*c.subject_name) : Value(nullptr);
  j["open"] = c.open;
  j["opened"] = Rfc3339(c.opened);
  j["closed"] = TimeOrNull(c.closed);
  j["opened_by"] = c.opened_by;
  j["opened_by_name"] = TextOrNull(c.opened_by_name);
  j["team"] = c.team;
  j["team_ids"] = c.team_ids;
  j["team_disabled"] = c.team_disabled;
  return j;
}

Value ConsentObject(const ConsentInfo& c) {
  Value j = Value::object();
  j["id"] = c.id;
  j["case_id"] = c.case_id;
  j["party"] = c.party.youth ? "youth" : "guardian";
  j["guardian_id"] = c.party.youth ? Value(nullptr) : Value(c.party.guardian_id);
  j["guardian_position"] =
      c.party.youth || c.guardian_position <= 0 ? Value(nullptr) : Value(c.guardian_position);
  j["actors"] = ActorArray(c.actors);
  j["categories"] = ArrayOf(c.categories, CategoryText);
  j["valid_from"] = Rfc3339(c.valid_from);
  j["valid_until"] = FormatDate(c.valid_until);
  j["withdrawn_at"] = TimeOrNull(c.withdrawn_at);
  j["purpose"] = TextOrNull(c.purpose);
  j["form_ref"] = TextOrNull(c.form_ref);
  j["version"] = c.version;
  j["recorded_by"] = c.recorded_by;
  j["references"] = ArrayOf(c.references, [](const ConsentReference& r) {
    Value x = Value::object();
    x["actor"] = ActorName(r.actor);
    x["reference"] = r.reference;
    x["recorded_by"] = r.recorded_by;
    x["recorded"] = Rfc3339(r.recorded);
    return x;
  });
  return j;
}

Value EntryObject(const EntryInfo& e) {
  Value j = Value::object();
  j["id"] = e.id;
  j["case_id"] = e.case_id;
  j["category"] = CategoryText(e.category);
  j["author"] = e.author;
  j["author_actor"] = ActorText(e.author_actor);
  j["created"] = Rfc3339(e.created);
  j["supersedes"] = e.supersedes ? Value(*e.supersedes) : Value(nullptr);
  j["disclosed_to"] = ActorArray(e.disclosed_to);
  return j;
}

Value GrantObject(const GrantInfo& g) {
  Value j = Value::object();
  j["id"] = g.id;
  j["case_id"] = g.case_id;
  j["principal_id"] = g.principal_id;
  j["provision"] = g.provision;
  j["from"] = Rfc3339(g.from);
  j["until"] = Rfc3339(g.until);
  return j;
}

Value ReviewFlagObject(const ReviewFlag& f) {
  Value j = Value::object();
  j["kind"] = f.kind;
  j["seq"] = f.seq;
  j["principal_id"] = f.principal_id;
  j["target"] = f.target;
  j["detail"] = TextOrNull(f.detail);
  j["time"] = Rfc3339(f.time);
  j["principal_name"] = TextOrNull(f.principal_name);
  j["actor"] = ActorText(f.actor);
  j["role"] = RoleText(f.role);
  j["action"] = ActionText(f.action);
  j["allowed"] = f.allowed;
  j["case_id"] = TextOrNull(f.case_id);
  j["acknowledged"] = f.ack.has_value();
  j["ack"] = f.ack ? ReviewAckObject(*f.ack) : Value(nullptr);
  return j;
}

Value ReviewAckObject(const ReviewAck& a) {
  Value j = Value::object();
  j["seq"] = a.seq;
  j["flagged_seq"] = a.flagged_seq;
  j["time"] = Rfc3339(a.time);
  j["auditor_id"] = a.auditor_id;
  j["auditor_name"] = TextOrNull(a.auditor_name);
  j["note_id"] = TextOrNull(a.note_id);
  j["note"] = a.note ? Value(*a.note) : Value(nullptr);
  j["note_sealed"] = a.note_sealed;
  return j;
}

Value ReviewClosureObject(const ReviewClosure& c) {
  Value j = Value::object();
  j["seq"] = c.seq;
  j["time"] = Rfc3339(c.time);
  j["auditor_id"] = c.auditor_id;
  j["auditor_name"] = TextOrNull(c.auditor_name);
  j["since"] = Rfc3339(c.since);
  j["until"] = Rfc3339(c.until);
  j["flags_open"] = c.flags_open;
  j["flags_acknowledged"] = c.flags_acknowledged;
  return j;
}

const char* ReviewPeriodUnitText(ReviewPeriodUnit u) {
  return u == ReviewPeriodUnit::kWeek ? "week" : "day";
}

namespace {

Value ReviewCountObject(const ReviewCount& c) {
  Value j = Value::object();
  j["period"] = c.period;
  j["period_start"] = Rfc3339(c.period_start);
  j["key"] = c.key;
  j["name"] = TextOrNull(c.name);
  j["events"] = c.events;
  j["denied"] = c.denied;
  j["entry_reads"] = c.entry_reads;
  j["accesses"] = c.accesses;
  return j;
}

Value CaseReadersObject(const CaseReaders& c) {
  Value j = Value::object();
  j["case_id"] = c.case_id;
  j["reads"] = c.reads;
  j["readers"] = ArrayOf(c.readers, [](const CaseReader& r) {
    Value k = Value::object();
    k["principal_id"] = r.principal_id;
    k["name"] = TextOrNull(r.name);
    k["actor"] = ActorText(r.actor);
    k["reads"] = r.reads;
    k["denied"] = r.denied;
    k["last"] = Rfc3339(r.last);
    return k;
  });
  return j;
}

}  // namespace

Value ReviewReportObject(const ReviewReport& r) {
  Value j = Value::object();
  j["store_id"] = r.store_id;
  j["since"] = TimeOrNull(r.since);
  j["until"] = TimeOrNull(r.until);
  j["principal"] = r.principal ? Value(*r.principal) : Value(nullptr);
  j["actor"] = r.actor ? Value(ActorText(*r.actor)) : Value(nullptr);
  j["flag_kind"] = r.flag_kind ? Value(*r.flag_kind) : Value(nullptr);
  j["generated"] = Rfc3339(r.generated);
  j["tree_size"] = r.tree_size;
  j["events_in_scope"] = r.events_in_scope;
  j["flags"] = ArrayOf(r.flags, ReviewFlagObject);
  j["flags_open"] = r.flags_open;
  j["flags_acknowledged"] = r.flags_acknowledged;
  Value summary = Value::object();
  summary["by"] = ReviewPeriodUnitText(r.summary.by);
  summary["per_principal"] = ArrayOf(r.summary.per_principal, ReviewCountObject);
  summary["per_actor"] = ArrayOf(r.summary.per_actor, ReviewCountObject);
  summary["per_action"] = ArrayOf(r.summary.per_action, ReviewCountObject);
  j["summary"] = std::move(summary);
  j["top_readers"] = ArrayOf(r.top_readers, CaseReadersObject);
  j["closures"] = ArrayOf(r.closures, ReviewClosureObject);
  return j;
}

Value Document(Value object) {
  Value doc = Value::object();
  doc["schema_version"] = kJsonSchemaVersion;
  for (auto it = object.begin(); it != object.end(); ++it) {
    doc[it.key()] = std::move(it.value());
  }
  return doc;
}

std::string Dump(const Value& document) {
  return document.dump(-1, ' ', false, Value::error_handler_t::replace);
}

}  // namespace internal::json

namespace enc = internal::json;
using enc::Document;
using enc::Dump;
using enc::ListDocument;
using enc::Value;

namespace {
// A small document: schema_version, then the given members in order.
std::string Small(std::initializer_list<std::pair<const char*, Value>> members) {
  Value doc = Document();
  for (const auto& m : members) doc[m.first] = m.second;
  return Dump(doc);
}
}  // namespace

std::string EventJson(const AuditEvent& event) {
  return Dump(Document(enc::EventObject(event)));
}

std::string EventListJson(const std::vector<AuditEvent>& events) {
  return Dump(ListDocument("events", events, enc::EventObject));
}

std::string SubjectExtractJson(std::string_view subject_id,
                               const std::vector<AuditEvent>& events,
                               const std::vector<PrincipalInfo>& principals) {
  Value names = Value::object();
  for (const PrincipalInfo& p : principals) {
    for (const AuditEvent& e : events) {
      if (e.principal_id == p.id) {
        names[p.id] = p.name;
        break;
      }
    }
  }
  Value out = Document();
  out["subject_id"] = std::string(subject_id);
  out["events"] = enc::ArrayOf(events, enc::EventObject);
  out["principal_names"] = std::move(names);
  return Dump(out);
}

std::string LogExtractJson(const LogExtract& x) {
  Value out = Document();
  out["kind"] = "log_extract";
  out["subject_id"] = x.subject_id;
  out["youth_name"] = enc::TextOrNull(x.youth_name);
  out["language"] = ReportLanguageName(x.language);
  out["issued"] = enc::Rfc3339(x.issued);
  out["period_from"] = enc::Rfc3339(x.period_from);
  out["period_until"] = enc::Rfc3339(x.period_until);
  out["lines"] = enc::ArrayOf(x.lines, [](const ExtractLine& l) {
    Value j = Value::object();
    j["seq"] = l.seq;
    j["time"] = enc::Rfc3339(l.time);
    j["local_time"] = l.local_time;
    j["zone"] = l.zone;
    j["principal_id"] = l.principal_id;
    j["principal_name"] = enc::TextOrNull(l.principal_name);
    j["actor"] = enc::ActorText(l.actor);
    j["organisation"] = l.organisation;
    j["action"] = enc::ActionText(l.action);
    j["outcome"] = ExtractOutcomeName(l.outcome);
    if (l.outcome == ExtractOutcome::kAllowed) {
      Value b = Value::object();
      b["kind"] = l.basis_kind;
      b["consent_parties"] =
          enc::ArrayOf(l.consent_parties, [](const std::string& p) { return Value(p); });
      b["provision"] = enc::TextOrNull(l.provision);
      j["basis"] = std::move(b);
    } else {
      j["basis"] = nullptr;
    }
    j["purpose"] = enc::TextOrNull(l.purpose);
    j["refusal"] = enc::TextOrNull(l.refusal);
    j["what_text"] = l.what_text;
    j["basis_label"] = l.basis_label;
    j["basis_text"] = l.basis_text;
    j["purpose_text"] = enc::TextOrNull(l.purpose_text);
    j["text"] = l.text;
    return j;
  });
  // The youth's name is personal data.
  return enc::DumpSecret(out);
}

std::string VerifyReportJson(const VerifyReport& report, bool kept_checkpoint_given) {
  return Small({{"tree_size", report.tree_size},
                {"root", enc::Base64Value(report.root)},
                {"checkpoints_checked", report.checkpoints_checked},
                {"events_checked", report.events_checked},
                {"kept_checkpoint_consistent",
                 kept_checkpoint_given ? Value(report.kept_checkpoint_consistent)
                                       : Value(nullptr)},
                {"kept_checkpoint_signer", kept_checkpoint_given
                                               ? Value(report.kept_checkpoint_signer)
                                               : Value(nullptr)},
                {"witnesses", enc::ArrayOf(report.witnesses,
                                           [](const std::string& w) { return Value(w); })}});
}

std::string TileExportJson(const TileExportReport& report) {
  return Small({{"tree_size", report.tree_size},
                {"root", enc::Base64Value(report.root)},
                {"tiles", report.tiles},
                {"entry_bundles", report.entry_bundles},
                {"dir", report.dir}});
}

std::string InclusionProofJson(const InclusionProof& proof) {
  return Small({{"index", proof.index},
                {"tree_size", proof.tree_size},
                {"leaf_hash", enc::Base64Value(proof.leaf_hash)},
                {"root", enc::Base64Value(proof.root)},
                {"proof", enc::ArrayOf(proof.proof, enc::Base64Value)}});
}

std::string ConsistencyProofJson(const ConsistencyProof& proof) {
  return Small({{"old_size", proof.old_size},
                {"new_size", proof.new_size},
                {"old_root", enc::Base64Value(proof.old_root)},
                {"new_root", enc::Base64Value(proof.new_root)},
                {"proof", enc::ArrayOf(proof.proof, enc::Base64Value)}});
}

Result<ConsistencyProof> ConsistencyProofFromJson(std::string_view document) {
  const Value doc = Value::parse(document.begin(), document.end(), nullptr,
                                 /*allow_exceptions=*/false);
  if (!doc.is_object()) return InvalidArgument("consistency proof: not a JSON object");
  auto member = [&](const char* key) -> const Value* {
    auto it = doc.find(key);
    return it == doc.end() ? nullptr : &*it;
  };
  const Value* version = member("schema_version");
  if (version == nullptr || !version->is_number_unsigned() ||
      version->get<uint64_t>() != static_cast<uint64_t>(kJsonSchemaVersion)) {
    return InvalidArgument("consistency proof: schema_version must be 1");
  }
  auto size = [&](const char* key, uint64_t* out) -> Status {
    const Value* v = member(key);
    if (v == nullptr || !v->is_number_unsigned()) {
      return InvalidArgument(std::string("consistency proof: ") + key +
                             " must be a non-negative integer");
    }
    *out = v->get<uint64_t>();
    return Status::Ok();
  };
  auto hash = [](const Value& v, const std::string& what) -> Result<std::vector<uint8_t>> {
    if (v.is_string()) {
      Result<internal::Bytes> b = internal::Base64Decode(v.get_ref<const std::string&>());
      if (b.ok() && b->size() == 32) return std::vector<uint8_t>(b->begin(), b->end());
    }
    return InvalidArgument("consistency proof: " + what + " must be base64 of 32 bytes");
  };
  ConsistencyProof p;
  SSPF_RETURN_IF_ERROR(size("old_size", &p.old_size));
  SSPF_RETURN_IF_ERROR(size("new_size", &p.new_size));
  const Value* old_root = member("old_root");
  SSPF_ASSIGN_OR_RETURN(p.old_root, hash(old_root ? *old_root : Value(), "old_root"));
  const Value* new_root = member("new_root");
  SSPF_ASSIGN_OR_RETURN(p.new_root, hash(new_root ? *new_root : Value(), "new_root"));
  const Value* proof = member("proof");
  if (proof == nullptr || !proof->is_array() || proof->size() > 128) {
    return InvalidArgument("consistency proof: proof must be an array of at most 128 hashes");
  }
  for (const Value& h : *proof) {
    SSPF_ASSIGN_OR_RETURN(std::vector<uint8_t> b, hash(h, "proof"));
    p.proof.push_back(std::move(b));
  }
  return p;
}

std::string WitnessKeyJson(const WitnessKey& key) {
  return Small({{"name", key.name},
                {"verifier_key", key.verifier_key},
                {"key_file", key.key_file},
                {"public_key_file", key.public_key_file}});
}

std::string WitnessCosignatureJson(const WitnessCosignature& c) {
  return Small({{"witness", c.witness},
                {"origin", c.origin},
                {"tree_size", c.tree_size},
                {"previous_size", c.previous_size},
                {"first_use", c.first_use},
                {"timestamp", enc::TimeOrNull(c.timestamp)},
                {"note", c.note}});
}

std::string ReviewFlagJson(const ReviewFlag& flag) {
  return Dump(Document(enc::ReviewFlagObject(flag)));
}

std::string ReviewFlagListJson(const std::vector<ReviewFlag>& flags) {
  return Dump(ListDocument("flags", flags, enc::ReviewFlagObject));
}

std::string ReviewReportJson(const ReviewReport& report) {
  return Dump(Document(enc::ReviewReportObject(report)));
}

std::string ReviewAckJson(const ReviewAck& ack) {
  return Dump(Document(enc::ReviewAckObject(ack)));
}

std::string ReviewClosureJson(const ReviewClosure& closure) {
  return Dump(Document(enc::ReviewClosureObject(closure)));
}

std::string CheckpointJson(std::string_view note, std::optional<std::string_view> file) {
  return Small({{"note", std::string(note)},
                {"file", file ? Value(std::string(*file)) : Value(nullptr)}});
}

std::string VerifierKeyJson(std::string_view vkey) {
  return Small({{"vkey", std::string(vkey)}});
}

std::string InitJson(const InitResult& result, std::optional<std::string_view> recovery_key) {
  Value doc = Document();
  doc["store_id"] = result.store_id;
  doc["admin_id"] = result.admin_id;
  doc["recovery_key"] =
      recovery_key ? Value(std::string(*recovery_key)) : Value(nullptr);
  doc["trust_anchor"] = enc::Base64Value(result.trust_anchor);
  return enc::DumpSecret(doc);
}

std::string TrustAnchorJson(const TrustAnchorInfo& anchor) {
  return Small({{"store_id", anchor.store_id},
                {"public_key", enc::Base64Value(anchor.public_key)},
                {"fingerprint", anchor.fingerprint}});
}

std::string IdMatchJson(const IdMatch& match) {
  return Small({{"kind", match.kind}, {"id", match.id}});
}

std::string PrincipalJson(const PrincipalInfo& principal) {
  return Dump(Document(enc::PrincipalObject(principal)));
}

std::string PrincipalListJson(const std::vector<PrincipalInfo>& principals) {
  return Dump(ListDocument("principals", principals, enc::PrincipalObject));
}

std::string PrincipalAddedJson(std::string_view id, std::string_view name, Actor actor,
                               Role role) {
  return Small({{"id", std::string(id)},
                {"name", std::string(name)},
                {"actor", enc::ActorText(actor)},
                {"role", enc::RoleText(role)}});
}

std::string PrincipalDisabledJson(std::string_view name) {
  return Small({{"name", std::string(name)}, {"active", false}});
}

std::string PassphraseChangedJson(std::string_view name) {
  return Small({{"name", std::string(name)}, {"changed", true}});
}

std::string RecoveryResetJson(std::string_view name) {
  return Small({{"name", std::string(name)}, {"reset", true}});
}

std::string SubjectJson(const SubjectInfo& subject) {
  Value doc = Document(enc::SubjectObject(subject));
  return enc::DumpSecret(doc);
}

std::string SubjectAddedJson(const SubjectInfo& subject) {
  Value doc = Document();
  doc["id"] = subject.id;
  doc["guardians"] = enc::GuardiansArray(subject.guardians);
  return enc::DumpSecret(doc);
}

// The youth's name is personal data: the documents are wiped.
std::string CaseJson(const CaseInfo& c) {
  Value doc = Document(enc::CaseObject(c));
  return enc::DumpSecret(doc);
}

std::string CaseListJson(const std::vector<CaseInfo>& cases) {
  Value doc = ListDocument("cases", cases, enc::CaseObject);
  return enc::DumpSecret(doc);
}

std::string SubjectListJson(const std::vector<SubjectInfo>& subjects) {
  Value doc = ListDocument("subjects", subjects, enc::SubjectObject);
  return enc::DumpSecret(doc);
}

std::string StaffListJson(const std::vector<StaffMember>& staff) {
  return Dump(ListDocument("staff", staff, [](const StaffMember& m) {
    Value j = Value::object();
    j["id"] = m.id;
    j["name"] = m.name;
    j["actor"] = enc::ActorText(m.actor);
    j["role"] = enc::RoleText(m.role);
    return j;
  }));
}

std::string GuardianMatchJson(const GuardianMatch& match) {
  return Small({{"subject_id", match.subject_id},
                {"guardian_id", match.guardian_id},
                {"position", match.position},
                {"custody", match.custody}});
}

std::string CaseClosedJson(std::string_view case_id) {
  return Small({{"id", std::string(case_id)}, {"open", false}});
}

std::string TeamMemberAddedJson(std::string_view case_id, std::string_view member) {
  return Small({{"id", std::string(case_id)}, {"member", std::string(member)}});
}

std::string CaseReopenedJson(std::string_view case_id) {
  return Small({{"id", std::string(case_id)}, {"open", true}});
}

std::string TeamMemberRemovedJson(std::string_view case_id, std::string_view member) {
  return Small({{"id", std::string(case_id)}, {"member", std::string(member)},
                {"removed", true}});
}

std::string GuardianCustodyJson(std::string_view subject_id, std::string_view guardian_id,
                                bool custody) {
  return Small({{"subject_id", std::string(subject_id)},
                {"guardian_id", std::string(guardian_id)}, {"custody", custody}});
}

std::string DisclosureRevokedJson(std::string_view disclosure_id) {
  return Small({{"id", std::string(disclosure_id)}, {"revoked", true}});
}

std::string GrantEndedJson(std::string_view grant_id) {
  return Small({{"id", std::string(grant_id)}, {"ended", true}});
}

std::string ConsentConfirmedJson(std::string_view consent_id, Actor actor) {
  return Small({{"id", std::string(consent_id)}, {"actor", std::string(ActorName(actor))},
                {"confirmed", true}});
}

std::string ConsentJson(const ConsentInfo& consent) {
  return Dump(Document(enc::ConsentObject(consent)));
}

std::string ConsentListJson(const std::vector<ConsentInfo>& consents) {
  return Dump(ListDocument("consents", consents, enc::ConsentObject));
}

std::string ConsentWithdrawnJson(std::string_view consent_id) {
  return Small({{"id", std::string(consent_id)}, {"withdrawn", true}});
}

std::string EntryJson(const EntryInfo& entry) {
  return Dump(Document(enc::EntryObject(entry)));
}

std::string EntryListJson(const std::vector<EntryInfo>& entries) {
  return Dump(ListDocument("entries", entries, enc::EntryObject));
}

std::string EntryContentJson(const EntryContent& content, bool include_body) {
  Value doc = Document(enc::EntryObject(content.info));
  doc["basis"] = content.basis;
  if (!include_body) return Dump(doc);
  std::string body(content.body.begin(), content.body.end());
  doc["body"] = body;
  enc::Wipe(body);
  return enc::DumpSecret(doc);
}

std::string GrantJson(const GrantInfo& grant) {
  return Dump(Document(enc::GrantObject(grant)));
}

std::string LegalProvisionListJson(const std::vector<LegalProvision>& provisions) {
  auto positive_or_null = [](int64_t v) { return v > 0 ? Value(v) : Value(nullptr); };
  return Dump(ListDocument("provisions", provisions, [&](const LegalProvision& p) {
    Value j = Value::object();
    j["id"] = p.id;
    j["citation"] = p.citation;
    j["summary"] = p.summary;
    j["source"] = p.source;
    j["verified"] = p.verified;
    j["directions"] = enc::ArrayOf(p.directions, [](const ProvisionFlow& f) {
      Value d = Value::object();
      d["from"] = enc::ActorArray(f.from);
      d["to"] = enc::ActorArray(f.to);
      return d;
    });
    j["subject_min_age"] = p.subject_min_age;
    j["subject_age_under"] = positive_or_null(p.subject_age_under);
    j["requires_reason"] = p.requires_reason;
    j["requires_balancing"] = p.requires_balancing;
    j["default_duration_seconds"] = positive_or_null(p.default_duration_seconds);
    j["max_duration_seconds"] = positive_or_null(p.max_duration_seconds);
    j["requires_public_authority"] = p.requires_public_authority;
    j["recipient_must_be_authority"] = p.recipient_must_be_authority;
    j["in_force_from"] = p.in_force_from ? Value(FormatDate(*p.in_force_from)) : Value(nullptr);
    return j;
  }));
}

std::string CreatedJson(std::string_view id) { return Small({{"id", std::string(id)}}); }

std::string ErrorJson(const Status& status, std::optional<int> exit_code) {
  Value error = Value::object();
  error["code"] = StatusCodeName(status.code());
  error["exit"] = exit_code ? Value(*exit_code) : Value(nullptr);
  error["message"] = status.message();
  return Small({{"error", std::move(error)}});
}

namespace {
Value PrincipalCertificateObject(const PrincipalCertificate& c) {
  Value j = Value::object();
  j["principal_id"] = c.principal_id;
  j["name"] = c.name;
  j["actor"] = enc::ActorText(c.actor);
  j["role"] = enc::RoleText(c.role);
  j["active"] = c.active;
  j["version"] = c.version;
  j["signing_key"] = enc::Base64Value(c.signing_key);
  j["certificate"] = enc::Base64Value(c.certificate);
  j["certificate_signature"] = enc::Base64Value(c.certificate_signature);
  return j;
}
}  // namespace

std::string PrincipalCertificateJson(const PrincipalCertificate& certificate) {
  return Dump(Document(PrincipalCertificateObject(certificate)));
}

std::string PrincipalCertificateListJson(const std::vector<PrincipalCertificate>& certificates) {
  return Dump(ListDocument("certificates", certificates, PrincipalCertificateObject));
}

namespace {
Value ReasonObject(const ReasonInfo& r) {
  Value j = Value::object();
  j["kind"] = r.kind;
  j["id"] = r.id;
  j["case_id"] = r.case_id;
  j["entry_id"] = enc::TextOrNull(r.entry_id);
  j["to"] = r.to ? Value(enc::ActorText(*r.to)) : Value(nullptr);
  j["decided_by"] = r.decided_by;
  j["provision"] = r.provision ? Value(*r.provision) : Value(nullptr);
  j["created"] = enc::Rfc3339(r.created);
  j["reason"] = r.reason ? Value(*r.reason) : Value(nullptr);
  j["reason_sealed"] = r.reason_sealed;
  return j;
}
}  // namespace

std::string ReasonListJson(const std::vector<ReasonInfo>& reasons) {
  Value doc = ListDocument("reasons", reasons, ReasonObject);
  return enc::DumpSecret(doc);
}

namespace {
Value PurposeNoteObject(const PurposeNoteInfo& n) {
  Value j = Value::object();
  j["id"] = n.id;
  j["seq"] = n.seq;
  j["time"] = enc::Rfc3339(n.time);
  j["principal_id"] = n.principal_id;
  j["case_id"] = enc::TextOrNull(n.case_id);
  j["target"] = n.target;
  j["code"] = n.code;
  j["commitment"] = n.commitment;
  j["note"] = n.note ? Value(*n.note) : Value(nullptr);
  j["note_sealed"] = n.note_sealed;
  j["erased"] = n.erased;
  return j;
}

Value PurposeCodeObject(const PurposeCode& p) {
  Value j = Value::object();
  j["code"] = p.code;
  j["label_sv"] = p.label_sv;
  j["label_en"] = p.label_en;
  return j;
}
}  // namespace

std::string PurposeNoteListJson(const std::vector<PurposeNoteInfo>& notes) {
  Value doc = ListDocument("purpose_notes", notes, PurposeNoteObject);
  return enc::DumpSecret(doc);
}

std::string PurposeNoteErasedJson(std::string_view note_id) {
  return Small({{"id", std::string(note_id)}, {"erased", true}});
}

std::string PurposeCodesJson(const std::vector<PurposeCode>& codes) {
  return Dump(ListDocument("purposes", codes, PurposeCodeObject));
}

std::string KeyRotatedJson(Actor actor, int64_t version) {
  return Small({{"actor", enc::ActorText(actor)}, {"version", version}});
}

std::string EntryKeysRewrappedJson(Actor actor, uint64_t rewrapped) {
  return Small({{"actor", enc::ActorText(actor)}, {"rewrapped", rewrapped}});
}

namespace {

Value RetentionRuleObject(const RetentionRule& r) {
  Value j = Value::object();
  j["id"] = r.id;
  j["actor"] = enc::ActorText(r.actor);
  j["categories"] = enc::ArrayOf(r.categories, enc::CategoryText);
  j["from"] = RetentionFromName(r.from);
  j["years"] = r.years;
  j["birth_days"] = enc::ArrayOf(r.birth_days, [](int d) { return Value(d); });
  j["citation"] = r.citation;
  j["summary"] = r.summary;
  j["verified"] = r.verified;
  return j;
}

Value RetentionEntryObject(const RetentionPlanEntry& e) {
  Value j = Value::object();
  j["entry_id"] = e.entry_id;
  j["case_id"] = e.case_id;
  j["subject_id"] = e.subject_id;
  j["actor"] = enc::ActorText(e.actor);
  j["category"] = enc::CategoryText(e.category);
  j["rule"] = enc::TextOrNull(e.rule);
  j["state"] = e.state;
  j["due"] = enc::TimeOrNull(e.due);
  return j;
}

}  // namespace

std::string RetentionRulesJson(const std::vector<RetentionRule>& rules) {
  return Dump(ListDocument("rules", rules, RetentionRuleObject));
}

std::string RetentionPlanJson(const RetentionPlan& plan) {
  Value doc = Document();
  doc["as_of"] = enc::Rfc3339(plan.as_of);
  doc["due_entries"] = plan.due_entries;
  doc["entries"] = enc::ArrayOf(plan.entries, RetentionEntryObject);
  doc["cases"] = enc::ArrayOf(plan.cases, [](const std::string& s) { return Value(s); });
  doc["subjects"] = enc::ArrayOf(plan.subjects, [](const RetentionPlanSubject& s) {
    Value j = Value::object();
    j["subject_id"] = s.subject_id;
    j["case_ids"] = enc::ArrayOf(s.case_ids, [](const std::string& c) { return Value(c); });
    return j;
  });
  return Dump(doc);
}

std::string RetentionRunJson(const RetentionRunResult& r) {
  return Small({{"decision", r.decision},
                {"cases", r.cases},
                {"entries_erased", r.entries_erased},
                {"cases_erased", r.cases_erased},
                {"subjects_erased", r.subjects_erased},
                {"checkpoint", r.checkpoint},
                {"compacted", r.compacted},
                {"free_pages", r.free_pages}});
}

std::string StoreRekeyedJson(const RekeyResult& result) {
  return Small({{"generation", result.generation}, {"principals", result.principals}});
}

std::string CasePlanJson(const CasePlan& plan) {
  Value doc = Document();
  doc["case_id"] = plan.case_id;
  doc["as_of"] = FormatDate(plan.as_of);
  doc["next_follow_up"] =
      plan.next_follow_up ? Value(FormatDate(*plan.next_follow_up)) : Value(nullptr);
  doc["goals"] = enc::ArrayOf(plan.goals, [](const PlanGoal& g) {
    Value j = Value::object();
    j["id"] = g.id;
    j["text"] = g.text;
    j["author"] = g.author;
    j["created"] = enc::Rfc3339(g.created);
    return j;
  });
  doc["actions"] = enc::ArrayOf(plan.actions, [](const PlanAction& a) {
    Value j = Value::object();
    j["id"] = a.id;
    j["goal_id"] = a.goal_id;
    j["owner"] = enc::ActorText(a.owner);
    j["principal"] = enc::TextOrNull(a.principal);
    j["due"] = FormatDate(a.due);
    j["text"] = a.text;
    j["status"] = ActionStatusName(a.status);
    j["overdue"] = a.overdue;
    j["done_entry_id"] = a.done_entry_id ? Value(*a.done_entry_id) : Value(nullptr);
    j["done_at"] = enc::TimeOrNull(a.done_at);
    j["author"] = a.author;
    j["created"] = enc::Rfc3339(a.created);
    return j;
  });
  doc["meetings"] = enc::ArrayOf(plan.meetings, [](const PlanMeeting& m) {
    Value j = Value::object();
    j["id"] = m.id;
    j["date"] = FormatDate(m.date);
    j["kind"] = MeetingKindName(m.kind);
    j["attendees"] = enc::ArrayOf(m.attendees, [](Actor a) { return Value(enc::ActorText(a)); });
    j["next_follow_up"] =
        m.next_follow_up ? Value(FormatDate(*m.next_follow_up)) : Value(nullptr);
    j["minutes"] = m.minutes;
    j["author"] = m.author;
    j["created"] = enc::Rfc3339(m.created);
    return j;
  });
  doc["unshared"] = plan.unshared;
  return Dump(doc);
}

std::string PlanShareJson(const PlanShare& share) {
  Value doc = Document();
  doc["case_id"] = share.case_id;
  doc["disclosed"] = enc::ArrayOf(share.disclosed, [](const PlanShareItem& d) {
    Value j = Value::object();
    j["entry_id"] = d.entry_id;
    j["category"] = CategoryName(d.category);
    j["to"] = enc::ActorText(d.to);
    j["disclosure_id"] = d.disclosure_id;
    return j;
  });
  doc["held"] = share.held;
  doc["not_covered"] = share.not_covered;
  doc["revoked"] = share.revoked;
  doc["other_author"] = share.other_author;
  return Dump(doc);
}

std::string PlanWriteJson(const PlanWrite& write) {
  Value doc = Document();
  doc["id"] = write.id;
  doc["case_id"] = write.case_id;
  doc["kind"] = write.kind;
  doc["disclosed_to"] =
      enc::ArrayOf(write.disclosed_to, [](Actor a) { return Value(enc::ActorText(a)); });
  return Dump(doc);
}

std::string DueReportJson(const DueReport& report) {
  Value doc = Document();
  doc["as_of"] = FormatDate(report.as_of);
  doc["days"] = report.days;
  doc["items"] = enc::ArrayOf(report.items, [](const DueItem& d) {
    Value j = Value::object();
    j["kind"] = d.kind;
    j["case_id"] = d.case_id;
    j["case_number"] = enc::TextOrNull(d.case_number);
    j["id"] = d.id;
    j["date"] = FormatDate(d.date);
    j["days"] = d.days;
    j["owner"] = d.owner ? Value(enc::ActorText(*d.owner)) : Value(nullptr);
    j["principal"] = enc::TextOrNull(d.principal);
    j["mine"] = d.mine;
    j["text"] = enc::TextOrNull(d.text);
    j["party"] = enc::TextOrNull(d.party);
    return j;
  });
  return Dump(doc);
}

}  // namespace sspf
