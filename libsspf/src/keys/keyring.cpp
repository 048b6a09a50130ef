#include "keys/keyring.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <sodium.h>
#include <sys/stat.h>
#include <iterator>

#include "util/file.h"

namespace sspf::internal {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'P', 'F', 'K', 'E', 'Y', 'R'};
// Version 3: root keys sealed to each principal's box key (key rekey), a
// data key beside the root key, and a generation.
constexpr uint8_t kVersion = 3;
// Entry plaintext: anchor public key (32) || flags (1) || [box secret key
// (32)] [signing secret key (64)] [authority secret key (64)] [root key (32)
// data key (32)].  An entry with a box key has its root keys in root_seal
// instead.
constexpr uint8_t kHasBox = 1, kHasSigning = 2, kHasAuthority = 4, kHasRoots = 8;
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
  if (version == 2) {
    return IntegrityViolation(
        "this keyring was written by a development build (keyring version 2) that "
        "cannot be rekeyed; create a new store with this version");
  }
  if (version != kVersion) return IntegrityViolation("unsupported keyring version");
  if (!r.Take(kStoreIdSize, &k.store_id_) || !r.U64(&k.generation_) ||
      !r.Take(kSignatureSize, &k.roots_signature_) || !r.U32(&count)) {
    return Malformed();
  }
  if (k.generation_ == 0 || count > kMaxEntries) return Malformed();
  for (uint32_t i = 0; i < count; ++i) {
    KeyringEntry e;
    uint8_t kind = 0;
    uint32_t sealed_len = 0, root_seal_len = 0;
    if (!r.Take(kTagSize, &e.tag) || !r.U8(&kind) || !r.U64(&e.opslimit) ||
        !r.U64(&e.memlimit) || !r.Take(kArgonSaltSize, &e.salt) ||
        !r.U32(&sealed_len) || sealed_len > kMaxSealed ||
        !r.Take(sealed_len, &e.sealed) || !r.U32(&root_seal_len) ||
        root_seal_len > kMaxSealed || !r.Take(root_seal_len, &e.root_seal)) {
      return Malformed();
    }
    if (kind < 1 || kind > 4) return Malformed();
    if (kind == static_cast<uint8_t>(WrapKind::kDisabled) &&
        (!e.sealed.empty() || !e.root_seal.empty())) {
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
  if (p.size() < kKeySize + 1) return Malformed();
  const uint8_t flags = b[kKeySize];
  const size_t want = kKeySize + 1 + ((flags & kHasBox) ? kKeySize : 0) +
                      ((flags & kHasSigning) ? kSignSk : 0) +
                      ((flags & kHasAuthority) ? kSignSk : 0) +
                      ((flags & kHasRoots) ? 2 * kKeySize : 0);
  // Exactly one place holds the root keys: the entry itself, or the seal to
  // its box key.
  const bool roots_inside = (flags & kHasRoots) != 0;
  if ((flags & ~(kHasBox | kHasSigning | kHasAuthority | kHasRoots)) != 0 ||
      p.size() != want || roots_inside == ((flags & kHasBox) != 0) ||
      roots_inside != it->root_seal.empty()) {
    return Malformed();
  }
  Unwrapped u;
  u.anchor_public_key.assign(b, b + kKeySize);
  size_t at = kKeySize + 1;
  auto take = [&](uint8_t flag, size_t n, SecretBytes* out) -> Status {
    if (!(flags & flag)) return Status::Ok();
    SSPF_ASSIGN_OR_RETURN(*out, SecretBytes::Copy(b + at, n));
    at += n;
    return Status::Ok();
  };
  SSPF_RETURN_IF_ERROR(take(kHasBox, kKeySize, &u.principal_secret_key));
  SSPF_RETURN_IF_ERROR(take(kHasSigning, kSignSk, &u.signing_secret_key));
  SSPF_RETURN_IF_ERROR(take(kHasAuthority, kSignSk, &u.authority_secret_key));
  SSPF_RETURN_IF_ERROR(take(kHasRoots, kKeySize, &u.root_key));
  if (roots_inside) {
    SSPF_ASSIGN_OR_RETURN(u.data_key, SecretBytes::Copy(b + at, kKeySize));
  } else {
    Bytes box_pk(kKeySize);
    crypto_scalarmult_base(box_pk.data(), u.principal_secret_key.data(InsecureSecretAccess::Get()));
    Result<SecretBytes> opened = SealOpen(box_pk, u.principal_secret_key, it->root_seal);
    if (!opened.ok()) {
      return IntegrityViolation("the keyring's root-key seal does not open with this "
                                "principal's key (keyring tampered with)");
    }
    const Bytes header = RootSealHeader(*it);
    const uint8_t* o = opened->data(InsecureSecretAccess::Get());
    if (opened->size() != header.size() + 2 * kKeySize ||
        sodium_memcmp(o, header.data(), header.size()) != 0) {
      return IntegrityViolation("the keyring's root-key seal belongs to another entry or "
                                "generation (keyring tampered with)");
    }
    SSPF_ASSIGN_OR_RETURN(u.root_key, SecretBytes::Copy(o + header.size(), kKeySize));
    SSPF_ASSIGN_OR_RETURN(u.data_key,
                          SecretBytes::Copy(o + header.size() + kKeySize, kKeySize));
  }
  // The whole file is authenticated: other entries cannot be swapped in.
  SSPF_RETURN_IF_ERROR(Verify(u.root_key));
  // And the root keys are the ones the store authority gave out.
  if (!VerifyDetached(u.anchor_public_key, RootsMessage(u.root_key, u.data_key),
                      roots_signature_)) {
    return IntegrityViolation("the keyring's root keys are not signed by this principal's "
                              "trust anchor (keyring tampered with)");
  }
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

Bytes Keyring::RootSealHeader(const KeyringEntry& e) const {
  return AdBuilder()
      .Add("sspf-keyring-roots-v1")
      .Add(store_id_)
      .AddU64(generation_)
      .Add(e.tag)
      .bytes();
}

Bytes Keyring::RootsMessage(const SecretBytes& root_key, const SecretBytes& data_key) const {
  Bytes keys(2 * kKeySize);
  std::memcpy(keys.data(), root_key.data(InsecureSecretAccess::Get()), kKeySize);
  std::memcpy(keys.data() + kKeySize, data_key.data(InsecureSecretAccess::Get()), kKeySize);
  Bytes digest = Hash256(keys.data(), keys.size());
  SecureWipe(keys.data(), keys.size());
  return AdBuilder()
      .Add("sspf-keyring-roots-signature-v1")
      .Add(store_id_)
      .AddU64(generation_)
      .Add(digest)
      .bytes();
}

namespace {

Status CheckRoots(const RootSecrets& roots) {
  if (!roots.root_key || !roots.data_key || roots.root_key->size() != kKeySize ||
      roots.data_key->size() != kKeySize) {
    return Internal("root keys missing or of the wrong size");
  }
  return Status::Ok();
}

}  // namespace

Status Keyring::Put(const Bytes& tag, WrapKind kind, const SecretBytes& secret,
                    const PassphraseCost& cost, const RootSecrets& roots,
                    const EntrySecrets& secrets) {
  SSPF_RETURN_IF_ERROR(CheckRoots(roots));
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
  const bool roots_inside = secrets.box_secret_key == nullptr;
  const struct {
    uint8_t flag;
    const SecretBytes* key;
    size_t size;
  } parts[] = {{kHasBox, secrets.box_secret_key, kKeySize},
               {kHasSigning, secrets.signing_secret_key, kSignSk},
               {kHasAuthority, secrets.authority_secret_key, kSignSk},
               {kHasRoots, roots_inside ? roots.root_key : nullptr, kKeySize},
               {0, roots_inside ? roots.data_key : nullptr, kKeySize}};
  uint8_t flags = 0;
  size_t n = kKeySize + 1;
  for (const auto& part : parts) {
    if (!part.key) continue;
    if (part.key->size() != part.size) return Internal("a wrapped key has the wrong size");
    flags |= part.flag;
    n += part.size;
  }
  SSPF_ASSIGN_OR_RETURN(SecretBytes plain, SecretBytes::Allocate(n));
  uint8_t* out = plain.data(InsecureSecretAccess::Get());
  std::memcpy(out, secrets.anchor_public_key.data(), kKeySize);
  out[kKeySize] = flags;
  size_t at = kKeySize + 1;
  for (const auto& part : parts) {
    if (!part.key) continue;
    std::memcpy(out + at, part.key->data(InsecureSecretAccess::Get()), part.size);
    at += part.size;
  }
  SSPF_ASSIGN_OR_RETURN(e.sealed, AeadSeal(kek, plain.data(InsecureSecretAccess::Get()),
                                           plain.size(), EntryAd(e)));
  Remove(tag);
  entries_.push_back(std::move(e));
  if (!roots_inside) {
    Bytes box_pk(kKeySize);
    crypto_scalarmult_base(box_pk.data(),
                           secrets.box_secret_key->data(InsecureSecretAccess::Get()));
    return ResealRoots(tag, box_pk, roots);
  }
  return Status::Ok();
}

Status Keyring::SignRoots(const SecretBytes& authority_secret_key,
                          const RootSecrets& roots) {
  SSPF_RETURN_IF_ERROR(CheckRoots(roots));
  SSPF_ASSIGN_OR_RETURN(roots_signature_,
                        SignDetached(authority_secret_key,
                                     RootsMessage(*roots.root_key, *roots.data_key)));
  return Status::Ok();
}

Status Keyring::ResealRoots(const Bytes& tag, const Bytes& box_public_key,
                            const RootSecrets& roots) {
  SSPF_RETURN_IF_ERROR(CheckRoots(roots));
  if (box_public_key.size() != kKeySize) return Internal("box public key of the wrong size");
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const KeyringEntry& e) {
    return e.tag == tag && e.kind != WrapKind::kDisabled && e.kind != WrapKind::kRecovery;
  });
  if (it == entries_.end()) return NotFound("no keyring entry for this principal");
  const Bytes header = RootSealHeader(*it);
  SSPF_ASSIGN_OR_RETURN(SecretBytes msg, SecretBytes::Allocate(header.size() + 2 * kKeySize));
  uint8_t* m = msg.data(InsecureSecretAccess::Get());
  std::memcpy(m, header.data(), header.size());
  std::memcpy(m + header.size(), roots.root_key->data(InsecureSecretAccess::Get()), kKeySize);
  std::memcpy(m + header.size() + kKeySize, roots.data_key->data(InsecureSecretAccess::Get()),
              kKeySize);
  it->root_seal = SealTo(box_public_key, m, msg.size());
  return Status::Ok();
}

