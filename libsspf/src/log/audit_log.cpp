#include "log/audit_log.h"

#include <cassert>
#include <cstring>

#include "sspf/civil_time.h"

namespace sspf::internal {
namespace {

// The leaf is written into a buffer sized up front (one allocation, no
// per-byte growth checks): Verify encodes every event.
void PutU8(uint8_t*& p, uint8_t v) { *p++ = v; }
void PutU16(uint8_t*& p, uint16_t v) {
  *p++ = static_cast<uint8_t>(v >> 8);
  *p++ = static_cast<uint8_t>(v);
}
void PutU32(uint8_t*& p, uint32_t v) {
  for (int i = 3; i >= 0; --i) *p++ = static_cast<uint8_t>(v >> (8 * i));
}
void PutU64(uint8_t*& p, uint64_t v) {
  for (int i = 7; i >= 0; --i) *p++ = static_cast<uint8_t>(v >> (8 * i));
}
void PutStr(uint8_t*& p, const std::string& s) {
  PutU32(p, static_cast<uint32_t>(s.size()));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p += s.size();
}

}  // namespace

Bytes EncodeLeaf(const EventRecord& e) {
  Bytes b;
  EncodeLeaf(e, &b);
  return b;
}

void EncodeLeaf(const EventRecord& e, Bytes* out) {
  const std::string* strings[] = {&e.principal_id, &e.target,  &e.reason,     &e.basis,
                                  &e.purpose,      &e.case_id, &e.subject_id, &e.detail};
  size_t size = 4 + 1 + 8 + 8 + 1 + 1 + 2 + 1;  // magic, version, seq, time, fixed fields
  for (const std::string* s : strings) size += 4 + s->size();
  Bytes& b = *out;
  b.resize(size);
  uint8_t* p = b.data();
  for (char c : {'S', 'S', 'P', 'F'}) PutU8(p, static_cast<uint8_t>(c));
  PutU8(p, kLeafVersion);
  PutU64(p, e.seq);
  PutU64(p, static_cast<uint64_t>(e.time));
  PutStr(p, e.principal_id);
  PutU8(p, static_cast<uint8_t>(e.actor));
  PutU8(p, static_cast<uint8_t>(e.role));
  PutU16(p, static_cast<uint16_t>(e.action));
  PutU8(p, e.allowed ? 1 : 0);
  PutStr(p, e.target);
  PutStr(p, e.reason);
  PutStr(p, e.basis);
  PutStr(p, e.purpose);
  PutStr(p, e.case_id);
  PutStr(p, e.subject_id);
  PutStr(p, e.detail);
  assert(p == b.data() + b.size());
}

Result<uint64_t> LogSize(Db* db) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT max(seq) FROM events"));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  uint64_t n = (row && !st->IsNull(0)) ? static_cast<uint64_t>(st->Int(0)) + 1 : 0;
  st->Reset();
  return n;
}

Bytes EventSignedMessage(const Bytes& store_id, uint64_t seq, const Hash& leaf_hash) {
  return AdBuilder()
      .Add("sspf-event-sig-v1")
      .Add(store_id)
      .AddU64(seq)
      .Add(Bytes(leaf_hash.begin(), leaf_hash.end()))
      .bytes();
}

Result<std::optional<EventSignature>> EventSignatureOf(Db* db, uint64_t seq) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st, db->Prepare("SELECT signer, signature FROM event_signatures WHERE seq = ?"));
  st->Bind(1, static_cast<int64_t>(seq));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<EventSignature> out;
  if (row) out = EventSignature{st->Text(0), st->Blob(1)};
  st->Reset();
  return out;
}

