#include "keys/keyring.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <sodium.h>
#include <iterator>

#include "util/file.h"

namespace sspf::internal {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'P', 'F', 'K', 'E', 'Y', 'R'};
// Version 2: entries pin the trust anchor and wrap the signing keys.
constexpr uint8_t kVersion = 2;
// Entry plaintext: root key (32) || anchor public key (32) || flags (1) ||
// [box secret key (32)] [signing secret key (64)] [authority secret key (64)].
constexpr uint8_t kHasBox = 1, kHasSigning = 2, kHasAuthority = 4;
constexpr size_t kSignSk = kSignSecretKeySize;
constexpr size_t kTagSize = 32;
constexpr size_t kMacSize = 32;
constexpr size_t kMaxEntries = 100000;
constexpr size_t kMaxSealed = 1024;
// Four times libsodium's SENSITIVE level.
constexpr uint64_t kMaxOpslimit = 16;
constexpr uint64_t kMaxMemlimit = uint64_t{4} << 30;

void PutU32(Bytes& b, uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutU64(Bytes& b, uint64_t v) {
  for (int i = 7; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

class Reader {
 public:
  explicit Reader(const Bytes& b) : b_(b) {}
  bool Take(size_t n, Bytes* out) {
    if (b_.size() - pos_ < n) return false;
    out->assign(b_.begin() + pos_, b_.begin() + pos_ + n);
    pos_ += n;
    return true;
  }
  bool U8(uint8_t* v) {
    if (pos_ >= b_.size()) return false;
    *v = b_[pos_++];
    return true;
  }
  bool U32(uint32_t* v) {
    if (b_.size() - pos_ < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) *v = *v << 8 | b_[pos_++];
    return true;
  }
  bool U64(uint64_t* v) {
    if (b_.size() - pos_ < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v = *v << 8 | b_[pos_++];
    return true;
  }
  size_t pos() const { return pos_; }
  size_t left() const { return b_.size() - pos_; }

 private:
  const Bytes& b_;
  size_t pos_ = 0;
};

Status Malformed() {
  return IntegrityViolation("keyring is corrupt or truncated");
}

Result<SecretBytes> MacKey(const SecretBytes& root_key) {
  return DeriveSubkey(root_key, 1, "keyring_");
}

}  // namespace

Keyring Keyring::New(Bytes store_id) {
  Keyring k;
  k.store_id_ = std::move(store_id);
  return k;
}

Bytes Keyring::PrincipalTag(const Bytes& store_id, std::string_view name) {
  Bytes in = AdBuilder().Add("sspf-principal-tag-v1").Add(store_id).Add(name).bytes();
  return Hash256(in.data(), in.size());
}

Bytes Keyring::RecoveryTag(const Bytes& store_id) {
  Bytes in = AdBuilder().Add("sspf-recovery-tag-v1").Add(store_id).bytes();
  return Hash256(in.data(), in.size());
}

Result<Keyring> Keyring::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return NotFound("keyring file is missing (expected beside the store)");
    return IoError("cannot read the keyring file");
  }
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return IoError("cannot read the keyring file");
  return Parse(data);
}

Result<Keyring> Keyring::Parse(const Bytes& data) {
  Reader r(data);
  Bytes magic;
  uint8_t version = 0;
  Keyring k;
  uint32_t count = 0;
  if (!r.Take(sizeof(kMagic), &magic) ||
      !std::equal(magic.begin(), magic.end(), kMagic)) {
    return IntegrityViolation("not an sspf keyring file");
  }
  if (!r.U8(&version)) return Malformed();
  if (version == 1) {
    return IntegrityViolation(
        "this keyring was written by libsspf 0.1 (keyring version 1), which had no trust "
        "anchor; create a new store with this version");
  }
  if (version != kVersion) return IntegrityViolation("unsupported keyring version");
  if (!r.Take(kStoreIdSize, &k.store_id_) || !r.U32(&count)) return Malformed();
  if (count > kMaxEntries) return Malformed();
  for (uint32_t i = 0; i < count; ++i) {
    KeyringEntry e;
    uint8_t kind = 0;
    uint32_t sealed_len = 0;
    if (!r.Take(kTagSize, &e.tag) || !r.U8(&kind) || !r.U64(&e.opslimit) ||
        !r.U64(&e.memlimit) || !r.Take(kArgonSaltSize, &e.salt) ||
        !r.U32(&sealed_len) || sealed_len > kMaxSealed ||
        !r.Take(sealed_len, &e.sealed)) {
      return Malformed();
    }
    if (kind < 1 || kind > 4) return Malformed();
    if (kind == static_cast<uint8_t>(WrapKind::kDisabled) && !e.sealed.empty()) {
      return Malformed();
    }
    // The cost comes from the file: cap it, or a doctored keyring could make
    // an unlock run Argon2id for hours or allocate terabytes.
    if (kind == static_cast<uint8_t>(WrapKind::kPassphrase) &&
        (e.opslimit < 1 || e.opslimit > kMaxOpslimit || e.memlimit < 8192 ||
         e.memlimit > kMaxMemlimit)) {
      return IntegrityViolation("keyring entry has an out-of-range Argon2id cost");
    }
    e.kind = static_cast<WrapKind>(kind);
    k.entries_.push_back(std::move(e));
  }
  size_t body_len = r.pos();
  if (!r.Take(kMacSize, &k.mac_) || r.left() != 0) return Malformed();
  k.body_.assign(data.begin(), data.begin() + body_len);
  return k;
}

Bytes Keyring::EntryAd(const KeyringEntry& e) const {
  return AdBuilder()
      .Add("sspf-keyring-entry-v1")
      .Add(store_id_)
      .Add(e.tag)
      .AddU64(static_cast<uint64_t>(e.kind))
      .AddU64(e.opslimit)
      .AddU64(e.memlimit)
      .Add(e.salt)
      .bytes();
}

Result<SecretBytes> Keyring::Kek(const KeyringEntry& e,
                                 const SecretBytes& secret) const {
  if (e.kind == WrapKind::kPassphrase) {
    KdfCost cost{e.opslimit, e.memlimit};
    return Argon2id(secret, e.salt, cost);
  }
  if (secret.size() != kKeySize) {
    return InvalidArgument("a raw key or recovery key must be 32 bytes");
  }
  // High-entropy keys need no stretching; bind to the salt and purpose.
  Bytes in = AdBuilder().Add("sspf-kek-v1").Add(e.salt).bytes();
  Bytes k = KeyedHash(secret, in.data(), in.size());
  Result<SecretBytes> out = SecretBytes::Copy(k.data(), k.size());
  SecureWipe(k.data(), k.size());
  return out;
}

Result<Unwrapped> Keyring::Unlock(const Bytes& tag, WrapKind kind,
                                  const SecretBytes& secret) const {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const KeyringEntry& e) { return e.tag == tag; });
  // An unknown name and a wrong passphrase look the same to the caller.
  if (it == entries_.end()) {
    if (kind == WrapKind::kPassphrase) {
      // Spend the same Argon2id time so that timing does not tell them apart.
      KeyringEntry dummy;
      dummy.kind = kind;
      PassphraseCost c = PassphraseCost::Moderate();
      dummy.opslimit = c.opslimit;
      dummy.memlimit = c.memlimit;
      dummy.salt = Bytes(kArgonSaltSize, 0);
      Kek(dummy, secret).status().IgnoreError();
    }
    return WrongKey("wrong passphrase or not an sspf store");
  }
  if (it->kind == WrapKind::kDisabled) {
    return PermissionDenied("denied: principal disabled (ask an admin)");
  }
  // A passphrase never opens a key entry or the reverse (the KEK derivation
  // differs, and a key must not be run through an entry's Argon2id cost).
  if (it->kind != kind) return WrongKey("wrong passphrase or not an sspf store");
  SSPF_ASSIGN_OR_RETURN(SecretBytes kek, Kek(*it, secret));
  Result<SecretBytes> plain = AeadOpenSecret(kek, it->sealed, EntryAd(*it));
  if (!plain.ok()) return WrongKey("wrong passphrase or not an sspf store");
  SecretBytes& p = plain.value();
  const uint8_t* b = p.data(InsecureSecretAccess::Get());
  if (p.size() < 2 * kKeySize + 1) return Malformed();
  const uint8_t flags = b[2 * kKeySize];
  const size_t want = 2 * kKeySize + 1 + ((flags & kHasBox) ? kKeySize : 0) +
                      ((flags & kHasSigning) ? kSignSk : 0) +
                      ((flags & kHasAuthority) ? kSignSk : 0);
  if ((flags & ~(kHasBox | kHasSigning | kHasAuthority)) != 0 || p.size() != want) {
    return Malformed();
  }
  Unwrapped u;
  SSPF_ASSIGN_OR_RETURN(u.root_key, SecretBytes::Copy(b, kKeySize));
  u.anchor_public_key.assign(b + kKeySize, b + 2 * kKeySize);
  size_t at = 2 * kKeySize + 1;
  auto take = [&](uint8_t flag, size_t n, SecretBytes* out) -> Status {
    if (!(flags & flag)) return Status::Ok();
    SSPF_ASSIGN_OR_RETURN(*out, SecretBytes::Copy(b + at, n));
    at += n;
    return Status::Ok();
  };
  SSPF_RETURN_IF_ERROR(take(kHasBox, kKeySize, &u.principal_secret_key));
  SSPF_RETURN_IF_ERROR(take(kHasSigning, kSignSk, &u.signing_secret_key));
  SSPF_RETURN_IF_ERROR(take(kHasAuthority, kSignSk, &u.authority_secret_key));
  // The whole file is authenticated: other entries cannot be swapped in.
  SSPF_RETURN_IF_ERROR(Verify(u.root_key));
  return u;
}

