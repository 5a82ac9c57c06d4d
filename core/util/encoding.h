// Text encodings of bytes used by the auditor formats (checkpoints, proofs,
// bundles): standard base64 with padding (RFC 4648 section 4) and lower-case
// hex; big-endian integers for records and keys. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/sha256.h"
#include "events/status.h"

namespace ledger::core {

std::string Base64Encode(std::string_view bytes);
// Strict: padding required, no whitespace. InvalidArgument naming the
// offending character otherwise.
Result<std::string> Base64Decode(std::string_view text);

// Lower-case hex to bytes (the one canonical spelling, so that an altered
// byte never decodes to the same value); InvalidArgument on odd length or
// any other character.
Result<std::string> HexDecode(std::string_view text);
// HexDecode of `text` (even length) into text.size() / 2 bytes at `out`.
Status HexDecodeInto(std::string_view text, uint8_t* out);
// 64 hex digits or 44 base64 characters to a hash.
Result<Hash> HashFromHex(std::string_view text);
Result<Hash> HashFromBase64(std::string_view text);

// Big-endian fixed-width integers, for records and keys.
void PutBigEndian64(uint64_t v, std::string* out);
uint64_t GetBigEndian64(const char* p);

}  // namespace ledger::core
