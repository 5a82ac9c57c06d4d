#include "core/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace ledger::core {
namespace {

// Fetched once: EVP_sha256() per call would look the algorithm up each time.
const EVP_MD* Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex2(ctx_, Md(), nullptr) != 1) std::abort();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256& Sha256::Update(std::string_view bytes) {
  EVP_DigestUpdate(ctx_, bytes.data(), bytes.size());
  return *this;
}

Hash Sha256::Final() {
  Hash h;
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, h.data(), &len);
  EVP_DigestInit_ex2(ctx_, nullptr, nullptr);
  return h;
}

Hash Sha256Of(std::string_view a, std::string_view b) {
  thread_local Sha256 sha;
  return sha.Update(a).Update(b).Final();
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<uint8_t>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 15];
  }
  return out;
}

}  // namespace ledger::core
