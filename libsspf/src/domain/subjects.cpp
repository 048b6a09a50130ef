// Subjects (the youths) and their guardians.
//
// Identity (personal identity number and name) and guardian names are
// encrypted with the store's identity key, bound by associated data to the
// store, table and row; only a keyed hash of the normalised number
// (subjects.pnr_index) allows lookup.  The birth date stays in clear: the
// consent rules depend on the age and run inside queries.
#include <algorithm>
#include <cstring>

#include "context/trust.h"
#include "domain/domain_internal.h"
#include "storage/grants_table.h"
#include "sspf/pnr.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {

// The associated data of an identity record.
Bytes IdentityAd(const Session::Impl* impl, std::string_view table, std::string_view id) {
  return AdBuilder()
      .Add("sspf-identity-v1")
      .Add(impl->store_id_bytes)
      .Add(table)
      .Add(id)
      .bytes();
}

// Encrypts length-prefixed fields (AdBuilder framing) as one identity record.
Result<Bytes> SealIdentity(const Session::Impl* impl, std::string_view table,
                           std::string_view id,
                           const std::vector<std::string_view>& fields) {
  AdBuilder plain;
  for (std::string_view f : fields) plain.Add(f);
  Bytes msg = plain.bytes();
  Result<Bytes> sealed = AeadSeal(impl->identity_key, msg.data(), msg.size(),
                                  IdentityAd(impl, table, id));
  SecureWipe(msg.data(), msg.size());
  return sealed;
}

// Decrypts an identity record into its fields.
Result<std::vector<std::string>> OpenIdentity(const Session::Impl* impl,
                                              std::string_view table,
                                              std::string_view id, const Bytes& sealed) {
  SSPF_ASSIGN_OR_RETURN(SecureBuffer plain,
                        AeadOpen(impl->identity_key, sealed, IdentityAd(impl, table, id)));
  return SplitAdParts(plain.data(), plain.size(), "identity record");
}

// Whether the principal is on the team of, or holds an active grant for,
// some case of the subject.
Status SubjectAccessFacts(Session::Impl* impl, std::string_view subject_id, bool* on_team,
                          bool* has_grant) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT 1 FROM case_team t JOIN cases c ON c.id = t.case_id "
                             "WHERE c.subject_id = ? AND t.principal_id = ? LIMIT 1"));
  st->Bind(1, subject_id).Bind(2, impl->me.id);
  SSPF_ASSIGN_OR_RETURN(*on_team, st->Step());
  st->Reset();
  static const std::string grant_sql =
      "SELECT 1 FROM grants g JOIN cases c ON c.id = g.case_id WHERE c.subject_id = ?1 AND " +
      GrantInForceSql(2, 3) + " LIMIT 1";
  SSPF_ASSIGN_OR_RETURN(Stmt * gr, db->Prepare(grant_sql.c_str()));
  gr->Bind(1, subject_id).Bind(2, impl->me.id).Bind(3, impl->Now());
  SSPF_ASSIGN_OR_RETURN(*has_grant, gr->Step());
  gr->Reset();
  return Status::Ok();
}

Result<EventRecord> SignedSubjectAdd(Session::Impl* impl, std::string_view subject_id) {
  static const std::string sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_subject WHERE subject_id = ? AND case_id = '' AND "
      "action = " + std::to_string(static_cast<int>(Action::kSubjectAdd)) +
      " AND allowed = 1 ORDER BY seq LIMIT 1";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, subject_id);
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> found, ReadEventRows(st));
  if (found.empty()) {
    return IntegrityViolation("subject " + std::string(subject_id) +
                              " has no subject.add event in the log (direct edit)");
  }
  SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, found.front()));
  return std::move(found.front());
}

}  // namespace internal

