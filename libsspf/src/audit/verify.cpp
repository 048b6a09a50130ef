// The auditor's Session methods for the log's integrity (DESIGN §6):
// checkpoints, the verifier key, verification and inclusion proofs.  Each
// reads in one snapshot that already holds the command's own event, so
// `audit verify` covers the log up to and including itself.
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "audit/audit_internal.h"
#include "audit/index_check.h"
#include "context/sealed_reasons.h"
#include "audit/witness_internal.h"
#include "context/trust.h"
#include "log/checkpoint.h"
#include "log/merkle.h"
#include "log/note.h"
#include "log/replay.h"
#include "log/replay_detail.h"
#include "sspf/json.h"
#include "storage/schema.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::EventRecord;
using internal::Hash;
using internal::Stmt;
using internal::audit::AuditGate;
using internal::audit::CheckFilter;
using internal::audit::FromHash;
using internal::audit::kProgressEvents;
using internal::audit::ReadSnapshot;
using internal::audit::RunQuery;
using internal::audit::ToAuditEvent;
using internal::audit::ToHash;

// ---- Checkpoints and keys ---------------------------------------------------

Result<std::string> Session::Checkpoint() {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditCheckpoint, "log"));
  // Its own transaction, after the event: the checkpoint covers the event.
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn,
                        internal::Txn::Begin(impl->db.get()));
  SSPF_ASSIGN_OR_RETURN(std::string note, internal::MakeCheckpoint(impl->db.get(), impl->Signer(), impl->Now()));
  SSPF_RETURN_IF_ERROR(txn->Commit());
  return note;
}

Result<std::string> Session::VerifierKey() {
  Impl* impl = impl_.get();
  // There is no action of its own: reading the key is part of publishing
  // checkpoints, and is logged as such.
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditCheckpoint, "verifier-key"));
  SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk, internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
  return internal::FormatVerifierKey(vk.name, vk.public_key);
}

// ---- Verification -------------------------------------------------------------

namespace {

// An event in which a session recorded an integrity violation it found at
// use: an operation that failed with it ("outcome=integrity_violation"),
// or a key delivery refused for it.  The insider may have put her rows
// back since; the log keeps what the session saw.
bool RecordsIntegrityFinding(const EventRecord& e) {
  if (e.allowed) return e.detail == internal::FailureDetail(StatusCode::kIntegrityViolation);
  return e.action == Action::kActorKeyDeliver && e.reason.rfind("integrity: ", 0) == 0;
}

// A stored hash (read without a copy) equals h.
bool SameHash(std::string_view stored, const Hash& h) {
  return stored.size() == h.size() && std::memcmp(stored.data(), h.data(), h.size()) == 0;
}

// Incremental verify (DESIGN §6): the first event whose signature is
// checked.  Events before a kept checkpoint's size are still read, ordered
// and leaf-hashed, and their recomputed root must be the kept, signed root
// (step 4), so an edit of any of them is caught; only the signature check,
// nearly all of a full verify's time, is left to the full verify that the
// kept checkpoint followed.  0 without a kept checkpoint or with `full`.
uint64_t SignaturesFrom(const std::optional<internal::Checkpoint>& kept,
                        const VerifyOptions& options, uint64_t size) {
  if (!kept || options.full) return 0;
  return std::min(kept->size, size);
}

// The first event before `upto` that no longer hashes to its stored leaf,
// as verify's message for it, or "" when every stored leaf matches (then
// the stored hashes were rewritten along with the events).  An incremental
// verify compares the prefix's stored leaves only when the root it
// recomputed at the kept size is not the kept one, to say which event.
Result<std::string> FirstPrefixLeafMismatch(Db* db, uint64_t upto) {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * events, db->Prepare((std::string("SELECT ") + internal::kEventColumns +
                                  " FROM events WHERE seq < ? ORDER BY seq")
                                     .c_str()));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * leaves,
      db->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = 0 AND idx < ? ORDER BY idx"));
  events->Bind(1, static_cast<int64_t>(upto));
  leaves->Bind(1, static_cast<int64_t>(upto));
  EventRecord e;
  Bytes leaf;
  std::string found;
  Status s = internal::ForEachRow(events, [&]() -> Status {
    internal::ReadEventRow(events, &e);
    SSPF_ASSIGN_OR_RETURN(bool row, leaves->Step());
    internal::EncodeLeaf(e, &leaf);
    if (!row || static_cast<uint64_t>(leaves->Int(0)) != e.seq ||
        !SameHash(leaves->BlobView(1), internal::LeafHash(leaf.data(), leaf.size()))) {
      found = "event " + std::to_string(e.seq) +
              ": leaf hash mismatch (event or its stored leaf hash edited)";
      return IntegrityViolation(found);  // stops the scan
    }
    return Status::Ok();
  });
  events->Reset();
  leaves->Reset();
  if (!found.empty()) return found;
  SSPF_RETURN_IF_ERROR(s);
  return std::string();
}