namespace {

// The leaf hashes must end where the events end, and the signatures must
// not go further.  Otherwise events were deleted from the end of the log,
// or one was inserted: say so instead of failing on a duplicate key or a
// missing subtree.  Two O(log n) seeks.  (Stores from schema 1 have
// unsigned events at the start, so fewer signatures are no violation.)
Status CheckLogTail(Db* db, uint64_t size) {
  struct Tail {
    const char* sql;
    const char* what;
    bool must_cover;
  };
  static const Tail kTails[] = {
      {"SELECT max(seq) FROM event_signatures", "event signatures", false},
      {"SELECT max(idx) FROM tree_nodes WHERE level = 0", "stored leaf hashes", true}};
  for (const Tail& tail : kTails) {
    SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(tail.sql));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    const bool has = row && !st->IsNull(0);
    const uint64_t covered = has ? static_cast<uint64_t>(st->Int(0)) + 1 : 0;
    st->Reset();
    const std::string counts = std::string(": the ") + tail.what + " cover " +
                               std::to_string(covered) + " events but the events table has " +
                               std::to_string(size);
    if (covered > size) {
      return IntegrityViolation("access log damaged: event " + std::to_string(size) +
                                " missing" + counts + " (events deleted from the end)");
    }
    if (tail.must_cover && covered < size) {
      return IntegrityViolation("access log damaged: event " + std::to_string(covered) +
                                " has no stored leaf hash" + counts + " (event inserted)");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<EventTime>> LastEventTime(Db* db) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st,
                        db->Prepare("SELECT seq, time FROM events ORDER BY seq DESC LIMIT 1"));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<EventTime> last;
  if (row) last = EventTime{static_cast<uint64_t>(st->Int(0)), st->Int(1)};
  st->Reset();
  return last;
}

Status CheckEventTimeOrder(const std::optional<EventTime>& previous, const EventRecord& e) {
  if (!previous || e.time >= previous->time) return Status::Ok();
  return IntegrityViolation("event " + std::to_string(e.seq) + ": time " +
                            FormatRfc3339(e.time) + " is earlier than event " +
                            std::to_string(previous->seq) + "'s " +
                            FormatRfc3339(previous->time) + " (time went backwards)");
}

Status AppendEvent(Db* db, EventRecord* e, const EventSigner& signer) {
  SSPF_ASSIGN_OR_RETURN(std::optional<EventTime> last, LastEventTime(db));
  e->seq = last ? last->seq + 1 : 0;
  SSPF_RETURN_IF_ERROR(CheckLogTail(db, e->seq));
  // Never earlier than the event before it, whatever the caller's clock.
  if (last && e->time < last->time) e->time = last->time;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st,
        db->Prepare("INSERT INTO events(seq, time, principal_id, actor, role, "
                    "action, target, allowed, reason, basis, purpose, case_id, "
                    "subject_id, detail) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    st->Bind(1, static_cast<int64_t>(e->seq))
        .Bind(2, static_cast<int64_t>(e->time))
        .Bind(3, e->principal_id)
        .Bind(4, static_cast<int64_t>(e->actor))
        .Bind(5, static_cast<int64_t>(e->role))
        .Bind(6, static_cast<int64_t>(e->action))
        .Bind(7, e->target)
        .Bind(8, static_cast<int64_t>(e->allowed ? 1 : 0))
        .Bind(9, e->reason)
        .Bind(10, e->basis)
        .Bind(11, e->purpose)
        .Bind(12, e->case_id)
        .Bind(13, e->subject_id)
        .Bind(14, e->detail);
    SSPF_RETURN_IF_ERROR(st->Run());
  }
  Bytes leaf = EncodeLeaf(*e);
  const Hash leaf_hash = LeafHash(leaf.data(), leaf.size());
  {
    SSPF_ASSIGN_OR_RETURN(
        Bytes sig, SignDetached(*signer.secret_key,
                                EventSignedMessage(signer.store_id, e->seq, leaf_hash)));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st,
        db->Prepare("INSERT INTO event_signatures(seq, signer, signature) VALUES(?,?,?)"));
    st->Bind(1, static_cast<int64_t>(e->seq)).Bind(2, signer.signer_id).BindBlob(3, sig);
    SSPF_RETURN_IF_ERROR(st->Run());
  }
  DbSubtreeSource source(db);
  SSPF_ASSIGN_OR_RETURN(std::vector<SubtreeHash> nodes,
                        CompletedByAppend(source, e->seq, leaf_hash));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * ins,
      db->Prepare("INSERT INTO tree_nodes(level, idx, hash) VALUES(?,?,?)"));
  for (const SubtreeHash& n : nodes) {
    ins->Reset();
    ins->Bind(1, static_cast<int64_t>(n.level))
        .Bind(2, static_cast<int64_t>(n.index))
        .BindBlob(3, n.hash.data(), n.hash.size());
    SSPF_RETURN_IF_ERROR(ins->Run());
  }
  return Status::Ok();
}

Result<Hash> DbSubtreeSource::Subtree(uint32_t level, uint64_t index) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?"));
  st->Bind(1, static_cast<int64_t>(level)).Bind(2, static_cast<int64_t>(index));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("subtree not stored");
  Bytes b = st->Blob(0);
  st->Reset();
  if (b.size() != kHashSize) return IntegrityViolation("stored subtree hash has the wrong size");
  Hash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

void ReadEventRow(const Stmt* st, EventRecord* e) {
  // assign() keeps each string's buffer: no allocation per row once the
  // strings have grown to the row sizes.
  auto text = [st](int col, std::string* out) {
    const std::string_view v = st->TextView(col);
    out->assign(v.data(), v.size());
  };
  e->seq = static_cast<uint64_t>(st->Int(0));
  e->time = st->Int(1);
  text(2, &e->principal_id);
  e->actor = static_cast<Actor>(st->Int(3));
  e->role = static_cast<Role>(st->Int(4));
  e->action = static_cast<Action>(st->Int(5));
  text(6, &e->target);
  e->allowed = st->Int(7) != 0;
  text(8, &e->reason);
  text(9, &e->basis);
  text(10, &e->purpose);
  text(11, &e->case_id);
  text(12, &e->subject_id);
  text(13, &e->detail);
}

EventRecord ReadEventRow(const Stmt* st) {
  EventRecord e;
  ReadEventRow(st, &e);
  return e;
}

Result<std::vector<EventRecord>> ReadEventRows(Stmt* st) {
  std::vector<EventRecord> events;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    events.push_back(ReadEventRow(st));
    return Status::Ok();
  }));
  return events;
}

Status ForEachEvent(Db* db, uint64_t from,
                    const std::function<Status(const EventRecord&)>& fn) {
  static const std::string sql =
      std::string("SELECT ") + kEventColumns + " FROM events WHERE seq >= ? ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare(sql.c_str()));
  st->Bind(1, static_cast<int64_t>(from));
  EventRecord e;  // one record for every row
  DeclaredClasses classes(/*strict=*/true);
  return ForEachRow(st, [&] {
    // Before ReadEventRow: reading a blob as text converts it.
    const std::string mismatch = classes.Mismatch(*st);
    if (!mismatch.empty()) {
      return IntegrityViolation("event " + std::to_string(st->Int(0)) + ": " + mismatch);
    }
    ReadEventRow(st, &e);
    return fn(e);
  });
}

}  // namespace sspf::internal
