// Copyright (c) libsspf authors.
#include "session/bench_access.h"

#include <utility>

#include "context/session_impl.h"
#include "log/audit_log.h"
#include "storage/db.h"

namespace sspf::internal::bench {

Result<uint64_t> LogSize(Session& s) { return internal::LogSize(Database(s)); }

Status AppendEntryReads(Session& s, uint64_t n, const std::function<EntryRef(uint64_t)>& pick) {
  Session::Impl* impl = SessionAccess::Get(s);
  for (uint64_t i = 0; i < n; ++i) {
    EntryRef r = pick(i);
    Session::Impl::EventArgs e;
    e.action = Action::kEntryRead;
    e.target = "entry:" + r.entry_id;
    e.allowed = true;
    e.reason = "author actor";
    e.basis = "author-actor";
    e.purpose = "control";
    e.case_id = std::move(r.case_id);
    e.subject_id = std::move(r.subject_id);
    SSPF_RETURN_IF_ERROR(impl->Log(e));
  }
  return Status::Ok();
}

Db* Database(Session& s) { return SessionAccess::Get(s)->db.get(); }

const Bytes& StoreIdBytes(Session& s) { return SessionAccess::Get(s)->store_id_bytes; }

const Bytes& AnchorPublicKey(Session& s) { return SessionAccess::Get(s)->anchor_public_key; }

Result<const SecretBytes*> ActorKey(Session& s, Actor actor, int64_t version) {
  return SessionAccess::Get(s)->ActorKey(actor, version);
}

}  // namespace sspf::internal::bench
