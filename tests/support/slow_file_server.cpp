#include "support/slow_file_server.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <istream>

namespace sn44::testing {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct SlowFileServer::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
};

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The Range header of a request ("bytes=N-"), "" without one.
std::string range_header(std::istream& request) {
  std::string line;
  while (std::getline(request, line) && line != "\r") {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lower(line).starts_with("range:")) {
      const size_t value = line.find_first_not_of(' ', 6);
      return value == std::string::npos ? "" : line.substr(value);
    }
  }
  return "";
}

}  // namespace

SlowFileServer::SlowFileServer(std::string body, Behaviour behaviour)
    : impl_(std::make_unique<Impl>()), body_(std::move(body)), behaviour_(behaviour) {
  thread_ = std::thread([this] { serve_connections(); });
}

SlowFileServer::~SlowFileServer() {
  stopping_ = true;
  // A blocking accept does not notice the flag: one connection wakes it.
  boost::system::error_code ignored;
  tcp::socket waker(impl_->io);
  waker.connect(impl_->acceptor.local_endpoint(), ignored);
  thread_.join();
}

std::string SlowFileServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) + "/clip.mp4";
}

std::vector<std::string> SlowFileServer::range_headers() const {
  const std::lock_guard lock(mutex_);
  return ranges_;
}

void SlowFileServer::serve_connections() {
  while (!stopping_) {
    tcp::socket socket(impl_->io);
    boost::system::error_code error;
    impl_->acceptor.accept(socket, error);
    if (error || stopping_) continue;
    net::streambuf request;
    net::read_until(socket, request, "\r\n\r\n", error);
    if (error) continue;
    std::istream request_text(&request);
    const std::string range = range_header(request_text);
    const int request_number = ++requests_;
    {
      const std::lock_guard lock(mutex_);
      ranges_.push_back(range);
    }

    size_t start = 0;
    if (behaviour_.honour_range && range.starts_with("bytes=")) start = std::stoull(range.substr(6));
    if (start >= body_.size() && start > 0) {
      const std::string refusal = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" + std::to_string(body_.size()) +
                                  "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      net::write(socket, net::buffer(refusal), error);
      socket.shutdown(tcp::socket::shutdown_both, error);
      continue;
    }
    std::string head = start > 0 ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + std::to_string(start) + "-" +
                                       std::to_string(body_.size() - 1) + "/" + std::to_string(body_.size()) + "\r\n"
                                 : "HTTP/1.1 200 OK\r\n";
    if (behaviour_.chunked) {
      head += "Transfer-Encoding: chunked\r\n";
    } else if (behaviour_.send_length) {
      head += "Content-Length: " + std::to_string(body_.size() - start) + "\r\n";
    }
    head += "Content-Type: video/mp4\r\nConnection: close\r\n\r\n";
    net::write(socket, net::buffer(head), error);

    size_t end = body_.size();
    const bool cut = request_number == 1 && behaviour_.cut_first_answer_after >= 0;
    if (cut) end = std::min(end, start + static_cast<size_t>(behaviour_.cut_first_answer_after));
    for (size_t at = start; at < end && !error && !stopping_; at += behaviour_.chunk_bytes) {
      const size_t bytes = std::min(behaviour_.chunk_bytes, end - at);
      if (behaviour_.chunked) {
        char size_line[32];
        std::snprintf(size_line, sizeof size_line, "%zx\r\n", bytes);
        net::write(socket, net::buffer(std::string(size_line)), error);
      }
      net::write(socket, net::buffer(body_.data() + at, bytes), error);
      if (behaviour_.chunked) net::write(socket, net::buffer(std::string("\r\n")), error);
      if (behaviour_.chunk_interval.count() > 0) std::this_thread::sleep_for(behaviour_.chunk_interval);
    }
    if (behaviour_.chunked && !cut) net::write(socket, net::buffer(std::string("0\r\n\r\n")), error);
    socket.shutdown(tcp::socket::shutdown_both, error);
  }
}

}  // namespace sn44::testing
