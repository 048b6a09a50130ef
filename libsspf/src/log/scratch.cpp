// The sealed scratch file (scratch.h).
#include "log/scratch.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "crypto/crypto.h"

namespace sspf::internal {
namespace {

constexpr size_t kRecordsPerChunk = 4096;
// Records of their own size: a chunk is sealed once it holds this much.
constexpr size_t kVariableChunkBytes = 16 * 1024;

// The chunk's number as its associated data: a chunk moved to another
// place does not open there.
Bytes ChunkAd(uint64_t chunk) {
  Bytes ad(8);
  for (int i = 0; i < 8; ++i) ad[static_cast<size_t>(i)] = static_cast<uint8_t>(chunk >> (8 * i));
  return ad;
}

// At an explicit offset, not util/file.h's WriteAll at the file's own: a
// chunk whose write failed part-way must not shift where the next one goes
// (chunk_end_ says where each chunk is).
bool PwriteAll(int fd, const uint8_t* p, size_t n, uint64_t at) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, p, n, static_cast<off_t>(at));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
    at += static_cast<uint64_t>(w);
  }
  return true;
}

bool PreadAll(int fd, uint8_t* p, size_t n, uint64_t at) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, n, static_cast<off_t>(at));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    at += static_cast<uint64_t>(r);
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<SealedScratch>> SealedScratch::Create(const std::string& dir,
                                                             size_t record_size) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Random(kKeySize));
#ifdef O_TMPFILE
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#else
  const int fd = -1;
  errno = EOPNOTSUPP;
#endif
  if (fd < 0) {
    return IoError(std::string("cannot make an unnamed scratch file beside the store: ") +
                   std::strerror(errno));
  }
  return std::unique_ptr<SealedScratch>(new SealedScratch(fd, std::move(key), record_size));
}

SealedScratch::SealedScratch(int fd, SecretBytes key, size_t record_size)
    : fd_(fd), key_(std::move(key)), record_size_(record_size) {
  pending_.reserve(record_size_ == 0 ? kVariableChunkBytes : record_size_ * kRecordsPerChunk);
}

SealedScratch::~SealedScratch() { ::close(fd_); }

Status SealedScratch::Append(const void* record) {
  if (record_size_ == 0) return Internal("a scratch record of its own size needs its size");
  const auto* p = static_cast<const uint8_t*>(record);
  pending_.insert(pending_.end(), p, p + record_size_);
  ++records_;
  ++pending_records_;
  if (pending_.size() >= record_size_ * kRecordsPerChunk) return Flush();
  return Status::Ok();
}

Status SealedScratch::Append(const void* record, size_t size) {
  if (record_size_ != 0) return Internal("scratch records have a fixed size");
  if (size > UINT32_MAX) return Internal("scratch record too large");
  const auto* p = static_cast<const uint8_t*>(record);
  for (int i = 0; i < 4; ++i) pending_.push_back(static_cast<uint8_t>(size >> (8 * i)));
  pending_.insert(pending_.end(), p, p + size);
  ++records_;
  ++pending_records_;
  if (pending_.size() >= kVariableChunkBytes) return Flush();
  return Status::Ok();
}

Result<size_t> SealedScratch::EndSegment() {
  SSPF_RETURN_IF_ERROR(Flush());
  return chunk_end_.size();
}

Status SealedScratch::Flush() {
  if (pending_.empty()) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(Bytes sealed, AeadSeal(key_, pending_.data(), pending_.size(),
                                               ChunkAd(chunk_end_.size())));
  const uint64_t at = chunk_end_.empty() ? 0 : chunk_end_.back();
  if (!PwriteAll(fd_, sealed.data(), sealed.size(), at)) {
    const int err = errno;
    // This chunk's records are dropped; the chunks sealed before stay
    // readable.
    records_ -= pending_records_;
    pending_records_ = 0;
    pending_.clear();
    return IoError(std::string("cannot write the scratch file: ") + std::strerror(err));
  }
  chunk_end_.push_back(at + sealed.size());
  pending_.clear();
  pending_records_ = 0;
  return Status::Ok();
}

Status SealedScratch::OpenChunk(size_t chunk, std::vector<uint8_t>* sealed, PlainText* plain) {
  const uint64_t at = chunk == 0 ? 0 : chunk_end_[chunk - 1];
  sealed->resize(static_cast<size_t>(chunk_end_[chunk] - at));
  errno = 0;
  if (!PreadAll(fd_, sealed->data(), sealed->size(), at)) {
    return IoError(std::string("cannot read the scratch file: ") +
                   (errno ? std::strerror(errno) : "it is shorter than written"));
  }
  Result<SecureBuffer> opened = AeadOpen(key_, *sealed, ChunkAd(chunk));
  if (!opened.ok() || (record_size_ != 0 && opened->size() % record_size_ != 0)) {
    return IntegrityViolation(
        "the scratch file was changed while the check ran (another process wrote to it)");
  }
  *plain = std::move(*opened);
  return Status::Ok();
}

Status SealedScratch::ForEach(
    const std::function<Status(const uint8_t* records, size_t count)>& fn) {
  if (record_size_ == 0) return Internal("records of their own size are read by segment");
  SSPF_RETURN_IF_ERROR(Flush());
  Bytes sealed;
  SecureBuffer plain;
  for (size_t chunk = 0; chunk < chunk_end_.size(); ++chunk) {
    SSPF_RETURN_IF_ERROR(OpenChunk(chunk, &sealed, &plain));
    SSPF_RETURN_IF_ERROR(fn(plain.data(), plain.size() / record_size_));
  }
  return Status::Ok();
}

Status SealedScratch::ForEachRecord(
    size_t first, size_t end, const std::function<Status(const uint8_t* record, size_t size)>& fn) {
  if (record_size_ != 0) return Internal("fixed-size records are read by ForEach");
  if (first > end || end > chunk_end_.size()) return Internal("no such scratch segment");
  Bytes sealed;
  SecureBuffer plain;
  for (size_t chunk = first; chunk < end; ++chunk) {
    SSPF_RETURN_IF_ERROR(OpenChunk(chunk, &sealed, &plain));
    size_t at = 0;
    while (at < plain.size()) {
      if (plain.size() - at < 4) return Internal("scratch chunk ends inside a record's length");
      size_t n = 0;
      for (int i = 0; i < 4; ++i) n |= static_cast<size_t>(plain.data()[at + i]) << (8 * i);
      at += 4;
      if (plain.size() - at < n) return Internal("scratch chunk ends inside a record");
      SSPF_RETURN_IF_ERROR(fn(plain.data() + at, n));
      at += n;
    }
  }
  return Status::Ok();
}

}  // namespace sspf::internal
