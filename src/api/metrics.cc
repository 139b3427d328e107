#include "api/metrics.h"

#include <cstdio>

namespace redshield::api {

void Metrics::Record(int status, double seconds) {
  int cls = status / 100;
  if (cls >= 1 && cls <= 5) ++by_class_[static_cast<size_t>(cls)];
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  ++buckets_[bucket];
  ++count_;
  sum_micros_ += static_cast<long long>(seconds * 1e6);
}

std::string Metrics::Render(const std::function<std::pair<int, int>()>& pool_use,
                            const std::vector<Reading>& readings) const {
  std::string out;
  out += "# HELP redshield_http_requests_total HTTP requests by status class.\n";
  out += "# TYPE redshield_http_requests_total counter\n";
  for (int cls = 1; cls <= 5; ++cls) {
    out += "redshield_http_requests_total{code=\"" + std::to_string(cls) + "xx\"} " +
           std::to_string(by_class_[static_cast<size_t>(cls)].load()) + "\n";
  }
  out += "# HELP redshield_http_errors_total HTTP responses with status >= 500.\n";
  out += "# TYPE redshield_http_errors_total counter\n";
  out += "redshield_http_errors_total " + std::to_string(by_class_[5].load()) + "\n";
  out += "# HELP redshield_http_request_duration_seconds Request latency.\n";
  out += "# TYPE redshield_http_request_duration_seconds histogram\n";
  long long cumulative = 0;
  char le[32];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    std::snprintf(le, sizeof le, "%g", kBuckets[i]);
    out += "redshield_http_request_duration_seconds_bucket{le=\"" + std::string(le) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_[kBuckets.size()].load();
  out += "redshield_http_request_duration_seconds_bucket{le=\"+Inf\"} " +
         std::to_string(cumulative) + "\n";
  std::snprintf(le, sizeof le, "%.6f", static_cast<double>(sum_micros_.load()) / 1e6);
  out += "redshield_http_request_duration_seconds_sum " + std::string(le) + "\n";
  out += "redshield_http_request_duration_seconds_count " + std::to_string(count_.load()) + "\n";
  auto [in_use, total] = pool_use();
  out += "# HELP redshield_db_pool_connections Database connections.\n";
  out += "# TYPE redshield_db_pool_connections gauge\n";
  out += "redshield_db_pool_connections{state=\"in_use\"} " + std::to_string(in_use) + "\n";
  out += "redshield_db_pool_connections{state=\"total\"} " + std::to_string(total) + "\n";
  for (const Reading& r : readings) {
    std::snprintf(le, sizeof le, "%.17g", r.value);
    out += std::string("# HELP ") + r.name + " " + r.help + "\n# TYPE " + r.name + " " + r.type + "\n" + r.name +
           " " + le + "\n";
  }
  return out;
}

}  // namespace redshield::api
