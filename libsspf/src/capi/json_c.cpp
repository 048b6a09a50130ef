// Copyright (c) libsspf authors.
//
// Every JSON text of the C ABI (the shapes in sspf/sspf.h), written by hand:
// output only, the library never parses JSON.  Kept in this one file so that
// the library-wide encoder can replace it in one place.
#include "capi/json_c.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capi/capi_internal.h"
#include "sspf/pnr.h"
#include "sspf/secret.h"
#include "sspf/types.h"

namespace sspf::capi {
namespace {

// ---- JSON writer (output only; the library never parses JSON) ----------------

class Json {
 public:
  Json& Raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  Json& Str(std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out_ += "\\u00";
            out_.push_back(kHex[c >> 4]);
            out_.push_back(kHex[c & 15]);
          } else {
            out_.push_back(ch);
          }
      }
    }
    out_.push_back('"');
    return *this;
  }
  Json& Int(int64_t v) { return Raw(std::to_string(v)); }
  Json& UInt(uint64_t v) { return Raw(std::to_string(v)); }
  Json& Bool(bool v) { return Raw(v ? "true" : "false"); }
  Json& Hex(const std::vector<uint8_t>& b) {
    static const char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (uint8_t c : b) {
      out_.push_back(kHex[c >> 4]);
      out_.push_back(kHex[c & 15]);
    }
    out_.push_back('"');
    return *this;
  }
  // "key": (with a comma before all but the first key of an object)
  Json& Key(std::string_view k) {
    if (!out_.empty() && out_.back() != '{' && out_.back() != '[') out_.push_back(',');
    Str(k);
    out_.push_back(':');
    return *this;
  }
  // A comma before all but the first element of an array.
  Json& Next() {
    if (!out_.empty() && out_.back() != '[') out_.push_back(',');
    return *this;
  }
  const std::string& str() const { return out_; }
  ~Json() { sspf::SecureWipe(out_.data(), out_.size()); }

 private:
  std::string out_;
};

void WritePrincipal(Json& j, const sspf::PrincipalInfo& p) {
  j.Raw("{").Key("id").Str(p.id).Key("name").Str(p.name)
      .Key("actor").Str(sspf::ActorName(p.actor)).Key("role").Str(sspf::RoleName(p.role))
      .Key("active").Bool(p.active).Key("created").Int(p.created).Raw("}");
}

void WriteSubject(Json& j, const sspf::SubjectInfo& s) {
  j.Raw("{").Key("id").Str(s.id).Key("personal_number").Str(s.personal_number)
      .Key("name").Str(s.name).Key("birth_date");
  if (sspf::IsValidDate(s.birth_date)) {
    j.Str(sspf::FormatDate(s.birth_date));
  } else {
    j.Raw("null");
  }
  j.Key("guardians").Raw("[");
  for (const auto& g : s.guardians) {
    j.Next().Raw("{").Key("id").Str(g.id).Key("name").Str(g.name).Raw("}");
  }
  j.Raw("]}");
}

void WriteCase(Json& j, const sspf::CaseInfo& c) {
  j.Raw("{").Key("id").Str(c.id).Key("subject_id").Str(c.subject_id)
      .Key("open").Bool(c.open).Key("opened").Int(c.opened).Key("closed");
  if (c.closed) {
    j.Int(*c.closed);
  } else {
    j.Raw("null");
  }
  j.Key("team").Raw("[");
  for (const auto& t : c.team) j.Next().Str(t);
  j.Raw("]}");
}

void WriteActors(Json& j, const std::vector<sspf::Actor>& actors) {
  j.Raw("[");
  for (sspf::Actor a : actors) j.Next().Str(sspf::ActorName(a));
  j.Raw("]");
}

void WriteConsent(Json& j, const sspf::ConsentInfo& c) {
  j.Raw("{").Key("id").Str(c.id).Key("case_id").Str(c.case_id)
      .Key("party").Str(c.party.youth ? "youth" : "guardian").Key("guardian_id");
  if (c.party.youth) {
    j.Raw("null");
  } else {
    j.Str(c.party.guardian_id);
  }
  j.Key("actors");
  WriteActors(j, c.actors);
  j.Key("categories").Raw("[");
  for (sspf::Category cat : c.categories) j.Next().Str(sspf::CategoryName(cat));
  j.Raw("]").Key("valid_from").Int(c.valid_from).Key("valid_until");
  if (sspf::IsValidDate(c.valid_until)) {
    j.Str(sspf::FormatDate(c.valid_until));
  } else {
    j.Raw("null");
  }
  j.Key("withdrawn_at");
  if (c.withdrawn_at) {
    j.Int(*c.withdrawn_at);
  } else {
    j.Raw("null");
  }
  j.Key("purpose").Str(c.purpose).Key("form_ref").Str(c.form_ref)
      .Key("version").Int(c.version).Key("recorded_by").Str(c.recorded_by).Raw("}");
}

