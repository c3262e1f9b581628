#pragma once
// An HTTP server for the tests, on a free loopback port: serves files and canned behaviours (errors,
// redirects, a server that never answers), counting the requests it gets.

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "server/http_server.h"

namespace sn44::testing {

class TestHttpServer : public server::RequestHandler {
 public:
  TestHttpServer();
  ~TestHttpServer() override;

  // GET `path` answers `body` with 200.
  void serve(const std::string& path, std::string body);
  void serve_file(const std::string& path, const std::filesystem::path& file);
  // GET `path` answers `status` (with a small body).
  void fail(const std::string& path, int status);
  // GET `path` redirects (302) to `location`.
  void redirect(const std::string& path, const std::string& location);
  // GET `path` never answers.
  void hang(const std::string& path);

  std::string url(const std::string& path) const;
  int requests() const { return requests_.load(); }

  void handle(server::Request request, server::Responder respond) override;

 private:
  struct Route {
    int status = 200;
    std::string body;
    std::string location;
    bool hang = false;
  };
  std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::vector<server::Responder> held_;  // answers never given, kept until the end
  std::atomic<int> requests_{0};
  std::unique_ptr<server::HttpServer> http_;
};

}  // namespace sn44::testing
