#include "fake_subtensor.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include "protocol/hex.h"

namespace sn44::chain::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

struct FakeSubtensor::Impl {
  std::mutex mutex;
  std::vector<uint8_t> metagraph{0x00};
  Mode mode = Mode::answer;
  std::string last_request;
  std::string last_host;
  net::io_context io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::thread accepting;
  std::vector<std::thread> connections;
};

FakeSubtensor::FakeSubtensor() : impl_(std::make_unique<Impl>()) { start(); }

FakeSubtensor::~FakeSubtensor() { stop(); }

void FakeSubtensor::set_metagraph(std::vector<uint8_t> scale) {
  const std::lock_guard lock(impl_->mutex);
  impl_->metagraph = std::move(scale);
}

void FakeSubtensor::set_mode(Mode mode) {
  const std::lock_guard lock(impl_->mutex);
  impl_->mode = mode;
}

std::string FakeSubtensor::last_host() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->last_host;
}

std::string FakeSubtensor::last_request() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->last_request;
}

void FakeSubtensor::start() {
  impl_->acceptor = std::make_unique<tcp::acceptor>(impl_->io);
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port_);
  impl_->acceptor->open(endpoint.protocol());
  impl_->acceptor->set_option(net::socket_base::reuse_address(true));
  impl_->acceptor->bind(endpoint);
  impl_->acceptor->listen();
  port_ = impl_->acceptor->local_endpoint().port();
  impl_->accepting = std::thread([this] {
    while (true) {
      auto socket = std::make_shared<tcp::socket>(impl_->io);
      beast::error_code error;
      impl_->acceptor->accept(*socket, error);
      if (error) return;
      const std::lock_guard registering(impl_->mutex);
      impl_->sockets.push_back(socket);
      impl_->connections.emplace_back([this, socket] {
        beast::error_code ignored;
        beast::websocket::stream<tcp::socket&> ws(*socket);
        beast::flat_buffer handshake_buffer;
        beast::http::request<beast::http::empty_body> handshake;
        beast::http::read(*socket, handshake_buffer, handshake, ignored);
        if (ignored) return;
        {
          const std::lock_guard lock(impl_->mutex);
          impl_->last_host = std::string(handshake[beast::http::field::host]);
        }
        ws.accept(handshake, ignored);
        if (!ignored) ++connections_;
        while (!ignored) {
          beast::flat_buffer buffer;
          ws.read(buffer, ignored);
          if (ignored) return;
          ++calls_;
          const std::string text = beast::buffers_to_string(buffer.data());
          const auto request = nlohmann::json::parse(text, nullptr, false);
          std::string answer;
          {
            const std::lock_guard lock(impl_->mutex);
            impl_->last_request = text;
            const auto id = request.is_object() ? request.value("id", nlohmann::json()) : nlohmann::json();
            const auto result = [&id](const std::string& value) { return nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"result", value}}.dump(); };
            switch (impl_->mode) {
              case Mode::answer: answer = result("0x" + protocol::to_hex(impl_->metagraph)); break;
              case Mode::bad_hex: answer = result("0x01zz"); break;
              case Mode::wrong_id:
                answer = nlohmann::json{{"jsonrpc", "2.0"}, {"id", 424242}, {"result", "0x00"}}.dump();
                break;
              case Mode::rpc_error:
                answer = nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32000}, {"message", "runtime unavailable"}}}}.dump();
                break;
              case Mode::garbage: answer = "this is not json"; break;
              case Mode::silent: continue;
            }
          }
          ws.text(true);
          ws.write(net::buffer(answer), ignored);
        }
      });
    }
  });
}

void FakeSubtensor::drop_connections() {
  const std::lock_guard lock(impl_->mutex);
  beast::error_code ignored;
  for (const auto& socket : impl_->sockets) socket->shutdown(tcp::socket::shutdown_both, ignored);
}

void FakeSubtensor::stop() {
  if (!impl_->accepting.joinable()) return;
  // shutdown() wakes the blocked accept() and read() calls; then the threads end and are joined.
  ::shutdown(impl_->acceptor->native_handle(), SHUT_RDWR);
  impl_->accepting.join();
  std::vector<std::thread> connections;
  {
    const std::lock_guard lock(impl_->mutex);
    beast::error_code ignored;
    for (const auto& socket : impl_->sockets) socket->shutdown(tcp::socket::shutdown_both, ignored);
    connections.swap(impl_->connections);
  }
  for (std::thread& thread : connections) thread.join();
  impl_->sockets.clear();
  impl_->acceptor.reset();
}

}  // namespace sn44::chain::testing
