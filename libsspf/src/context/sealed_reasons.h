// Reading sealed reasons (DESIGN §13): what a session that holds an actor
// key or the oversight key can open.  Writing them is domain/reasons.cpp.
#ifndef SSPF_SRC_CONTEXT_SEALED_REASONS_H_
#define SSPF_SRC_CONTEXT_SEALED_REASONS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "context/session_impl.h"
#include "log/audit_log.h"

namespace sspf::internal {

// The text of a row's sealed reason when this session holds a key it is
// sealed to (its actor's key, or an auditor's oversight key); nullopt when
// it holds none.  kIntegrityViolation when the row is missing, a seal is
// bound elsewhere, or the text does not decrypt or match its commitment.
Result<std::optional<std::string>> OpenReason(Session::Impl* impl, std::string_view table,
                                              const std::string& row_id);
// For audit verify in an auditor's session: opens every sealed reason with
// the oversight key and checks it against its stored commitment (a
// replaced ciphertext).  Rows without an oversight seal (made before the
// first auditor) are skipped.  A no-op for other roles.
Status CheckSealedReasons(Session::Impl* impl);
// The table names used for reasons.
inline constexpr char kDisclosuresTable[] = "disclosures";
inline constexpr char kGrantsTable[] = "grants";
// Purpose notes of reads: row_id is the note id.  An erased note keeps its
// sealed_reasons row with an empty ciphertext (the commitment stays) and
// loses its reason_seals rows.
inline constexpr char kPurposeNotesTable[] = "purpose_notes";

// The purpose field of an event (docs/audit-log-format.md): a code, or
// "<code> note=<note id> commitment=<64 lower-case hex>" for a read with a
// purpose note.  Never free text.
struct PurposeField {
  std::string code;
  std::string note_id;     // empty: no note
  std::string commitment;  // hex, with a note
};
std::string EncodePurposeField(const PurposeField& p);
// The parts of a stored purpose field; nullopt when it has a note part that
// does not follow the grammar (the code, 1-64 ASCII letters, digits, '-',
// '_' or '.'; the id, 1-64 of them but '.'; the commitment, 64 lower-case
// hex).  A field without " note=" is a code (or,
// before purpose codes, free text) and is returned whole as the code.
std::optional<PurposeField> ParsePurposeField(std::string_view field);
// The erasure of a note: its event's target.
std::string PurposeNoteTarget(std::string_view note_id);

// What CheckPurposeNotes needs from the events, collected by audit verify
// in its one pass over them (Add every event in seq order): the events
// whose purpose names a note (few: one per read with a note) and the
// logged erasures.
class PurposeNoteEvents {
 public:
  void Add(const EventRecord& e);

 private:
  friend Status CheckPurposeNotes(Session::Impl* impl, const PurposeNoteEvents& events);
  std::vector<std::pair<uint64_t, std::string>> named_;  // seq, purpose field
  std::set<std::string> erasures_;  // targets of allowed purpose-note erasures
};

// For audit verify: every event's purpose note has its sealed_reasons row
// with the same commitment; every purpose-note row has its event; a row
// whose text is gone has a logged erasure, and an erased note keeps no key
// seals.  kIntegrityViolation naming the event or note otherwise.
Status CheckPurposeNotes(Session::Impl* impl, const PurposeNoteEvents& events);

}  // namespace sspf::internal

#endif  // SSPF_SRC_CONTEXT_SEALED_REASONS_H_