// The RFC 6962 consistency proof from the kept checkpoint to the current
// tree, built from the stored nodes and verified against the kept root and
// the root recomputed from the events.  Implied by the checks before it
// (every stored node and the prefix's root are recomputed from the
// events); made so that the proof an auditor would be given
// (audit consistency) is known to verify.
Status CheckKeptConsistency(Db* db, const internal::Checkpoint& kept, uint64_t size,
                            const Hash& root) {
  internal::DbSubtreeSource source(db);
  SSPF_ASSIGN_OR_RETURN(std::vector<Hash> proof,
                        internal::ConsistencyProof(source, kept.size, size));
  if (!internal::VerifyConsistency(kept.size, size, kept.root, root, proof).ok()) {
    return IntegrityViolation("the consistency proof from the kept checkpoint (size " +
                              std::to_string(kept.size) +
                              ") does not verify (tree nodes edited)");
  }
  return Status::Ok();
}

// A mistake rather than tampering (exit 2, not 6): a file that is no
// checkpoint note at all (the verifier key, say), or the checkpoint of
// another store.  Only the body is parsed here; the signatures and
// everything else are checked after, and fail as integrity violations.
// The origin is echoed only when it looks like one (no file content).
Status CheckpointOfThisStore(const std::string& note, const std::string& origin) {
  const size_t blank = note.find("\n\n");
  std::string shown = "none (the file is not a signed checkpoint note)";
  if (blank != std::string::npos) {
    Result<internal::Checkpoint> cp = internal::ParseCheckpoint(note.substr(0, blank + 1));
    if (cp.ok()) {
      if (cp->origin == origin) return Status::Ok();
      const bool printable =
          cp->origin.size() <= 128 &&
          cp->origin.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789./_-:") == std::string::npos;
      shown = printable ? cp->origin : "(not shown: not an sspf origin)";
    }
  }
  return InvalidArgument("this is not a checkpoint of this store: origin " + shown +
                         ", expected " + origin);
}

}  // namespace

Result<VerifyReport> Session::Verify(const VerifyOptions& options) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditVerify, "log"));
  ReadSnapshot snapshot(impl->db.get());
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  return internal::audit::VerifyLog(impl, options);
}

