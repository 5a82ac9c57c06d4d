#include "core/util/sha256.h"

// The low-level SHA256_* functions, deprecated in OpenSSL 3 in favour of EVP,
// run the same SHA-NI block code without EVP's dispatch: with a reused
// EVP_MD_CTX, Update and Final go through the provider and the re-init after
// Final allocates and frees, a large share of what hashing a Merkle node
// costs (docs/benchmarks.md); verify hashes three times per record.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace ledger::core {
namespace {

SHA256_CTX* Ctx(unsigned char* bytes) { return reinterpret_cast<SHA256_CTX*>(bytes); }

}  // namespace

Sha256::Sha256() {
  static_assert(sizeof(SHA256_CTX) <= sizeof(ctx_) && alignof(SHA256_CTX) <= 8);
  SHA256_Init(Ctx(ctx_));
}

Sha256& Sha256::Update(std::string_view bytes) {
  SHA256_Update(Ctx(ctx_), bytes.data(), bytes.size());
  return *this;
}

Hash Sha256::Final() {
  Hash h;
  SHA256_Final(h.data(), Ctx(ctx_));
  SHA256_Init(Ctx(ctx_));
  return h;
}

Hash Sha256Of(std::string_view a, std::string_view b) {
  thread_local Sha256 sha;
  return sha.Update(a).Update(b).Final();
}

void HexInto(std::string_view bytes, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<uint8_t>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 15];
  }
}

std::string ToHex(std::string_view bytes) {
  std::string out(bytes.size() * 2, '0');
  HexInto(bytes, out.data());
  return out;
}

}  // namespace ledger::core
