#include "scoring/miner_result.h"

#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/file_contents.h"
#include "scoring/json_fields.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;

// Errors say "malformed result JSON: <where>: <what>".
constexpr JsonFields kResult{"result JSON"};

KeypointArray parse_keypoint_pairs(const json& value, const std::string& where) {
  if (!value.is_array() || value.size() != kPitchVertexCount) {
    kResult.malformed(where, "expected a list of " + std::to_string(kPitchVertexCount) + " [x, y] pairs");
  }
  KeypointArray keypoints{};
  for (size_t i = 0; i < keypoints.size(); ++i) {
    const std::string pair_where = where + "[" + std::to_string(i) + "]";
    if (!value[i].is_array() || value[i].size() != 2) kResult.malformed(pair_where, "expected an [x, y] pair");
    keypoints[i] = {kResult.number(value[i][0], pair_where), kResult.number(value[i][1], pair_where)};
  }
  return keypoints;
}

ScoredObject parse_object(const json& value, const std::string& where) {
  if (!value.is_object()) kResult.malformed(where, "expected an object");
  ScoredObject object;
  object.id = kResult.integer(kResult.member(value, "id", where), where + ".id");
  object.class_id = static_cast<int>(kResult.integer(kResult.member(value, "class_id", where), where + ".class_id"));
  const json& bbox = kResult.member(value, "bbox", where);
  if (!bbox.is_array() || bbox.size() != 4) kResult.malformed(where + ".bbox", "expected [x1, y1, x2, y2]");
  for (size_t i = 0; i < 4; ++i) object.bbox[i] = kResult.number(bbox[i], where + ".bbox");
  return object;
}

}  // namespace

MinerResult parse_miner_result(const std::string& json_text) {
  const json body = kResult.parse(json_text);
  if (!body.is_object()) kResult.malformed("top level", "expected an object");
  const json& frames = kResult.member(body, "frames", "top level");
  if (!frames.is_array()) kResult.malformed("frames", "expected a list");

  MinerResult result;
  if (const auto time = body.find("processing_time"); time != body.end()) {
    result.processing_time = kResult.number(*time, "processing_time");
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string where = "frames[" + std::to_string(i) + "]";
    const json& frame = frames[i];
    if (!frame.is_object()) kResult.malformed(where, "expected an object");
    ScoredFrame scored;
    // The validator keys frames by frame_number and falls back to the list position.
    const auto number = frame.find("frame_number");
    scored.frame_number = number == frame.end() ? static_cast<int64_t>(i) : kResult.integer(*number, where + ".frame_number");
    if (!seen.insert(scored.frame_number).second) {
      kResult.malformed(where, "frame_number " + std::to_string(scored.frame_number) + " appears twice");
    }
    scored.keypoints = parse_keypoint_pairs(kResult.member(frame, "keypoints", where), where + ".keypoints");
    if (const auto objects = frame.find("objects"); objects != frame.end()) {
      if (!objects->is_array()) kResult.malformed(where + ".objects", "expected a list");
      for (size_t k = 0; k < objects->size(); ++k) {
        scored.objects.push_back(parse_object((*objects)[k], where + ".objects[" + std::to_string(k) + "]"));
      }
    }
    result.frames.push_back(std::move(scored));
  }
  return result;
}

MinerResult read_miner_result(const std::filesystem::path& path) {
  const std::optional<std::string> text = read_file_contents(path);
  if (!text) throw Error(ErrorKind::not_found, "cannot open result file " + path.string());
  return parse_miner_result(*text);
}

}  // namespace sn44::scoring