void Keyring::DropEntriesWithRootsInside() {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [](const KeyringEntry& e) {
                                  return e.kind != WrapKind::kDisabled && e.root_seal.empty();
                                }),
                 entries_.end());
}

std::vector<Bytes> Keyring::PrincipalTags() const {
  std::vector<Bytes> tags;
  for (const KeyringEntry& e : entries_) {
    if (!e.root_seal.empty()) tags.push_back(e.tag);
  }
  return tags;
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
  PutU64(out, generation_);
  if (roots_signature_.size() != kSignatureSize) return Internal("the root keys are not signed");
  out.insert(out.end(), roots_signature_.begin(), roots_signature_.end());
  PutU32(out, static_cast<uint32_t>(entries_.size()));
  for (const KeyringEntry& e : entries_) {
    out.insert(out.end(), e.tag.begin(), e.tag.end());
    out.push_back(static_cast<uint8_t>(e.kind));
    PutU64(out, e.opslimit);
    PutU64(out, e.memlimit);
    out.insert(out.end(), e.salt.begin(), e.salt.end());
    PutU32(out, static_cast<uint32_t>(e.sealed.size()));
    out.insert(out.end(), e.sealed.begin(), e.sealed.end());
    PutU32(out, static_cast<uint32_t>(e.root_seal.size()));
    out.insert(out.end(), e.root_seal.begin(), e.root_seal.end());
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

std::string NextKeyringPath(const std::string& store_path) {
  return store_path + ".keyring.next";
}

Result<std::optional<Keyring>> LoadNextKeyring(const std::string& store_path) {
  Result<Keyring> k = Keyring::Load(NextKeyringPath(store_path));
  if (!k.ok()) {
    if (k.status().code() == StatusCode::kNotFound) return std::optional<Keyring>();
    return k.status();
  }
  return std::optional<Keyring>(std::move(k).value());
}

Status RefuseWhilePendingRekey(const std::string& store_path) {
  struct stat st;
  if (::lstat(NextKeyringPath(store_path).c_str(), &st) == 0) {
    return FailedPrecondition(
        "a key rekey is unfinished; close every session of this store and open it again "
        "(any principal) to finish it, then retry");
  }
  return Status::Ok();
}

}  // namespace sspf::internal
