#include "adapters/localfs/url_signer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imagesprint {
namespace {

const std::string SECRET(32, 'k');
constexpr std::int64_t EXPIRES = 1'700'000'000;
const std::string KEY = "jobs/abc/out/0.webp";

TEST(UrlSigner, KnownAnswerPinsTheSignedMessage) {
  // Computed independently (Python: hmac.new(b"k"*32, b"imagesprint-presigned-url-v1\nGET\n"
  // b"jobs/abc/out/0.webp\n1700000000", hashlib.sha256).hexdigest()). A change here invalidates
  // every URL already handed out: do it on purpose only.
  const UrlSigner signer(SECRET);
  EXPECT_EQ(signer.sign(PresignMethod::get, KEY, EXPIRES),
            "236117e918ad7cd3ff79a5bd147d606877d275454963702a537f549e387ca795");
}

TEST(UrlSigner, AcceptsItsOwnSignatureUntilTheExpirySecond) {
  const UrlSigner signer(SECRET);
  const std::string sig = signer.sign(PresignMethod::put, KEY, EXPIRES);
  const std::string expires = std::to_string(EXPIRES);
  EXPECT_EQ(signer.verify(PresignMethod::put, KEY, expires, sig, EXPIRES - 3600),
            SignatureCheck::valid);
  EXPECT_EQ(signer.verify(PresignMethod::put, KEY, expires, sig, EXPIRES), SignatureCheck::valid);
  EXPECT_EQ(signer.verify(PresignMethod::put, KEY, expires, sig, EXPIRES + 1),
            SignatureCheck::expired);
}

TEST(UrlSigner, RefusesEveryTamperedPart) {
  const UrlSigner signer(SECRET);
  const std::string sig = signer.sign(PresignMethod::get, KEY, EXPIRES);
  const std::string expires = std::to_string(EXPIRES);
  const std::int64_t now = EXPIRES - 10;
  EXPECT_EQ(signer.verify(PresignMethod::put, KEY, expires, sig, now), SignatureCheck::forged);
  EXPECT_EQ(signer.verify(PresignMethod::get, "jobs/abc/out/1.webp", expires, sig, now),
            SignatureCheck::forged);
  EXPECT_EQ(signer.verify(PresignMethod::get, KEY, std::to_string(EXPIRES + 86400), sig, now),
            SignatureCheck::forged)
      << "a URL cannot be kept alive longer";
  // Every single-character change of the signature.
  for (std::size_t i = 0; i < sig.size(); ++i) {
    std::string tampered = sig;
    tampered[i] = tampered[i] == '0' ? '1' : '0';
    EXPECT_EQ(signer.verify(PresignMethod::get, KEY, expires, tampered, now),
              SignatureCheck::forged)
        << i;
  }
  const UrlSigner other(std::string(32, 'x'));
  EXPECT_EQ(other.verify(PresignMethod::get, KEY, expires, sig, now), SignatureCheck::forged);
  // An expired forgery says forged: nothing is revealed about the expiry of a bad signature.
  EXPECT_EQ(signer.verify(PresignMethod::put, KEY, expires, sig, EXPIRES + 100),
            SignatureCheck::forged);
}

TEST(UrlSigner, RefusesMalformedValues) {
  const UrlSigner signer(SECRET);
  const std::string sig = signer.sign(PresignMethod::get, KEY, EXPIRES);
  const std::string expires = std::to_string(EXPIRES);
  for (const std::string& bad :
       std::vector<std::string>{"", "+1700000000", "-1", "01700000000", " 1700000000",
                                "1700000000 ", "17e8", "0x10", "1234567890123456789"}) {
    EXPECT_EQ(signer.verify(PresignMethod::get, KEY, bad, sig, 0), SignatureCheck::malformed)
        << bad;
  }
  for (const std::string& bad :
       std::vector<std::string>{std::string(), sig.substr(0, 63), sig + "0", sig.substr(0, 62),
                                std::string(64, 'g'), sig.substr(0, 63) + " "}) {
    EXPECT_EQ(signer.verify(PresignMethod::get, KEY, expires, bad, 0), SignatureCheck::malformed)
        << bad;
  }
}

TEST(UrlSigner, NeedsALongEnoughSecret) {
  EXPECT_THROW(UrlSigner(std::string(31, 'k')), std::invalid_argument);
  EXPECT_NO_THROW(UrlSigner(std::string(32, '\0')));
  EXPECT_EQ(to_string(SignatureCheck::expired), "expired");
}

}  // namespace
}  // namespace imagesprint
