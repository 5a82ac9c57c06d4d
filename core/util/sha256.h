// SHA-256, the hash of the chain and of the Merkle tree, via OpenSSL.
//
// Sha256 is a reusable streaming context: not thread-safe, one per thread.
// The free functions use a thread-local context and are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ledger::core {

using Hash = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& Update(std::string_view bytes);
  Sha256& Update(const Hash& h) { return Update(AsBytes(h)); }
  // The digest of everything since the last Final(); resets the context.
  Hash Final();

  static std::string_view AsBytes(const Hash& h) {
    return {reinterpret_cast<const char*>(h.data()), h.size()};
  }

 private:
  // OpenSSL's SHA256_CTX, held in place (core/sha256.cc checks the size):
  // no allocation, and no OpenSSL header for the users of this one.
  alignas(8) unsigned char ctx_[112];
};

// SHA-256(a || b).
Hash Sha256Of(std::string_view a, std::string_view b = {});

// Lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes);
inline std::string ToHex(const Hash& h) { return ToHex(Sha256::AsBytes(h)); }
// The same into out[0, 2 * bytes.size()), without allocating.
void HexInto(std::string_view bytes, char* out);

}  // namespace ledger::core
