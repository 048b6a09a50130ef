// Session::ExportTiles (audit export --tiles): the access log as a static
// C2SP tlog-tiles directory that any tlog-tiles client can verify
// (docs/audit-log-format.md, "Tiles export").  The tile layout and bytes
// are log/tiles.h; the directory is staged and renamed (util/staged_dir.h).
//
// Nothing is laundered: the whole log is verified first (VerifyLog, as
// audit verify), in the same snapshot the tiles are then read from; the
// checkpoint is signed only for the tree just verified; and every hash
// written is recomputed on the way from the events: level 0 from the
// leaves, each level above from the full tiles below it, and the root from
// the leaves must be the verified one.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_internal.h"
#include "context/session_impl.h"
#include "log/checkpoint.h"
#include "log/note.h"
#include "log/tiles.h"
#include "util/staged_dir.h"

namespace sspf {

using internal::Bytes;
using internal::Db;
using internal::EventRecord;
using internal::Hash;
using internal::StagedDir;
using internal::Stmt;
using internal::kTileHeight;
using internal::kTileWidth;
using internal::audit::kProgressEvents;

namespace {

Status TileMismatch(uint32_t level, uint64_t index) {
  return IntegrityViolation("tree node " + std::to_string(level * kTileHeight) + "/" +
                            std::to_string(index) +
                            ": stored hash differs from the one recomputed for the tiles "
                            "(tree nodes edited)");
}

// Writes the hash tiles and entry bundles of the tree of `size` leaves
// into `out`, reading the verified snapshot; counts what it wrote.
class TileWriter {
 public:
  TileWriter(Db* db, StagedDir* out, uint64_t size,
             const std::function<void(uint64_t, uint64_t)>& progress)
      : db_(db), out_(out), size_(size), progress_(progress) {}

  // Level 0 and the entry bundles; returns the root of the leaves.
  Result<Hash> WriteLeaves();
  // The tiles of `level` (>= 1) from the full tiles' hashes of the level
  // below (full_below_), which each stored hash must equal.
  Status WriteLevel(uint32_t level);

  uint64_t tiles() const { return tiles_; }
  uint64_t bundles() const { return bundles_; }
  bool more_levels(uint32_t level) const {
    return level * kTileHeight < 64 && (size_ >> (level * kTileHeight)) > 0;
  }

 private:
  // Writes one tile and, when it is full, records its hash for the level
  // above.
  Status EmitTile(uint32_t level, uint64_t index, std::vector<Hash>* hashes,
                  std::vector<Hash>* full_above) {
    const uint32_t width = static_cast<uint32_t>(hashes->size());
    SSPF_RETURN_IF_ERROR(
        out_->Write(internal::HashTilePath(level, index, width), internal::TileBytes(*hashes)));
    ++tiles_;
    if (width == kTileWidth) full_above->push_back(internal::TileHash(*hashes));
    hashes->clear();
    return Status::Ok();
  }

  Db* db_;
  StagedDir* out_;
  uint64_t size_;
  const std::function<void(uint64_t, uint64_t)>& progress_;
  std::vector<Hash> full_below_;  // hashes of the full tiles of the level below
  uint64_t tiles_ = 0;
  uint64_t bundles_ = 0;
};

Result<Hash> TileWriter::WriteLeaves() {
  SSPF_ASSIGN_OR_RETURN(
      Stmt * events,
      db_->Prepare((std::string("SELECT ") + internal::kEventColumns +
                    " FROM events WHERE seq < ? ORDER BY seq")
                       .c_str()));
  SSPF_ASSIGN_OR_RETURN(
      Stmt * leaves,
      db_->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = 0 AND idx < ? ORDER BY idx"));
  events->Bind(1, static_cast<int64_t>(size_));
  leaves->Bind(1, static_cast<int64_t>(size_));
  const uint64_t step = std::max<uint64_t>(1, std::min<uint64_t>(kProgressEvents, size_ / 100));
  internal::StreamingRoot root;
  std::vector<Hash> tile;
  std::vector<Hash> full_above;
  std::string bundle;
  EventRecord e;
  Bytes leaf;
  Status s = [&]() -> Status {
    for (uint64_t seq = 0; seq < size_; ++seq) {
      SSPF_ASSIGN_OR_RETURN(bool row, events->Step());
      if (!row) return IntegrityViolation("event " + std::to_string(seq) + " missing");
      internal::ReadEventRow(events, &e);
      if (e.seq != seq) return IntegrityViolation("event " + std::to_string(seq) + " missing");
      SSPF_ASSIGN_OR_RETURN(bool node, leaves->Step());
      if (!node || static_cast<uint64_t>(leaves->Int(0)) != seq) {
        return IntegrityViolation("event " + std::to_string(seq) + ": no stored leaf hash");
      }
      internal::EncodeLeaf(e, &leaf);
      const Hash h = internal::LeafHash(leaf.data(), leaf.size());
      if (leaves->Blob(1) != Bytes(h.begin(), h.end())) {
        return IntegrityViolation("event " + std::to_string(seq) +
                                  ": leaf hash mismatch (event or its stored leaf hash edited)");
      }
      Status appended = internal::AppendBundleEntry(leaf.data(), leaf.size(), &bundle);
      if (!appended.ok()) {
        return FailedPrecondition("event " + std::to_string(seq) + ": " + appended.message());
      }
      tile.push_back(h);
      root.Append(h);
      if (tile.size() == kTileWidth || seq + 1 == size_) {
        const uint64_t index = seq / kTileWidth;
        SSPF_RETURN_IF_ERROR(out_->Write(
            internal::EntryBundlePath(index, static_cast<uint32_t>(tile.size())), bundle));
        ++bundles_;
        bundle.clear();
        SSPF_RETURN_IF_ERROR(EmitTile(0, index, &tile, &full_above));
      }
      if (progress_ && (seq + 1) % step == 0) progress_(seq + 1, size_);
    }
    return Status::Ok();
  }();
  events->Reset();
  leaves->Reset();
  SSPF_RETURN_IF_ERROR(s);
  if (progress_) progress_(size_, size_);
  full_below_ = std::move(full_above);
  return root.Root();
}

Status TileWriter::WriteLevel(uint32_t level) {
  const uint64_t count = size_ >> (level * kTileHeight);
  if (full_below_.size() != count) return Internal("tile levels out of step");
  SSPF_ASSIGN_OR_RETURN(
      Stmt * nodes,
      db_->Prepare("SELECT idx, hash FROM tree_nodes WHERE level = ? AND idx < ? ORDER BY idx"));
  nodes->Bind(1, static_cast<int64_t>(level * kTileHeight)).Bind(2, static_cast<int64_t>(count));
  std::vector<Hash> tile;
  std::vector<Hash> full_above;
  Status s = [&]() -> Status {
    for (uint64_t i = 0; i < count; ++i) {
      SSPF_ASSIGN_OR_RETURN(bool row, nodes->Step());
      if (!row || static_cast<uint64_t>(nodes->Int(0)) != i) return TileMismatch(level, i);
      const Bytes stored = nodes->Blob(1);
      const Hash& expected = full_below_[i];
      if (stored != Bytes(expected.begin(), expected.end())) return TileMismatch(level, i);
      tile.push_back(expected);
      if (tile.size() == kTileWidth || i + 1 == count) {
        SSPF_RETURN_IF_ERROR(EmitTile(level, i / kTileWidth, &tile, &full_above));
      }
    }
    return Status::Ok();
  }();
  nodes->Reset();
  SSPF_RETURN_IF_ERROR(s);
  full_below_ = std::move(full_above);
  return Status::Ok();
}

// The note stored for checkpoint size `size` (Verify checked it), or "".
Result<std::string> StoredCheckpointAt(Db* db, uint64_t size) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, db->Prepare("SELECT note FROM checkpoints WHERE tree_size = ?"));
  st->Bind(1, static_cast<int64_t>(size));
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::string note = row ? st->Text(0) : std::string();
  st->Reset();
  return note;
}

}  // namespace

