// Per-client token buckets for public endpoints. Memory is bounded: at most
// `max_clients` buckets; when full, idle buckets are dropped first (and, if
// none is idle, the table is cleared, which errs on the side of serving).
// Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace redshield::api {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst, size_t max_clients = 100000);

  // True if the client may proceed; otherwise `retry_after_s` says when.
  bool Allow(const std::string& client, int* retry_after_s = nullptr);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  void Evict(std::chrono::steady_clock::time_point now);

  const double rate_;
  const double burst_;
  const size_t max_clients_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mu_)
};

}  // namespace redshield::api
