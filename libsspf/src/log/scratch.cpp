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
  if (record_size == 0) return Internal("scratch records must have a size");
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
  pending_.reserve(record_size_ * kRecordsPerChunk);
}

SealedScratch::~SealedScratch() { ::close(fd_); }

Status SealedScratch::Append(const void* record) {
  const auto* p = static_cast<const uint8_t*>(record);
  pending_.insert(pending_.end(), p, p + record_size_);
  ++records_;
  if (pending_.size() >= record_size_ * kRecordsPerChunk) return Flush();
  return Status::Ok();
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
    records_ -= pending_.size() / record_size_;
    pending_.clear();
    return IoError(std::string("cannot write the scratch file: ") + std::strerror(err));
  }
  chunk_end_.push_back(at + sealed.size());
  pending_.clear();
  return Status::Ok();
}

Status SealedScratch::ForEach(
    const std::function<Status(const uint8_t* records, size_t count)>& fn) {
  SSPF_RETURN_IF_ERROR(Flush());
  Bytes sealed;
  uint64_t at = 0;
  for (size_t chunk = 0; chunk < chunk_end_.size(); ++chunk) {
    sealed.resize(static_cast<size_t>(chunk_end_[chunk] - at));
    errno = 0;
    if (!PreadAll(fd_, sealed.data(), sealed.size(), at)) {
      return IoError(std::string("cannot read the scratch file: ") +
                     (errno ? std::strerror(errno) : "it is shorter than written"));
    }
    Result<SecureBuffer> plain = AeadOpen(key_, sealed, ChunkAd(chunk));
    if (!plain.ok() || plain->size() % record_size_ != 0) {
      return IntegrityViolation(
          "the scratch file was changed while the check ran (another process wrote to it)");
    }
    SSPF_RETURN_IF_ERROR(fn(plain->data(), plain->size() / record_size_));
    at = chunk_end_[chunk];
  }
  return Status::Ok();
}

}  // namespace sspf::internal
