// libFuzzer target for what is made of a stored event row: the columns of
// the events table are insider-controlled input, and libsspf never decodes
// a leaf, it re-encodes the leaf from the row (EncodeLeaf) and hashes it.
// Input: 8 bytes seq, 8 bytes time, actor, role, 2 bytes action, allowed,
// then principal id, target, reason, basis, purpose, case id, subject id
// and detail separated by 0x00.  The leaf encoding, the time-order check,
// the replay check's parse of the detail and the event's JSON (export,
// query) must all return, whatever the bytes (out-of-range enums, invalid
// UTF-8, huge times); the leaf is a pure function of the row.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "audit/audit_internal.h"
#include "log/audit_log.h"
#include "log/replay.h"
#include "sspf/json.h"

namespace {

uint64_t U64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sspf;
  using namespace sspf::internal;
  constexpr size_t kFixed = 8 + 8 + 1 + 1 + 2 + 1;
  if (size < kFixed) return 0;
  EventRecord e;
  e.seq = U64(data);
  e.time = static_cast<UnixSeconds>(U64(data + 8));
  e.actor = static_cast<Actor>(data[16]);
  e.role = static_cast<Role>(data[17]);
  e.action = static_cast<Action>(static_cast<uint16_t>(data[18] << 8 | data[19]));
  e.allowed = data[20] != 0;
  std::string* fields[] = {&e.principal_id, &e.target,  &e.reason,     &e.basis,
                           &e.purpose,      &e.case_id, &e.subject_id, &e.detail};
  size_t f = 0;
  for (size_t i = kFixed; i < size; ++i) {
    if (data[i] == 0 && f + 1 < std::size(fields)) {
      ++f;
    } else {
      fields[f]->push_back(static_cast<char>(data[i]));
    }
  }
  const Bytes leaf = EncodeLeaf(e);
  if (leaf.empty() || EncodeLeaf(e) != leaf) std::abort();
  const Hash h = LeafHash(leaf.data(), leaf.size());
  if (LeafHash(leaf.data(), leaf.size()) != h) std::abort();
  const EventTime before{e.seq == 0 ? 0 : e.seq - 1, e.time};
  if (!CheckEventTimeOrder(before, e).ok()) std::abort();  // equal times are in order
  Status order = CheckEventTimeOrder(EventTime{0, e.time == INT64_MAX ? e.time : e.time + 1}, e);
  if (!order.ok() && order.code() != StatusCode::kIntegrityViolation) std::abort();
  Status detail = CheckReplayDetail(e.action, e.detail);
  if (!detail.ok() && detail.code() != StatusCode::kInvalidArgument &&
      detail.code() != StatusCode::kIntegrityViolation) {
    std::abort();
  }
  const AuditEvent a = audit::EventOfRow(e);
  if (a.leaf != leaf) std::abort();
  const std::string json = EventJson(a);
  if (!nlohmann::json::accept(json)) std::abort();
  return 0;
}
