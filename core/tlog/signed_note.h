// Ed25519 keys and signed notes in the C2SP signed-note format
// (https://c2sp.org/signed-note), as used by Go's sumdb and every
// tlog-checkpoint witness; Ed25519 through OpenSSL.
//
// Grammar:
//
//   note         := text "\n" signature+
//   text         := one or more lines, each ending in "\n"; the note is split
//                   at its last blank line
//   signature    := "— " name " " base64(key_id:4 signature:64) "\n"
//                   ("—" is U+2014 EM DASH)
//   key_id       := the first 4 bytes of SHA-256(name "\n" 0x01 public_key:32)
//   verifier key := name "+" hex8(key_id) "+" base64(0x01 public_key:32)
//   signer key   := "PRIVATE+KEY+" name "+" hex8(key_id) "+" base64(0x01 seed:32)
//
// The signature covers `text` exactly. A note may carry signatures by other
// keys (witnesses); they are skipped. Names are non-empty and contain no
// space, "+" or newline.
//
// Values; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/status.h"

namespace ledger::core {

using PublicKey = std::array<uint8_t, 32>;

// Who checks notes: a name and an Ed25519 public key.
class NoteVerifier {
 public:
  // Parses a verifier key; InvalidArgument naming the part that is wrong
  // (including a key id that does not match the name and key).
  static Result<NoteVerifier> Parse(std::string_view verifier_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  std::string VerifierKey() const;

  // The text of `note` when it carries a valid signature by this key.
  // Corruption when the note is malformed, has no signature by this key, or
  // the signature does not verify.
  Result<std::string> Open(std::string_view note) const;

 private:
  friend class NoteSigner;
  std::string name_;
  PublicKey public_key_{};
  uint32_t key_id_ = 0;
};

// Who signs notes: a name and an Ed25519 private key. Keep the signer key
// text secret.
class NoteSigner {
 public:
  // A new random key (OpenSSL's CSPRNG). InvalidArgument for a bad name.
  static Result<NoteSigner> Generate(std::string name);
  // Parses a signer key ("PRIVATE+KEY+...").
  static Result<NoteSigner> Parse(std::string_view signer_key);

  const std::string& name() const { return verifier_.name(); }
  const NoteVerifier& verifier() const { return verifier_; }
  std::string SignerKey() const;

  // `text` (which must end in "\n") followed by a blank line and this key's
  // signature line.
  Result<std::string> Sign(std::string_view text) const;

 private:
  NoteVerifier verifier_;
  std::array<uint8_t, 32> seed_{};
};

// Key files of a ledger directory: DIR/signing.key (the signer key, mode
// 0600) and DIR/signing.pub (the verifier key, for auditors).
std::string SignerKeyPath(const std::string& dir);
std::string VerifierKeyPath(const std::string& dir);
// Writes both files; refuses (InvalidArgument) when a key already exists.
Status WriteKeyFiles(const std::string& dir, const NoteSigner& signer);
// NotFound (saying how to make one) when the ledger has no key.
Result<NoteSigner> ReadSignerKeyFile(const std::string& dir);
// Reads a verifier key from a file (its first line).
Result<NoteVerifier> ReadVerifierKeyFile(const std::string& path);

}  // namespace ledger::core
