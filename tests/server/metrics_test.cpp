// The Prometheus text the miner exposes on /metrics, checked line by line against hand-computed
// counts.

#include "server/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sn44::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Metrics, CountsRequestsAndAuthenticationFailures) {
  Metrics metrics;
  metrics.count_request("/availability", 200);
  metrics.count_request("/availability", 200);
  metrics.count_request("/soccer/challenge", 401);
  metrics.count_auth_failure("nonce");
  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("# TYPE sn44_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("sn44_requests_total{route=\"/availability\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("sn44_requests_total{route=\"/soccer/challenge\",status=\"401\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("sn44_auth_failures_total{reason=\"nonce\"} 1\n"));
}

TEST(Metrics, CountsRequestsTheHttpServerRefused) {
  Metrics metrics;
  EXPECT_THAT(metrics.render(), Not(HasSubstr("sn44_rejected_requests_total{")));
  metrics.count_rejected("body_too_large");
  metrics.count_rejected("headers_too_large");
  metrics.count_rejected("body_too_large");
  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("# TYPE sn44_rejected_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("sn44_rejected_requests_total{reason=\"body_too_large\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("sn44_rejected_requests_total{reason=\"headers_too_large\"} 1\n"));
}

TEST(Metrics, KnownLabelsStartAtZeroAndCountFromThere) {
  Metrics metrics(KnownMetricLabels{.rejection_reasons = {"malformed"}, .auth_failure_reasons = {"nonce", "stake"}, .duration_stages = {"download"}});
  metrics.count_auth_failure("stake");
  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("sn44_rejected_requests_total{reason=\"malformed\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("sn44_auth_failures_total{reason=\"nonce\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("sn44_auth_failures_total{reason=\"stake\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"download\",le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"download\",le=\"+Inf\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_sum{stage=\"download\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_count{stage=\"download\"} 0\n"));
}

TEST(Metrics, DurationsAreCumulativeHistograms) {
  Metrics metrics;
  metrics.observe_duration("total", 0.7);
  metrics.observe_duration("total", 4);
  metrics.observe_duration("total", 100);
  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"total\",le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"total\",le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"total\",le=\"3\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"total\",le=\"5\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"total\",le=\"60\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_bucket{stage=\"total\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_sum{stage=\"total\"} 104.7\n"));
  EXPECT_THAT(text, HasSubstr("sn44_challenge_seconds_count{stage=\"total\"} 3\n"));
  EXPECT_THAT(text, Not(HasSubstr("stage=\"download\"")));
}

TEST(Metrics, GaugesAndByteCounter) {
  Metrics metrics;
  metrics.set_queue_depth(3);
  metrics.set_queue_depth(1);
  metrics.add_downloaded_bytes(1000);
  metrics.add_downloaded_bytes(24);
  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("sn44_queue_depth 1\n"));
  EXPECT_THAT(text, HasSubstr("sn44_downloaded_bytes_total 1024\n"));
}

}  // namespace
}  // namespace sn44::server
