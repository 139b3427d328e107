#include "core/crypto.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "core/audit.h"

namespace redshield {
namespace {

class CryptoTest : public testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
};

TEST_F(CryptoTest, Sha256KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, PasswordRoundTrip) {
  Result<std::string> hash = HashPassword("Correct-Horse-9");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "Correct-Horse-9"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct-horse-9"));
}

TEST_F(CryptoTest, SecretBoxRoundTripAndTamper) {
  Result<SecretBox> box = SecretBox::FromBase64Key(SecretBox::GenerateKeyBase64());
  ASSERT_TRUE(box);
  std::string sealed = box->Encrypt("13812345678");
  EXPECT_NE(sealed.find("v1:"), std::string::npos);
  EXPECT_EQ(*box->Decrypt(sealed), "13812345678");
  sealed[sealed.size() - 2] = sealed[sealed.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->Decrypt(sealed));
  Result<SecretBox> other = SecretBox::FromBase64Key(SecretBox::GenerateKeyBase64());
  EXPECT_FALSE(other->Decrypt(box->Encrypt("x")));
  EXPECT_FALSE(SecretBox::FromBase64Key("c2hvcnQ="));
}

TEST_F(CryptoTest, RequestIdsAreUrlSafeAndDistinctAcrossThreads) {
  std::set<std::string> ids;
  std::mutex mu;
  auto make = [&] {
    for (int i = 0; i < 1000; ++i) {
      std::string id = RequestId();
      ASSERT_EQ(id.size(), 16u) << id;
      ASSERT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                std::string::npos)
          << id;
      std::lock_guard lock(mu);
      ids.insert(id);
    }
  };
  std::thread a(make), b(make);
  make();
  a.join();
  b.join();
  EXPECT_EQ(ids.size(), 3000u);
}

TEST_F(CryptoTest, RandomPasswordHasFourClasses) {
  std::string pw = RandomPassword();
  EXPECT_EQ(pw.size(), 16u);
  EXPECT_NE(pw, RandomPassword());
}

TEST_F(CryptoTest, AuditHashCoversEveryField) {
  AuditRecord r;
  r.seq = 1;
  r.time = "2026-01-01T00:00:00.000Z";
  r.entry = {Actor{}, "user.create", "user", "42", "创建用户 zhang"};
  r.prev_hash = kAuditGenesisHash;
  std::string h = AuditChainHash(r);
  r.entry.summary = "创建用户 zhang ";
  EXPECT_NE(AuditChainHash(r), h);
}

}  // namespace
}  // namespace redshield
