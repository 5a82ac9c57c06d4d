#include "core/tlog/signed_note.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/util/encoding.h"
#include "core/util/sha256.h"

namespace ledger::core {
namespace {

constexpr uint8_t kAlgEd25519 = 0x01;
constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 and a space
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Status CheckName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("key name: empty");
  for (char c : name) {
    if (c == ' ' || c == '+' || c == '\n' || static_cast<unsigned char>(c) < 0x20) {
      return Status::InvalidArgument("key name \"" + std::string(name) +
                                     "\": no spaces, '+' or control characters");
    }
  }
  return Status::OK();
}

uint32_t KeyId(std::string_view name, const PublicKey& key) {
  std::string input(name);
  input.push_back('\n');
  input.push_back(static_cast<char>(kAlgEd25519));
  input.append(reinterpret_cast<const char*>(key.data()), key.size());
  Hash h = Sha256Of(input);
  return uint32_t{h[0]} << 24 | uint32_t{h[1]} << 16 | uint32_t{h[2]} << 8 | h[3];
}

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// name "+" hex8 "+" base64(0x01 key:32) -> its parts, checked.
Status ParseKey(std::string_view text, std::string* name, uint32_t* id,
                std::array<uint8_t, 32>* key) {
  size_t a = text.find('+'), b = text.find('+', a == text.npos ? a : a + 1);
  if (a == text.npos || b == text.npos) {
    return Status::InvalidArgument("key: expected name+keyid+key");
  }
  *name = std::string(text.substr(0, a));
  LEDGER_RETURN_IF_ERROR(CheckName(*name));
  std::string_view hex = text.substr(a + 1, b - a - 1);
  auto idbytes = HexDecode(hex);
  if (hex.size() != 8 || !idbytes.ok()) return Status::InvalidArgument("key: bad key id");
  *id = uint32_t(uint8_t((*idbytes)[0])) << 24 | uint32_t(uint8_t((*idbytes)[1])) << 16 |
        uint32_t(uint8_t((*idbytes)[2])) << 8 | uint8_t((*idbytes)[3]);
  auto data = Base64Decode(text.substr(b + 1));
  if (!data.ok()) return data.status().WithContext("key data");
  if (data->size() != 33 || uint8_t((*data)[0]) != kAlgEd25519) {
    return Status::InvalidArgument("key: not an Ed25519 key (algorithm byte 0x01, 32 bytes)");
  }
  std::copy(data->begin() + 1, data->end(), key->begin());
  return Status::OK();
}

std::string EncodeKey(std::string_view name, uint32_t id, const std::array<uint8_t, 32>& key) {
  std::string data(1, static_cast<char>(kAlgEd25519));
  data.append(reinterpret_cast<const char*>(key.data()), key.size());
  return std::string(name) + "+" + Hex8(id) + "+" + Base64Encode(data);
}

Result<PublicKey> PublicFromSeed(const std::array<uint8_t, 32>& seed) {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!pkey) return Status::InvalidArgument("Ed25519: bad private key");
  PublicKey pub;
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &len) != 1 || len != 32) {
    return Status::InvalidArgument("Ed25519: cannot derive the public key");
  }
  return pub;
}

Result<std::string> ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

Result<NoteVerifier> NoteVerifier::Parse(std::string_view verifier_key) {
  NoteVerifier v;
  uint32_t id = 0;
  LEDGER_RETURN_IF_ERROR(ParseKey(verifier_key, &v.name_, &id, &v.public_key_));
  v.key_id_ = KeyId(v.name_, v.public_key_);
  if (id != v.key_id_) {
    return Status::InvalidArgument("verifier key: key id " + Hex8(id) +
                                   " does not match the name and key (" + Hex8(v.key_id_) + ")");
  }
  return v;
}

std::string NoteVerifier::VerifierKey() const { return EncodeKey(name_, key_id_, public_key_); }

Result<std::string> NoteVerifier::Open(std::string_view note) const {
  size_t split = note.rfind("\n\n");
  if (split == note.npos) return Status::Corruption("signed note: no blank line before signatures");
  std::string_view text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return Status::Corruption("signed note: signatures must end with a newline");
  }
  bool found = false;
  while (!sigs.empty()) {
    size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (!line.starts_with(kDash)) {
      return Status::Corruption("signed note: a signature line must start with \"— \"");
    }
    line.remove_prefix(kDash.size());
    size_t space = line.rfind(' ');
    if (space == line.npos) return Status::Corruption("signed note: malformed signature line");
    std::string_view name = line.substr(0, space);
    auto blob = Base64Decode(line.substr(space + 1));
    if (!blob.ok() || blob->size() < 5) {
      return Status::Corruption("signed note: malformed signature of " + std::string(name));
    }
    uint32_t id = uint32_t(uint8_t((*blob)[0])) << 24 | uint32_t(uint8_t((*blob)[1])) << 16 |
                  uint32_t(uint8_t((*blob)[2])) << 8 | uint8_t((*blob)[3]);
    if (name != name_ || id != key_id_) continue;  // another signer (a witness): skip
    if (blob->size() != 4 + 64) {
      return Status::Corruption("signed note: an Ed25519 signature has 64 bytes");
    }
    Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key_.data(),
                                          public_key_.size()));
    MdCtx ctx(EVP_MD_CTX_new());
    if (!pkey || !ctx ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
      return Status::Corruption("signed note: cannot set up Ed25519 verification");
    }
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const uint8_t*>(blob->data() + 4), 64,
                         reinterpret_cast<const uint8_t*>(text.data()), text.size()) != 1) {
      return Status::Corruption("signed note: the signature by " + name_ + " (key " +
                                Hex8(key_id_) + ") does not verify: the text was changed");
    }
    found = true;
  }
  if (!found) {
    return Status::Corruption("signed note: no signature by " + name_ + " (key " + Hex8(key_id_) +
                              ")");
  }
  return std::string(text);
}