// The fields of an entry object, without the braces.
void WriteEntryFields(Json& j, const sspf::EntryInfo& e) {
  j.Key("id").Str(e.id).Key("case_id").Str(e.case_id)
      .Key("category").Str(sspf::CategoryName(e.category)).Key("author").Str(e.author)
      .Key("author_actor").Str(sspf::ActorName(e.author_actor))
      .Key("created").Int(e.created).Key("supersedes");
  if (e.supersedes) {
    j.Str(*e.supersedes);
  } else {
    j.Raw("null");
  }
  j.Key("disclosed_to");
  WriteActors(j, e.disclosed_to);
}

void WriteEvent(Json& j, const sspf::AuditEvent& e) {
  j.Raw("{").Key("seq").UInt(e.seq).Key("time").Int(e.time)
      .Key("principal_id").Str(e.principal_id).Key("actor").Str(sspf::ActorName(e.actor))
      .Key("role").Str(sspf::RoleName(e.role)).Key("action").Str(sspf::ActionName(e.action))
      .Key("target").Str(e.target).Key("allowed").Bool(e.allowed)
      .Key("reason").Str(e.reason).Key("basis").Str(e.basis).Key("purpose").Str(e.purpose)
      .Key("case_id").Str(e.case_id).Key("subject_id").Str(e.subject_id)
      .Key("detail").Str(e.detail).Key("leaf").Hex(e.leaf)
      .Key("leaf_hash").Hex(e.leaf_hash).Raw("}");
}

// A JSON array of items, each written by write(Json&, const T&).
template <typename T, typename WriteFn>
char* JsonArray(const std::vector<T>& items, WriteFn write) {
  Json j;
  j.Raw("[");
  for (const T& item : items) {
    j.Next();
    write(j, item);
  }
  j.Raw("]");
  return CopyOut(j.str());
}

// One object written by write(Json&, const T&).
template <typename T, typename WriteFn>
char* JsonObject(const T& item, WriteFn write) {
  Json j;
  write(j, item);
  return CopyOut(j.str());
}

void WriteEntry(Json& j, const sspf::EntryInfo& e) {
  j.Raw("{");
  WriteEntryFields(j, e);
  j.Raw("}");
}

void WriteEntryRead(Json& j, const sspf::EntryContent& c) {
  j.Raw("{");
  WriteEntryFields(j, c.info);
  j.Key("basis").Str(c.basis).Raw("}");
}

void WriteVerifyReport(Json& j, const sspf::VerifyReport& r) {
  j.Raw("{").Key("tree_size").UInt(r.tree_size).Key("root").Hex(r.root)
      .Key("checkpoints_checked").UInt(r.checkpoints_checked)
      .Key("kept_checkpoint_consistent").Bool(r.kept_checkpoint_consistent).Raw("}");
}

void WriteProof(Json& j, const sspf::InclusionProof& p) {
  j.Raw("{").Key("index").UInt(p.index).Key("tree_size").UInt(p.tree_size)
      .Key("leaf_hash").Hex(p.leaf_hash).Key("root").Hex(p.root).Key("proof").Raw("[");
  for (const auto& h : p.proof) j.Next().Hex(h);
  j.Raw("]}");
}

void WriteReviewFlag(Json& j, const sspf::ReviewFlag& f) {
  j.Raw("{").Key("kind").Str(f.kind).Key("seq").UInt(f.seq)
      .Key("principal_id").Str(f.principal_id).Key("target").Str(f.target)
      .Key("detail").Str(f.detail).Raw("}");
}

}  // namespace

char* JsonOf(const PrincipalInfo& p) { return JsonObject(p, WritePrincipal); }
char* JsonOf(const std::vector<PrincipalInfo>& ps) { return JsonArray(ps, WritePrincipal); }
char* JsonOf(const SubjectInfo& s) { return JsonObject(s, WriteSubject); }
char* JsonOf(const CaseInfo& c) { return JsonObject(c, WriteCase); }
char* JsonOf(const std::vector<CaseInfo>& cs) { return JsonArray(cs, WriteCase); }
char* JsonOf(const std::vector<ConsentInfo>& cs) { return JsonArray(cs, WriteConsent); }
char* JsonOf(const std::vector<EntryInfo>& es) { return JsonArray(es, WriteEntry); }
char* JsonOf(const EntryContent& c) { return JsonObject(c, WriteEntryRead); }
char* JsonOf(const VerifyReport& r) { return JsonObject(r, WriteVerifyReport); }
char* JsonOf(const InclusionProof& p) { return JsonObject(p, WriteProof); }
char* JsonOf(const std::vector<AuditEvent>& events) { return JsonArray(events, WriteEvent); }
char* JsonOf(const std::vector<ReviewFlag>& flags) { return JsonArray(flags, WriteReviewFlag); }

}  // namespace sspf::capi