Result<TileExportReport> Session::ExportTiles(const TileExportOptions& options) {
  Impl* impl = impl_.get();
  // A usage error costs no event: checked before the gate.
  SSPF_RETURN_IF_ERROR(StagedDir::CheckTarget(options.dir));
  SSPF_RETURN_IF_ERROR(internal::audit::AuditGate(impl, Action::kAuditExport, "tiles"));
  Db* db = impl->db.get();
  SSPF_ASSIGN_OR_RETURN(std::unique_ptr<StagedDir> out, StagedDir::Begin(options.dir));
  TileExportReport report;
  bool store_note = false;
  {
    // One snapshot for the verification and every file: what is written
    // is what was verified.  The export's own event is in it.
    internal::audit::ReadSnapshot snapshot(db);
    SSPF_RETURN_IF_ERROR(snapshot.Begin());
    VerifyOptions vo;
    vo.progress = options.verify_progress;
    SSPF_ASSIGN_OR_RETURN(VerifyReport verified, internal::audit::VerifyLog(impl, vo));
    Hash root{};
    if (verified.root.size() != root.size()) return Internal("verify gave no root");
    std::copy(verified.root.begin(), verified.root.end(), root.begin());
    // Signed only now, for the tree just verified (never for a tampered one).
    SSPF_ASSIGN_OR_RETURN(report.checkpoint, StoredCheckpointAt(db, verified.tree_size));
    if (report.checkpoint.empty()) {
      SSPF_ASSIGN_OR_RETURN(report.checkpoint,
                            internal::SignCheckpoint(impl->Signer(), verified.tree_size, root));
      store_note = true;
    }
    SSPF_RETURN_IF_ERROR(out->Write("checkpoint", report.checkpoint));
    TileWriter writer(db, out.get(), verified.tree_size, options.write_progress);
    SSPF_ASSIGN_OR_RETURN(Hash leaves_root, writer.WriteLeaves());
    if (leaves_root != root) {
      return IntegrityViolation("the root of the exported leaves differs from the verified "
                                "root (log changed while exporting)");
    }
    for (uint32_t level = 1; writer.more_levels(level); ++level) {
      SSPF_RETURN_IF_ERROR(writer.WriteLevel(level));
    }
    report.tree_size = verified.tree_size;
    report.root = verified.root;
    report.tiles = writer.tiles();
    report.entry_bundles = writer.bundles();
  }
  if (store_note) {
    // Stored like any checkpoint, so that audit verify checks it later.
    SSPF_ASSIGN_OR_RETURN(std::unique_ptr<internal::Txn> txn, internal::Txn::Begin(db));
    SSPF_ASSIGN_OR_RETURN(std::string stored, StoredCheckpointAt(db, report.tree_size));
    if (stored.empty()) {
      SSPF_RETURN_IF_ERROR(
          internal::StoreCheckpoint(db, report.tree_size, report.checkpoint, impl->Now()));
    } else if (stored != report.checkpoint) {
      // Another session signed this size meanwhile: export that note.
      report.checkpoint = stored;
      SSPF_RETURN_IF_ERROR(out->Replace("checkpoint", report.checkpoint));
    }
    SSPF_RETURN_IF_ERROR(txn->Commit());
  }
  SSPF_RETURN_IF_ERROR(out->Commit());
  report.dir = options.dir;
  return report;
}

}  // namespace sspf
