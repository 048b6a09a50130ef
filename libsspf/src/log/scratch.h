// A sealed scratch file for a check that has more state than its memory
// budget (the replay check's facts and table rows of later partitions,
// replay.cpp): records appended, then read back in order as often as
// needed.  Records are of one fixed size, or (record_size 0) each of its
// own size, read back by segments: the chunks sealed between two calls of
// EndSegment.
//
// The file has no name (O_TMPFILE in the store's directory): nothing is
// left behind by a crash, and no other process can open it by a path.  Each
// chunk of records is sealed with XChaCha20-Poly1305 under a key that lives
// only in this process, with the chunk's number as associated data, and the
// chunks' sizes are kept in memory: what is on disk tells nothing (not even
// the event numbers the records hold), and a chunk changed, swapped, cut or
// dropped by another process while the check runs fails the read.
#ifndef SSPF_SRC_LOG_SCRATCH_H_
#define SSPF_SRC_LOG_SCRATCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sspf/secret.h"
#include "sspf/status.h"

namespace sspf::internal {

class SealedScratch {
 public:
  // records of record_size bytes, sealed 4096 to a chunk; record_size 0:
  // records of any size (Append with a size), sealed about 16 KiB to a
  // chunk, never one split over two.  kIoError when
  // dir cannot hold an unnamed file (no O_TMPFILE on its file system, no
  // write permission); callers then do without.
  static Result<std::unique_ptr<SealedScratch>> Create(const std::string& dir,
                                                       size_t record_size);
  ~SealedScratch();  // closes the file; having no name, its space is freed
  SealedScratch(const SealedScratch&) = delete;
  SealedScratch& operator=(const SealedScratch&) = delete;

  // Appends one record (record_size bytes).  kIoError when the file system
  // refuses (full): the records so far stay readable.
  Status Append(const void* record);
  // One record of size bytes (a file made with record_size 0).
  Status Append(const void* record, size_t size);

  // Seals the records appended so far into a chunk of their own; returns
  // the number of chunks, the end of the segment just written and the
  // start of the next.
  Result<size_t> EndSegment();

  // The records of the chunks [first, end) (a file made with record_size
  // 0), each as its bytes.  Errors as ForEach.
  Status ForEachRecord(size_t first, size_t end,
                       const std::function<Status(const uint8_t* record, size_t size)>& fn);

  // The records appended, in order: fn gets them a chunk at a time (count
  // records of record_size bytes).  kIntegrityViolation when a chunk on
  // disk is not the one written; kIoError when it cannot be read.
  Status ForEach(const std::function<Status(const uint8_t* records, size_t count)>& fn);

  uint64_t records() const { return records_; }

 private:
  SealedScratch(int fd, SecretBytes key, size_t record_size);
  Status Flush();
  Status OpenChunk(size_t chunk, std::vector<uint8_t>* sealed, PlainText* plain);

  int fd_;
  SecretBytes key_;
  size_t record_size_;  // 0: records of their own size, each after its length
  std::vector<uint8_t> pending_;     // records not yet sealed
  std::vector<uint64_t> chunk_end_;  // end offset of each sealed chunk
  uint64_t records_ = 0;
  uint64_t pending_records_ = 0;  // of records_, not yet sealed
};

}  // namespace sspf::internal

#endif  // SSPF_SRC_LOG_SCRATCH_H_
