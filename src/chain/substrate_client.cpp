#include "chain/substrate_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <algorithm>
#include <cstdio>
#include <optional>

#include "core/error.h"
#include "protocol/hex.h"

namespace sn44::chain {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

struct WsUrl {
  bool tls = false;
  std::string host, port, target;

  // The handshake's Host header: with the port unless it is the scheme's default, as HTTP
  // requires. A node filtering hosts (its default allows "127.0.0.1:<port>", "localhost:<port>")
  // declines a handshake whose Host has no port.
  std::string host_header() const { return port == (tls ? "443" : "80") ? host : host + ":" + port; }
};

WsUrl parse_url(const std::string& url) {
  WsUrl parsed;
  std::string rest;
  if (url.starts_with("wss://")) {
    parsed.tls = true;
    rest = url.substr(6);
  } else if (url.starts_with("ws://")) {
    rest = url.substr(5);
  } else {
    throw Error(ErrorKind::invalid_argument, "subtensor address '" + url + "' must start with ws:// or wss://");
  }
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (authority.find('@') != std::string::npos) {
    throw Error(ErrorKind::invalid_argument, "subtensor address " + subtensor_display_address(url) +
                                                 " has a user part (user@host): not supported, and never shown");
  }
  parsed.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const size_t colon = authority.rfind(':');
  parsed.host = authority.substr(0, colon);
  parsed.port = colon == std::string::npos ? (parsed.tls ? "443" : "80") : authority.substr(colon + 1);
  if (parsed.host.empty() || parsed.port.empty()) throw Error(ErrorKind::invalid_argument, "subtensor address '" + url + "' has no host or port");
  return parsed;
}

// The user part of an authority ("user:key@host:port"), dropped from what is shown.
std::string without_user_part(const std::string& authority) {
  const size_t at = authority.rfind('@');
  return at == std::string::npos ? authority : authority.substr(at + 1);
}

std::string seconds_text(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

}  // namespace

std::string subtensor_display_address(const std::string& url) {
  for (const std::string scheme : {"wss://", "ws://"}) {
    if (!url.starts_with(scheme)) continue;
    const std::string authority = url.substr(scheme.size(), url.find_first_of("/?#", scheme.size()) - scheme.size());
    return scheme + without_user_part(authority);
  }
  return url;
}

std::string subtensor_endpoint(const std::string& network, const std::string& address) {
  if (!address.empty()) return address;
  if (network == "finney") return "wss://entrypoint-finney.opentensor.ai:443";
  if (network == "test") return "wss://test.finney.opentensor.ai:443";
  if (network == "local") return "ws://127.0.0.1:9944";
  throw Error(ErrorKind::invalid_argument, "SUBTENSOR_NETWORK '" + network + "' is not finney, test or local; set SUBTENSOR_ADDRESS");
}

// One WebSocket connection. Every operation is asynchronous and bounded by running the I/O
// context, in short slices so that a shut-down is noticed, for at most the time limit; past it, the
// socket is closed and the operation fails.
class SubstrateClient::Connection {
 public:
  Connection(const WsUrl& url, std::chrono::milliseconds timeout, const std::atomic<bool>& shutting_down)
      : url_(url), timeout_(timeout), shutting_down_(shutting_down) {
    tcp::resolver resolver(io_);
    tcp::resolver::results_type endpoints;
    run("resolving " + url.host, [&](auto done) { resolver.async_resolve(url.host, url.port, [&, done](beast::error_code e, tcp::resolver::results_type r) { endpoints = r; done(e); }); });
    if (url.tls) {
      tls_.emplace(net::ssl::context::tls_client);
      tls_->set_default_verify_paths();
      tls_->set_verify_mode(net::ssl::verify_peer);
      tls_->set_verify_callback(net::ssl::host_name_verification(url.host));
      secure_.emplace(io_, *tls_);
      if (!SSL_set_tlsext_host_name(secure_->next_layer().native_handle(), url.host.c_str()))
        throw Error(ErrorKind::unavailable, "TLS set-up failed for " + url.host);
      run("connecting to " + url.host, [&](auto done) { beast::get_lowest_layer(*secure_).async_connect(endpoints, [done](beast::error_code e, auto) { done(e); }); });
      run("TLS handshake with " + url.host, [&](auto done) { secure_->next_layer().async_handshake(net::ssl::stream_base::client, done); });
      run("WebSocket handshake with " + url.host, [&](auto done) { secure_->async_handshake(url.host_header(), url.target, done); });
    } else {
      plain_.emplace(io_);
      run("connecting to " + url.host, [&](auto done) { beast::get_lowest_layer(*plain_).async_connect(endpoints, [done](beast::error_code e, auto) { done(e); }); });
      run("WebSocket handshake with " + url.host, [&](auto done) { plain_->async_handshake(url.host_header(), url.target, done); });
    }
  }

