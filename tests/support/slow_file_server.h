#pragma once
// An HTTP server on a free loopback port that sends one file the way a slow or flaky host does: in
// chunks at a set pace, honouring Range requests or not (one past the end gets 416), cutting the
// first answer short, with or without Content-Length, or chunked. For the tests (and the benchmark) of decoding while downloading; the
// project's HTTP server sends whole bodies at once, so it cannot play this part.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sn44::testing {

class SlowFileServer {
 public:
  struct Behaviour {
    size_t chunk_bytes = 16 * 1024;
    std::chrono::microseconds chunk_interval{0};  // pause after each chunk
    bool honour_range = true;                     // false: a Range request gets the whole file (200)
    int64_t cut_first_answer_after = -1;          // >= 0: the first answer closes after that many body bytes
    bool send_length = true;                      // false: no Content-Length, the body ends with the connection
    bool chunked = false;  // Transfer-Encoding: chunked; a cut answer lacks the closing chunk, even after every byte
  };

  SlowFileServer(std::string body, Behaviour behaviour);
  ~SlowFileServer();
  SlowFileServer(const SlowFileServer&) = delete;
  SlowFileServer& operator=(const SlowFileServer&) = delete;

  std::string url() const;  // every path serves the file
  int requests() const { return requests_.load(); }
  std::vector<std::string> range_headers() const;  // each request's Range header, "" without one

 private:
  void serve_connections();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  const std::string body_;
  const Behaviour behaviour_;
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> ranges_;
  std::thread thread_;
};

}  // namespace sn44::testing
