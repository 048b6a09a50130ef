// Purpose codes and purpose notes of reads (sspf/options.h, records.h).
//
// The access log records a read's purpose as a code from the store's list.
// A free-text note is encrypted like a reason (domain/reasons.cpp): its own
// random key, sealed to the reading actor's certified key and to the
// auditors' oversight key; the event's purpose field carries only the
// note's id and salted commitment.  Erasing a note deletes its ciphertext
// and seals and keeps the commitment, so every leaf still verifies.
#include <algorithm>

#include "domain/domain_internal.h"
#include "util/text.h"

namespace sspf {

using internal::Db;
using internal::Op;
using internal::OpSpec;
using internal::Operation;
using internal::Stmt;

namespace internal {

Result<std::string> StatedPurpose(Session::Impl* impl, const Purpose& purpose) {
  SSPF_RETURN_IF_ERROR(impl->CheckText("the purpose", purpose.code, false));
  SSPF_RETURN_IF_ERROR(impl->CheckText("the purpose note", purpose.note, false));
  // The session's list is checked once (its options do not change).
  if (!purpose.code.empty() && !impl->purpose_codes_checked) {
    SSPF_RETURN_IF_ERROR(ValidatePurposeCodes(impl->options.purposes));
    impl->purpose_codes_checked = true;
  }
  SSPF_ASSIGN_OR_RETURN(std::string code,
                        MatchPurposeCode(impl->options.purposes, purpose.code));
  if (code.empty() && !purpose.note.empty()) {
    return InvalidArgument("a purpose note needs a purpose code (one of " +
                           PurposeCodeList(impl->options.purposes) + ")");
  }
  return code;
}

Result<std::string> WritePurposeNote(Session::Impl* impl, const std::string& code,
                                     std::string_view note) {
  if (note.empty()) return code;
  PurposeField field;
  field.code = code;
  field.note_id = RandomId();
  SSPF_ASSIGN_OR_RETURN(field.commitment, SealReason(impl, kPurposeNotesTable, field.note_id,
                                                     note, {impl->me.actor}));
  return EncodePurposeField(field);
}

}  // namespace internal

namespace {

// The note row of a purpose note: whether it exists and is erased.
struct NoteRow {
  bool exists = false;
  bool erased = false;
};

Result<NoteRow> LoadNoteRow(Db* db, const std::string& id) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT length(ciphertext) = 0 FROM "
                                               "sealed_reasons WHERE tbl = ? AND row_id = ?"));
  st->Bind(1, internal::kPurposeNotesTable).Bind(2, id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  NoteRow out;
  out.exists = row;
  out.erased = row && st->Int(0) != 0;
  st->Reset();
  return out;
}

// The events whose purpose names a note, oldest first: of a case, or
// (with an empty case id) those naming note_id.
Status ForEachNoteEvent(Db* db, const std::string& case_id, const std::string& note_id,
                        const std::function<Status(PurposeNoteInfo)>& fn) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT seq, time, principal_id, case_id, target, purpose FROM "
                             "events WHERE instr(purpose, ' note=') > 0 AND "
                             "(? = '' OR case_id = ?) AND "
                             "(? = '' OR instr(purpose, ' note=' || ? || ' ') > 0) "
                             "ORDER BY seq"));
  st->Bind(1, case_id).Bind(2, case_id).Bind(3, note_id).Bind(4, note_id);
  return internal::ForEachRow(st, [&]() -> Status {
    std::optional<internal::PurposeField> p = internal::ParsePurposeField(st->Text(5));
    if (!p) {
      return IntegrityViolation("event " + std::to_string(st->Int(0)) +
                                ": malformed purpose note reference");
    }
    PurposeNoteInfo n;
    n.id = p->note_id;
    n.seq = static_cast<uint64_t>(st->Int(0));
    n.time = st->Int(1);
    n.principal_id = st->Text(2);
    n.case_id = st->Text(3);
    n.target = st->Text(4);
    n.code = p->code;
    n.commitment = p->commitment;
    return fn(std::move(n));
  });
}

}  // namespace

Result<std::vector<PurposeNoteInfo>> Session::ListPurposeNotes(std::string_view case_id) {
  Impl* impl = impl_.get();
  const OpSpec spec = internal::SealedListingSpec(impl, Action::kPurposeNoteList, case_id);
  return internal::RunOperationFor<std::vector<PurposeNoteInfo>>(
      impl, spec, {}, [&](Op&) -> Result<std::vector<PurposeNoteInfo>> {
        Db* db = impl->db.get();
        std::vector<PurposeNoteInfo> out;
        SSPF_RETURN_IF_ERROR(ForEachNoteEvent(db, std::string(case_id), std::string(),
                                              [&](PurposeNoteInfo n) {
                                                out.push_back(std::move(n));
                                                return Status::Ok();
                                              }));
        for (PurposeNoteInfo& n : out) {
          SSPF_ASSIGN_OR_RETURN(NoteRow row, LoadNoteRow(db, n.id));
          if (!row.exists) {
            return IntegrityViolation("event " + std::to_string(n.seq) + ": its purpose note " +
                                      n.id + " is missing (row deleted)");
          }
          n.erased = row.erased;
          if (n.erased) continue;
          SSPF_ASSIGN_OR_RETURN(n.note,
                                internal::OpenReason(impl, internal::kPurposeNotesTable, n.id));
          n.note_sealed = !n.note.has_value();
        }
        return out;
      });
}

Status Session::ErasePurposeNote(std::string_view note_id) {
  Impl* impl = impl_.get();
  OpSpec spec{Operation::kShowCase, Action::kPurposeNoteErase,
              internal::PurposeNoteTarget(note_id)};
  const std::string id(note_id);
  std::string author;
  auto facts = [&](Op& op) -> Status {
    SSPF_ASSIGN_OR_RETURN(NoteRow row, LoadNoteRow(impl->db.get(), id));
    if (!row.exists) return NotFound("no such purpose note");
    std::optional<PurposeNoteInfo> found;
    SSPF_RETURN_IF_ERROR(
        ForEachNoteEvent(impl->db.get(), std::string(), id, [&](PurposeNoteInfo n) {
          if (n.id == id && !found) found = std::move(n);
          return Status::Ok();
        }));
    if (!found) {
      return IntegrityViolation("purpose note " + id + ": a note without its event in the log");
    }
    author = found->principal_id;
    return internal::LoadCase(op, found->case_id);
  };
  return internal::RunOperation(impl, spec, facts, [&](Op&) -> Status {
    if (impl->me.id != author && impl->me.role != Role::kCoordinator) {
      return PermissionDenied("only the note's author or a coordinator may erase it");
    }
    Db* db = impl->db.get();
    SSPF_ASSIGN_OR_RETURN(NoteRow row, LoadNoteRow(db, id));
    if (row.erased) return FailedPrecondition("purpose note " + id + " is already erased");
    SSPF_ASSIGN_OR_RETURN(Stmt * up, db->Prepare("UPDATE sealed_reasons SET ciphertext = x'' "
                                                 "WHERE tbl = ? AND row_id = ?"));
    up->Bind(1, internal::kPurposeNotesTable).Bind(2, id);
    SSPF_RETURN_IF_ERROR(up->Run());
    SSPF_ASSIGN_OR_RETURN(Stmt * del, db->Prepare("DELETE FROM reason_seals "
                                                  "WHERE tbl = ? AND row_id = ?"));
    del->Bind(1, internal::kPurposeNotesTable).Bind(2, id);
    return del->Run();
  });
}

}  // namespace sspf
