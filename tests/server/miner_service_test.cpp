// The miner's API on loopback, driven like a validator drives it: every refusal with the status
// the specification gives and no download started; a good challenge downloaded, processed and
// answered; availability, queueing, metrics.

#include "server/miner_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <limits>
#include <future>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

#include "core/error.h"
#include "protocol/fiber_request.h"
#include "protocol/ss58.h"
#include "server/http_client.h"
#include "support/slow_file_server.h"
#include "support/temp_dir.h"
#include "support/test_http_server.h"

namespace sn44::server {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

const protocol::Keypair& validator_key() {
  static const protocol::Keypair key = protocol::Keypair::from_seed(std::vector<uint8_t>(32, 1));
  return key;
}
const protocol::Keypair& poor_validator_key() {
  static const protocol::Keypair key = protocol::Keypair::from_seed(std::vector<uint8_t>(32, 2));
  return key;
}
const protocol::Keypair& stranger_key() {
  static const protocol::Keypair key = protocol::Keypair::from_seed(std::vector<uint8_t>(32, 3));
  return key;
}
std::string miner_hotkey() { return protocol::ss58_encode(protocol::Keypair::from_seed(std::vector<uint8_t>(32, 9)).public_key()); }

// Answers with the size of the video it was given; can be held until released (or stopped).
class FakeProcessor : public ChallengeProcessor {
 public:
  std::string process(const GrowingFile& arriving, const std::string& challenge_id, std::stop_token stop) override {
    const std::filesystem::path& video = arriving.path();
    {
      std::unique_lock lock(mutex_);
      ++started_;
      videos_.push_back(video);
      complete_at_start_.push_back(arriving.is_complete());
      changed_.notify_all();
      if (heed_stop_) {
        changed_.wait(lock, stop, [this] { return !hold_; });
      } else {
        changed_.wait(lock, [this] { return !hold_; });
      }
    }
    if (stop.stop_requested()) throw Error(ErrorKind::timeout, "processing stopped: time limit reached");
    const int64_t size = arriving.wait_for(std::numeric_limits<int64_t>::max(), stop);  // the whole video
    if (size == 3)  // a library failure naming the file and one next to it
      throw std::filesystem::filesystem_error("cannot read frames", video, video.parent_path() / "frames",
                                              std::make_error_code(std::errc::io_error));
    if (size < 4) throw Error(ErrorKind::corrupt_data, "video '" + video.string() + "' is not a video");
    json frames = json::array();  // one entry per 100 bytes of video, so that larger videos give larger answers
    for (int64_t i = 0; i < size / 100; ++i) frames.push_back({{"frame_number", i}});
    return json{{"challenge_id", challenge_id}, {"frames", std::move(frames)}, {"bytes", size}}.dump();
  }
  // Holds every call until release(); one that does not `heed_stop` stays held past its time limit.
  void hold(bool heed_stop = true) {
    const std::lock_guard lock(mutex_);
    hold_ = true;
    heed_stop_ = heed_stop;
  }
  void release() {
    {
      const std::lock_guard lock(mutex_);
      hold_ = false;
    }
    changed_.notify_all();
  }
  void wait_started(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= count; });
  }
  std::vector<std::filesystem::path> videos() {
    const std::lock_guard lock(mutex_);
    return videos_;
  }
  // For each call, whether the download had finished when the analysis was handed the video.
  std::vector<bool> complete_at_start() {
    const std::lock_guard lock(mutex_);
    return complete_at_start_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any changed_;
  bool hold_ = false;
  bool heed_stop_ = true;
  int started_ = 0;
  std::vector<std::filesystem::path> videos_;  // every path it was given
  std::vector<bool> complete_at_start_;
};

class StaticStakes : public StakeSource {
 public:
  std::optional<double> stake_of(const std::string& hotkey) const override {
    if (hotkey == protocol::ss58_encode(validator_key().public_key())) return 5000.0;
    if (hotkey == protocol::ss58_encode(poor_validator_key().public_key())) return 12.5;
    return std::nullopt;
  }
  // As the metagraph reports itself; none (a static source, like the allowlist) by default.
  std::optional<RefreshState> refresh_state() const override {
    const std::lock_guard lock(mutex_);
    return refresh_;
  }
  void set_refresh_state(std::optional<RefreshState> state) {
    const std::lock_guard lock(mutex_);
    refresh_ = std::move(state);
  }
  // The chain's record of the miner's hotkey; none (a static source) by default.
  std::optional<MinerRegistration> registration_of(const std::string& hotkey) const override {
    const std::lock_guard lock(mutex_);
    if (hotkey != miner_hotkey()) return MinerRegistration{};
    return registration_;
  }
  void set_registration(std::optional<MinerRegistration> registration) {
    const std::lock_guard lock(mutex_);
    registration_ = std::move(registration);
  }

