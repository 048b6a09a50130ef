// The operation runner: the one path every Session operation takes
// (DESIGN §3).  It opens the operation's transaction (or joins the open
// batch), re-reads the principal, gathers the facts, calls Decide, and then
// either logs and commits the denial, or runs the body and logs the allowed
// event exactly once.
//
// An allowed operation whose body fails keeps its decision in the log and
// nothing else: the body's writes are rolled back to a savepoint and the
// event is appended with "; failed: <status code>" added to its reason and
// no replay detail.  A body that fails with kPermissionDenied or
// kConsentRequired (a key that was never delivered, say) is logged as a
// denial with the body's message as the reason.
#ifndef SSPF_SRC_CONTEXT_OPERATION_H_
#define SSPF_SRC_CONTEXT_OPERATION_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "context/session_impl.h"
#include "policy/policy.h"

namespace sspf::internal {

// What an operation is, before its facts are known.
struct OpSpec {
  OpSpec(Operation o, Action a, std::string t = {})
      : op(o), action(a), target(std::move(t)) {}
  Operation op;
  Action action;
  // The event's target; "case:<case_id>" when empty and case_id is set.
  std::string target;
  // A case operation: the case's facts (team, grant, open) are loaded
  // before the decision; kNotFound (not logged) when there is no such case.
  std::string case_id;
  std::string subject_id;
  std::string purpose;
  // Principal and key changes and audit commands run in a transaction of
  // their own: inside a batch they fail with this message.
  const char* refused_in_batch = nullptr;
};

// One operation in progress, as the facts function and the body see it.
struct __attribute__((visibility("hidden"))) Op {
  Session::Impl* impl = nullptr;
  AccessRequest request;
  Decision decision;
  // The event that will record the decision.  The body sets its target and
  // replay detail and may add to its reason or change its basis.
  Session::Impl::EventArgs event;
  bool case_open = false;  // case operations
  // Set by the body for a side effect outside the database that must happen
  // only once the event is in the log (the keyring): it runs after the
  // append and before the commit; its failure rolls back everything.
  std::function<Status()> after_log;
};

// Loads the facts of case case_id into op (request: team, grant; event:
// case and subject ids, target "case:<id>" unless one is set; case_open),
// for a facts function that learns the case from another row (an entry, a
// consent).  kNotFound if there is no such case.
Status LoadCase(Op& op, std::string_view case_id);

using OpFacts = std::function<Status(Op&)>;
using OpBody = std::function<Status(Op&)>;

// Runs one operation.  facts (may be empty) adds to op.request what the
// decision needs beyond the principal and case facts; its errors return
// before anything is decided or logged (e.g. kNotFound for an unknown id).
Status RunOperation(Session::Impl* impl, const OpSpec& spec, const OpFacts& facts,
                    const OpBody& body);

// The same for a body that returns a value.
template <typename T, typename Body>
Result<T> RunOperationFor(Session::Impl* impl, const OpSpec& spec, const OpFacts& facts,
                          Body&& body) {
  std::optional<T> out;
  Status s = RunOperation(impl, spec, facts, [&](Op& op) -> Status {
    Result<T> r = body(op);
    if (!r.ok()) return r.status();
    out.emplace(std::move(r).value());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

// An AccessRequest filled with the session principal's facts.
AccessRequest RequestFor(const Session::Impl* impl, Operation op);

// Re-reads whether the session's principal is still active (inside the
// operation's transaction); a principal disabled while its session is open
// is denied from the next operation on, and its cached actor keys go.
Status RefreshPrincipal(Session::Impl* impl);

// Facts about one case for the calling principal.  kNotFound if there is no
// such case; ids are random 128-bit values, so that reveals nothing.
Status LoadCaseFacts(Session::Impl* impl, std::string_view case_id, std::string* subject_id,
                     bool* open, bool* on_team, bool* has_grant);

}  // namespace sspf::internal

#endif  // SSPF_SRC_CONTEXT_OPERATION_H_