Status Keyring::Verify(const SecretBytes& root_key) const {
  SSPF_ASSIGN_OR_RETURN(SecretBytes mac_key, MacKey(root_key));
  Bytes mac = KeyedHash(mac_key, body_.data(), body_.size());
  if (mac_.size() != mac.size() ||
      sodium_memcmp(mac.data(), mac_.data(), mac.size()) != 0) {
    return IntegrityViolation("keyring has been tampered with (MAC mismatch)");
  }
  return Status::Ok();
}

Status Keyring::Put(const Bytes& tag, WrapKind kind, const SecretBytes& secret,
                    const PassphraseCost& cost, const SecretBytes& root_key,
                    const EntrySecrets& secrets) {
  KeyringEntry e;
  e.tag = tag;
  e.kind = kind;
  if (kind == WrapKind::kPassphrase) {
    PassphraseCost c = cost.opslimit == 0 ? PassphraseCost::Moderate() : cost;
    e.opslimit = c.opslimit;
    e.memlimit = c.memlimit;
    if (secret.empty()) return InvalidArgument("the passphrase is empty");
  }
  e.salt = RandomBytes(kArgonSaltSize);
  SSPF_ASSIGN_OR_RETURN(SecretBytes kek, Kek(e, secret));
  if (secrets.anchor_public_key.size() != kKeySize) return Internal("no trust anchor to pin");
  const struct {
    uint8_t flag;
    const SecretBytes* key;
    size_t size;
  } parts[] = {{kHasBox, secrets.box_secret_key, kKeySize},
               {kHasSigning, secrets.signing_secret_key, kSignSk},
               {kHasAuthority, secrets.authority_secret_key, kSignSk}};
  uint8_t flags = 0;
  size_t n = 2 * kKeySize + 1;
  for (const auto& part : parts) {
    if (!part.key) continue;
    if (part.key->size() != part.size) return Internal("a wrapped key has the wrong size");
    flags |= part.flag;
    n += part.size;
  }
  SSPF_ASSIGN_OR_RETURN(SecretBytes plain, SecretBytes::Allocate(n));
  uint8_t* out = plain.data(InsecureSecretAccess::Get());
  std::memcpy(out, root_key.data(InsecureSecretAccess::Get()), kKeySize);
  std::memcpy(out + kKeySize, secrets.anchor_public_key.data(), kKeySize);
  out[2 * kKeySize] = flags;
  size_t at = 2 * kKeySize + 1;
  for (const auto& part : parts) {
    if (!part.key) continue;
    std::memcpy(out + at, part.key->data(InsecureSecretAccess::Get()), part.size);
    at += part.size;
  }
  SSPF_ASSIGN_OR_RETURN(e.sealed, AeadSeal(kek, plain.data(InsecureSecretAccess::Get()),
                                           plain.size(), EntryAd(e)));
  Remove(tag);
  entries_.push_back(std::move(e));
  return Status::Ok();
}

