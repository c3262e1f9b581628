#include "server/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.h"

namespace sn44::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

Response json_response(unsigned version, bool keep_alive, int status, std::string body) {
  Response response{static_cast<http::status>(status), version};
  response.set(http::field::server, "sn44-miner");
  response.set(http::field::content_type, "application/json");
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response json_response(unsigned version, bool keep_alive, int status, const nlohmann::json& body) {
  return json_response(version, keep_alive, status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response error_response(unsigned version, bool keep_alive, int status, const std::string& detail) {
  return json_response(version, keep_alive, status, nlohmann::json{{"detail", detail}});
}

const char* rejection_name(Rejection rejection) {
  switch (rejection) {
    case Rejection::body_too_large: return "body_too_large";
    case Rejection::headers_too_large: return "headers_too_large";
    case Rejection::malformed: return "malformed";
    case Rejection::too_many_connections: return "too_many_connections";
  }
  return "other";
}

namespace {

// A parse error: the peer sent something that is not HTTP. End of stream (the peer closed, between
// requests or in the middle of one), time-outs and resets are ordinary ends of a connection.
bool malformed(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_method).category() && error != http::error::end_of_stream &&
         error != http::error::partial_message;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServerOptions& options, RequestHandler& handler, std::atomic<size_t>& open,
          std::atomic<size_t>& unwritten)
      : stream_(std::move(socket)), options_(options), handler_(handler), open_(open), unwritten_(unwritten) {
    ++open_;
  }
  ~Session() { --open_; }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    stream_.expires_after(options_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, size_t) { self->on_read(error); });
  }

  void on_read(beast::error_code error) {
    if (error == http::error::body_limit) {
      handler_.rejected(Rejection::body_too_large);
      return reply_and_close(413, "Request body too large");
    }
    if (error == http::error::header_limit) {
      handler_.rejected(Rejection::headers_too_large);
      return reply_and_close(431, "Request headers too large");
    }
    if (error && malformed(error)) handler_.rejected(Rejection::malformed);
    if (error) return close();  // end of stream, time-out, malformed request, reset
    // The handler may take minutes (a challenge): no read time-out while it works.
    stream_.expires_never();
    Request request = parser_->release();
    auto self = shared_from_this();
    const unsigned version = request.version();
    // One answer per request, whether from the handler or, when it throws (which would otherwise
    // end the I/O thread, and with it the process), a 500.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    try {
      handler_.handle(std::move(request), [self, answered](Response response) {
        if (answered->exchange(true)) return;
        ++self->unwritten_;  // until written (or failed): the server's shut-down waits for it
        net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
          self->write(std::move(response), /*handed_over=*/true);
        });
      });
    } catch (const std::exception& failure) {
      spdlog::error("request handler failed: {}", failure.what());
      if (!answered->exchange(true)) write(error_response(version, false, 500, "Internal error"));
    }
  }

  void reply_and_close(int status, const std::string& detail) { write(error_response(11, false, status, detail)); }

  // `handed_over`: an answer from the handler, counted in `unwritten_` until this write ends.
  void write(Response response, bool handed_over = false) {
    response_ = std::make_shared<Response>(std::move(response));
    stream_.expires_after(options_.read_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this(), handed_over](beast::error_code error, size_t) {
      if (handed_over) --self->unwritten_;
      if (error || !self->response_->keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  const HttpServerOptions& options_;
  RequestHandler& handler_;
  std::atomic<size_t>& open_;
  std::atomic<size_t>& unwritten_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
};

}  // namespace

struct HttpServer::Impl {
  // Sessions refer to `options` and `open`; the ones still queued in `io` are destroyed with it,
  // so both must be declared (and so outlive) it.
  HttpServerOptions options;
  RequestHandler& handler;
  std::atomic<size_t> open{0};
  std::atomic<size_t> unwritten{0};  // answers handed over by the handler and not yet written
  net::io_context io;
  tcp::acceptor acceptor{io};
  net::steady_timer accept_retry{io};
  bool accept_failing = false;  // logged once per run of failures
  std::vector<std::thread> threads;

  Impl(const HttpServerOptions& server_options, RequestHandler& request_handler)
      : options(server_options), handler(request_handler) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code error, tcp::socket socket) {
      if (error == net::error::operation_aborted) return;
      if (error) {
        // Out of file descriptors (EMFILE) the pending connection stays queued and the listening
        // socket readable: accepting again at once would spin a core until one is freed.
        if (!std::exchange(accept_failing, true)) spdlog::warn("cannot accept connections: {}", error.message());
        accept_retry.expires_after(std::chrono::milliseconds(100));
        accept_retry.async_wait([this](beast::error_code wait_error) {
          if (!wait_error) accept();
        });
        return;
      }
      accept_failing = false;
      if (open.load() >= options.max_connections) {
        handler.rejected(Rejection::too_many_connections);
        beast::error_code ignored;
        socket.close(ignored);  // over the cap: refuse rather than starve the others
      } else {
        std::make_shared<Session>(std::move(socket), options, handler, open, unwritten)->start();
      }
      accept();
    });
  }
};

HttpServer::HttpServer(const HttpServerOptions& options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(options, handler)) {
  beast::error_code error;
  const auto address = net::ip::make_address(options.host, error);
  if (error) throw Error(ErrorKind::invalid_argument, "HOST '" + options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error)
    throw Error(ErrorKind::unavailable, "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + error.message());
  impl_->accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
}

HttpServer::~HttpServer() {
  net::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  // The answers already handed over (the 503s of the challenges a shut-down dropped, the running
  // one's error) are written before the I/O stops. Polled: Asio has no timed wait on a count, and
  // a shut-down can spare a few milliseconds.
  const auto drain_until = std::chrono::steady_clock::now() + impl_->options.drain_timeout;
  while (impl_->unwritten.load() > 0 && std::chrono::steady_clock::now() < drain_until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

size_t HttpServer::open_connections() const { return impl_->open.load(); }

}  // namespace sn44::server
