#pragma once
// The result body built the straightforward way, as a nlohmann document that is then dumped: the
// oracle the tests hold pipeline::result_to_json to, and the baseline of
// bench/result_json_benchmark. Also a full-size random result for both.

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"

namespace sn44::testing {

std::string result_via_document(const std::string& challenge_id, const std::vector<FrameResult>& frames,
                                double processing_seconds);

// 750 frames of 25 tracked objects and 32 keypoints (a third of them not visible, at (0, 0)), as
// `serve` answers a full-size challenge. Random boxes compress worse than real tracks.
std::vector<FrameResult> random_full_size_result(uint32_t seed);

}  // namespace sn44::testing