Result<NoteSigner> NoteSigner::Generate(std::string name) {
  LEDGER_RETURN_IF_ERROR(CheckName(name));
  NoteSigner s;
  if (RAND_priv_bytes(s.seed_.data(), static_cast<int>(s.seed_.size())) != 1) {
    return Status::IOError("no randomness for a new key");
  }
  auto pub = PublicFromSeed(s.seed_);
  if (!pub.ok()) return pub.status();
  s.verifier_.name_ = std::move(name);
  s.verifier_.public_key_ = *pub;
  s.verifier_.key_id_ = KeyId(s.verifier_.name_, *pub);
  return s;
}

Result<NoteSigner> NoteSigner::Parse(std::string_view signer_key) {
  if (!signer_key.starts_with(kPrivatePrefix)) {
    return Status::InvalidArgument("signer key: must start with PRIVATE+KEY+");
  }
  NoteSigner s;
  uint32_t id = 0;
  LEDGER_RETURN_IF_ERROR(
      ParseKey(signer_key.substr(kPrivatePrefix.size()), &s.verifier_.name_, &id, &s.seed_));
  auto pub = PublicFromSeed(s.seed_);
  if (!pub.ok()) return pub.status();
  s.verifier_.public_key_ = *pub;
  s.verifier_.key_id_ = KeyId(s.verifier_.name_, *pub);
  if (id != s.verifier_.key_id_) {
    return Status::InvalidArgument("signer key: key id does not match the name and key");
  }
  return s;
}

std::string NoteSigner::SignerKey() const {
  return std::string(kPrivatePrefix) + EncodeKey(name(), verifier_.key_id_, seed_);
}

Result<std::string> NoteSigner::Sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n') {
    return Status::InvalidArgument("note text: must be non-empty and end with a newline");
  }
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed_.data(), seed_.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  std::array<uint8_t, 64> sig{};
  size_t len = sig.size();
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const uint8_t*>(text.data()),
                     text.size()) != 1 ||
      len != 64) {
    return Status::IOError("Ed25519 signing failed");
  }
  std::string blob;
  uint32_t id = verifier_.key_id_;
  for (int s = 24; s >= 0; s -= 8) blob.push_back(static_cast<char>(id >> s));
  blob.append(reinterpret_cast<const char*>(sig.data()), sig.size());
  std::string note(text);
  note += "\n";
  note += kDash;
  note += name() + " " + Base64Encode(blob) + "\n";
  return note;
}

std::string SignerKeyPath(const std::string& dir) {
  return (std::filesystem::path(dir) / "signing.key").string();
}
std::string VerifierKeyPath(const std::string& dir) {
  return (std::filesystem::path(dir) / "signing.pub").string();
}

Status WriteKeyFiles(const std::string& dir, const NoteSigner& signer) {
  const std::string secret = SignerKeyPath(dir), pub = VerifierKeyPath(dir);
  // O_EXCL and 0600 from the start: the secret is never readable by others,
  // and an existing key is never overwritten.
  int fd = ::open(secret.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::InvalidArgument("a signing key already exists: " + secret);
    return Status::IOError("cannot create " + secret);
  }
  std::string text = signer.SignerKey() + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::IOError("cannot write " + secret);
  std::ofstream out(pub, std::ios::trunc);
  out << signer.verifier().VerifierKey() << "\n";
  out.close();
  if (!out) return Status::IOError("cannot write " + pub);
  return Status::OK();
}

Result<NoteSigner> ReadSignerKeyFile(const std::string& dir) {
  const std::string path = SignerKeyPath(dir);
  if (!std::filesystem::exists(path)) {
    return Status::NotFound("the ledger in " + dir + " has no signing key (" + path +
                            "); make one with `ledger key --create`");
  }
  auto line = ReadFirstLine(path);
  if (!line.ok()) return line.status();
  auto s = NoteSigner::Parse(*line);
  if (!s.ok()) return s.status().WithContext(path);
  return s;
}

Result<NoteVerifier> ReadVerifierKeyFile(const std::string& path) {
  auto line = ReadFirstLine(path);
  if (!line.ok()) return line.status();
  auto v = NoteVerifier::Parse(*line);
  if (!v.ok()) return v.status().WithContext(path);
  return v;
}

}  // namespace ledger::core
