// The ObjectStore contract for LocalObjectStore, on a fresh folder per test. Its links come back
// to the service ("/v1/objects/<key>?expires=..&signature=.."), which checks them with
// check_presigned() before serving the object: follow() does the same.
#include "adapters/localfs/local_object_store.hpp"
#include "object_store_contract.hpp"
#include "unit/adapters/temp_folder.hpp"

namespace imagesprint::test {
namespace {

class LocalStoreUnderTest final : public StoreUnderTest {
 public:
  explicit LocalStoreUnderTest(std::function<UnixMillis()> clock)
      : folder_("store-contract"), store_(config(std::move(clock))) {}

  ObjectStore& store() override { return store_; }

  std::optional<std::vector<std::uint8_t>> follow(const PresignedUrl& url) override {
    static constexpr std::string_view PREFIX = "/v1/objects/";
    const std::string_view text = url.url;
    const auto query = text.find('?');
    if (!url.relative || !text.starts_with(PREFIX) || query == std::string_view::npos) {
      return std::nullopt;
    }
    const std::string_view key = text.substr(PREFIX.size(), query - PREFIX.size());
    const std::string_view params = text.substr(query + 1);
    const auto amp = params.find('&');
    if (!params.starts_with("expires=") || amp == std::string_view::npos ||
        !params.substr(amp + 1).starts_with("signature=")) {
      return std::nullopt;
    }
    const std::string_view expires = params.substr(8, amp - 8);
    const std::string_view signature = params.substr(amp + 1 + 10);
    if (store_.check_presigned(PresignMethod::get, key, expires, signature) !=
        SignatureCheck::valid) {
      return std::nullopt;
    }
    return store_.get(key);
  }

 private:
  LocalObjectStoreConfig config(std::function<UnixMillis()> clock) {
    LocalObjectStoreConfig c;
    c.root = folder_ / "objects";
    c.signing_key = std::string(32, 's');
    c.clock = std::move(clock);
    return c;
  }

  TempFolder folder_;
  LocalObjectStore store_;
};

INSTANTIATE_TEST_SUITE_P(Embedded, ObjectStoreContract,
                         ::testing::Values(ObjectStoreImplementation{
                             "LocalObjectStore",
                             [](std::function<UnixMillis()> clock) {
                               return std::make_unique<LocalStoreUnderTest>(std::move(clock));
                             }}),
                         ObjectStoreContract::name_of);

}  // namespace
}  // namespace imagesprint::test
