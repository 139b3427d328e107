// Cryptography, all through libsodium: hashing, random tokens, argon2id
// passwords and authenticated encryption of personal data at rest.
// Every function is thread-safe. InitCrypto() must run once before use
// (SecretBox and the random functions check it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield {

void InitCrypto();

// Lower-case hex SHA-256.
std::string Sha256Hex(std::string_view data);
// `bytes` random bytes as unpadded base64url (43 chars for 32 bytes).
std::string RandomToken(size_t bytes);
std::uint64_t RandomU64();
// A request's id: 16 unpredictable base64url characters, like RandomToken(12),
// but from ChaCha20 under a random key of the calling thread with a counter,
// so that the per-request path makes no system call.
std::string RequestId();
// A password that meets the policy, for temporary passwords.
std::string RandomPassword();

// Standard base64 with padding (RFC 4648 §4), e.g. for file attachments in JSON.
std::string Base64Encode(std::string_view bytes);
// kInvalidArgument if `text` is not padded standard base64 (whitespace is not allowed).
Result<std::string> Base64Decode(std::string_view text);

// argon2id (libsodium INTERACTIVE limits); returns the encoded string.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded, std::string_view password);

// Personal-data encryption (XChaCha20-Poly1305) with a 32-byte key that is
// kept outside the database. Ciphertext is text: "v1:" + base64(nonce|box).
class SecretBox {
 public:
  // kInvalidArgument unless `key_base64` decodes to 32 bytes.
  static Result<SecretBox> FromBase64Key(std::string_view key_base64);
  static std::string GenerateKeyBase64();

  std::string Encrypt(std::string_view plaintext) const;
  // kInvalidArgument if the text was not made with this key or was altered.
  Result<std::string> Decrypt(std::string_view ciphertext) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace redshield
