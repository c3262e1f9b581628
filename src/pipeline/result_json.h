#pragma once
// The result body the validator expects (protocol.md section 5): one entry per decoded frame with
// 32 keypoint pairs and the tracked objects; coordinates rounded to 2 decimals (the validator rounds
// to that precision anyway, more digits only cost bytes).

#include <string>
#include <vector>

#include "core/types.h"

namespace sn44::pipeline {

std::string result_to_json(const std::string& challenge_id, const std::vector<FrameResult>& frames,
                           double processing_seconds);

}  // namespace sn44::pipeline
