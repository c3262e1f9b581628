#include "server/response_compression.h"

#include <zlib.h>

#include <algorithm>
#include <boost/beast/http/rfc7230.hpp>
#include <cstdlib>
#include <optional>

#include "core/error.h"

namespace sn44::server {
namespace {

namespace http = boost::beast::http;

constexpr size_t kSmallestCompressedBody = 1024;  // below this the gzip header and the time are not worth it

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<double> gzip_quality, any_quality;
  // Beast's parser of "coding;param=value, ..." lists (RFC 9110 grammar, whitespace included).
  for (const auto& [coding, parameters] : http::ext_list{boost::beast::string_view(accept_encoding.data(), accept_encoding.size())}) {
    double quality = 1;
    for (const auto& [name, value] : parameters)
      if (boost::beast::iequals(name, "q")) quality = std::strtod(std::string(value).c_str(), nullptr);
    if (boost::beast::iequals(coding, "gzip") || boost::beast::iequals(coding, "x-gzip")) gzip_quality = quality;
    if (coding == "*") any_quality = quality;
  }
  if (gzip_quality) return *gzip_quality > 0;
  return any_quality && *any_quality > 0;
}

std::string gzip(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(ErrorKind::internal, "zlib could not start compressing");
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);  // the bound guarantees one call finishes
  const size_t written = out.size() - stream.avail_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw Error(ErrorKind::internal, "zlib could not compress the answer");
  out.resize(written);
  return out;
}

void apply_content_encoding(Response& response, bool client_accepts_gzip, int level) {
  response.set(http::field::vary, "Accept-Encoding");
  if (!client_accepts_gzip || level <= 0 || response.body().size() < kSmallestCompressedBody) return;
  response.body() = gzip(response.body(), level);
  response.set(http::field::content_encoding, "gzip");
  response.prepare_payload();
}

}  // namespace sn44::server
