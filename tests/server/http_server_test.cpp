// The HTTP server's own defences, on raw loopback sockets: clients that send a request slowly or
// not at all are cut off at the read time-out while others are served, and connections past the
// cap are closed at once. Each refusal is reported to the handler (for the metrics); ordinary ends
// of a connection are not.

#include "server/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <sys/resource.h>

#include <ctime>
#include <filesystem>
#include <future>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/http_client.h"

namespace sn44::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class Hello : public RequestHandler {
 public:
  void handle(Request request, Responder respond) override {
    if (request.target() == "/throw") throw std::runtime_error("a handler bug");
    if (request.target() == "/later") {  // answered by the test, from its own thread
      const std::lock_guard lock(mutex_);
      later_.push_back(std::move(respond));
      return;
    }
    respond(json_response(request.version(), request.keep_alive(), 200, std::string(R"({"hello": true})")));
  }
  void rejected(Rejection rejection) override {
    const std::lock_guard lock(mutex_);
    rejections_.push_back(rejection);
  }
  std::vector<Rejection> rejections() const {
    const std::lock_guard lock(mutex_);
    return rejections_;
  }
  // The responder of a /later request, once one has arrived. It holds the connection: it must be
  // gone before the server is.
  Responder take_later() {
    for (int i = 0; i < 1000; ++i) {
      {
        const std::lock_guard lock(mutex_);
        if (!later_.empty()) {
          Responder respond = std::move(later_.back());
          later_.pop_back();
          return respond;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throw std::runtime_error("no /later request arrived");
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Rejection> rejections_;
  std::vector<Responder> later_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void start(size_t max_connections) {
    HttpServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.read_timeout = std::chrono::milliseconds(300);
    options.max_connections = max_connections;
    server_ = std::make_unique<HttpServer>(options, handler_);
  }

  tcp::socket connect() {
    tcp::socket socket(io_);
    socket.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    return socket;
  }

  // True when the server has closed `socket` (reading gives end of stream or a reset).
  static bool closed_by_server(tcp::socket& socket) {
    char byte = 0;
    boost::system::error_code error;
    net::read(socket, net::buffer(&byte, 1), error);
    return error == net::error::eof || error == net::error::connection_reset;
  }

  long get_status(const std::string& path = "/") const {
    return http_request("GET", "http://127.0.0.1:" + std::to_string(server_->port()) + path, {}, "", std::chrono::seconds(5)).status;
  }

  void wait_for_open_connections(size_t count) const {
    for (int i = 0; i < 200 && server_->open_connections() != count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  net::io_context io_;
  Hello handler_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AHandlerThatThrowsIsAnswered500AndTheServerGoesOn) {
  start(16);
  EXPECT_EQ(get_status("/throw"), 500);
  EXPECT_EQ(get_status("/throw"), 500);
  EXPECT_EQ(get_status(), 200);
}

// CPU time this process has used.
std::chrono::duration<double> process_cpu_time() {
  timespec time{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
  return std::chrono::seconds(time.tv_sec) + std::chrono::nanoseconds(time.tv_nsec);
}

TEST_F(HttpServerTest, OutOfFileDescriptorsTheServerWaitsInsteadOfSpinning) {
#ifdef __SANITIZE_ADDRESS__
  // The sanitizers probe memory through a pipe: with no descriptor left in the process they
  // report every such probe as a fault.
  GTEST_SKIP() << "needs a process that can run out of descriptors, which the sanitizers cannot";
#endif
  start(4096);
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
  // A few descriptors over those open now; the test's clients then use them up, and the
  // connections still queued for the server cannot be accepted (EMFILE).
  const auto open_descriptors = std::distance(std::filesystem::directory_iterator("/proc/self/fd"), {});
  rlimit low = original;
  low.rlim_cur = static_cast<rlim_t>(open_descriptors + 16);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 64; ++i) {
    tcp::socket socket(io_);
    boost::system::error_code error;
    socket.connect({net::ip::make_address("127.0.0.1"), server_->port()}, error);
    if (error) break;
    clients.push_back(std::move(socket));
  }
  const auto cpu_before = process_cpu_time();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto cpu_used = process_cpu_time() - cpu_before;
  clients.clear();
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &original), 0);
  EXPECT_LT(cpu_used.count(), 0.2) << "the accept loop spun while descriptors ran out";
  EXPECT_EQ(get_status(), 200) << "served again once descriptors are free";
}

TEST_F(HttpServerTest, SlowAndIdleClientsAreCutOffWhileOthersAreServed) {
  start(64);
  tcp::socket idle = connect();
  tcp::socket slow = connect();
  net::write(slow, net::buffer(std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")));  // never finished
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(get_status(), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250)) << "served before the time-out";
  EXPECT_TRUE(closed_by_server(idle));
  EXPECT_TRUE(closed_by_server(slow));
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250));
  wait_for_open_connections(0);
  EXPECT_EQ(server_->open_connections(), 0U);
  EXPECT_TRUE(handler_.rejections().empty()) << "time-outs are not refusals";
}

TEST_F(HttpServerTest, ConnectionsOverTheCapAreClosedAtOnce) {
  start(2);
  tcp::socket first = connect();
  tcp::socket second = connect();
  wait_for_open_connections(2);
  tcp::socket third = connect();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_server(third));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250)) << "closed before any time-out";
  EXPECT_EQ(handler_.rejections(), std::vector<Rejection>{Rejection::too_many_connections});
  first.close();
  wait_for_open_connections(1);
  EXPECT_EQ(get_status(), 200) << "a freed place is available again";
}

