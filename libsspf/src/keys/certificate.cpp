#include "keys/certificate.h"

namespace sspf::internal {
namespace {

constexpr char kPrincipalLabel[] = "sspf-principal-cert-v1";
constexpr char kActorKeyLabel[] = "sspf-actor-key-cert-v1";
constexpr char kOversightKeyLabel[] = "sspf-oversight-key-cert-v1";
constexpr size_t kMaxField = 1024;

// Reads the AdBuilder encoding: 8-byte big-endian length, then the bytes.
class FieldReader {
 public:
  explicit FieldReader(const Bytes& b) : b_(b) {}
  bool U64(uint64_t* v) {
    if (b_.size() - pos_ < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v = *v << 8 | b_[pos_++];
    return true;
  }
  bool Field(Bytes* out) {
    uint64_t n = 0;
    if (!U64(&n) || n > kMaxField || b_.size() - pos_ < n) return false;
    out->assign(b_.begin() + pos_, b_.begin() + pos_ + n);
    pos_ += n;
    return true;
  }
  bool Text(std::string* out) {
    Bytes b;
    if (!Field(&b)) return false;
    out->assign(b.begin(), b.end());
    return true;
  }
  bool Done() const { return pos_ == b_.size(); }

 private:
  const Bytes& b_;
  size_t pos_ = 0;
};

Status Bad(const char* what) {
  return IntegrityViolation(std::string("malformed certificate (") + what + ")");
}

}  // namespace

Bytes EncodePrincipalCert(const PrincipalCert& c) {
  return AdBuilder()
      .Add(kPrincipalLabel)
      .Add(c.store_id)
      .Add(c.principal_id)
      .Add(c.name)
      .AddU64(static_cast<uint64_t>(c.actor))
      .AddU64(static_cast<uint64_t>(c.role))
      .AddU64(c.active ? 1 : 0)
      .Add(c.box_public_key)
      .Add(c.sign_public_key)
      .AddU64(c.version)
      .bytes();
}

Bytes EncodeActorKeyCert(const ActorKeyCert& c) {
  return AdBuilder()
      .Add(kActorKeyLabel)
      .Add(c.store_id)
      .AddU64(static_cast<uint64_t>(c.actor))
      .AddU64(c.version)
      .Add(c.public_key)
      .bytes();
}

Bytes EncodeOversightKeyCert(const OversightKeyCert& c) {
  return AdBuilder()
      .Add(kOversightKeyLabel)
      .Add(c.store_id)
      .AddU64(c.version)
      .Add(c.public_key)
      .bytes();
}

Result<PrincipalCert> DecodePrincipalCert(const Bytes& body) {
  FieldReader r(body);
  std::string label;
  PrincipalCert c;
  uint64_t actor = 0, role = 0, active = 0;
  if (!r.Text(&label) || label != kPrincipalLabel) return Bad("label");
  if (!r.Field(&c.store_id) || !r.Text(&c.principal_id) || !r.Text(&c.name) ||
      !r.U64(&actor) || !r.U64(&role) || !r.U64(&active) || !r.Field(&c.box_public_key) ||
      !r.Field(&c.sign_public_key) || !r.U64(&c.version) || !r.Done()) {
    return Bad("fields");
  }
  if (actor > 255 || !ParseActor(ActorName(static_cast<Actor>(actor)))) return Bad("actor");
  if (role > 255 || !ParseRole(RoleName(static_cast<Role>(role)))) return Bad("role");
  if (active > 1) return Bad("status");
  if (c.box_public_key.size() != kBoxPublicKeySize ||
      c.sign_public_key.size() != kSignPublicKeySize) {
    return Bad("key size");
  }
  c.actor = static_cast<Actor>(actor);
  c.role = static_cast<Role>(role);
  c.active = active == 1;
  return c;
}

Result<ActorKeyCert> DecodeActorKeyCert(const Bytes& body) {
  FieldReader r(body);
  std::string label;
  ActorKeyCert c;
  uint64_t actor = 0;
  if (!r.Text(&label) || label != kActorKeyLabel) return Bad("label");
  if (!r.Field(&c.store_id) || !r.U64(&actor) || !r.U64(&c.version) ||
      !r.Field(&c.public_key) || !r.Done()) {
    return Bad("fields");
  }
  if (actor > 255 || !ParseActor(ActorName(static_cast<Actor>(actor)))) return Bad("actor");
  if (c.public_key.size() != kBoxPublicKeySize) return Bad("key size");
  c.actor = static_cast<Actor>(actor);
  return c;
}

Result<OversightKeyCert> DecodeOversightKeyCert(const Bytes& body) {
  FieldReader r(body);
  std::string label;
  OversightKeyCert c;
  if (!r.Text(&label) || label != kOversightKeyLabel) return Bad("label");
  if (!r.Field(&c.store_id) || !r.U64(&c.version) || !r.Field(&c.public_key) || !r.Done()) {
    return Bad("fields");
  }
  if (c.public_key.size() != kBoxPublicKeySize) return Bad("key size");
  return c;
}

Result<Bytes> SignCert(const SecretBytes& authority_secret_key, const Bytes& body) {
  return SignDetached(authority_secret_key, body);
}

Status CheckCertSignature(const Bytes& anchor_public_key, const Bytes& body, const Bytes& sig) {
  if (!VerifyDetached(anchor_public_key, body, sig)) {
    return IntegrityViolation("certificate not signed by the store authority");
  }
  return Status::Ok();
}

}  // namespace sspf::internal