 private:
  mutable std::mutex mutex_;
  std::optional<RefreshState> refresh_;
  std::optional<MinerRegistration> registration_;
};

class MinerServiceTest : public ::testing::Test {
 protected:
  MinerServiceTest() {
    start(default_options());
    files_.serve("/clip.mp4", std::string(1000, 'v'));
  }
  ~MinerServiceTest() override {
    stop();
    // Whatever happened, no downloaded video is left behind.
    EXPECT_TRUE(std::filesystem::is_empty(downloads_.path())) << "a downloaded video was left in " << downloads_.path();
    for (const auto& video : processor_.videos()) EXPECT_FALSE(std::filesystem::exists(video)) << video;
  }

  // The defaults, except fast download retries and a small size limit.
  MinerServiceOptions default_options() const {
    MinerServiceOptions options;
    options.own_hotkey = miner_hotkey();
    options.download.first_backoff = std::chrono::milliseconds(10);
    options.download.max_backoff = std::chrono::milliseconds(10);
    options.download.max_bytes = 1 << 20;
    options.download_folder = downloads_.path();
    return options;
  }

  void start(const MinerServiceOptions& options) {
    service_ = std::make_unique<MinerService>(options, &stakes_, processor_);
    HttpServerOptions http;
    http.host = "127.0.0.1";
    http.port = 0;
    http.read_timeout = std::chrono::milliseconds(300);
    http_ = std::make_unique<HttpServer>(http, *service_);
  }
  void stop() {
    processor_.release();
    service_->stop_challenges();
    http_.reset();
  }
  void restart(const MinerServiceOptions& options) {
    stop();
    start(options);
  }
  void restart_with_time_limit(std::chrono::milliseconds limit) {
    MinerServiceOptions options = default_options();
    options.challenge_time_limit = limit;
    restart(options);
  }
  // Until /health counts `count` challenges running or waiting (for at most 4 s).
  void wait_for_queued_challenges(int count) const {
    for (int i = 0; i < 400 && json::parse(get("/health").body)["queued_challenges"] != count; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(http_->port()) + path; }

  static std::string body_for(const std::string& video_url) {
    return "{\"challenge_id\": \"7\", \"type\": \"gsr\", \"video_url\": " + json(video_url).dump() +
           ", \"created_at\": \"2025-08-14T12:00:00+00:00\"}";
  }

  std::map<std::string, std::string> signed_headers(const std::string& body, const protocol::Keypair& key = validator_key(),
                                                    std::string nonce = "") const {
    if (nonce.empty()) nonce = protocol::make_nonce(protocol::unix_time_ns());
    const protocol::SignedHeaders headers = protocol::sign_post(key, miner_hotkey(), body, nonce);
    return {{"Content-Type", "application/json"},
            {"validator-hotkey", headers.validator_hotkey},
            {"miner-hotkey", headers.miner_hotkey},
            {"nonce", headers.nonce},
            {"signature", headers.signature}};
  }

  HttpReply post(const std::map<std::string, std::string>& headers, const std::string& body) const {
    return http_request("POST", url("/soccer/challenge"), headers, body, std::chrono::milliseconds(20000));
  }
  HttpReply get(const std::string& path) const { return http_request("GET", url(path), {}, "", std::chrono::milliseconds(5000)); }

  static std::string detail(const HttpReply& reply) { return json::parse(reply.body)["detail"].dump(); }

  // A refused challenge: the status, a detail naming the cause, and no download.
  void expect_refused(const HttpReply& reply, long status, const std::string& cause) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_THAT(detail(reply), HasSubstr(cause));
    EXPECT_EQ(files_.requests(), 0) << "a refused challenge must not start a download";
  }

  testing::TempDir downloads_;
  StaticStakes stakes_;
  FakeProcessor processor_;
  testing::TestHttpServer files_;
  std::unique_ptr<MinerService> service_;
  std::unique_ptr<HttpServer> http_;
};

