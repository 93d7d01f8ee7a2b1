#pragma once
// LeaderLease on Redis: the key "{prefix}:leader:NAME" holds the holder's random token with an
// expiry (SET NX PX to take it; a script renews or deletes it only while it still holds this
// token, so a holder whose lease ran out never extends or drops its successor's).
#include <atomic>
#include <memory>
#include <string>

#include "adapters/redis/redis_client.hpp"
#include "ports/leader_lease.hpp"

namespace imagesprint::redis {

class RedisLeaderLease final : public LeaderLease {
 public:
  /// `prefix` as the queue's ("imagesprint:queue" style, without braces); `name` the role.
  RedisLeaderLease(std::shared_ptr<RedisClient> client, const std::string& prefix,
                   const std::string& name);
  ~RedisLeaderLease() override;
  bool hold(std::chrono::milliseconds length) override;
  void release() override;
  bool held() const override { return held_; }

 private:
  std::shared_ptr<RedisClient> client_;
  std::string key_;
  std::string token_;  // random per object
  RedisScript renew_;
  RedisScript drop_;
  std::atomic<bool> held_{false};
};

}  // namespace imagesprint::redis
