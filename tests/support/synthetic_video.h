#pragma once
// Small videos written by the tests themselves, so that decoder tests do not need shared data.

#include <filesystem>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace sn44::testing {

// The colour of frame i of the synthetic video: a different flat colour per frame.
cv::Scalar synthetic_frame_colour(int index);

// Writes `frames` frames of width x height at 25 fps, frame i filled with synthetic_frame_colour(i).
void write_synthetic_video(const std::filesystem::path& path, int frames, int width, int height);

// Copies `source` (an MP4) to `destination` with a display matrix telling players to turn the
// frames `clockwise_degrees` clockwise (a phone filming upright writes 90).
void write_rotated_copy(const std::filesystem::path& source, const std::filesystem::path& destination,
                        double clockwise_degrees);

// Writes every stream of each source (MP4s), in order, into one MP4 without re-encoding: a file
// with several video streams, of which the one from sources[default_source] is the default
// (enabled) track.
void write_muxed(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& destination,
                 size_t default_source);

// Copies the first `bytes` bytes of `source` to `destination` (a truncated download).
void write_truncated_copy(const std::filesystem::path& source, const std::filesystem::path& destination, size_t bytes);

// Copies `source` to `destination` with `length` bytes from `offset` on scrambled (damaged media data).
void write_damaged_copy(const std::filesystem::path& source, const std::filesystem::path& destination, size_t offset,
                        size_t length);

}  // namespace sn44::testing
