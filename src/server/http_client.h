#pragma once
// A small blocking HTTP client (libcurl) for the miner's API: the `challenge` command posts signed
// challenges with it, the tests drive the server with it.

#include <chrono>
#include <map>
#include <string>

namespace sn44::server {

struct HttpReply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  double seconds = 0;
};

// Offers and decodes compressed answers (gzip, ...), as a validator's client does; `body` is the
// decoded body and headers["content-encoding"] says how it came. Throws Error(unavailable) when no
// answer comes (connection refused, time-out).
HttpReply http_request(const std::string& method, const std::string& url, const std::map<std::string, std::string>& headers,
                       const std::string& body, std::chrono::milliseconds timeout);

}  // namespace sn44::server
