#pragma once
// A miner's result (protocol.md section 5) as the scorer reads it. Coordinates stay in double
// precision, as the validator's JSON parser keeps them: the scores must match the validator's to the
// last digits, and rounding to float would move reprojection errors by ~1e-5 px.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/pitch_template.h"

namespace sn44::scoring {

struct ScoredObject {
  int64_t id = 0;
  std::array<double, 4> bbox{};  // x1, y1, x2, y2 in frame pixels
  int class_id = 0;
};

using KeypointArray = std::array<std::array<double, 2>, kPitchVertexCount>;  // (0, 0): not visible

struct ScoredFrame {
  int64_t frame_number = 0;
  KeypointArray keypoints{};
  std::vector<ScoredObject> objects;
};

struct MinerResult {
  std::vector<ScoredFrame> frames;  // in the response's order; frame numbers are unique
  double processing_time = 0;
};

// Parses a result body. Throws sn44::Error(invalid_argument) naming the first malformed element: the
// validator scores such a response zero, so an operator wants to know exactly what to fix.
MinerResult parse_miner_result(const std::string& json_text);
MinerResult read_miner_result(const std::filesystem::path& path);

}  // namespace sn44::scoring
