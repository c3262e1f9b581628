#include "server/response_compression.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "core/error.h"

namespace sn44::server {
namespace {

namespace http = boost::beast::http;

constexpr size_t kSmallestCompressedBody = 1024;  // below this the gzip header and the time are not worth it

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool same_letters(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The q-value of one list member's parameters ("q=0.5"); 1 without one.
double quality(std::string_view parameters) {
  while (!parameters.empty()) {
    const size_t end = parameters.find(';');
    const std::string_view parameter = trim(parameters.substr(0, end));
    if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=')
      return std::strtod(std::string(parameter.substr(2)).c_str(), nullptr);
    if (end == std::string_view::npos) break;
    parameters.remove_prefix(end + 1);
  }
  return 1;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<double> gzip_quality, any_quality;
  while (!accept_encoding.empty()) {
    const size_t end = accept_encoding.find(',');
    const std::string_view member = accept_encoding.substr(0, end);
    const size_t semicolon = member.find(';');
    const std::string_view coding = trim(member.substr(0, semicolon));
    const double q = semicolon == std::string_view::npos ? 1 : quality(member.substr(semicolon + 1));
    if (same_letters(coding, "gzip") || same_letters(coding, "x-gzip")) gzip_quality = q;
    if (coding == "*") any_quality = q;
    if (end == std::string_view::npos) break;
    accept_encoding.remove_prefix(end + 1);
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
