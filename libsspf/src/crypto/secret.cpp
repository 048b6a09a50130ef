#include "sspf/secret.h"

#include <sodium.h>

#include <cstring>
#include <mutex>

#include "crypto/sodium_init.h"

namespace sspf {
namespace internal {

Status EnsureSodium() {
  static std::once_flag once;
  static int result = -1;
  std::call_once(once, [] { result = sodium_init(); });
  // sodium_init returns 0 on first success, 1 if already initialised.
  if (result < 0) return Internal("libsodium failed to initialise");
  return Status::Ok();
}

}  // namespace internal

Result<SecretBytes> SecretBytes::Allocate(size_t size) {
  SSPF_RETURN_IF_ERROR(internal::EnsureSodium());
  SecretBytes s;
  if (size == 0) return s;
  void* p = sodium_malloc(size);
  if (p == nullptr) return Internal("cannot allocate guarded memory");
  std::memset(p, 0, size);
  s.data_ = static_cast<uint8_t*>(p);
  s.size_ = size;
  return s;
}

Result<SecretBytes> SecretBytes::Copy(const uint8_t* data, size_t size) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes s, Allocate(size));
  if (size > 0) std::memcpy(s.data_, data, size);
  return s;
}

Result<SecretBytes> SecretBytes::Random(size_t size) {
  SSPF_ASSIGN_OR_RETURN(SecretBytes s, Allocate(size));
  if (size > 0) randombytes_buf(s.data_, size);
  return s;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  if (data_ != nullptr) sodium_free(data_);  // zeroes before unmapping
}

bool SecretBytes::Equals(const SecretBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

}  // namespace sspf
