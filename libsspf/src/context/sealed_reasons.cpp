// Opening sealed reasons (context/sealed_reasons.h).
#include "context/sealed_reasons.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "keys/key_hierarchy.h"

namespace sspf::internal {

Result<std::optional<std::string>> OpenReason(Session::Impl* impl, std::string_view table,
                                              const std::string& row_id) {
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT commitment, ciphertext FROM sealed_reasons "
                                    "WHERE tbl = ? AND row_id = ?"));
  st->Bind(1, table).Bind(2, row_id);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return IntegrityViolation(std::string(table) + " row " + row_id +
                              ": its sealed reason is missing");
  }
  const Bytes commitment = st->Blob(0);
  const Bytes ciphertext = st->Blob(1);
  st->Reset();
  // An erased purpose note, or a reason erased by retention: only its
  // commitment is left.
  if (ciphertext.empty()) return std::optional<std::string>();
  // The holders this session can open: its own actor's key versions, or
  // for an auditor the oversight key.
  std::vector<std::pair<std::string, Bytes>> seals;
  SSPF_ASSIGN_OR_RETURN(Stmt * hs, db->Prepare("SELECT holder, sealed FROM reason_seals "
                                               "WHERE tbl = ? AND row_id = ? ORDER BY holder"));
  hs->Bind(1, table).Bind(2, row_id);
  SSPF_RETURN_IF_ERROR(ForEachRow(hs, [&]() -> Status {
    seals.emplace_back(hs->Text(0), hs->Blob(1));
    return Status::Ok();
  }));
  const bool content_role = impl->me.role == Role::kMember || impl->me.role == Role::kCoordinator;
  const std::string mine = "actor:" + std::to_string(static_cast<int>(impl->me.actor)) + ":";
  for (const auto& [holder, sealed] : seals) {
    const SecretBytes* sk = nullptr;
    Bytes pk;
    if (content_role && holder.rfind(mine, 0) == 0) {
      const int64_t v = std::atoll(holder.c_str() + mine.size());
      Result<const SecretBytes*> k = impl->ActorKey(impl->me.actor, v);
      if (!k.ok()) continue;
      sk = *k;
      pk = impl->actor_public_keys[{impl->me.actor, v}];
    } else if (impl->me.role == Role::kAuditor && holder.rfind("oversight:", 0) == 0) {
      const int64_t v = std::atoll(holder.c_str() + 10);
      Result<const SecretBytes*> k = impl->OversightKey(v);
      if (!k.ok()) continue;
      sk = *k;
      pk = impl->oversight_public_keys[v];
    } else {
      continue;
    }
    const Bytes header = ReasonKeyHeader(impl->store_id_bytes, table, row_id, holder);
    SSPF_ASSIGN_OR_RETURN(SecretBytes plain, SealOpen(pk, *sk, sealed));
    const uint8_t* p = plain.data(InsecureSecretAccess::Get());
    if (plain.size() != header.size() + kKeySize || !std::equal(header.begin(), header.end(), p)) {
      return IntegrityViolation(std::string(table) + " row " + row_id +
                                ": a reason key seal is bound to another row or holder");
    }
    SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Copy(p + header.size(), kKeySize));
    Result<SecureBuffer> text =
        AeadOpen(key, ciphertext, ReasonAd(impl->store_id_bytes, table, row_id));
    if (!text.ok() || text->size() < kReasonSaltSize) {
      return IntegrityViolation(std::string(table) + " row " + row_id +
                                ": the reason does not decrypt (replaced ciphertext)");
    }
    std::string out(text->begin() + kReasonSaltSize, text->end());
    SSPF_ASSIGN_OR_RETURN(Bytes check, ReasonCommitment(text->data(), out));
    if (check != commitment) {
      SecureWipe(out.data(), out.size());
      return IntegrityViolation(std::string(table) + " row " + row_id +
                                ": the reason does not match its commitment (replaced)");
    }
    return std::optional<std::string>(std::move(out));
  }
  return std::optional<std::string>();
}

Status CheckSealedReasons(Session::Impl* impl) {
  if (impl->me.role != Role::kAuditor) return Status::Ok();
  std::vector<std::pair<std::string, std::string>> rows;
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT tbl, row_id FROM sealed_reasons "
                                                     "ORDER BY tbl, row_id"));
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    rows.emplace_back(st->Text(0), st->Text(1));
    return Status::Ok();
  }));
  for (const auto& [table, id] : rows) {
    SSPF_ASSIGN_OR_RETURN(std::optional<std::string> text, OpenReason(impl, table, id));
    if (text) SecureWipe(text->data(), text->size());
  }
  return Status::Ok();
}

}  // namespace sspf::internal

