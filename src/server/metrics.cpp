#include "server/metrics.h"

#include <sstream>

namespace sn44::server {

Metrics::Metrics(const KnownMetricLabels& known) {
  for (const std::string& reason : known.rejection_reasons) rejected_[reason] = 0;
  for (const std::string& reason : known.auth_failure_reasons) auth_failures_[reason] = 0;
  for (const std::string& stage : known.duration_stages) durations_[stage] = Histogram{};
}

void Metrics::count_request(const std::string& route, int status) {
  const std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::count_auth_failure(const std::string& reason) {
  const std::lock_guard lock(mutex_);
  ++auth_failures_[reason];
}

void Metrics::count_rejected(const std::string& reason) {
  const std::lock_guard lock(mutex_);
  ++rejected_[reason];
}

void Metrics::observe_duration(const std::string& stage, double seconds) {
  const std::lock_guard lock(mutex_);
  Histogram& histogram = durations_[stage];
  for (size_t i = 0; i < Histogram::kBounds.size(); ++i)
    if (seconds <= Histogram::kBounds[i]) ++histogram.buckets[i];
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::add_downloaded_bytes(int64_t bytes) {
  const std::lock_guard lock(mutex_);
  downloaded_bytes_ += bytes;
}

void Metrics::set_queue_depth(int depth) {
  const std::lock_guard lock(mutex_);
  queue_depth_ = depth;
}

std::string Metrics::render() const {
  const std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP sn44_requests_total HTTP requests by route and status.\n# TYPE sn44_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out << "sn44_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << count << '\n';
  out << "# HELP sn44_rejected_requests_total Requests and connections the HTTP server refused before routing, by reason.\n"
         "# TYPE sn44_rejected_requests_total counter\n";
  for (const auto& [reason, count] : rejected_) out << "sn44_rejected_requests_total{reason=\"" << reason << "\"} " << count << '\n';
  out << "# HELP sn44_auth_failures_total Refused challenge requests by reason.\n# TYPE sn44_auth_failures_total counter\n";
  for (const auto& [reason, count] : auth_failures_) out << "sn44_auth_failures_total{reason=\"" << reason << "\"} " << count << '\n';
  out << "# HELP sn44_challenge_seconds Challenge durations by stage.\n# TYPE sn44_challenge_seconds histogram\n";
  for (const auto& [stage, histogram] : durations_) {
    for (size_t i = 0; i < Histogram::kBounds.size(); ++i)
      out << "sn44_challenge_seconds_bucket{stage=\"" << stage << "\",le=\"" << Histogram::kBounds[i] << "\"} "
          << histogram.buckets[i] << '\n';
    out << "sn44_challenge_seconds_bucket{stage=\"" << stage << "\",le=\"+Inf\"} " << histogram.count << '\n';
    out << "sn44_challenge_seconds_sum{stage=\"" << stage << "\"} " << histogram.sum << '\n';
    out << "sn44_challenge_seconds_count{stage=\"" << stage << "\"} " << histogram.count << '\n';
  }
  out << "# HELP sn44_queue_depth Challenges waiting or running.\n# TYPE sn44_queue_depth gauge\n";
  out << "sn44_queue_depth " << queue_depth_ << '\n';
  out << "# HELP sn44_downloaded_bytes_total Bytes of challenge videos downloaded.\n# TYPE sn44_downloaded_bytes_total counter\n";
  out << "sn44_downloaded_bytes_total " << downloaded_bytes_ << '\n';
  return out.str();
}

}  // namespace sn44::server
