#include "session/unlock_failures.h"
#include "storage/principals_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "log/audit_log.h"
#include "log/checkpoint.h"
#include "sspf/civil_time.h"
#include "keys/keyring.h"

namespace sspf::internal {
namespace {

std::string FailuresPath(const std::string& store_path) {
  return store_path + ".unlock-failures";
}

struct Failure {
  UnixSeconds when = 0;
  Bytes tag;
};

}  // namespace

void RecordUnlockFailure(const std::string& store_path, UnixSeconds when, const Bytes& tag) {
  std::string line = "1 " + std::to_string(when) + " " + HexEncode(tag) + "\n";
  int fd = ::open(FailuresPath(store_path).c_str(),
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return;
  // One write() of a short line with O_APPEND: concurrent writers do not
  // interleave within a line.
  ssize_t n = ::write(fd, line.data(), line.size());
  (void)n;
  ::fsync(fd);
  ::close(fd);
}

Status IngestUnlockFailures(Session::Impl* impl) {
  const std::string path = FailuresPath(impl->options.path);
  // Take the file out of the way first, so attempts made meanwhile go to a
  // new file and are not lost.
  const std::string taken = path + ".ingest." + RandomId();
  if (::rename(path.c_str(), taken.c_str()) != 0) return Status::Ok();  // none pending

  std::vector<Failure> failures;
  size_t dropped = 0;
  {
    std::ifstream in(taken);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      int version = 0;
      long long when = 0;
      std::string hex;
      if (!(ls >> version >> when >> hex) || version != 1 || hex.size() != 64 ||
          failures.size() >= kMaxUnlockFailuresIngested) {
        ++dropped;  // a malformed line is counted, not trusted
        continue;
      }
      Result<Bytes> tag = HexDecode(hex);
      if (!tag.ok()) {
        ++dropped;
        continue;
      }
      Failure f;
      f.when = static_cast<UnixSeconds>(when);
      f.tag = std::move(tag).value();
      failures.push_back(std::move(f));
    }
  }

  // Who was tried: the keyring tag of each principal's name.
  std::map<Bytes, PrincipalInfo> by_tag;
  {
    SSPF_ASSIGN_OR_RETURN(std::vector<PrincipalRow> rows, AllPrincipals(impl->db.get()));
    for (PrincipalRow& r : rows) {
      by_tag.emplace(Keyring::PrincipalTag(impl->store_id_bytes, r.info.name), r.info);
    }
  }

  Status s = [&]() -> Status {
    SSPF_ASSIGN_OR_RETURN(Session::Impl::Scope scope, impl->Begin());
    uint64_t size = 0;
    auto append = [&](EventRecord e) -> Status {
      // Signed by the principal whose unlock writes it into the log.
      SSPF_RETURN_IF_ERROR(AppendEvent(impl->db.get(), &e, impl->EventSigner()));
      size = e.seq + 1;
      return Status::Ok();
    };
    for (const Failure& f : failures) {
      EventRecord e;
      // Written now (event times never go backwards: other sessions may
      // have logged since the attempt); the attempt's time is in the reason.
      e.time = impl->Now();
      e.action = Action::kUnlock;
      e.allowed = false;
      e.basis = "recorded-outside-the-log";
      auto it = by_tag.find(f.tag);
      if (it != by_tag.end()) {
        e.principal_id = it->second.id;
        e.actor = it->second.actor;
        e.role = it->second.role;
        e.target = "principal:" + it->second.id;
        e.reason = it->second.active ? "failed unlock: wrong passphrase or key"
                                     : "failed unlock: principal disabled";
      } else {
        // No such principal.  The event needs an actor and role: the
        // coordination function's member values mark "nobody".
        e.principal_id = "unknown";
        e.actor = Actor::kCoordination;
        e.role = Role::kMember;
        e.target = "principal:?";
        e.reason = "failed unlock: no such principal, or wrong passphrase";
      }
      e.reason += " (attempt at " + FormatRfc3339(f.when) + ")";
      SSPF_RETURN_IF_ERROR(append(std::move(e)));
    }
    if (dropped > 0) {
      EventRecord e;
      e.time = impl->Now();
      e.principal_id = impl->me.id;
      e.actor = impl->me.actor;
      e.role = impl->me.role;
      e.action = Action::kUnlock;
      e.allowed = false;
      e.target = "principal:?";
      e.reason = std::to_string(dropped) +
                 " further failed-unlock records were malformed or over the limit";
      e.basis = "recorded-outside-the-log";
      SSPF_RETURN_IF_ERROR(append(std::move(e)));
    }
    if (size > 0) SSPF_RETURN_IF_ERROR(MaybeAutoCheckpoint(impl->db.get(), impl->Signer(), impl->Now(), size));
    return scope.Commit();
  }();
  if (!s.ok()) {
    // Put the records back for the next unlock.
    std::ifstream in(taken, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
      std::string data = all.str();
      ssize_t n = ::write(fd, data.data(), data.size());
      (void)n;
      ::close(fd);
    }
  }
  ::unlink(taken.c_str());
  return s;
}

}  // namespace sspf::internal
