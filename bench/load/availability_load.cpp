// Load test of the miner's HTTP server on loopback: while a challenge is being processed (a
// stand-in that keeps one core busy), 1,000 idle connections are held open and GET /availability
// is polled; prints p50/p99/max latency, then checks that the server still answers after the idle
// clients have gone. Exits non-zero when the p99 target or a check afterwards is missed.
//
//   availability_load [--idle N] [--polls N]

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "server/challenge_client.h"
#include "server/http_server.h"
#include "server/miner_service.h"

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using namespace sn44;

// Spins on one core until stopped: a challenge being analysed.
class BusyProcessor : public server::ChallengeProcessor {
 public:
  std::atomic<bool> started{false};
  std::string process(const GrowingFile&, const std::string& id, std::stop_token stop) override {
    started = true;
    volatile double sink = 0;
    while (!stop.stop_requested() && !done_.load())
      for (int i = 0; i < 100000; ++i) sink = sink + i * 0.5;
    return "{\"challenge_id\": \"" + id + "\", \"frames\": []}";
  }
  void finish() { done_ = true; }

 private:
  std::atomic<bool> done_{false};
};

class AnyStake : public server::StakeSource {
 public:
  std::optional<double> stake_of(const std::string&) const override { return 1e6; }
};

void raise_descriptor_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

constexpr double kTargetP99Ms = 10;

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int idle_count = 1000, polls = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--idle") == 0) idle_count = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--polls") == 0) polls = std::stoi(argv[i + 1]);
  }
  raise_descriptor_limit();

  BusyProcessor processor;
  AnyStake stakes;
  server::MinerServiceOptions options;
  server::MinerService service(options, &stakes, processor);
  server::HttpServerOptions http_options;
  http_options.host = "127.0.0.1";
  http_options.port = 0;
  auto http_server = std::make_unique<server::HttpServer>(http_options, service);
  const std::string base = "http://127.0.0.1:" + std::to_string(http_server->port());

  // A file server for the challenge's video, and the challenge itself, answered when we finish.
  struct : server::RequestHandler {
    void handle(server::Request request, server::Responder respond) override {
      server::Response response{http::status::ok, request.version()};
      response.body() = "video";
      response.prepare_payload();
      respond(std::move(response));
    }
  } files;
  server::HttpServerOptions file_options = http_options;
  server::HttpServer file_server(file_options, files);
  const protocol::Keypair validator = protocol::Keypair::from_seed(std::vector<uint8_t>(32, 1));
  const std::string body = server::challenge_body(
      "load", "http://127.0.0.1:" + std::to_string(file_server.port()) + "/v.mp4", server::utc_now_iso8601());
  auto challenge = std::async(std::launch::async, [&] {
    return server::send_challenge(base, validator, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", body, std::chrono::seconds(60));
  });
  while (!processor.started) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  net::io_context io;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), http_server->port());
  std::vector<tcp::socket> idle;
  for (int i = 0; i < idle_count; ++i) idle.emplace_back(io).connect(endpoint);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::printf("challenge running: yes; idle connections open: %zu (server counts %zu)\n", idle.size(),
              http_server->open_connections());

  tcp::socket poller(io);
  poller.connect(endpoint);
  boost::beast::flat_buffer buffer;
  std::vector<double> latencies_ms;
  int unavailable_answers = 0;
  for (int i = 0; i < polls; ++i) {
    http::request<http::empty_body> request{http::verb::get, "/availability", 11};
    request.set(http::field::host, "127.0.0.1");
    const auto started = std::chrono::steady_clock::now();
    http::write(poller, request);
    http::response<http::string_body> response;
    http::read(poller, buffer, response);
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    if (response.body().find("false") != std::string::npos) ++unavailable_answers;
  }
  const double p99_ms = percentile(latencies_ms, 0.99);
  std::printf("GET /availability x %d: p50 %.3f ms, p99 %.3f ms, max %.3f ms; answered unavailable: %d\n", polls,
              percentile(latencies_ms, 0.5), p99_ms, percentile(latencies_ms, 1.0), unavailable_answers);

  idle.clear();
  processor.finish();
  const auto answer = challenge.get();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto health = server::http_request("GET", base + "/health", {}, "", std::chrono::seconds(5));
  std::printf("after the idle clients left: challenge answered %ld, /health %ld, open connections %zu\n", answer.status,
              health.status, http_server->open_connections());
  service.stop_challenges();
  const bool target_met = p99_ms < kTargetP99Ms && unavailable_answers == polls;
  std::printf("target (p99 < %.0f ms, every answer unavailable): %s\n", kTargetP99Ms, target_met ? "met" : "MISSED");
  return health.status == 200 && answer.status == 200 && target_met ? 0 : 1;
}