TEST_F(HttpServerTest, MalformedRequestsAreClosedWithoutAnAnswer) {
  start(64);
  tcp::socket garbage = connect();
  net::write(garbage, net::buffer(std::string("\x16\x03\x01 not http at all\r\n\r\n")));
  EXPECT_TRUE(closed_by_server(garbage));
  EXPECT_EQ(get_status(), 200);
  EXPECT_EQ(handler_.rejections(), std::vector<Rejection>{Rejection::malformed});
}

TEST_F(HttpServerTest, AClientHangingUpIsNotARefusal) {
  start(64);
  tcp::socket between_requests = connect();
  tcp::socket mid_request = connect();
  net::write(mid_request, net::buffer(std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")));
  wait_for_open_connections(2);
  ASSERT_EQ(server_->open_connections(), 2U);
  between_requests.close();
  mid_request.close();
  wait_for_open_connections(0);
  EXPECT_EQ(server_->open_connections(), 0U);
  EXPECT_TRUE(handler_.rejections().empty());
}

TEST_F(HttpServerTest, AnswersHandedOverBeforeTheServerStopsAreWrittenInFull) {
  start(64);
  tcp::socket client = connect();
  net::write(client, net::buffer(std::string("GET /later HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")));
  Responder respond = handler_.take_later();
  // As on shut-down: the last answers (here a result-sized one) are handed over, then the server goes.
  const std::string body(4 << 20, 'r');
  auto received = std::async(std::launch::async, [&client] {
    std::string reply;
    boost::system::error_code error;
    net::read(client, net::dynamic_buffer(reply), error);  // to the end of the stream
    return reply;
  });
  respond(json_response(11, false, 200, body));
  respond = nullptr;
  server_.reset();
  const std::string reply = received.get();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply.substr(0, 64);
  EXPECT_TRUE(reply.ends_with("\r\n\r\n" + body)) << "got " << reply.size() << " bytes";
}

TEST_F(HttpServerTest, OversizedRequestsAreAnsweredAndReported) {
  start(64);
  const std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/";
  EXPECT_EQ(http_request("POST", url, {}, std::string(65 * 1024, 'b'), std::chrono::seconds(5)).status, 413);
  EXPECT_EQ(http_request("GET", url, {{"x-padding", std::string(17 * 1024, 'p')}}, "", std::chrono::seconds(5)).status, 431);
  EXPECT_EQ(handler_.rejections(), (std::vector<Rejection>{Rejection::body_too_large, Rejection::headers_too_large}));
  EXPECT_STREQ(rejection_name(Rejection::headers_too_large), "headers_too_large");
}

}  // namespace
}  // namespace sn44::server
