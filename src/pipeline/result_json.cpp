#include "pipeline/result_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace sn44::pipeline {
namespace {

double round_to(double value, double scale) { return std::round(value * scale) / scale; }
double coordinate(float value) { return round_to(value, 100.0); }

}  // namespace

std::string result_to_json(const std::string& challenge_id, const std::vector<FrameResult>& frames,
                           double processing_seconds) {
  // ordered_json keeps the fields in the order the specification lists them, for people reading it.
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

}  // namespace sn44::pipeline