TEST_F(MinerServiceTest, AValidChallengeIsDownloadedProcessedAndAnswered) {
  const std::string body = body_for(files_.url("/clip.mp4"));
  const HttpReply reply = post(signed_headers(body), body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json answer = json::parse(reply.body);
  EXPECT_EQ(answer["challenge_id"], "7");
  EXPECT_EQ(answer["bytes"], 1000);
  EXPECT_EQ(files_.requests(), 1);
  const std::string metrics = get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("sn44_requests_total{route=\"/soccer/challenge\",status=\"200\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("sn44_downloaded_bytes_total 1000"));
  EXPECT_THAT(metrics, HasSubstr("sn44_challenge_seconds_count{stage=\"total\"} 1"));
}

TEST_F(MinerServiceTest, MissingHeadersAre422InFastApisShape) {
  const std::string body = body_for(files_.url("/clip.mp4"));
  for (const char* header : {"validator-hotkey", "miner-hotkey", "nonce", "signature"}) {
    auto headers = signed_headers(body);
    headers.erase(header);
    const HttpReply reply = post(headers, body);
    EXPECT_EQ(reply.status, 422) << header;
    EXPECT_EQ(json::parse(reply.body)["detail"][0]["loc"], json({"header", header}));
  }
  EXPECT_EQ(files_.requests(), 0);
}

TEST_F(MinerServiceTest, BadNoncesAre401) {
  const std::string body = body_for(files_.url("/clip.mp4"));
  const int64_t now = protocol::unix_time_ns();
  expect_refused(post(signed_headers(body, validator_key(), "yesterday_abc"), body), 401, "malformed");
  expect_refused(post(signed_headers(body, validator_key(), std::to_string(now - 200'000'000'000) + "_old"), body), 401, "window");
  expect_refused(post(signed_headers(body, validator_key(), std::to_string(now + 200'000'000'000) + "_future"), body), 401, "window");
}

TEST_F(MinerServiceTest, RefusalsQuotingBytesThatAreNotUtf8AreValidJson) {
  // The SS58 error quotes the offending character; a raw 0xFF in the header once made the JSON
  // writer throw on an I/O thread, which ended the process.
  const std::string body = body_for(files_.url("/clip.mp4"));
  auto headers = signed_headers(body);
  headers["validator-hotkey"] = "\xff";
  const HttpReply reply = post(headers, body);
  EXPECT_EQ(reply.status, 401) << reply.body;
  EXPECT_THAT(json::parse(reply.body)["detail"].get<std::string>(), HasSubstr("\uFFFD"));
  EXPECT_EQ(get("/health").status, 200) << "the miner is still up";
  EXPECT_EQ(post(signed_headers(body), body).status, 200);
}

TEST_F(MinerServiceTest, AReplayedRequestIs401) {
  const std::string body = body_for(files_.url("/missing.mp4"));  // answered 500 the first time
  const auto headers = signed_headers(body);
  EXPECT_EQ(post(headers, body).status, 500);
  const HttpReply replay = post(headers, body);
  EXPECT_EQ(replay.status, 401);
  EXPECT_THAT(detail(replay), HasSubstr("already used"));
  EXPECT_EQ(files_.requests(), 1) << "the replay must not start a download";
}

TEST_F(MinerServiceTest, BadSignaturesAre401) {
  const std::string body = body_for(files_.url("/clip.mp4"));
  auto forged = signed_headers(body);
  forged["validator-hotkey"] = protocol::ss58_encode(stranger_key().public_key());  // signed by someone else
  expect_refused(post(forged, body), 401, "invalid signature");
  auto without_prefix = signed_headers(body);
  without_prefix["signature"] = without_prefix["signature"].substr(2);
  expect_refused(post(without_prefix, body), 401, "0x");
  auto other_body = signed_headers(body);
  expect_refused(post(other_body, body_for("http://127.0.0.1:1/other.mp4")), 401, "invalid signature");
}

TEST_F(MinerServiceTest, ARequestForAnotherMinerIs401) {
  const std::string body = body_for(files_.url("/clip.mp4"));
  const std::string nonce = protocol::make_nonce(protocol::unix_time_ns());
  const protocol::SignedHeaders headers = protocol::sign_post(validator_key(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", body, nonce);
  expect_refused(post({{"validator-hotkey", headers.validator_hotkey}, {"miner-hotkey", headers.miner_hotkey},
                       {"nonce", headers.nonce}, {"signature", headers.signature}},
                      body),
                 401, "invalid miner hotkey");
}

TEST_F(MinerServiceTest, UnknownAndUnderStakedValidatorsAre403) {
  const std::string body = body_for(files_.url("/clip.mp4"));
  expect_refused(post(signed_headers(body, stranger_key()), body), 403, "Hotkey not found in metagraph");
  expect_refused(post(signed_headers(body, poor_validator_key()), body), 403, "12.5 TAO < minimum 1000 TAO");
  EXPECT_THAT(get("/metrics").body, HasSubstr("sn44_auth_failures_total{reason=\"stake\"} 2"));
}

TEST_F(MinerServiceTest, BadBodiesAre400AndOversizedRequests413Or431) {
  expect_refused(post(signed_headers("{not json"), "{not json"), 400, "not valid JSON");
  const std::string no_url = R"({"challenge_id": "7", "type": "gsr"})";
  expect_refused(post(signed_headers(no_url), no_url), 400, "No video URL");
  const std::string huge = body_for(files_.url("/clip.mp4") + "?" + std::string(70 * 1024, 'x'));
  expect_refused(post(signed_headers(huge), huge), 413, "too large");
  const std::string body = body_for(files_.url("/clip.mp4"));
  auto bloated = signed_headers(body);
  bloated["x-padding"] = std::string(20 * 1024, 'p');
  expect_refused(post(bloated, body), 431, "headers too large");
  // The HTTP server refused the last two itself; they are counted all the same.
  const std::string metrics = get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("sn44_rejected_requests_total{reason=\"body_too_large\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("sn44_rejected_requests_total{reason=\"headers_too_large\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("sn44_rejected_requests_total{reason=\"malformed\"} 0\n"));
}

TEST_F(MinerServiceTest, EveryCounterAndHistogramIsThereAtZeroBeforeAnyEvent) {
  const std::string metrics = get("/metrics").body;
  for (const char* reason : {"body_too_large", "headers_too_large", "malformed", "too_many_connections"})
    EXPECT_THAT(metrics, HasSubstr("sn44_rejected_requests_total{reason=\"" + std::string(reason) + "\"} 0\n"));
  for (const char* reason : {"nonce", "miner hotkey", "validator-hotkey", "signature", "other", "stake"})
    EXPECT_THAT(metrics, HasSubstr("sn44_auth_failures_total{reason=\"" + std::string(reason) + "\"} 0\n"));
  for (const char* stage : {"download", "processing", "total"}) {
    EXPECT_THAT(metrics, HasSubstr("sn44_challenge_seconds_bucket{stage=\"" + std::string(stage) + "\",le=\"+Inf\"} 0\n"));
    EXPECT_THAT(metrics, HasSubstr("sn44_challenge_seconds_count{stage=\"" + std::string(stage) + "\"} 0\n"));
  }
}

TEST_F(MinerServiceTest, LargeAnswersAreGzippedForClientsThatAcceptIt) {
  files_.serve("/long.mp4", std::string(20'000, 'v'));  // an answer of 200 frame entries, about 4 kB
  const std::string body = body_for(files_.url("/long.mp4"));
  const auto answer_to = [&](const std::string& accept_encoding) {
    auto headers = signed_headers(body);
    if (!accept_encoding.empty()) headers["accept-encoding"] = accept_encoding;
    return post(headers, body);
  };
  // The test client offers gzip (as httpx does) and decodes it.
  const HttpReply offered = answer_to("");
  ASSERT_EQ(offered.status, 200) << offered.body;
  EXPECT_EQ(offered.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(offered.headers.at("vary"), "Accept-Encoding");
  EXPECT_EQ(json::parse(offered.body)["frames"].size(), 200u);
  EXPECT_EQ(answer_to("gzip, deflate").headers.count("content-encoding"), 1u);
  for (const std::string refused : {"identity", "gzip;q=0, deflate", "br"}) {
    const HttpReply plain = answer_to(refused);
    ASSERT_EQ(plain.status, 200) << refused;
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u) << refused;
    EXPECT_EQ(plain.headers.at("vary"), "Accept-Encoding");
    EXPECT_EQ(plain.body, offered.body) << "the same answer, uncompressed";
  }
  // A small answer goes as it is; so does every answer with RESPONSE_GZIP_LEVEL=0.
  const std::string small = body_for(files_.url("/clip.mp4"));
  EXPECT_EQ(post(signed_headers(small), small).headers.count("content-encoding"), 0u);
  MinerServiceOptions options = default_options();
  options.response_gzip_level = 0;
  restart(options);
  EXPECT_EQ(answer_to("gzip").headers.count("content-encoding"), 0u);
}

TEST_F(MinerServiceTest, TheAnalysisStartsOnTheFirstBytesOfTheVideo) {
  // 200 kB in 16 kB pieces 40 ms apart: the download takes about half a second.
  testing::SlowFileServer slow(std::string(200'000, 'v'), {.chunk_bytes = 16 * 1024, .chunk_interval = std::chrono::milliseconds(40)});
  const std::string body = body_for(slow.url());
  const HttpReply reply = post(signed_headers(body), body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(json::parse(reply.body)["bytes"], 200'000) << "the analysis read the whole video";
  EXPECT_EQ(processor_.complete_at_start(), std::vector<bool>{false}) << "it started before the download ended";
  const std::string metrics = get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("sn44_downloaded_bytes_total 200000\n"));
  EXPECT_THAT(metrics, HasSubstr("sn44_challenge_seconds_count{stage=\"download\"} 1\n"));
}

TEST_F(MinerServiceTest, ADownloadThatBreaksWhileTheAnalysisRunsIsReportedAsADownloadFailure) {
  MinerServiceOptions options = default_options();
  options.download.attempts = 1;
  restart(options);
  testing::SlowFileServer broken(std::string(200'000, 'v'), {.chunk_bytes = 16 * 1024, .chunk_interval = std::chrono::milliseconds(20),
                                                             .cut_first_answer_after = 100'000});
  const std::string body = body_for(broken.url());
  const HttpReply reply = post(signed_headers(body), body);
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(detail(reply), HasSubstr("download of " + broken.url()));
  EXPECT_EQ(processor_.complete_at_start(), std::vector<bool>{false});
  EXPECT_EQ(get("/health").status, 200);
}

TEST_F(MinerServiceTest, DownloadAndProcessingFailuresAre500) {
  files_.fail("/gone.mp4", 404);
  files_.serve("/tiny.mp4", "ab");
  const std::string gone = body_for(files_.url("/gone.mp4"));
  const HttpReply not_found = post(signed_headers(gone), gone);
  EXPECT_EQ(not_found.status, 500);
  EXPECT_THAT(detail(not_found), HasSubstr("HTTP status 404"));
  const std::string tiny = body_for(files_.url("/tiny.mp4"));
  const HttpReply not_video = post(signed_headers(tiny), tiny);
  EXPECT_EQ(not_video.status, 500);
  EXPECT_THAT(detail(not_video), HasSubstr("not a video"));
  files_.serve("/huge.mp4", std::string((1 << 20) + 1, 'v'));
  const std::string huge = body_for(files_.url("/huge.mp4"));
  const HttpReply too_large = post(signed_headers(huge), huge);
  EXPECT_EQ(too_large.status, 500);
  EXPECT_THAT(detail(too_large), HasSubstr("larger than the limit of 1048576 bytes"));
  const std::string local = body_for("file:///etc/passwd");
  EXPECT_THAT(detail(post(signed_headers(local), local)), HasSubstr("http or https"));
  EXPECT_EQ(processor_.videos().size(), 1U) << "only the downloaded non-video reaches the processor";
  // The service is still healthy.
  EXPECT_EQ(get("/health").status, 200);
}

// Collects what the miner logs while it exists.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return text_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

TEST_F(MinerServiceTest, RefusalsAreLoggedEscapedCutAndAtMostABurstAtATime) {
  const CapturedLog log;
  const std::string body = body_for(files_.url("/clip.mp4"));
  auto headers = signed_headers(body);
  // A UTF-8 encoded CSI (a terminal escape: HTTP refuses the ASCII control bytes), then bulk.
  headers["validator-hotkey"] = "\xc2\x9b" "2J" + std::string(8000, 'A');
  for (int i = 0; i < 30; ++i) EXPECT_EQ(post(headers, body).status, 401);
  const std::string text = log.text();
  size_t lines = 0;
  for (size_t at = text.find("challenge refused"); at != std::string::npos; at = text.find("challenge refused", at + 1)) ++lines;
  EXPECT_EQ(lines, 10U) << "a burst of 10 per 10 s";
  EXPECT_LT(text.size(), 10U * 400) << "each line cut short";
  EXPECT_THAT(text, HasSubstr("\\xc2\\x9b2JAAAA"));
  EXPECT_THAT(text, HasSubstr("(8004 bytes)"));
  EXPECT_EQ(text.find_first_of("\xc2\x9b"), std::string::npos) << "no raw escape reaches the log";
  EXPECT_THAT(get("/metrics").body, HasSubstr("sn44_auth_failures_total{reason=\"validator-hotkey\"} 30\n")) << "the metrics count every one";
}

TEST_F(MinerServiceTest, FailuresDoNotTellValidatorsWhereTheMinerKeepsItsFiles) {
  const CapturedLog log;
  files_.serve("/tiny.mp4", "ab");
  files_.serve("/odd.mp4", "abc");
  const std::string tiny = body_for(files_.url("/tiny.mp4"));
  const std::string not_video = detail(post(signed_headers(tiny), tiny));
  const std::string odd = body_for(files_.url("/odd.mp4"));
  const std::string internal = detail(post(signed_headers(odd), odd));
  ASSERT_EQ(processor_.videos().size(), 2U);
  const std::string folder = processor_.videos()[0].parent_path().string();
  EXPECT_THAT(folder, HasSubstr(downloads_.path().string()));

  EXPECT_EQ(not_video, json("the downloaded clip is not a video").dump());
  EXPECT_THAT(internal, HasSubstr("internal error: "));
  EXPECT_THAT(internal, HasSubstr("cannot read frames"));
  EXPECT_THAT(internal, HasSubstr("[the downloaded clip] [the download folder/frames]"));
  for (const std::string& text : {not_video, internal}) {
    EXPECT_THAT(text, ::testing::Not(HasSubstr(downloads_.path().string())));
    EXPECT_THAT(text, ::testing::Not(HasSubstr("sn44-miner-")));
    EXPECT_THAT(text, ::testing::Not(HasSubstr("challenge.mp4")));
  }
  // The operator's log keeps the paths.
  EXPECT_THAT(log.text(), HasSubstr("video '" + processor_.videos()[0].string() + "' is not a video"));
  EXPECT_THAT(log.text(), HasSubstr(processor_.videos()[1].string()));
  EXPECT_THAT(log.text(), HasSubstr((processor_.videos()[1].parent_path() / "frames").string()));
}

TEST_F(MinerServiceTest, ADownloadFolderTheMinerCannotWriteIsNotNamedToValidators) {
  const CapturedLog log;
  const std::filesystem::path missing = downloads_.path() / "no-such-folder";
  MinerServiceOptions options = default_options();
  options.download_folder = missing.string() + "/";  // as an operator may write it
  restart(options);
  const std::string body = body_for(files_.url("/clip.mp4"));
  const HttpReply reply = post(signed_headers(body), body);
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(detail(reply), json("cannot create a temporary folder in the download folder: No such file or directory").dump());
  EXPECT_EQ(files_.requests(), 0);
  EXPECT_THAT(log.text(), HasSubstr("cannot create a temporary folder in " + missing.string() + ": No such file or directory"));
}

TEST_F(MinerServiceTest, AVideoServerThatNeverAnswersIs500AfterEveryAttempt) {
  MinerServiceOptions options = default_options();
  options.download.total_timeout = std::chrono::milliseconds(200);
  restart(options);
  files_.hang("/silent.mp4");
  const std::string body = body_for(files_.url("/silent.mp4"));
  const HttpReply reply = post(signed_headers(body), body);
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(detail(reply), HasSubstr("timed out"));
  EXPECT_THAT(detail(reply), HasSubstr("after 3 attempts"));
  EXPECT_EQ(files_.requests(), 3);
  EXPECT_TRUE(processor_.videos().empty());
}

TEST_F(MinerServiceTest, OneChallengeAtATimeAndABoundedQueue) {
  processor_.hold();
  const std::string body = body_for(files_.url("/clip.mp4"));
  const auto send = [&] { return std::async(std::launch::async, [&] { return post(signed_headers(body), body); }); };
  EXPECT_EQ(json::parse(get("/availability").body), json({{"available", true}}));
  auto first = send();
  processor_.wait_started(1);
  EXPECT_EQ(json::parse(get("/availability").body), json({{"available", false}}));
  // Two more wait behind it (MAX_QUEUED_CHALLENGES defaults to 2); then the fourth is turned away.
  auto second = send();
  auto third = send();
  wait_for_queued_challenges(3);
  EXPECT_EQ(json::parse(get("/health").body)["queued_challenges"], 3);
  EXPECT_THAT(get("/metrics").body, HasSubstr("sn44_queue_depth 3"));
  const HttpReply fourth = post(signed_headers(body), body);
  EXPECT_EQ(fourth.status, 503);
  EXPECT_EQ(fourth.headers.at("retry-after"), "10");
  EXPECT_THAT(detail(fourth), HasSubstr("too many challenges queued"));
  EXPECT_EQ(files_.requests(), 1) << "waiting challenges download only when their turn comes";
  processor_.release();
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  EXPECT_EQ(third.get().status, 200);
  EXPECT_EQ(files_.requests(), 3);
  // The queue marks itself idle right after the last answer has been handed over.
  bool available = false;
  for (int i = 0; i < 200 && !available; ++i) {
    available = json::parse(get("/availability").body)["available"].get<bool>();
    if (!available) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(available);
}

TEST_F(MinerServiceTest, StoppingAnswersEveryChallengeWhileTheApiStaysUp) {
  processor_.hold();
  const std::string body = body_for(files_.url("/clip.mp4"));
  auto running = std::async(std::launch::async, [&] { return post(signed_headers(body), body); });
  processor_.wait_started(1);
  auto waiting = std::async(std::launch::async, [&] { return post(signed_headers(body), body); });
  wait_for_queued_challenges(2);
  service_->stop_challenges();  // as on SIGTERM, with the HTTP server still answering
  EXPECT_EQ(running.get().status, 500);
  const HttpReply dropped = waiting.get();
  EXPECT_EQ(dropped.status, 503);
  EXPECT_THAT(detail(dropped), HasSubstr("shutting down"));
  const HttpReply late = post(signed_headers(body), body);
  EXPECT_EQ(late.status, 503);
  EXPECT_THAT(detail(late), HasSubstr("shutting down"));
  EXPECT_EQ(json::parse(get("/availability").body), json({{"available", true}}));
  EXPECT_EQ(files_.requests(), 1);
}

TEST_F(MinerServiceTest, TheTimeLimitEndsAChallengeThatRunsTooLong) {
  restart_with_time_limit(std::chrono::milliseconds(300));
  processor_.hold();  // never released: only the time limit can end it
  const std::string body = body_for(files_.url("/clip.mp4"));
  const auto started = std::chrono::steady_clock::now();
  const HttpReply reply = post(signed_headers(body), body);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(detail(reply), HasSubstr("time limit"));
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  EXPECT_LT(elapsed, std::chrono::milliseconds(5000));
  // The next challenge runs normally.
  processor_.release();
  EXPECT_EQ(post(signed_headers(body), body).status, 200);
}

TEST_F(MinerServiceTest, AChallengeWhoseTimeRunsOutWhileItWaitsIs503AndNeverDownloaded) {
  restart_with_time_limit(std::chrono::milliseconds(300));
  processor_.hold(/*heed_stop=*/false);  // the first challenge overruns its time limit
  const std::string body = body_for(files_.url("/clip.mp4"));
  auto first = std::async(std::launch::async, [&] { return post(signed_headers(body), body); });
  processor_.wait_started(1);
  auto second = std::async(std::launch::async, [&] { return post(signed_headers(body), body); });
  wait_for_queued_challenges(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past both time limits
  processor_.release();
  EXPECT_EQ(first.get().status, 500);
  const HttpReply dropped = second.get();
  EXPECT_EQ(dropped.status, 503);
  EXPECT_THAT(detail(dropped), HasSubstr("time limit ran out while it waited"));
  EXPECT_EQ(files_.requests(), 1) << "a challenge its validator gave up on is not downloaded";
  EXPECT_EQ(processor_.videos().size(), 1U);
}

TEST_F(MinerServiceTest, TheTimeLimitAlsoEndsADownloadThatHangs) {
  restart_with_time_limit(std::chrono::milliseconds(300));
  files_.hang("/slow.mp4");
  const std::string body = body_for(files_.url("/slow.mp4"));
  const HttpReply reply = post(signed_headers(body), body);
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(detail(reply), HasSubstr("stopped (time limit)"));
  EXPECT_TRUE(processor_.videos().empty()) << "nothing is processed after a failed download";
}

TEST_F(MinerServiceTest, HealthShowsTheChainStateOnlyForStakesThatRefresh) {
  const json plain = json::parse(get("/health").body);
  EXPECT_EQ(plain["status"], "ok");
  EXPECT_EQ(plain["hotkey"], miner_hotkey());
  EXPECT_TRUE(plain["stake_data_age_seconds"].is_null());
  EXPECT_FALSE(plain.contains("metagraph")) << "a static stake source has no refreshes to report";
  EXPECT_THAT(get("/metrics").body, ::testing::Not(HasSubstr("sn44_metagraph_refresh_failures")));

  stakes_.set_refresh_state(StakeSource::RefreshState{42.5, "connecting to 10.0.0.7:9944: Connection refused", 3});
  const json failing = json::parse(get("/health").body);
  EXPECT_EQ(failing["hotkey"], miner_hotkey()) << "the existing fields stay";
  EXPECT_EQ(failing["stake_check"], true);
  EXPECT_EQ(failing["stake_data_age_seconds"], 42.5);
  EXPECT_EQ(failing["metagraph"], json({{"last_refresh_age_seconds", 42.5},
                                        {"last_error", "connecting to 10.0.0.7:9944: Connection refused"},
                                        {"consecutive_failures", 3}}));
  const std::string metrics = get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("\nsn44_metagraph_refresh_failures 3\n"));
  EXPECT_THAT(metrics, HasSubstr("\nsn44_stake_data_age_seconds 42.5"));

  stakes_.set_refresh_state(StakeSource::RefreshState{0.25, "", 0});
  EXPECT_EQ(json::parse(get("/health").body)["metagraph"],
            json({{"last_refresh_age_seconds", 0.25}, {"last_error", nullptr}, {"consecutive_failures", 0}}));

  stakes_.set_refresh_state(StakeSource::RefreshState{std::nullopt, "no answer", 1});  // never loaded
  const json never = json::parse(get("/health").body);
  EXPECT_TRUE(never["stake_data_age_seconds"].is_null());
  EXPECT_TRUE(never["metagraph"]["last_refresh_age_seconds"].is_null());
  EXPECT_EQ(never["metagraph"]["last_error"], "no answer");
}

TEST_F(MinerServiceTest, HealthAndMetricsSayWhetherTheChainHasTheMinersHotkey) {
  EXPECT_FALSE(json::parse(get("/health").body).contains("registration")) << "a static stake source does not know";
  EXPECT_THAT(get("/metrics").body, ::testing::Not(HasSubstr("sn44_miner_registered")));

  stakes_.set_registration(MinerRegistration{17, "203.0.113.5", 8091});
  EXPECT_EQ(json::parse(get("/health").body)["registration"], json({{"registered", true}, {"uid", 17}, {"axon", "203.0.113.5:8091"}}));
  EXPECT_THAT(get("/metrics").body, HasSubstr("\nsn44_miner_registered 1\n"));

  stakes_.set_registration(MinerRegistration{});  // deregistered
  EXPECT_EQ(json::parse(get("/health").body)["registration"], json({{"registered", false}, {"uid", nullptr}, {"axon", nullptr}}));
  EXPECT_THAT(get("/metrics").body, HasSubstr("\nsn44_miner_registered 0\n"));
}

TEST_F(MinerServiceTest, UnknownRoutesAndMethods) {
  EXPECT_EQ(get("/nothing").status, 404);
  EXPECT_EQ(get("/soccer/challenge").status, 405);
  EXPECT_EQ(get("/probe-1").status, 404);
  const std::string metrics = get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("sn44_requests_total{route=\"other\",status=\"404\"} 2"));
  EXPECT_THAT(metrics, HasSubstr("sn44_requests_total{route=\"/soccer/challenge\",status=\"405\"} 1"));
  EXPECT_THAT(metrics, ::testing::Not(HasSubstr("probe")));
}

}  // namespace
}  // namespace sn44::server
