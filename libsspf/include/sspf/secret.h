// Copyright (c) libsspf authors.
//
// SecretBytes: key material in guarded memory (sodium_malloc: guard pages,
// mlock, zeroed on release).  Move-only; never printed, never converted to
// std::string.  Raw access needs the searchable InsecureSecretAccess token.
//
// Thread-safety: a SecretBytes is a value; distinct objects may be used from
// distinct threads.  A single object needs external synchronisation.
#ifndef SSPF_SECRET_H_
#define SSPF_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/status.h"

namespace sspf {

// A token that marks every place that touches raw secret bytes, so that a
// review can grep for it (like Tink's InsecureSecretKeyAccess).
class InsecureSecretAccess {
 public:
  static InsecureSecretAccess Get() { return InsecureSecretAccess(); }

 private:
  InsecureSecretAccess() = default;
};

class SSPF_EXPORT SecretBytes {
 public:
  SecretBytes() = default;  // empty
  // Allocates size zero bytes in guarded memory.  Aborts (like operator new)
  // only if the process cannot allocate; see Allocate() for a Status.
  static Result<SecretBytes> Allocate(size_t size);
  // Copies bytes into guarded memory.  The caller should wipe its copy.
  static Result<SecretBytes> Copy(const uint8_t* data, size_t size);
  static Result<SecretBytes> Copy(std::string_view data) {
    return Copy(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  // Fresh random bytes.
  static Result<SecretBytes> Random(size_t size);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  uint8_t* data(InsecureSecretAccess) { return data_; }
  const uint8_t* data(InsecureSecretAccess) const { return data_; }
  std::string_view view(InsecureSecretAccess) const {
    return std::string_view(reinterpret_cast<const char*>(data_), size_);
  }

  // Constant-time comparison (sodium_memcmp).  Different sizes are unequal.
  bool Equals(const SecretBytes& other) const;

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Overwrites n bytes at p with zeros in a way the compiler cannot elide.
SSPF_EXPORT void SecureWipe(void* p, size_t n);

// An allocator that wipes memory before releasing it.  Decrypted records
// (entry bodies, names) are returned in PlainText so that they do not linger
// in freed heap memory.
template <typename T>
struct ZeroizingAllocator {
  using value_type = T;
  ZeroizingAllocator() = default;
  template <typename U>
  ZeroizingAllocator(const ZeroizingAllocator<U>&) {}  // NOLINT
  T* allocate(size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, size_t n) {
    SecureWipe(p, n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const ZeroizingAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const ZeroizingAllocator<U>&) const { return false; }
};

// Decrypted content.  Not NUL-terminated; use the size.
using PlainText = std::vector<uint8_t, ZeroizingAllocator<uint8_t>>;

}  // namespace sspf

#endif  // SSPF_SECRET_H_
