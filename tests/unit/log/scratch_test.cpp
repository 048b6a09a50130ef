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
