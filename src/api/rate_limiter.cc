#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace redshield::api {

RateLimiter::RateLimiter(double per_second, double burst, size_t max_clients)
    : rate_(per_second), burst_(burst), max_clients_(max_clients) {}

bool RateLimiter::Allow(const std::string& client, int* retry_after_s) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) Evict(now);
    it = buckets_.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after_s != nullptr) {
    *retry_after_s = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
  }
  return false;
}

void RateLimiter::Evict(std::chrono::steady_clock::time_point now) {
  // A bucket idle long enough to be full again carries no state worth keeping.
  auto full_after = std::chrono::duration<double>(burst_ / rate_);
  std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.last > full_after; });
  if (buckets_.size() >= max_clients_) buckets_.clear();
}

}  // namespace redshield::api
