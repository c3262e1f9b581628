// gzip for the challenge answer: which Accept-Encoding values admit it, a stream any gzip reader
// decodes (checked with zlib's inflate, which reads the gzip format on its own), and when a
// response is left alone.

#include "server/response_compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

namespace sn44::server {
namespace {

std::string gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);  // gzip only: a zlib or raw stream fails
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  int result = Z_OK;
  while (result == Z_OK) {
    char buffer[65536];
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  EXPECT_EQ(result, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

// JSON-like text: digits, brackets and repeated keys, as a result body is.
std::string result_like_text(size_t frames) {
  std::mt19937 random(5);
  std::string text = R"({"challenge_id": "7", "frames": [)";
  for (size_t i = 0; i < frames; ++i) {
    text += R"({"frame_number": )" + std::to_string(i) + R"(, "objects": [{"id": )" + std::to_string(random() % 40) +
            R"(, "bbox": [)" + std::to_string(random() % 128000 / 100.0) + ", " + std::to_string(random() % 72000 / 100.0) + "]}]},";
  }
  return text + "]}";
}

TEST(AcceptsGzip, ReadsTheHeaderAsRfc9110Says) {
  for (const char* yes : {"gzip", "gzip, deflate", "gzip, deflate, br, zstd", "deflate, GZIP", "x-gzip", "*", "br;q=1.0, gzip;q=0.5",
                          " gzip ; q=0.001", "identity, *;q=0.1"}) {
    EXPECT_TRUE(accepts_gzip(yes)) << yes;
  }
  for (const char* no : {"", "identity", "deflate, br", "gzip;q=0", "gzip; q=0.0, deflate", "*;q=0", "gzip;q=0, *", "gzipped"}) {
    EXPECT_FALSE(accepts_gzip(no)) << no;
  }
}

TEST(Gzip, AnyGzipReaderGetsTheBytesBack) {
  const std::string text = result_like_text(2000);
  for (const int level : {1, 6, 9}) {
    const std::string compressed = gzip(text, level);
    ASSERT_GE(compressed.size(), 18u);
    EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f) << "gzip magic";
    EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
    EXPECT_LT(compressed.size() * 2, text.size()) << "level " << level;
    EXPECT_EQ(gunzip(compressed), text) << "level " << level;
  }
  EXPECT_EQ(gunzip(gzip("", 1)), "");
}

TEST(ApplyContentEncoding, CompressesOnlyWhatIsAcceptedAndWorthIt) {
  const std::string large = result_like_text(200);
  const auto response_with = [](const std::string& body) {
    Response response = json_response(11, true, 200, body);
    return response;
  };
  Response compressed = response_with(large);
  apply_content_encoding(compressed, true, 1);
  EXPECT_EQ(compressed[boost::beast::http::field::content_encoding], "gzip");
  EXPECT_EQ(compressed[boost::beast::http::field::vary], "Accept-Encoding");
  EXPECT_EQ(compressed[boost::beast::http::field::content_length], std::to_string(compressed.body().size()));
  EXPECT_EQ(gunzip(compressed.body()), large);

  for (const auto& [accepted, level, body] : {std::tuple{false, 1, large}, std::tuple{true, 0, large}, std::tuple{true, 1, std::string(1000, 'x')}}) {
    Response plain = response_with(body);
    apply_content_encoding(plain, accepted, level);
    EXPECT_EQ(plain.body(), body);
    EXPECT_EQ(plain.count(boost::beast::http::field::content_encoding), 0u);
    EXPECT_EQ(plain[boost::beast::http::field::vary], "Accept-Encoding");
  }
}

}  // namespace
}  // namespace sn44::server