  std::string exchange(const std::string& request) {
    run("sending to " + url_.host, [&](auto done) {
      with_stream([&](auto& ws) { ws.text(true); ws.async_write(net::buffer(request), [done](beast::error_code e, size_t) { done(e); }); });
    });
    beast::flat_buffer buffer;
    run("waiting for " + url_.host, [&](auto done) {
      with_stream([&](auto& ws) { ws.async_read(buffer, [done](beast::error_code e, size_t) { done(e); }); });
    });
    return beast::buffers_to_string(buffer.data());
  }

 private:
  template <typename Action>
  void with_stream(Action&& action) {
    if (secure_) {
      action(*secure_);
    } else {
      action(*plain_);
    }
  }

  template <typename Start>
  void run(const std::string& what, Start&& start) {
    constexpr std::chrono::milliseconds kSlice{50};
    std::optional<beast::error_code> result;
    start([&result](beast::error_code error) { result = error; });
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (!result && !shutting_down_ && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(std::min<std::chrono::steady_clock::duration>(kSlice, deadline - std::chrono::steady_clock::now()));
    }
    if (!result) {
      beast::error_code ignored;
      if (secure_) beast::get_lowest_layer(*secure_).socket().close(ignored);
      if (plain_) beast::get_lowest_layer(*plain_).socket().close(ignored);
      io_.restart();
      io_.run();  // let the cancelled operation finish
      if (shutting_down_) throw Error(ErrorKind::unavailable, what + ": the client is shutting down");
      throw Error(ErrorKind::timeout, what + ": no answer within " + seconds_text(timeout_) + " s");
    }
    if (*result) throw Error(ErrorKind::unavailable, what + ": " + result->message());
  }

  WsUrl url_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>& shutting_down_;
  net::io_context io_;
  std::optional<net::ssl::context> tls_;
  std::optional<websocket::stream<beast::tcp_stream>> plain_;
  std::optional<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> secure_;
};

SubstrateClient::SubstrateClient(std::string url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), display_address_(subtensor_display_address(url_)), timeout_(timeout) {
  parse_url(url_);  // refuse a bad address at once
}

SubstrateClient::~SubstrateClient() = default;

nlohmann::json SubstrateClient::call(const std::string& method, const nlohmann::json& params) {
  const std::lock_guard lock(mutex_);
  if (shutting_down_) throw Error(ErrorKind::unavailable, "subtensor client for " + display_address_ + " is shut down");
  const int64_t id = next_id_++;
  const std::string request = nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump();
  const auto exchange = [&] {
    const bool reused = connection_ != nullptr;
    try {
      if (!connection_) connection_ = std::make_unique<Connection>(parse_url(url_), timeout_, shutting_down_);
      return std::optional<std::string>(connection_->exchange(request));
    } catch (const Error& error) {
      connection_.reset();  // the next attempt connects afresh
      // The node pings idle connections and closes them within minutes, unanswered, while this
      // client reads only during a call: a kept connection that turns out lost is replaced at
      // once. Every call is a read, so asking twice is harmless.
      if (reused && error.kind() == ErrorKind::unavailable && !shutting_down_) return std::optional<std::string>();
      throw;
    }
  };
  std::optional<std::string> answered = exchange();
  if (!answered) answered = exchange();  // on a fresh connection, whose failure is final
  const std::string& text = *answered;
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    connection_.reset();
    throw Error(ErrorKind::corrupt_data, "subtensor " + display_address_ + " answered " + method + " with something that is not JSON");
  }
  if (!answer.is_object() || answer.value("id", nlohmann::json()) != id) {
    connection_.reset();
    throw Error(ErrorKind::corrupt_data, "subtensor " + display_address_ + " answered " + method + " out of order");
  }
  if (answer.contains("error")) {
    const auto& error = answer["error"];
    throw Error(ErrorKind::internal, "subtensor " + display_address_ + " refused " + method + ": " +
                                         (error.is_object() ? error.value("message", error.dump()) : error.dump()));
  }
  if (!answer.contains("result")) throw Error(ErrorKind::corrupt_data, "subtensor " + display_address_ + ": answer to " + method + " has no result");
  return answer["result"];
}

std::vector<uint8_t> SubstrateClient::state_call(const std::string& runtime_method, const std::vector<uint8_t>& argument) {
  const nlohmann::json result = call("state_call", {runtime_method, "0x" + protocol::to_hex(argument), nullptr});
  if (!result.is_string()) throw Error(ErrorKind::corrupt_data, "state_call " + runtime_method + ": the result is not a hex string");
  auto bytes = protocol::from_hex(result.get<std::string>());
  if (!bytes) throw Error(ErrorKind::corrupt_data, "state_call " + runtime_method + ": the result is not valid hex");
  return std::move(*bytes);
}

}  // namespace sn44::chain
