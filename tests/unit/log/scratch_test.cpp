// log/scratch: the sealed scratch file of the replay check.  Records come
// back in order and intact; the file has no name; what is on disk is not
// the records; and another process that writes to the open file (through
// /proc/<pid>/fd, the only way in) makes the read fail instead of feeding
// the check altered records.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "catch.h"
#include "log/scratch.h"
#include "test_util.h"

using namespace sspf;
using namespace sspf::internal;
using sspf::testing::TempDir;

namespace {

struct Record {
  uint64_t a, b, c;
};

Record RecordOf(uint64_t i) { return Record{i, i * 0x9e3779b97f4a7c15ULL, ~i}; }

// Appends n records, the i-th RecordOf(i).
std::unique_ptr<SealedScratch> Filled(const TempDir& dir, uint64_t n) {
  Result<std::unique_ptr<SealedScratch>> s = SealedScratch::Create(dir.path(), sizeof(Record));
  REQUIRE(s.ok());
  for (uint64_t i = 0; i < n; ++i) {
    const Record r = RecordOf(i);
    REQUIRE((*s)->Append(&r).ok());
  }
  return std::move(*s);
}

// Every record read back, in order.
Result<std::vector<Record>> ReadBack(SealedScratch* s) {
  std::vector<Record> out;
  Status st = s->ForEach([&](const uint8_t* records, size_t count) -> Status {
    for (size_t i = 0; i < count; ++i) {
      Record r;
      std::memcpy(&r, records + i * sizeof(Record), sizeof(Record));
      out.push_back(r);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

// The scratch file as another process of the same user reaches it: the
// unnamed file open in this process, found through /proc/self/fd.
std::string OpenUnnamedFileIn(const std::string& dir) {
  const std::string real = std::filesystem::canonical(dir).string();
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind(real + "/#", 0) == 0) return fd.path().string();
  }
  return "";
}

std::string FileBytes(const std::string& path) {
  std::string out;
  const int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

void Overwrite(const std::string& path, uint64_t at, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(at)) ==
          static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

}  // namespace

TEST_CASE("records come back in order, as often as asked", "[log][scratch]") {
  TempDir dir;
  const uint64_t n = 3 * 4096 + 17;  // three full chunks and a partial one
  std::unique_ptr<SealedScratch> s = Filled(dir, n);
  CHECK(s->records() == n);
  for (int round = 0; round < 2; ++round) {
    Result<std::vector<Record>> back = ReadBack(s.get());
    REQUIRE(back.ok());
    REQUIRE(back->size() == n);
    bool same = true;
    for (uint64_t i = 0; i < n; ++i) {
      const Record want = RecordOf(i);
      same = same && std::memcmp(&(*back)[i], &want, sizeof want) == 0;
    }
    CHECK(same);
  }
  // Appending after a read goes on after the last record.
  const Record extra = RecordOf(n);
  REQUIRE(s->Append(&extra).ok());
  Result<std::vector<Record>> back = ReadBack(s.get());
  REQUIRE(back.ok());
  CHECK(back->size() == n + 1);
  CHECK(back->back().a == n);
}

TEST_CASE("the scratch file has no name and holds no record in the clear",
          "[log][scratch]") {
  TempDir dir;
  std::unique_ptr<SealedScratch> s = Filled(dir, 5000);
  REQUIRE(ReadBack(s.get()).ok());  // everything written out
  CHECK(std::filesystem::is_empty(dir.path()));
  const std::string file = OpenUnnamedFileIn(dir.path());
  REQUIRE_FALSE(file.empty());
  const std::string bytes = FileBytes(file);
  CHECK(bytes.size() > 5000 * sizeof(Record));
  const Record r = RecordOf(1234);
  CHECK(bytes.find(std::string(reinterpret_cast<const char*>(&r), sizeof r)) ==
        std::string::npos);
  const uint64_t seq = 4321;  // a record's first field alone
  CHECK(bytes.find(std::string(reinterpret_cast<const char*>(&seq), sizeof seq)) ==
        std::string::npos);
  s.reset();  // closed: the space goes with it
  CHECK(OpenUnnamedFileIn(dir.path()).empty());
}

TEST_CASE("a scratch file written by another process fails the read",
          "[log][scratch][tamper]") {
  TempDir dir;
  const uint64_t n = 3 * 4096;
  std::unique_ptr<SealedScratch> s = Filled(dir, n);
  REQUIRE(ReadBack(s.get()).ok());
  const std::string file = OpenUnnamedFileIn(dir.path());
  REQUIRE_FALSE(file.empty());
  const std::string original = FileBytes(file);
  const size_t chunk = original.size() / 3;  // three full chunks of one size

  SECTION("one bit flipped") {
    std::string b(1, static_cast<char>(original[chunk + 100] ^ 0x01));
    Overwrite(file, chunk + 100, b);
    Result<std::vector<Record>> back = ReadBack(s.get());
    REQUIRE_FALSE(back.ok());
    CHECK(back.status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("two chunks swapped") {
    Overwrite(file, 0, original.substr(chunk, chunk));
    Overwrite(file, chunk, original.substr(0, chunk));
    Result<std::vector<Record>> back = ReadBack(s.get());
    REQUIRE_FALSE(back.ok());
    CHECK(back.status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("a chunk of another scratch file put in") {
    // A second file's first chunk has the same number and length, but
    // another key: it does not open here either.
    TempDir other;
    std::unique_ptr<SealedScratch> t = Filled(other, n);
    REQUIRE(ReadBack(t.get()).ok());
    const std::string theirs = FileBytes(OpenUnnamedFileIn(other.path()));
    Overwrite(file, 0, theirs.substr(0, chunk));
    Result<std::vector<Record>> back = ReadBack(s.get());
    REQUIRE_FALSE(back.ok());
    CHECK(back.status().code() == StatusCode::kIntegrityViolation);
  }
  SECTION("the file cut short") {
    const int fd = ::open(file.c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, static_cast<off_t>(2 * chunk + 10)) == 0);
    ::close(fd);
    Result<std::vector<Record>> back = ReadBack(s.get());
    REQUIRE_FALSE(back.ok());
    CHECK(back.status().code() == StatusCode::kIoError);
  }
}

TEST_CASE("a directory that cannot hold the scratch file is an I/O error",
          "[log][scratch]") {
  TempDir dir;
  Result<std::unique_ptr<SealedScratch>> s =
      SealedScratch::Create(dir.File("missing"), sizeof(Record));
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kIoError);
  CHECK(s.status().message().find("scratch file") != std::string::npos);
}

namespace {

// The i-th record of its own size: i bytes of the value i.
std::string VariableRecord(size_t i) { return std::string(i % 700, static_cast<char>(i)); }

// The records of chunks [first, end), as strings.
Result<std::vector<std::string>> ReadSegment(SealedScratch* s, size_t first, size_t end) {
  std::vector<std::string> out;
  Status st = s->ForEachRecord(first, end, [&](const uint8_t* p, size_t n) -> Status {
    out.emplace_back(reinterpret_cast<const char*>(p), n);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace

TEST_CASE("records of their own size come back by segment", "[log][scratch]") {
  TempDir dir;
  Result<std::unique_ptr<SealedScratch>> made = SealedScratch::Create(dir.path(), 0);
  REQUIRE(made.ok());
  SealedScratch* s = made->get();
  // Three segments: many chunks, none (no record), and one short chunk.
  for (size_t i = 0; i < 300; ++i) {
    const std::string r = VariableRecord(i);
    REQUIRE(s->Append(r.data(), r.size()).ok());
  }
  Result<size_t> first_end = s->EndSegment();
  REQUIRE(first_end.ok());
  CHECK(*first_end > 2);  // about 100 KiB in chunks of about 16 KiB
  Result<size_t> empty_end = s->EndSegment();
  REQUIRE(empty_end.ok());
  CHECK(*empty_end == *first_end);
  const std::string last = "the last record";
  REQUIRE(s->Append(last.data(), last.size()).ok());
  REQUIRE(s->Append("", 0).ok());  // an empty record is a record
  Result<size_t> third_end = s->EndSegment();
  REQUIRE(third_end.ok());
  CHECK(*third_end == *first_end + 1);
  CHECK(s->records() == 302);

  Result<std::vector<std::string>> first = ReadSegment(s, 0, *first_end);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 300);
  bool same = true;
  for (size_t i = 0; i < 300; ++i) same = same && (*first)[i] == VariableRecord(i);
  CHECK(same);
  Result<std::vector<std::string>> none = ReadSegment(s, *first_end, *empty_end);
  REQUIRE(none.ok());
  CHECK(none->empty());
  Result<std::vector<std::string>> third = ReadSegment(s, *empty_end, *third_end);
  REQUIRE(third.ok());
  CHECK(*third == std::vector<std::string>{last, ""});
  // A segment past the end, and fixed-size reading of such a file, are
  // refused.
  CHECK(ReadSegment(s, 0, *third_end + 1).status().code() == StatusCode::kInternal);
  CHECK(s->ForEach([](const uint8_t*, size_t) { return Status::Ok(); }).code() ==
        StatusCode::kInternal);
  const uint64_t fixed = 1;
  CHECK(s->Append(&fixed).code() == StatusCode::kInternal);
}

TEST_CASE("a segment of records written by another process fails the read",
          "[log][scratch][tamper]") {
  TempDir dir;
  Result<std::unique_ptr<SealedScratch>> made = SealedScratch::Create(dir.path(), 0);
  REQUIRE(made.ok());
  SealedScratch* s = made->get();
  const std::string secret = "a kept row of the subjects table";
  for (int i = 0; i < 3; ++i) REQUIRE(s->Append(secret.data(), secret.size()).ok());
  Result<size_t> end = s->EndSegment();
  REQUIRE(end.ok());
  REQUIRE(*end == 1);
  const std::string file = OpenUnnamedFileIn(dir.path());
  REQUIRE_FALSE(file.empty());
  const std::string bytes = FileBytes(file);
  CHECK(bytes.find("subjects") == std::string::npos);  // sealed, not in the clear
  std::string flipped(1, static_cast<char>(bytes[bytes.size() / 2] ^ 0x80));
  Overwrite(file, bytes.size() / 2, flipped);
  Result<std::vector<std::string>> back = ReadSegment(s, 0, *end);
  REQUIRE_FALSE(back.ok());
  CHECK(back.status().code() == StatusCode::kIntegrityViolation);
}