namespace {

constexpr size_t kMaxGuardians = 8;

// Loads and decrypts a subject with its guardians.  kNotFound if absent.
// Checked at use (DESIGN §13): the identity records as read against the
// commitment in the subject's signed subject.add event, the first event of
// the subject (an insider appends after it, never before), signed by a
// principal certified as a coordinator.  A subject.add without identity=
// (written before it) is legacy: its records are not compared.
Status CheckIdentityAtUse(Session::Impl* impl, std::string_view id, const Bytes& identity,
                          const std::vector<Bytes>& guardian_identities) {
  const std::string what = "subject " + std::string(id);
  SSPF_ASSIGN_OR_RETURN(const internal::EventRecord e, internal::SignedSubjectAdd(impl, id));
  SSPF_ASSIGN_OR_RETURN(internal::PrincipalCert by, internal::CertifiedPrincipal(impl, e.principal_id));
  if (by.role != Role::kCoordinator) {
    return IntegrityViolation(what + ": event " + std::to_string(e.seq) +
                              " that registers it is not signed by a coordinator (forged)");
  }
  Result<std::vector<std::string>> v = internal::DecodeDetail(Action::kSubjectAdd, e.detail);
  if (!v.ok() || (!v->empty() && (*v)[0] != id)) {
    return IntegrityViolation(what + " differs from its signed event " + std::to_string(e.seq) +
                              " (direct edit)");
  }
  if (v->size() < 4) return Status::Ok();  // legacy: no identity commitment
  if ((*v)[3] != internal::IdentityCommitment(identity, guardian_identities)) {
    return IntegrityViolation(what + ": its identity records are not the ones signed in event " +
                              std::to_string(e.seq) + " (re-encrypted or replaced)");
  }
  return Status::Ok();
}

Result<SubjectInfo> LoadSubject(Session::Impl* impl, std::string_view id) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT birth_date, identity, erased FROM subjects "
                                    "WHERE id = ?"));
  st->Bind(1, id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such subject");
  std::string birth = st->Text(0);
  const bool erased = st->Int(2) != 0;
  const bool has_identity = !st->IsNull(1) && !erased;
  Bytes identity = has_identity ? st->Blob(1) : Bytes();
  st->Reset();
  // Only a retention run takes an identity away (and marks it erased).
  if (!erased && !has_identity) {
    return IntegrityViolation("subject " + std::string(id) +
                              " has no identity record and is not erased (direct edit)");
  }
  SubjectInfo info;
  info.id = std::string(id);
  // Erased by retention: no birth date either.
  if (!(erased && birth.empty())) {
    SSPF_ASSIGN_OR_RETURN(info.birth_date, ParseDate(birth));
  }
  if (has_identity) {
    SSPF_ASSIGN_OR_RETURN(std::vector<std::string> fields,
                          internal::OpenIdentity(impl, "subjects", id, identity));
    if (fields.size() != 2) return IntegrityViolation("subject identity record is malformed");
    info.personal_number = std::move(fields[0]);
    info.name = std::move(fields[1]);
  }
  SSPF_ASSIGN_OR_RETURN(Stmt * gs,
                        db->Prepare("SELECT id, identity FROM guardians WHERE subject_id = ? "
                                    "ORDER BY position"));
  gs->Bind(1, id);
  std::vector<std::pair<std::string, Bytes>> rows;
  for (;;) {
    SSPF_ASSIGN_OR_RETURN(bool g, gs->Step());
    if (!g) break;
    rows.emplace_back(gs->Text(0), gs->IsNull(1) ? Bytes() : gs->Blob(1));
  }
  gs->Reset();
  if (has_identity) {
    std::vector<Bytes> guardian_identities;
    for (const auto& row : rows) guardian_identities.push_back(row.second);
    SSPF_RETURN_IF_ERROR(CheckIdentityAtUse(impl, id, identity, guardian_identities));
  }
  // Custody as checked against the access log.
  SSPF_ASSIGN_OR_RETURN(std::vector<std::string> with, internal::GuardiansWithCustody(impl, id));
  for (auto& [gid, sealed] : rows) {
    GuardianInfo guardian;
    guardian.id = gid;
    guardian.custody = std::find(with.begin(), with.end(), gid) != with.end();
    if (sealed.empty() != erased) {
      return IntegrityViolation(
          "guardian " + gid +
          (erased ? " keeps a name although the subject is erased (page replay or direct edit)"
                  : " has no name and the subject is not erased (direct edit)"));
    }
    if (!sealed.empty()) {
      SSPF_ASSIGN_OR_RETURN(std::vector<std::string> fields,
                            internal::OpenIdentity(impl, "guardians", gid, sealed));
      if (fields.size() != 1) {
        return IntegrityViolation("guardian identity record is malformed");
      }
      guardian.name = std::move(fields[0]);
    }
    info.guardians.push_back(std::move(guardian));
  }
  return info;
}