Result<VerifyReport> internal::audit::VerifyLog(Session::Impl* impl,
                                                const VerifyOptions& options) {
  Db* db = impl->db.get();
  // Sequential passes over the whole file: the operations' large page cache
  // would only fill up and raise the peak memory (storage/db.h).
  ScanCache scan_cache(db);

  SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk, internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
  const std::string origin = internal::LogOrigin(impl->store_id);

  // Who signed each checkpoint, against the certified keys read once.
  SSPF_ASSIGN_OR_RETURN(internal::CheckpointSigners signers,
                        internal::CheckpointSigners::Load(impl));
  // The kept checkpoint first: a foreign or forged one fails before any work.
  std::optional<internal::Checkpoint> kept;
  std::string kept_signer;
  if (options.kept_checkpoint) {
    SSPF_RETURN_IF_ERROR(CheckpointOfThisStore(*options.kept_checkpoint, origin));
    Result<internal::Checkpoint> cp =
        internal::OpenCheckpoint(*options.kept_checkpoint, vk, origin);
    if (!cp.ok()) {
      return IntegrityViolation(
          "kept checkpoint: not a valid checkpoint of this store signed by its "
          "audit key (" + cp.status().message() + ")");
    }
    kept = *cp;
    // Who made it: only a certified principal's signature says so.
    Result<std::string> signer = signers.Attribute(*options.kept_checkpoint);
    if (!signer.ok()) return IntegrityViolation("kept checkpoint: " + signer.status().message());
    kept_signer = *signer;
  }
  SSPF_ASSIGN_OR_RETURN(std::vector<std::string> witnesses,
                        internal::audit::CheckKeptCosignatures(options));
  // The tables as the schema declares them: the storage-class checks of the
  // passes below read the declared types (storage/schema.h).
  SSPF_RETURN_IF_ERROR(internal::CheckDeclaredSchema(db));

  // Sizes of the stored checkpoints; their roots are taken from the
  // streaming pass as it passes each size.
  std::vector<uint64_t> cp_sizes;
  {
    SSPF_ASSIGN_OR_RETURN(Stmt * st,
                          db->Prepare("SELECT tree_size FROM checkpoints ORDER BY tree_size"));
    for (;;) {
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      cp_sizes.push_back(static_cast<uint64_t>(st->Int(0)));
    }
    st->Reset();
  }
  std::vector<uint64_t> wanted = cp_sizes;
  if (kept) wanted.push_back(kept->size);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::map<uint64_t, Hash> roots_at;  // size -> recomputed root

  SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(db));
  const uint64_t progress_step =
      std::max<uint64_t>(1, std::min<uint64_t>(kProgressEvents, size / 100));

  // (1) Stream the events: leaf hashes against the stored level-0 nodes,
  // the sequence without gaps, the root in O(log n) memory.
  internal::StreamingRoot stream;
  size_t next_wanted = 0;
  auto record_roots = [&]() {
    while (next_wanted < wanted.size() && wanted[next_wanted] == stream.Size()) {
      roots_at[wanted[next_wanted]] = stream.Root();
      ++next_wanted;
    }
    while (next_wanted < wanted.size() && wanted[next_wanted] < stream.Size()) ++next_wanted;
  };
  record_roots();
  const uint64_t signatures_from = SignaturesFrom(kept, options, size);
  // The stored leaves from the first event checked fully: those before a
  // kept size are a cache of hashes under the kept root, like the interior
  // nodes inside it (step 2), and every proof built from them is checked
  // before it is given out.  The events themselves are all re-hashed.
  SSPF_ASSIGN_OR_RETURN(
      Stmt * leaves,
      db->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = 0 AND idx >= ? ORDER BY idx"));
  leaves->Bind(1, static_cast<int64_t>(signatures_from));
  SSPF_ASSIGN_OR_RETURN(internal::EventAttribution attribution,
                        internal::EventAttribution::Load(impl));
  // The replay check, the events side of the index check and the purpose
  // notes' events read the same stream of rows (one pass over events).
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::ReplayStream> replay,
                        internal::ReplayStream::New(db, impl->lookup_key));
  SSPF_ASSIGN_OR_RETURN(internal::audit::IndexCheck indexes,
                        internal::audit::IndexCheck::Load(db));
  internal::PurposeNoteEvents purpose_notes;
  std::optional<internal::EventTime> previous_time;
  uint64_t events_checked = 0;
  std::optional<EventRecord> found_at_use;  // the first integrity finding logged
  Bytes leaf;  // each event's leaf, in one buffer
  Status streamed = internal::ForEachEvent(db, 0, [&](const EventRecord& e) -> Status {
    const uint64_t expected = stream.Size();
    if (e.seq != expected) {
      return IntegrityViolation("event " + std::to_string(expected) +
                                " missing (gap in sequence)");
    }
    // Monotonic time, before the leaf hash: names an edited time as such.
    SSPF_RETURN_IF_ERROR(internal::CheckEventTimeOrder(previous_time, e));
    previous_time = internal::EventTime{e.seq, e.time};
    internal::EncodeLeaf(e, &leaf);
    const Hash h = internal::LeafHash(leaf.data(), leaf.size());
    if (e.seq < signatures_from) {
      attribution.Skip(e);
    } else {
      SSPF_ASSIGN_OR_RETURN(bool row, leaves->Step());
      if (!row || static_cast<uint64_t>(leaves->Int(0)) > e.seq) {
        return IntegrityViolation("event " + std::to_string(e.seq) +
                                  ": no stored leaf hash (tree nodes deleted)");
      }
      if (static_cast<uint64_t>(leaves->Int(0)) < e.seq) {
        return IntegrityViolation("tree leaf " + std::to_string(leaves->Int(0)) +
                                  " has no event (event deleted)");
      }
      if (!SameHash(leaves->BlobView(1), h)) {
        return IntegrityViolation("event " + std::to_string(e.seq) +
                                  ": leaf hash mismatch (event or its stored leaf hash edited)");
      }
      SSPF_ASSIGN_OR_RETURN(std::optional<internal::EventSignature> sig,
                            internal::EventSignatureOf(db, e.seq));
      SSPF_RETURN_IF_ERROR(attribution.Check(e, h, sig));
      ++events_checked;
      if (!found_at_use && RecordsIntegrityFinding(e)) found_at_use = e;
    }
    SSPF_RETURN_IF_ERROR(replay->Add(e));
    indexes.AddEvent(e);
    purpose_notes.Add(e);
    stream.Append(h);
    record_roots();
    if (options.progress && stream.Size() % progress_step == 0) {
      options.progress(stream.Size(), size);
    }
    return Status::Ok();
  });
  if (streamed.ok()) {
    Result<bool> extra = leaves->Step();
    if (!extra.ok()) {
      streamed = extra.status();
    } else if (*extra) {
      streamed = IntegrityViolation("tree leaf " + std::to_string(leaves->Int(0)) +
                                    " has no event (events deleted)");
    }
  }
  leaves->Reset();
  SSPF_RETURN_IF_ERROR(streamed);
  if (stream.Size() != size) {
    return IntegrityViolation("event " + std::to_string(stream.Size()) +
                              " missing (gap in sequence)");
  }
  if (options.progress) options.progress(size, size);
  // A prefix that no longer hashes to the kept root: name the event.
  if (kept && kept->size <= size && roots_at.count(kept->size) &&
      roots_at[kept->size] != kept->root) {
    SSPF_ASSIGN_OR_RETURN(std::string edited, FirstPrefixLeafMismatch(db, kept->size));
    if (!edited.empty()) return IntegrityViolation(edited);
  }

  // (2) Every stored interior node, level by level, from the verified level
  // below; then the root from the stored nodes.  Sequential reads only.
  // Incremental: only the nodes that reach past the kept size; those wholly
  // inside it are a cache of hashes of leaves whose root is the kept one
  // (Prove checks each proof it builds, and step 4 the consistency proof).
  for (uint32_t level = 1; level <= internal::kMaxSubtreeLevel && (size >> level) > 0;
       ++level) {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * lower,
        db->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = ? AND idx >= ? "
                    "ORDER BY idx"));
    SSPF_ASSIGN_OR_RETURN(
        Stmt * upper,
        db->Prepare("SELECT idx AS i, hash AS h FROM tree_nodes WHERE level = ? AND "
                    "idx >= ? ORDER BY idx"));
    const uint64_t first = signatures_from >> level;
    lower->Bind(1, static_cast<int64_t>(level - 1)).Bind(2, static_cast<int64_t>(2 * first));
    upper->Bind(1, static_cast<int64_t>(level)).Bind(2, static_cast<int64_t>(first));
    const uint64_t count = size >> level;
    Status s;
    auto bad = [&](uint64_t i) {
      return IntegrityViolation("tree node " + std::to_string(level) + "/" +
                                std::to_string(i) +
                                ": stored hash mismatch (tree nodes edited)");
    };
    for (uint64_t i = first; i < count && s.ok(); ++i) {
      Result<bool> l1 = lower->Step();
      if (!l1.ok()) { s = l1.status(); break; }
      Hash left = ToHash(lower->Blob(1));
      Result<bool> l2 = lower->Step();
      if (!l2.ok()) { s = l2.status(); break; }
      Hash right = ToHash(lower->Blob(1));
      Result<bool> u = upper->Step();
      if (!u.ok()) { s = u.status(); break; }
      if (!*l1 || !*l2 || !*u || static_cast<uint64_t>(upper->Int(0)) != i ||
          ToHash(upper->Blob(1)) != internal::NodeHash(left, right)) {
        s = bad(i);
      }
    }
    if (s.ok()) {
      Result<bool> more = upper->Step();
      if (!more.ok()) s = more.status();
      else if (*more) s = bad(static_cast<uint64_t>(upper->Int(0)));
    }
    lower->Reset();
    upper->Reset();
    SSPF_RETURN_IF_ERROR(s);
  }
  {
    // A node (level, idx) covers leaves [idx << level, (idx + 1) << level):
    // past the last event when idx >= size >> level.  One range of the
    // primary key per level (a scan of every interior node cost as much as
    // the rest of this step), and any node at a level no tree reaches.
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT EXISTS (SELECT 1 FROM tree_nodes WHERE level = ? AND "
                               "idx >= ?)"));
    bool beyond = false;
    for (uint32_t level = 1; level <= 62 && !beyond; ++level) {
      st->Bind(1, static_cast<int64_t>(level)).Bind(2, static_cast<int64_t>(size >> level));
      SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
      beyond = row && st->Int(0) != 0;
      st->Reset();
    }
    if (!beyond) {
      SSPF_ASSIGN_OR_RETURN(
          Stmt * odd, db->Prepare("SELECT EXISTS (SELECT 1 FROM tree_nodes WHERE level < 0 OR "
                                  "level > 62)"));
      SSPF_ASSIGN_OR_RETURN(bool row, odd->Step());
      beyond = row && odd->Int(0) != 0;
      odd->Reset();
    }
    if (beyond) {
      return IntegrityViolation("tree nodes beyond the last event (events deleted)");
    }
  }
  const Hash root = stream.Root();
  internal::DbSubtreeSource source(db);
  SSPF_ASSIGN_OR_RETURN(Hash stored_root, internal::RootAt(source, size));
  if (stored_root != root) {
    return IntegrityViolation("stored tree root differs from the recomputed root "
                              "(tree nodes edited)");
  }

  // (3) Every stored checkpoint: signature, origin, and the root of the log
  // at its size.
  VerifyReport report;
  report.witnesses = std::move(witnesses);
  report.kept_checkpoint_signer = kept_signer;
  report.events_checked = events_checked;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st, db->Prepare("SELECT tree_size, note FROM checkpoints ORDER BY tree_size"));
    Status s;
    for (;;) {
      Result<bool> row = st->Step();
      if (!row.ok()) { s = row.status(); break; }
      if (!*row) break;
      const uint64_t at = static_cast<uint64_t>(st->Int(0));
      const std::string name = "checkpoint " + std::to_string(at) + ": ";
      Result<internal::Checkpoint> cp = internal::OpenCheckpoint(st->Text(1), vk, origin);
      if (!cp.ok()) {
        s = IntegrityViolation(name + "bad signature (" + cp.status().message() + ")");
        break;
      }
      Result<std::string> signer = signers.Attribute(st->Text(1));
      if (!signer.ok()) {
        s = IntegrityViolation(name + signer.status().message());
        break;
      }
      if (cp->size != at) {
        s = IntegrityViolation(name + "signed size " + std::to_string(cp->size) +
                               " differs from its row");
        break;
      }
      if (at > size) {
        s = IntegrityViolation(name + "the log is smaller than this checkpoint (truncated)");
        break;
      }
      auto it = roots_at.find(at);
      if (it == roots_at.end() || it->second != cp->root) {
        s = IntegrityViolation(name + "root does not match the log (log rewritten)");
        break;
      }
      ++report.checkpoints_checked;
    }
    st->Reset();
    SSPF_RETURN_IF_ERROR(s);
  }

  // (4) The checkpoint kept outside the store.
  if (kept) {
    if (kept->size > size) {
      return IntegrityViolation(
          "rollback: the log is smaller than a checkpoint kept outside the store (" +
          std::to_string(size) + " < " + std::to_string(kept->size) + " events)");
    }
    auto it = roots_at.find(kept->size);
    if (it == roots_at.end() || it->second != kept->root) {
      return IntegrityViolation("the log does not extend the kept checkpoint (size " +
                                std::to_string(kept->size) +
                                "): events before it were rolled back or rewritten");
    }
    SSPF_RETURN_IF_ERROR(CheckKeptConsistency(db, *kept, size, root));
    report.kept_checkpoint_consistent = true;
  }

  // (5) Indexes against tables, then replayed state against the tables.
  // B-tree integrity (DESIGN §13): an old page copied back into the file
  // decrypts fine, and the replay check reads the tables only, so the
  // indexes that decisions read through must agree with them.
  // The replay's scans of whole tables also give the index check their
  // table side, so each table is read once; so the replay runs first.  A
  // finding of the index check still comes first, as it explains what the
  // replay then reads wrongly through that index.
  const Status replayed = replay->Finish(&indexes);
  SSPF_RETURN_IF_ERROR(indexes.Check(db));
  SSPF_RETURN_IF_ERROR(replayed);
  // Every key a decision relies on is certified by the pinned anchor.
  SSPF_RETURN_IF_ERROR(internal::CheckCertifiedState(impl));
  // Purpose notes against the commitments in the log (any role: no key).
  SSPF_RETURN_IF_ERROR(internal::CheckPurposeNotes(impl, purpose_notes));
  // An auditor also opens every sealed reason against its commitment.
  SSPF_RETURN_IF_ERROR(internal::CheckSealedReasons(impl));
  // No trigger, view or index that the schema version does not make, and
  // none of its own missing or redefined (last: a finding above says more
  // about what the change was for).
  SSPF_RETURN_IF_ERROR(internal::CheckSchemaObjects(db));
  // (6) Everything is consistent now, but a session found tampering at use
  // and logged it: rows edited and put back since are still reported.  An
  // incremental verify from a checkpoint kept after it no longer does.
  if (found_at_use) {
    return IntegrityViolation("event " + std::to_string(found_at_use->seq) + " (" +
                              ActionName(found_at_use->action) +
                              ") records an integrity violation found at use: rows were " +
                              "edited (perhaps put back since); investigate, then verify from " +
                              "a checkpoint kept after it");
  }

  report.tree_size = size;
  report.root = FromHash(root);
  return report;
}

