// Request counters and a latency histogram in Prometheus text format.
// Record() is lock-free and safe from many threads.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace redshield::api {

// A value that other parts of the server report, rendered with the request metrics.
struct Reading {
  const char* name;  // redshield_…
  const char* type;  // "gauge" or "counter"
  const char* help;
  double value;
};

class Metrics {
 public:
  void Record(int status, double seconds);
  // `pool_use` gives (in use, total) database connections.
  std::string Render(const std::function<std::pair<int, int>()>& pool_use,
                     const std::vector<Reading>& readings) const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   2.0};
  std::array<std::atomic<long long>, 6> by_class_{};  // 1xx..5xx, index 0 unused
  std::array<std::atomic<long long>, kBuckets.size() + 1> buckets_{};
  std::atomic<long long> count_{0};
  std::atomic<long long> sum_micros_{0};
};

}  // namespace redshield::api
