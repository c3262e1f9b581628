#pragma once
// Turning FFmpeg status codes into the project's errors.

#include <string>

#include "core/error.h"

namespace sn44::video {

// FFmpeg's text for an AVERROR code.
std::string ffmpeg_error_text(int code);

// FFmpeg reports the precise cause of a failure ("moov atom not found") only through its log. Once
// installed, the capture keeps the last error-level line of each thread so that our errors can quote
// it, and prints nothing: the miner reports each error once, in its own format.
void install_ffmpeg_log_capture();
void clear_ffmpeg_log_line();

// `message` followed by " (<last FFmpeg error line of this thread>)" when there is one.
std::string with_ffmpeg_detail(std::string message);

// Throws Error(kind, "<what>: <ffmpeg text>") when code < 0; returns code otherwise.
int check_ffmpeg(int code, ErrorKind kind, const std::string& what);

}  // namespace sn44::video
