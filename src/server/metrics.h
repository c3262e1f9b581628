#pragma once
// The miner's metrics, rendered in Prometheus' text format for GET /metrics: requests by route and
// status, requests the HTTP server refused itself by reason, authentication failures by reason,
// challenge durations by stage, queue depth, downloaded bytes. Hand-rolled: the format is a few lines of text and Debian has no C++ client.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sn44::server {

// Label values whose series exist from the start, at zero: a dashboard or alert on a rate then sees
// 0 rather than no data until the first event of each kind.
struct KnownMetricLabels {
  std::vector<std::string> rejection_reasons;
  std::vector<std::string> auth_failure_reasons;
  std::vector<std::string> duration_stages;
};

class Metrics {
 public:
  explicit Metrics(const KnownMetricLabels& known = {});

  void count_request(const std::string& route, int status);
  void count_auth_failure(const std::string& reason);
  // A request (or connection) the HTTP server refused before routing: "body_too_large", ...
  void count_rejected(const std::string& reason);
  // stage: "download", "processing" or "total".
  void observe_duration(const std::string& stage, double seconds);
  void add_downloaded_bytes(int64_t bytes);
  void set_queue_depth(int depth);

  std::string render() const;

 private:
  struct Histogram {
    static constexpr std::array<double, 10> kBounds = {0.5, 1, 2, 3, 5, 8, 12, 15, 30, 60};
    std::array<uint64_t, kBounds.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, uint64_t> auth_failures_;
  std::map<std::string, uint64_t> rejected_;
  std::map<std::string, Histogram> durations_;
  int64_t downloaded_bytes_ = 0;
  int queue_depth_ = 0;
};

}  // namespace sn44::server
