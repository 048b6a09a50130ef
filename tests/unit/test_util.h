// Shared fixtures for the unit tests: temporary directories, a movable
// clock, fast passphrase costs.
#ifndef SSPF_TESTS_TEST_UTIL_H_
#define SSPF_TESTS_TEST_UTIL_H_

#include <atomic>
#include <memory>
#include <string>

#include "sspf/store.h"

namespace sspf::testing {

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A clock the test moves by hand.
class FakeClock : public Clock {
 public:
  explicit FakeClock(UnixSeconds start = 1795000000) : now_(start) {}  // 2026-11
  UnixSeconds Now() const override { return now_.load(); }
  void Set(UnixSeconds t) { now_.store(t); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

SecretBytes Secret(const std::string& s);
Credential Pass(const std::string& s);

// Options for a store in dir with a fake clock and INTERACTIVE Argon2id cost.
StoreOptions TestOptions(const TempDir& dir, std::shared_ptr<FakeClock> clock);

// The first column of the first row of sql as an integer (-1 when there is
// no row), read on the session's own connection: for white-box checks.
int64_t QueryInt(Session& s, const std::string& sql);

// Reads a whole file (empty if absent).
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);

// A consent of `party` to share school records between school and social
// for 90 days from `now` (the store clock's now), purpose code sspf-meeting.
ConsentInput SchoolSocialConsent(const std::string& case_id, ConsentParty party,
                                 UnixSeconds now);
// A consent of `party` to share school records between school and police
// until `until`, purpose code "planning".
ConsentInput SchoolPoliceConsent(const std::string& case_id, ConsentParty party, Date until);

}  // namespace sspf::testing

#endif  // SSPF_TESTS_TEST_UTIL_H_