void Keyring::Remove(const Bytes& tag) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const KeyringEntry& e) { return e.tag == tag; }),
                 entries_.end());
}

void Keyring::Disable(const Bytes& tag) {
  Remove(tag);
  KeyringEntry e;
  e.tag = tag;
  e.kind = WrapKind::kDisabled;
  e.salt = Bytes(kArgonSaltSize, 0);
  entries_.push_back(std::move(e));
}

bool Keyring::Has(const Bytes& tag) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const KeyringEntry& e) {
    return e.tag == tag && e.kind != WrapKind::kDisabled;
  });
}

Result<Bytes> Keyring::Serialize(const SecretBytes& root_key) const {
  Bytes out(kMagic, kMagic + sizeof(kMagic));
  out.push_back(kVersion);
  out.insert(out.end(), store_id_.begin(), store_id_.end());
  PutU32(out, static_cast<uint32_t>(entries_.size()));
  for (const KeyringEntry& e : entries_) {
    out.insert(out.end(), e.tag.begin(), e.tag.end());
    out.push_back(static_cast<uint8_t>(e.kind));
    PutU64(out, e.opslimit);
    PutU64(out, e.memlimit);
    out.insert(out.end(), e.salt.begin(), e.salt.end());
    PutU32(out, static_cast<uint32_t>(e.sealed.size()));
    out.insert(out.end(), e.sealed.begin(), e.sealed.end());
  }
  SSPF_ASSIGN_OR_RETURN(SecretBytes mac_key, MacKey(root_key));
  Bytes mac = KeyedHash(mac_key, out.data(), out.size());
  out.insert(out.end(), mac.begin(), mac.end());
  return out;
}

Status Keyring::Save(const std::string& path, const SecretBytes& root_key,
                     const std::function<Status()>& before_rename) const {
  SSPF_ASSIGN_OR_RETURN(Bytes data, Serialize(root_key));
  return AtomicWriteFile(path, std::string_view(reinterpret_cast<const char*>(data.data()),
                                               data.size()),
                         0600, "the keyring", before_rename);
}

}  // namespace sspf::internal
