#pragma once
// The annotated clip: the video with each frame's boxes, track ids and pitch keypoints drawn, so a
// person can see what the miner sees.

#include <filesystem>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "core/types.h"
#include "video/decoder.h"

namespace sn44::pipeline {

// Draws one frame's result onto `bgr`.
void draw_frame_result(cv::Mat& bgr, const FrameResult& result);

// Decodes `video` again and writes it to `output` with every frame's result drawn. Throws
// Error(invalid_argument) if the result does not have one entry per frame of the video.
void write_annotated_video(const std::filesystem::path& video, const std::vector<FrameResult>& frames,
                           const std::filesystem::path& output, const video::DecoderOptions& decoder_options);

}  // namespace sn44::pipeline