Result<std::string> SubjectIdByIndex(Db* db, const Bytes& index) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT id FROM subjects WHERE pnr_index = ?"));
  st->BindBlob(1, index);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no subject with that personal identity number");
  std::string id = st->Text(0);
  st->Reset();
  return id;
}

Bytes PnrIndex(const Session::Impl* impl, const PersonalNumber& pnr) {
  return internal::KeyedHash(impl->lookup_key,
                             reinterpret_cast<const uint8_t*>(pnr.digits.data()),
                             pnr.digits.size());
}

}  // namespace

Result<SubjectInfo> Session::AddSubject(const NewSubject& subject) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(PersonalNumber pnr,
                        ParsePersonalNumber(subject.personal_number, impl->Today()));
  SSPF_RETURN_IF_ERROR(impl->CheckText("the name", subject.name, true));
  if (subject.guardians.size() > kMaxGuardians) {
    return InvalidArgument("at most " + std::to_string(kMaxGuardians) + " guardians");
  }
  for (const std::string& g : subject.guardians) {
    SSPF_RETURN_IF_ERROR(impl->CheckText("a guardian name", g, true));
  }
  OpSpec spec{Operation::kAddSubject, Action::kSubjectAdd, "subject:?"};
  return internal::RunOperationFor<SubjectInfo>(impl, spec, {}, [&](Op& op)
                                                    -> Result<SubjectInfo> {
    Db* db = impl->db.get();
    Bytes index = PnrIndex(impl, pnr);
    Result<std::string> existing = SubjectIdByIndex(db, index);
    if (existing.ok()) {
      // Learning that the youth is registered is itself an access: the
      // event names the subject, the caller learns nothing about it.
      op.event.target = "subject:" + *existing;
      op.event.subject_id = *existing;
      op.event.reason = "subject already registered; nothing added";
      return AlreadyExists("a subject with that personal identity number is already "
                           "registered (use subject find)");
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();

    SubjectInfo info;
    info.id = internal::RandomId();
    info.personal_number = pnr.digits;
    info.name = subject.name;
    info.birth_date = pnr.birth_date;
    SSPF_ASSIGN_OR_RETURN(Bytes identity,
                          internal::SealIdentity(impl, "subjects", info.id,
                                                 {pnr.digits, subject.name}));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * ins, db->Prepare("INSERT INTO subjects(id, pnr_index, birth_date, identity, "
                                "created) VALUES(?,?,?,?,?)"));
    ins->Bind(1, info.id).BindBlob(2, index).Bind(3, FormatDate(pnr.birth_date))
        .BindBlob(4, identity).Bind(5, impl->Now());
    SSPF_RETURN_IF_ERROR(ins->Run());
    int64_t position = 0;
    std::vector<Bytes> guardian_identities;
    for (const std::string& name : subject.guardians) {
      GuardianInfo g;
      g.id = internal::RandomId();
      g.name = name;
      SSPF_ASSIGN_OR_RETURN(Bytes sealed,
                            internal::SealIdentity(impl, "guardians", g.id, {name}));
      SSPF_ASSIGN_OR_RETURN(
          Stmt * gi, db->Prepare("INSERT INTO guardians(id, subject_id, identity, position, "
                                 "created) VALUES(?,?,?,?,?)"));
      gi->Bind(1, g.id).Bind(2, info.id).BindBlob(3, sealed).Bind(4, position++)
          .Bind(5, impl->Now());
      SSPF_RETURN_IF_ERROR(gi->Run());
      guardian_identities.push_back(std::move(sealed));
      info.guardians.push_back(std::move(g));
    }
    op.event.target = "subject:" + info.id;
    op.event.subject_id = info.id;
    std::vector<std::string> guardian_ids;
    for (const GuardianInfo& g : info.guardians) guardian_ids.push_back(g.id);
    op.event.detail = internal::EncodeDetail(
        Action::kSubjectAdd,
        {info.id,
         internal::SubjectCommitment(impl->lookup_key, info.id, FormatDate(pnr.birth_date), index),
         internal::DetailList(guardian_ids),
         internal::IdentityCommitment(identity, guardian_identities)});
    return info;
  });
}

