#include "adapters/redis/redis_leader_lease.hpp"

#include <random>

namespace imagesprint::redis {
namespace {

// KEYS[1] the lease key; ARGV[1] the holder's token, ARGV[2] the length in ms.
// Renews the lease if the token holds it, takes it if nobody does; 1 when held after.
constexpr const char* RENEW = R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
)lua";

// KEYS[1] the lease key; ARGV[1] the holder's token. Deletes the lease only if the token holds it.
constexpr const char* DROP = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

std::string random_token() {
  std::random_device random;
  static constexpr char HEX[] = "0123456789abcdef";
  std::string token(32, '0');
  for (char& c : token) c = HEX[random() % 16];
  return token;
}

}  // namespace

RedisLeaderLease::RedisLeaderLease(std::shared_ptr<RedisClient> client, const std::string& prefix,
                                   const std::string& name)
    : client_(std::move(client)),
      key_("{" + prefix + "}:leader:" + name),
      token_(random_token()),
      renew_("leader_renew", RENEW),
      drop_("leader_drop", DROP) {}

RedisLeaderLease::~RedisLeaderLease() = default;

bool RedisLeaderLease::hold(std::chrono::milliseconds length) {
  try {
    held_ = client_->eval(renew_, {key_}, {token_, std::to_string(length.count())}, "leader lease")
                .as_integer() == 1;
  } catch (const StorageError&) {
    held_ = false;  // Redis cannot be reached: nobody can be sure to hold it, so nobody acts
  }
  return held_;
}

void RedisLeaderLease::release() {
  held_ = false;
  try {
    client_->eval(drop_, {key_}, {token_}, "leader lease release");
  } catch (const StorageError&) {
    // It runs out by itself.
  }
}

}  // namespace imagesprint::redis
