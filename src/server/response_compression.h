#pragma once
// gzip for the challenge answer. The validator times the request until the last byte of the answer
// has arrived, and the answer is about 2 MB of JSON digits for a 750-frame clip; its HTTP client
// (httpx) asks for gzip and decodes it. zlib's fastest level shrinks the body about 3 times in
// about 12 ms (docs/benchmarks.md), less than the wire time saved on any link under ~900 Mbit/s.

#include <string>
#include <string_view>

#include "server/http_server.h"

namespace sn44::server {

// Whether an Accept-Encoding value admits gzip (RFC 9110: "gzip", "x-gzip" or "*" with a q-value
// above 0, unless gzip itself is refused with q=0).
bool accepts_gzip(std::string_view accept_encoding);

// The gzip stream (RFC 1952) of `data` at zlib `level` (1 fastest .. 9 smallest).
std::string gzip(std::string_view data, int level);

// Compresses the response body with gzip when the client admits it (accepts_gzip of its request),
// `level` > 0 and the body is large enough to gain from it, and marks the response accordingly:
// Content-Encoding, and Vary in any case, since the body depends on the request's Accept-Encoding.
void apply_content_encoding(Response& response, bool client_accepts_gzip, int level);

}  // namespace sn44::server