Result<SubjectInfo> Session::FindSubject(std::string_view personal_number) {
  Impl* impl = impl_.get();
  SSPF_ASSIGN_OR_RETURN(PersonalNumber pnr,
                        ParsePersonalNumber(personal_number, impl->Today()));
  OpSpec spec{Operation::kFindSubject, Action::kSubjectFind, "subject:?"};
  std::optional<std::string> found;
  auto facts = [&](Op& op) -> Status {
    Result<std::string> id = SubjectIdByIndex(impl->db.get(), PnrIndex(impl, pnr));
    if (!id.ok()) {
      // A member who is on no team of the subject gets the same answer
      // whether or not the subject exists (no team, no grant: denied).
      return id.status().code() == StatusCode::kNotFound ? Status::Ok() : id.status();
    }
    found = *id;
    op.event.target = "subject:" + *found;
    op.event.subject_id = *found;
    return internal::SubjectAccessFacts(impl, *found, &op.request.on_case_team,
                                        &op.request.has_active_grant);
  };
  return internal::RunOperationFor<SubjectInfo>(impl, spec, facts, [&](Op& op)
                                                    -> Result<SubjectInfo> {
    if (!found) {
      op.event.reason = "no subject with that number";
      return NotFound("no subject with that personal identity number");
    }
    return LoadSubject(impl, *found);
  });
}

Result<SubjectInfo> Session::ShowSubject(std::string_view subject_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kFindSubject, Action::kSubjectShow,
              "subject:" + std::string(subject_id)};
  spec.subject_id = std::string(subject_id);
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT 1 FROM subjects WHERE id = ?"));
    st->Bind(1, subject_id);
    SSPF_ASSIGN_OR_RETURN(bool exists, st->Step());
    st->Reset();
    // Ids are random 128-bit values: an unknown id reveals nothing.
    if (!exists) return NotFound("no such subject");
    return internal::SubjectAccessFacts(impl, subject_id, &op.request.on_case_team,
                                        &op.request.has_active_grant);
  };
  return internal::RunOperationFor<SubjectInfo>(
      impl, spec, facts, [&](Op&) -> Result<SubjectInfo> { return LoadSubject(impl, subject_id); });
}

}  // namespace sspf

