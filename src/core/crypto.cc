#include "core/crypto.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <vector>

#include "core/check.h"

namespace redshield {
namespace {

std::string ToBase64(const unsigned char* data, size_t len, int variant) {
  std::string out(sodium_base64_encoded_len(len, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, len, variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool FromBase64(std::string_view text, std::vector<unsigned char>& out, int variant) {
  out.resize(text.size());
  size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        variant) != 0) {
    return false;
  }
  out.resize(len);
  return true;
}

}  // namespace

void InitCrypto() { RS_CHECK(sodium_init() >= 0) << "libsodium failed to initialise"; }

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return ToBase64(buf.data(), buf.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::uint64_t RandomU64() {
  std::uint64_t value = 0;
  randombytes_buf(&value, sizeof value);
  return value;
}

std::string RequestId() {
  using Key = std::array<unsigned char, crypto_stream_chacha20_ietf_KEYBYTES>;
  thread_local const Key key = [] {
    Key k;
    randombytes_buf(k.data(), k.size());
    return k;
  }();
  thread_local std::uint64_t counter = 0;
  std::array<unsigned char, crypto_stream_chacha20_ietf_NONCEBYTES> nonce{};
  ++counter;
  std::memcpy(nonce.data(), &counter, sizeof counter);
  std::array<unsigned char, 12> bytes;
  crypto_stream_chacha20_ietf(bytes.data(), bytes.size(), nonce.data(), key.data());
  return ToBase64(bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string RandomPassword() {
  // 16 characters from four classes; no look-alikes (0/O, 1/l/I) so it can be read aloud.
  static constexpr std::string_view kClasses[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ",
                                                  "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=?"};
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    std::string_view set = kClasses[i % 4];
    out += set[randombytes_uniform(static_cast<std::uint32_t>(set.size()))];
  }
  // Shuffle so the class pattern is not fixed.
  for (size_t i = out.size() - 1; i > 0; --i) {
    std::swap(out[i], out[randombytes_uniform(static_cast<std::uint32_t>(i + 1))]);
  }
  return out;
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kUnavailable, "服务器内存不足，请稍后重试");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  std::string str(encoded);  // needs a NUL-terminated string
  return crypto_pwhash_str_verify(str.c_str(), password.data(), password.size()) == 0;
}

std::string Base64Encode(std::string_view bytes) {
  return ToBase64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                  sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> Base64Decode(std::string_view text) {
  std::vector<unsigned char> out;
  if (!FromBase64(text, out, sodium_base64_VARIANT_ORIGINAL)) {
    return Fail(ErrorCode::kInvalidArgument, "不是有效的 base64 编码");
  }
  return std::string(out.begin(), out.end());
}

Result<SecretBox> SecretBox::FromBase64Key(std::string_view key_base64) {
  std::vector<unsigned char> key;
  if (!FromBase64(key_base64, key, sodium_base64_VARIANT_ORIGINAL) ||
      key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return Fail(ErrorCode::kInvalidArgument, "数据加密密钥无效：应为 32 字节的 base64");
  }
  return SecretBox(std::string(key.begin(), key.end()));
}

std::string SecretBox::GenerateKeyBase64() {
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
  return ToBase64(key.data(), key.size(), sodium_base64_VARIANT_ORIGINAL);
}

std::string SecretBox::Encrypt(std::string_view plaintext) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::vector<unsigned char> buf(kNonce + plaintext.size() +
                                 crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(buf.data(), kNonce);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      buf.data() + kNonce, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), nullptr, 0, nullptr, buf.data(),
      reinterpret_cast<const unsigned char*>(key_.data()));
  return "v1:" + ToBase64(buf.data(), kNonce + len, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> SecretBox::Decrypt(std::string_view ciphertext) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::vector<unsigned char> buf;
  if (!ciphertext.starts_with("v1:") ||
      !FromBase64(ciphertext.substr(3), buf, sodium_base64_VARIANT_ORIGINAL) ||
      buf.size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Fail(ErrorCode::kInvalidArgument, "密文格式错误");
  }
  std::string plain(buf.size() - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr, buf.data() + kNonce,
          buf.size() - kNonce, nullptr, 0, buf.data(),
          reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "密文无法用当前密钥解密或已被篡改");
  }
  plain.resize(len);
  return plain;
}

}  // namespace redshield
