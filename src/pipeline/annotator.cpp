#include "pipeline/annotator.h"

#include <array>
#include <opencv2/imgproc.hpp>
#include <string>

#include "core/error.h"
#include "core/pitch_template.h"
#include "video/encoder.h"

namespace sn44::pipeline {
namespace {

// BGR colours by class id: ball, goalkeeper, player, referee.
const std::array<cv::Scalar, 4> kClassColours = {cv::Scalar(0, 255, 255), cv::Scalar(0, 140, 255),
                                                 cv::Scalar(255, 160, 40), cv::Scalar(255, 0, 255)};

const cv::Scalar kKeypointColour(0, 0, 255);

cv::Scalar class_colour(int class_id) {
  return class_id >= 0 && class_id < static_cast<int>(kClassColours.size()) ? kClassColours[static_cast<size_t>(class_id)]
                                                                             : cv::Scalar(200, 200, 200);
}

// `prefix` + `number`. Built by appending: GCC 12 warns falsely (-Wrestrict, its bug 105651) on
// `"literal" + std::to_string(n)` at -O3.
std::string numbered(const char* prefix, int64_t number) {
  std::string text = prefix;
  text += std::to_string(number);
  return text;
}

void draw_label(cv::Mat& bgr, const std::string& text, cv::Point origin, const cv::Scalar& colour) {
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, 0.45, 1, &baseline);
  cv::rectangle(bgr, origin + cv::Point(0, -size.height - 4), origin + cv::Point(size.width + 4, 0), colour, cv::FILLED);
  cv::putText(bgr, text, origin + cv::Point(2, -3), cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
}

}  // namespace

void draw_frame_result(cv::Mat& bgr, const FrameResult& result) {
  for (const TrackedObject& object : result.objects) {
    const cv::Scalar colour = class_colour(object.class_id);
    const cv::Point top_left(static_cast<int>(object.box.x1), static_cast<int>(object.box.y1));
    cv::rectangle(bgr, top_left, cv::Point(static_cast<int>(object.box.x2), static_cast<int>(object.box.y2)), colour, 2);
    draw_label(bgr, numbered("#", object.track_id), top_left, colour);
  }
  const auto seen = [&](size_t k) { return result.keypoints[k][0] != 0.0f || result.keypoints[k][1] != 0.0f; };
  const auto pixel = [&](size_t k) {
    return cv::Point(static_cast<int>(result.keypoints[k][0]), static_cast<int>(result.keypoints[k][1]));
  };
  // The pitch lines whose two ends were both found: a wrong keypoint shows as a line off the paint.
  for (const auto& [from, to] : kPitchEdges) {
    const auto a = static_cast<size_t>(from), b = static_cast<size_t>(to);
    if (seen(a) && seen(b)) cv::line(bgr, pixel(a), pixel(b), kKeypointColour, 1, cv::LINE_AA);
  }
  for (size_t k = 0; k < result.keypoints.size(); ++k) {
    if (!seen(k)) continue;
    cv::circle(bgr, pixel(k), 5, kKeypointColour, cv::FILLED, cv::LINE_AA);
    cv::putText(bgr, std::string(kPitchVertices[k].label), pixel(k) + cv::Point(6, -6), cv::FONT_HERSHEY_SIMPLEX, 0.45,
                kKeypointColour, 1, cv::LINE_AA);
  }
  draw_label(bgr, numbered("frame ", result.frame_number), cv::Point(8, bgr.rows - 8), cv::Scalar(255, 255, 255));
}

void write_annotated_video(const std::filesystem::path& video, const std::vector<FrameResult>& frames,
                           const std::filesystem::path& output, const video::DecoderOptions& decoder_options) {
  video::Decoder decoder(video, decoder_options);
  video::Encoder encoder(output, decoder.info().width, decoder.info().height, decoder.info().fps);
  size_t decoded = 0;
  while (std::optional<video::Frame> frame = decoder.next()) {
    if (decoded < frames.size()) {
      draw_frame_result(frame->bgr, frames[decoded]);
      encoder.write(frame->bgr);
    }
    ++decoded;
  }
  if (decoded != frames.size()) {
    throw Error(ErrorKind::invalid_argument, "the result has " + std::to_string(frames.size()) + " frames but '" +
                                                 video.string() + "' has " + std::to_string(decoded));
  }
  encoder.finish();
}

}  // namespace sn44::pipeline
