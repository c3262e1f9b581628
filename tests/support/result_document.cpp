#include "support/result_document.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

namespace sn44::testing {
namespace {

double round_to(double value, double scale) { return std::round(value * scale) / scale; }
double coordinate(float value) { return round_to(value, 100.0); }

}  // namespace

std::string result_via_document(const std::string& challenge_id, const std::vector<FrameResult>& frames,
                                double processing_seconds) {
  using Json = nlohmann::ordered_json;
  Json frame_list = Json::array();
  for (const FrameResult& frame : frames) {
    Json keypoints = Json::array();
    for (const auto& point : frame.keypoints) keypoints.push_back({coordinate(point[0]), coordinate(point[1])});
    Json objects = Json::array();
    for (const TrackedObject& object : frame.objects) {
      objects.push_back({{"id", object.track_id},
                         {"bbox", {coordinate(object.box.x1), coordinate(object.box.y1), coordinate(object.box.x2), coordinate(object.box.y2)}},
                         {"class_id", object.class_id},
                         {"confidence", round_to(object.score, 1e4)}});
    }
    frame_list.push_back({{"frame_number", frame.frame_number}, {"keypoints", std::move(keypoints)}, {"objects", std::move(objects)}});
  }
  const Json body = {{"challenge_id", challenge_id}, {"frames", std::move(frame_list)}, {"processing_time", round_to(processing_seconds, 1e3)}};
  return body.dump();
}

std::vector<FrameResult> random_full_size_result(uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> x(0.0f, 1280.0f), y(150.0f, 720.0f), extent(10.0f, 90.0f), score(0.25f, 0.99f);
  std::vector<FrameResult> frames(750);
  for (size_t f = 0; f < frames.size(); ++f) {
    FrameResult& frame = frames[f];
    frame.frame_number = static_cast<int64_t>(f);
    for (size_t k = 0; k < frame.keypoints.size(); ++k) {
      frame.keypoints[k] = k % 3 == 0 ? std::array<float, 2>{0, 0} : std::array<float, 2>{x(random), y(random)};
    }
    for (int o = 0; o < 25; ++o) {
      const float left = x(random), top = y(random);
      frame.objects.push_back({o + 1, Box{left, top, left + extent(random), top + 2 * extent(random)}, o == 0 ? 0 : 2, score(random)});
    }
  }
  return frames;
}

}  // namespace sn44::testing
