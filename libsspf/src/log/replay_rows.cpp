// Rows of the replayed tables, live or kept (replay_rows.h).
//
// Encoding of a kept row, per column: one byte (0 null, 1 a value), then
// for a value its integer (8 bytes, little-endian) and its bytes (4-byte
// little-endian length, then the bytes).  Only this process reads it back,
// from a file sealed under a key of its own (log/scratch.h).
#include "log/replay_rows.h"

#include <algorithm>
#include <cstring>

namespace sspf::internal {
namespace {

void PutU64(uint64_t v, Bytes* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void PutBytes(std::string_view b, Bytes* out) {
  const uint32_t n = static_cast<uint32_t>(b.size());
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<uint8_t>(n >> (8 * i)));
  out->insert(out->end(), b.begin(), b.end());
}

}  // namespace

void AppendColumns(const Stmt& st, int columns, int digest_col, ColumnDigest digest,
                   Bytes* out) {
  const int n = std::min(columns, st.Columns());
  for (int c = 0; c < n; ++c) {
    if (st.IsNull(c)) {
      out->push_back(0);
      continue;
    }
    out->push_back(1);
    // The integer first: for a text value, the conversion to an integer
    // leaves its bytes as they are.
    PutU64(static_cast<uint64_t>(st.Int(c)), out);
    if (c == digest_col && digest) {
      PutBytes(digest(st.Blob(c)), out);
    } else {
      PutBytes(st.BlobView(c), out);
    }
  }
}

Status ReplayRow::Parse(const uint8_t* p, size_t n, ReplayRow* out) {
  out->st_ = nullptr;
  out->values_.clear();
  size_t at = 0;
  while (at < n) {
    Value v;
    const uint8_t flag = p[at++];
    if (flag > 1) return Internal("kept row: bad column flag");
    if (flag == 1) {
      if (n - at < 12) return Internal("kept row: truncated column");
      uint64_t i = 0;
      for (int k = 0; k < 8; ++k) i |= static_cast<uint64_t>(p[at + static_cast<size_t>(k)]) << (8 * k);
      at += 8;
      uint32_t len = 0;
      for (int k = 0; k < 4; ++k) len |= static_cast<uint32_t>(p[at + static_cast<size_t>(k)]) << (8 * k);
      at += 4;
      if (n - at < len) return Internal("kept row: truncated column");
      v.null = false;
      v.i = static_cast<int64_t>(i);
      v.bytes = std::string_view(reinterpret_cast<const char*>(p + at), len);
      at += len;
    }
    out->values_.push_back(v);
  }
  return Status::Ok();
}

// A column a kept row does not have reads as null (as no check asks for
// one, this only keeps a wrong index from reading out of bounds).
const ReplayRow::Value* ReplayRow::At(int col) const {
  static const Value kNull;
  return col >= 0 && static_cast<size_t>(col) < values_.size() ? &values_[static_cast<size_t>(col)]
                                                               : &kNull;
}

bool ReplayRow::IsNull(int col) const { return st_ ? st_->IsNull(col) : At(col)->null; }

int64_t ReplayRow::Int(int col) const { return st_ ? st_->Int(col) : At(col)->i; }

std::string ReplayRow::Text(int col) const {
  return st_ ? st_->Text(col) : std::string(At(col)->bytes);
}

Bytes ReplayRow::Blob(int col) const {
  if (st_) return st_->Blob(col);
  const std::string_view b = At(col)->bytes;
  return Bytes(b.begin(), b.end());
}

std::string ReplayRow::Digest(int col, ColumnDigest digest) const {
  return st_ ? digest(st_->Blob(col)) : std::string(At(col)->bytes);
}

void KeptRows::Add(size_t part, int table, const Bytes& record) {
  if (part >= files_.size()) return;
  File& f = files_[part];
  if (f.bad) return;
  if (!f.scratch) {
    Result<std::unique_ptr<SealedScratch>> made = SealedScratch::Create(dir_, 0);
    if (!made.ok()) {
      f.bad = true;
      return;
    }
    f.scratch = std::move(*made);
  }
  f.segments.emplace(table, std::make_pair(f.chunks, f.chunks));
  if (!f.scratch->Append(record.data(), record.size()).ok()) {
    f.bad = true;
    return;
  }
  ++rows_;
}

void KeptRows::EndTable(int table) {
  for (File& f : files_) {
    auto it = f.segments.find(table);
    if (f.bad || it == f.segments.end()) continue;
    Result<size_t> end = f.scratch->EndSegment();
    if (!end.ok()) {
      f.bad = true;
      continue;
    }
    it->second.second = f.chunks = *end;
  }
}

Status KeptRows::ForEach(size_t part, int table,
                         const std::function<Status(const ReplayRow&)>& fn) {
  if (!Has(part)) return Internal("these rows were not kept");
  File& f = files_[part];
  auto it = f.segments.find(table);
  if (it == f.segments.end()) return Status::Ok();  // none of this table in the partition
  ReplayRow row;
  return f.scratch->ForEachRecord(it->second.first, it->second.second,
                                  [&](const uint8_t* p, size_t n) -> Status {
                                    SSPF_RETURN_IF_ERROR(ReplayRow::Parse(p, n, &row));
                                    return fn(row);
                                  });
}

}  // namespace sspf::internal