namespace sspf::internal {
namespace {

bool IsNoteIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

bool IsLowerHex(std::string_view s, size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

constexpr std::string_view kNoteKey = " note=";
constexpr std::string_view kCommitmentKey = " commitment=";

}  // namespace

std::string EncodePurposeField(const PurposeField& p) {
  if (p.note_id.empty()) return p.code;
  return p.code + std::string(kNoteKey) + p.note_id + std::string(kCommitmentKey) + p.commitment;
}

std::optional<PurposeField> ParsePurposeField(std::string_view field) {
  PurposeField out;
  const size_t at = field.find(kNoteKey);
  if (at == std::string_view::npos) {
    out.code = std::string(field);
    return out;
  }
  out.code = std::string(field.substr(0, at));
  std::string_view rest = field.substr(at + kNoteKey.size());
  const size_t c = rest.find(kCommitmentKey);
  if (c == std::string_view::npos) return std::nullopt;
  const std::string_view id = rest.substr(0, c);
  const std::string_view commitment = rest.substr(c + kCommitmentKey.size());
  const bool code_ok = !out.code.empty() && out.code.size() <= 64 &&
                       std::all_of(out.code.begin(), out.code.end(), [](char ch) {
                         return IsNoteIdChar(ch) || ch == '.';
                       });
  if (!code_ok || id.empty() || id.size() > 64 ||
      !std::all_of(id.begin(), id.end(), IsNoteIdChar) || !IsLowerHex(commitment, 64)) {
    return std::nullopt;
  }
  out.note_id = std::string(id);
  out.commitment = std::string(commitment);
  return out;
}

std::string PurposeNoteTarget(std::string_view note_id) {
  return "note:" + std::string(note_id);
}

void PurposeNoteEvents::Add(const EventRecord& e) {
  if (e.purpose.find(kNoteKey) != std::string::npos) named_.emplace_back(e.seq, e.purpose);
  if (e.action == Action::kPurposeNoteErase && e.allowed && e.detail.empty()) {
    erasures_.insert(e.target);
  }
}

Status CheckPurposeNotes(Session::Impl* impl, const PurposeNoteEvents& events) {
  Db* db = impl->db.get();
  // The notes the log names, each against its row (a point lookup).
  std::vector<std::pair<std::string, uint64_t>> named;  // note id, seq
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ev, db->Prepare("SELECT commitment FROM sealed_reasons WHERE tbl = ? AND "
                             "row_id = ?"));
  for (const auto& [seq, purpose] : events.named_) {
    const std::string where = "event " + std::to_string(seq);
    std::optional<PurposeField> p = ParsePurposeField(purpose);
    if (!p) return IntegrityViolation(where + ": malformed purpose note reference");
    ev->Bind(1, kPurposeNotesTable).Bind(2, p->note_id);
    SSPF_ASSIGN_OR_RETURN(bool row, ev->Step());
    const std::optional<Bytes> commitment =
        row && !ev->IsNull(0) ? std::optional<Bytes>(ev->Blob(0)) : std::nullopt;
    ev->Reset();
    if (!commitment) {
      return IntegrityViolation(where + ": its purpose note " + p->note_id +
                                " is missing (row deleted)");
    }
    if (HexEncode(*commitment) != p->commitment) {
      return IntegrityViolation(where + ": purpose note " + p->note_id +
                                " does not match the commitment in the log (replaced)");
    }
    named.emplace_back(p->note_id, seq);
  }
  std::sort(named.begin(), named.end());
  for (size_t i = 1; i < named.size(); ++i) {
    if (named[i].first == named[i - 1].first) {
      return IntegrityViolation("event " + std::to_string(named[i].second) +
                                ": names the purpose note of event " +
                                std::to_string(named[i - 1].second) + " (replayed event)");
    }
  }
  SSPF_ASSIGN_OR_RETURN(
      Stmt * rows,
      db->Prepare("SELECT r.row_id, length(r.ciphertext) = 0, "
                  "EXISTS (SELECT 1 FROM reason_seals s WHERE s.tbl = r.tbl AND "
                  "s.row_id = r.row_id) "
                  "FROM sealed_reasons r WHERE r.tbl = 'purpose_notes' ORDER BY r.row_id"));
  return ForEachRow(rows, [&]() -> Status {
    const std::string id = rows->Text(0);
    const std::string where = "sealed_reasons row purpose_notes/" + id;
    auto it = std::lower_bound(named.begin(), named.end(), std::make_pair(id, uint64_t{0}));
    if (it == named.end() || it->first != id) {
      return IntegrityViolation(where + ": a purpose note without its event in the log");
    }
    const bool erased = rows->Int(1) != 0, sealed = rows->Int(2) != 0,
               erasure_logged = events.erasures_.count(PurposeNoteTarget(id)) != 0;
    if (erased && !erasure_logged) {
      return IntegrityViolation(where + ": the note's text is gone without a logged erasure");
    }
    if (erased && sealed) {
      return IntegrityViolation(where + ": an erased note still has key seals");
    }
    if (!erased && erasure_logged) {
      return IntegrityViolation(where + ": the log records its erasure, but the text is there");
    }
    return Status::Ok();
  });
}

}  // namespace sspf::internal
