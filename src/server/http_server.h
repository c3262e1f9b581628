#pragma once
// HTTP/1.1 server (Boost.Beast on Asio): accepts connections, reads requests within size and time
// limits, hands each to a RequestHandler, and writes the answer whenever the handler delivers it
// (a challenge answers seconds later, from another thread, without holding an I/O thread).

#include <array>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <string>

namespace sn44::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Responder = std::function<void(Response)>;  // callable once, from any thread

// What the server refuses on its own, before any handler sees a request.
enum class Rejection {
  body_too_large,       // answered 413
  headers_too_large,    // answered 431
  malformed,            // not HTTP: closed without an answer
  too_many_connections  // over max_connections: closed at once
};
inline constexpr std::array kAllRejections = {Rejection::body_too_large, Rejection::headers_too_large, Rejection::malformed,
                                              Rejection::too_many_connections};
const char* rejection_name(Rejection rejection);  // "body_too_large", ...

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void handle(Request request, Responder respond) = 0;
  // Told of every refusal in the list above (from an I/O thread), so that it can be counted.
  virtual void rejected(Rejection /*rejection*/) {}
};

struct HttpServerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 7999;                           // 0: any free port (tests)
  size_t max_body_bytes = 64 * 1024;              // challenge bodies are ~200 bytes
  size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds read_timeout{10000};  // a whole request, and an idle keep-alive connection
  size_t max_connections = 4096;                  // more are closed at once
  int threads = 2;                                // I/O threads
  std::chrono::milliseconds drain_timeout{5000};  // on shut-down, for the answers already handed over to be written
};

// A JSON answer. Text that is not UTF-8 (an error message quoting a request's bytes) is written
// with U+FFFD in its place: nlohmann's dump() would otherwise throw.
Response json_response(unsigned version, bool keep_alive, int status, const nlohmann::json& body);
// The same with the JSON already written (a result).
Response json_response(unsigned version, bool keep_alive, int status, std::string body);
// A JSON answer in FastAPI's error shape: {"detail": "<text>"}.
Response error_response(unsigned version, bool keep_alive, int status, const std::string& detail);

class HttpServer {
 public:
  // Binds and starts serving. Throws Error(unavailable) when the address cannot be bound.
  HttpServer(const HttpServerOptions& options, RequestHandler& handler);
  // Stops accepting, writes the answers already handed over (for at most drain_timeout), closes
  // the connections and joins the I/O threads.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;  // the bound port
  size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sn44::server