namespace sspf {
namespace internal {

// Through LoadSubject, so that a name shown next to a case is checked
// against the subject's signed subject.add like any other read of it.
Result<std::optional<std::string>> SubjectName(Session::Impl* impl, std::string_view subject_id) {
  SSPF_ASSIGN_OR_RETURN(SubjectInfo s, LoadSubject(impl, subject_id));
  if (s.name.empty()) return std::optional<std::string>();  // erased by retention
  return std::optional<std::string>(std::move(s.name));
}

Result<bool> MaySeeIdentity(Session::Impl* impl, std::string_view subject_id) {
  AccessRequest r = RequestFor(impl, Operation::kFindSubject);
  SSPF_RETURN_IF_ERROR(
      SubjectAccessFacts(impl, subject_id, &r.on_case_team, &r.has_active_grant));
  const Decision d = Decide(r);
  return d.allowed && !d.flag_for_review;
}

}  // namespace internal


Result<std::vector<SubjectInfo>> Session::ListSubjects(std::string_view name) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(impl->CheckText("the search text", name, false));
  OpSpec spec{Operation::kListSubjects, Action::kSubjectList, "subjects"};
  return internal::RunOperationFor<std::vector<SubjectInfo>>(impl, spec, {}, [&](Op& op)
      -> Result<std::vector<SubjectInfo>> {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          impl->db->Prepare("SELECT id FROM subjects WHERE erased = 0 ORDER BY id"));
    std::vector<std::string> ids;
    SSPF_RETURN_IF_ERROR(internal::ForEachRow(st, [&]() -> Status {
      ids.push_back(st->Text(0));
      return Status::Ok();
    }));
    const std::string needle = internal::FoldCase(name);
    std::vector<SubjectInfo> out;
    for (const std::string& id : ids) {
      SSPF_ASSIGN_OR_RETURN(SubjectInfo s, LoadSubject(impl, id));
      if (needle.empty() || internal::FoldCase(s.name).find(needle) != std::string::npos) {
        out.push_back(std::move(s));
      }
    }
    std::sort(out.begin(), out.end(), [](const SubjectInfo& a, const SubjectInfo& b) {
      return a.name != b.name ? a.name < b.name : a.id < b.id;
    });
    // A count only: neither the search text nor a name enters the leaf.
    op.event.reason += " (" + std::to_string(out.size()) + " subjects" +
                       (needle.empty() ? "" : ", searched by name") + ")";
    return out;
  });
}

Result<GuardianMatch> Session::ResolveGuardian(std::string_view case_id,
                                               std::string_view handle) {
  Impl* impl = impl_.get();
  if (handle.empty()) {
    return InvalidArgument("name the guardian by position (guardian:1) or by name");
  }
  std::string subject_id;
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT subject_id FROM cases WHERE id = ?"));
    st->Bind(1, case_id);
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row) subject_id = st->Text(0);
    st->Reset();
    if (!row) return NotFound("no such case");
  }
  // Decided and logged as subject show: the names are the youth's data.
  SSPF_ASSIGN_OR_RETURN(SubjectInfo s, ShowSubject(subject_id));
  const size_t count = s.guardians.size();
  const std::string positions =
      count == 0 ? std::string("the youth has no registered guardian")
                 : "the youth's guardians are at positions 1" +
                       (count > 1 ? "-" + std::to_string(count) : std::string());
  auto match = [&](size_t i) {
    return GuardianMatch{subject_id, s.guardians[i].id, static_cast<int>(i + 1),
                         s.guardians[i].custody};
  };
  if (handle.find_first_not_of("0123456789") == std::string_view::npos) {
    // Leading zeros are no part of the position ("guardian:01" is 1); a
    // position of more than 3 digits names no guardian, and the message
    // then says so without a truncated number.
    const size_t digits = std::min(handle.find_first_not_of('0'), handle.size());
    const std::string_view number = handle.substr(digits);
    const size_t pos = number.size() > 3 ? 0 : number.empty() ? 0 : std::stoul(std::string(number));
    if (pos < 1 || pos > count) {
      const std::string typed = number.empty() ? "0" : std::string(number);
      return InvalidArgument(
          (typed.size() > 3 ? std::string("no guardian at that position")
                            : "no guardian at position " + typed) +
          "; " + positions + " (subject show lists them)");
    }
    return match(pos - 1);
  }
  const std::string wanted = internal::FoldCase(handle);
  std::vector<size_t> hits;
  for (size_t i = 0; i < count; ++i) {
    if (internal::FoldCase(s.guardians[i].name) == wanted) hits.push_back(i);
  }
  if (hits.size() == 1) return match(hits[0]);
  if (hits.empty()) {
    return InvalidArgument("no guardian of the youth has that name; " + positions +
                           ": name one as guardian:POSITION or guardian:GUARDIAN_ID "
                           "(subject show lists them)");
  }
  std::string at;
  for (size_t i : hits) at += (at.empty() ? "" : ", ") + std::to_string(i + 1);
  return InvalidArgument(std::to_string(hits.size()) +
                         " guardians of the youth have that name (positions " + at +
                         "): name one as guardian:POSITION or guardian:GUARDIAN_ID");
}

}  // namespace sspf
