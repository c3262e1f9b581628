#include "scoring/miner_result.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/error.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::invalid_argument, "malformed result JSON: " + where + ": " + what);
}

double number_at(const json& value, const std::string& where) {
  if (!value.is_number()) malformed(where, "expected a number, got " + std::string(value.type_name()));
  return value.get<double>();
}

int64_t integer_at(const json& value, const std::string& where) {
  if (!value.is_number_integer()) malformed(where, "expected an integer, got " + value.dump());
  return value.get<int64_t>();
}

const json& member(const json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end()) malformed(where, std::string("missing \"") + key + "\"");
  return *found;
}

KeypointArray parse_keypoints(const json& value, const std::string& where) {
  if (!value.is_array() || value.size() != kPitchVertexCount) {
    malformed(where, "expected a list of " + std::to_string(kPitchVertexCount) + " [x, y] pairs");
  }
  KeypointArray keypoints{};
  for (size_t i = 0; i < keypoints.size(); ++i) {
    const std::string pair_where = where + "[" + std::to_string(i) + "]";
    if (!value[i].is_array() || value[i].size() != 2) malformed(pair_where, "expected an [x, y] pair");
    keypoints[i] = {number_at(value[i][0], pair_where), number_at(value[i][1], pair_where)};
  }
  return keypoints;
}

ScoredObject parse_object(const json& value, const std::string& where) {
  if (!value.is_object()) malformed(where, "expected an object");
  ScoredObject object;
  object.id = integer_at(member(value, "id", where), where + ".id");
  object.class_id = static_cast<int>(integer_at(member(value, "class_id", where), where + ".class_id"));
  const json& bbox = member(value, "bbox", where);
  if (!bbox.is_array() || bbox.size() != 4) malformed(where + ".bbox", "expected [x1, y1, x2, y2]");
  for (size_t i = 0; i < 4; ++i) object.bbox[i] = number_at(bbox[i], where + ".bbox");
  return object;
}

}  // namespace

MinerResult parse_miner_result(const std::string& json_text) {
  const json body = json::parse(json_text, nullptr, false);
  if (body.is_discarded()) throw Error(ErrorKind::invalid_argument, "malformed result JSON: not valid JSON");
  if (!body.is_object()) malformed("top level", "expected an object");
  const json& frames = member(body, "frames", "top level");
  if (!frames.is_array()) malformed("frames", "expected a list");

  MinerResult result;
  if (const auto time = body.find("processing_time"); time != body.end()) {
    result.processing_time = number_at(*time, "processing_time");
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string where = "frames[" + std::to_string(i) + "]";
    const json& frame = frames[i];
    if (!frame.is_object()) malformed(where, "expected an object");
    ScoredFrame scored;
    // The validator keys frames by frame_number and falls back to the list position.
    const auto number = frame.find("frame_number");
    scored.frame_number = number == frame.end() ? static_cast<int64_t>(i) : integer_at(*number, where + ".frame_number");
    if (!seen.insert(scored.frame_number).second) {
      malformed(where, "frame_number " + std::to_string(scored.frame_number) + " appears twice");
    }
    scored.keypoints = parse_keypoints(member(frame, "keypoints", where), where + ".keypoints");
    if (const auto objects = frame.find("objects"); objects != frame.end()) {
      if (!objects->is_array()) malformed(where + ".objects", "expected a list");
      for (size_t k = 0; k < objects->size(); ++k) {
        scored.objects.push_back(parse_object((*objects)[k], where + ".objects[" + std::to_string(k) + "]"));
      }
    }
    result.frames.push_back(std::move(scored));
  }
  return result;
}

MinerResult read_miner_result(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(ErrorKind::not_found, "cannot open result file " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  return parse_miner_result(text.str());
}

}  // namespace sn44::scoring