Result<InclusionProof> Session::Prove(uint64_t index, std::optional<std::string> checkpoint) {
  Impl* impl = impl_.get();
  SSPF_RETURN_IF_ERROR(AuditGate(impl, Action::kAuditProve, "event:" + std::to_string(index)));
  Db* db = impl->db.get();
  ReadSnapshot snapshot(db);
  SSPF_RETURN_IF_ERROR(snapshot.Begin());
  SSPF_ASSIGN_OR_RETURN(uint64_t size, internal::LogSize(db));
  internal::DbSubtreeSource source(db);
  InclusionProof out;
  Hash root;
  if (checkpoint) {
    SSPF_ASSIGN_OR_RETURN(internal::VerifierKey vk, internal::StoreVerifierKey(impl->store_id, impl->audit_public_key));
    Result<internal::Checkpoint> cp =
        internal::OpenCheckpoint(*checkpoint, vk, internal::LogOrigin(impl->store_id));
    if (!cp.ok()) {
      return IntegrityViolation("checkpoint: not a valid checkpoint of this store (" +
                                cp.status().message() + ")");
    }
    if (cp->size > size) {
      return IntegrityViolation(
          "rollback: the log is smaller than the given checkpoint");
    }
    SSPF_ASSIGN_OR_RETURN(Hash stored, internal::RootAt(source, cp->size));
    if (stored != cp->root) {
      return IntegrityViolation("the log does not extend the given checkpoint");
    }
    out.tree_size = cp->size;
    root = cp->root;
  } else {
    out.tree_size = size;
    SSPF_ASSIGN_OR_RETURN(root, internal::RootAt(source, size));
  }
  if (index >= out.tree_size) {
    return NotFound("no event " + std::to_string(index) + " in a tree of " +
                    std::to_string(out.tree_size) + " events");
  }
  // The leaf hash recomputed from the event must be the stored one.
  std::optional<EventRecord> event;
  {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * st,
        db->Prepare((std::string("SELECT ") + internal::kEventColumns + " FROM events WHERE seq = ?")
                        .c_str()));
    st->Bind(1, static_cast<int64_t>(index));
    SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row) event = internal::ReadEventRow(st);
    st->Reset();
  }
  if (!event) return IntegrityViolation("event " + std::to_string(index) + " missing");
  Bytes leaf = internal::EncodeLeaf(*event);
  Hash leaf_hash = internal::LeafHash(leaf.data(), leaf.size());
  SSPF_ASSIGN_OR_RETURN(Hash stored_leaf, source.Subtree(0, index));
  if (stored_leaf != leaf_hash) {
    return IntegrityViolation("event " + std::to_string(index) + ": leaf hash mismatch");
  }
  SSPF_ASSIGN_OR_RETURN(std::vector<Hash> path,
                        internal::InclusionProof(source, index, out.tree_size));
  Status ok = internal::VerifyInclusion(leaf_hash, index, out.tree_size, path, root);
  if (!ok.ok()) {
    return IntegrityViolation("inclusion proof of event " + std::to_string(index) +
                              " does not verify (tree nodes edited)");
  }
  out.index = index;
  out.leaf_hash = FromHash(leaf_hash);
  out.root = FromHash(root);
  for (const Hash& h : path) out.proof.push_back(FromHash(h));
  return out;
}

}  // namespace sspf
