#include "support/test_http_server.h"

#include "support/file_text.h"

namespace sn44::testing {

namespace http = boost::beast::http;

TestHttpServer::TestHttpServer() {
  server::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 1;
  http_ = std::make_unique<server::HttpServer>(options, *this);
}

TestHttpServer::~TestHttpServer() {
  {
    // Unanswered requests go first, while their connections' I/O context still exists.
    const std::lock_guard lock(mutex_);
    held_.clear();
  }
  http_.reset();
}

void TestHttpServer::serve(const std::string& path, std::string body) {
  const std::lock_guard lock(mutex_);
  routes_[path] = Route{200, std::move(body), "", false};
}

void TestHttpServer::serve_file(const std::string& path, const std::filesystem::path& file) {
  serve(path, file_text(file));
}

void TestHttpServer::fail(const std::string& path, int status) {
  const std::lock_guard lock(mutex_);
  routes_[path] = Route{status, "error " + std::to_string(status), "", false};
}

void TestHttpServer::redirect(const std::string& path, const std::string& location) {
  const std::lock_guard lock(mutex_);
  routes_[path] = Route{302, "", location, false};
}

void TestHttpServer::hang(const std::string& path) {
  const std::lock_guard lock(mutex_);
  routes_[path] = Route{0, "", "", true};
}

std::string TestHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(http_->port()) + path;
}

void TestHttpServer::handle(server::Request request, server::Responder respond) {
  ++requests_;
  const std::lock_guard lock(mutex_);
  const auto route = routes_.find(std::string(request.target()));
  if (route == routes_.end()) return respond(server::error_response(request.version(), false, 404, "Not Found"));
  if (route->second.hang) {
    held_.push_back(std::move(respond));
    return;
  }
  server::Response response{static_cast<http::status>(route->second.status), request.version()};
  response.keep_alive(false);
  if (!route->second.location.empty()) response.set(http::field::location, route->second.location);
  response.body() = route->second.body;
  response.prepare_payload();
  respond(std::move(response));
}

}  // namespace sn44::testing
