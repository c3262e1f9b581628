// A validator's challenge from end to end on loopback: a video server holding a clip, the miner's
// API in front of a processor that decodes the clip for real (the analysis itself is the
// pipeline's business and tested there), and the validator's client signing and posting as fiber
// does. The answer must have one entry per decoded frame, in order.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "protocol/ss58.h"
#include "server/challenge_client.h"
#include "server/miner_service.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "support/test_http_server.h"
#include "video/decoder.h"

namespace sn44::server {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

// One result entry per decoded frame, without detections: what the server must carry intact.
class DecodingProcessor : public ChallengeProcessor {
 public:
  std::string process(const GrowingFile& video, const std::string& challenge_id, std::stop_token stop) override {
    video::Decoder decoder(video);
    json frames = json::array();
    while (const std::optional<video::Frame> frame = decoder.next()) {
      if (stop.stop_requested()) throw Error(ErrorKind::timeout, "decoding stopped: time limit reached");
      frames.push_back({{"frame_number", frame->index}, {"keypoints", json::array()}, {"objects", json::array()}});
    }
    return json{{"challenge_id", challenge_id}, {"frames", std::move(frames)}, {"processing_time", 0.0}}.dump();
  }
};

class AllowOneValidator : public StakeSource {
 public:
  explicit AllowOneValidator(std::string hotkey) : hotkey_(std::move(hotkey)) {}
  std::optional<double> stake_of(const std::string& hotkey) const override {
    return hotkey == hotkey_ ? std::optional<double>(1500.0) : std::nullopt;
  }

 private:
  std::string hotkey_;
};

class EndToEndTest : public ::testing::Test {
 protected:
  EndToEndTest() {
    MinerServiceOptions options;
    options.own_hotkey = protocol::ss58_encode(miner_key_.public_key());
    options.download_folder = downloads_.path();
    service_ = std::make_unique<MinerService>(options, &stakes_, processor_);
    HttpServerOptions http;
    http.host = "127.0.0.1";
    http.port = 0;
    http_ = std::make_unique<HttpServer>(http, *service_);
  }
  ~EndToEndTest() override {
    service_->stop_challenges();
    http_.reset();
    EXPECT_TRUE(std::filesystem::is_empty(downloads_.path())) << "a downloaded video was left behind";
  }

  std::string miner_url() const { return "http://127.0.0.1:" + std::to_string(http_->port()); }

  // Serves `clip`, sends a signed challenge for it, and returns the miner's answer.
  HttpReply challenge(const std::filesystem::path& clip) {
    files_.serve_file("/clip.mp4", clip);
    const std::string miner_hotkey = announced_miner_hotkey(miner_url(), std::chrono::seconds(5));
    const std::string body = challenge_body("e2e-1", files_.url("/clip.mp4"), utc_now_iso8601());
    return send_challenge(miner_url(), validator_key_, miner_hotkey, body, std::chrono::seconds(60));
  }

  // The answer is the result for this challenge with frames 0, 1, ..., count - 1.
  static void expect_frames(const HttpReply& reply, size_t count) {
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers.at("content-type"), "application/json");
    EXPECT_EQ(summarise_result(reply.body).frames, count);
    const json result = json::parse(reply.body);
    EXPECT_EQ(result["challenge_id"], "e2e-1");
    for (size_t i = 0; i < result["frames"].size(); ++i) EXPECT_EQ(result["frames"][i]["frame_number"], i);
  }

  const protocol::Keypair validator_key_ = protocol::Keypair::from_seed(std::vector<uint8_t>(32, 21));
  const protocol::Keypair miner_key_ = protocol::Keypair::from_seed(std::vector<uint8_t>(32, 22));
  testing::TempDir dir_;
  testing::TempDir downloads_;
  AllowOneValidator stakes_{protocol::ss58_encode(validator_key_.public_key())};
  DecodingProcessor processor_;
  testing::TestHttpServer files_;
  std::unique_ptr<MinerService> service_;
  std::unique_ptr<HttpServer> http_;
};

TEST_F(EndToEndTest, AClipWrittenByTheTestIsAnsweredFrameByFrame) {
  testing::write_synthetic_video(dir_ / "clip.mp4", 37, 320, 240);
  const HttpReply reply = challenge(dir_ / "clip.mp4");
  expect_frames(reply, 37);
  EXPECT_EQ(reply.headers.at("content-encoding"), "gzip") << "the client offers gzip, as the validators' does";
  EXPECT_EQ(files_.requests(), 1);
}

TEST_F(EndToEndTest, ARealBroadcastClipIsAnsweredFrameByFrame) {
  SN44_REQUIRE_SHARED_FILE(clip, "videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4");
  expect_frames(challenge(clip), 169);  // SOURCES.md: 169 frames decode
}

TEST_F(EndToEndTest, AFileThatIsNotAVideoIs500NamingTheCause) {
  std::ofstream(dir_ / "page.html") << "<html><body>Google Drive: virus scan warning</body></html>\n";
  const HttpReply reply = challenge(dir_ / "page.html");
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(json::parse(reply.body)["detail"].get<std::string>(), HasSubstr("cannot open as a video container"));
}

TEST_F(EndToEndTest, TheValidatorClientWritesTheBodyAsPythonJsonDumps) {
  // json.dumps({"challenge_id": "e2e-1", "type": "gsr", "video_url": "https://x/a b.mp4", "created_at": "..."})
  EXPECT_EQ(challenge_body("e2e-1", "https://x/a \"b\".mp4", "2025-08-14T12:00:00+00:00"),
            R"({"challenge_id": "e2e-1", "type": "gsr", "video_url": "https://x/a \"b\".mp4", "created_at": "2025-08-14T12:00:00+00:00"})");
}

TEST(ResultSummary, CountsFramesObjectsAndVisibleKeypoints) {
  const ResultSummary summary = summarise_result(
      R"({"frames": [{"frame_number": 0, "keypoints": [[0, 0], [10.5, 3], [0, 7]], "objects": [{"id": 1}, {"id": 2}]},
                     {"frame_number": 1, "keypoints": [[0, 0]], "objects": [{"id": 1}]}]})");
  EXPECT_EQ(summary.frames, 2U);
  EXPECT_EQ(summary.objects, 3U);
  EXPECT_EQ(summary.visible_keypoints, 2U);
  EXPECT_THROW(summarise_result(R"({"detail": "Not Found"})"), Error);
  EXPECT_THROW(summarise_result("<html>"), Error);
}

}  // namespace
}  // namespace sn44::server
