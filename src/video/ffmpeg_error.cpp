#include "video/ffmpeg_error.h"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include <cstdarg>
#include <mutex>

namespace sn44::video {
namespace {

thread_local std::string last_ffmpeg_log_line;

void capture_ffmpeg_log(void* avcl, int level, const char* format, va_list args) {
  if (level > AV_LOG_ERROR) return;
  char line[512];
  int print_prefix = 0;  // no "[mov,mp4,... @ 0x...]" context prefix
  av_log_format_line2(avcl, level, format, args, line, sizeof line, &print_prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  last_ffmpeg_log_line = std::move(text);
}

}  // namespace

void install_ffmpeg_log_capture() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(capture_ffmpeg_log); });
}

void clear_ffmpeg_log_line() { last_ffmpeg_log_line.clear(); }

std::string with_ffmpeg_detail(std::string message) {
  if (!last_ffmpeg_log_line.empty()) message += " (" + last_ffmpeg_log_line + ")";
  return message;
}

std::string ffmpeg_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

int check_ffmpeg(int code, ErrorKind kind, const std::string& what) {
  if (code < 0) throw Error(kind, with_ffmpeg_detail(what + ": " + ffmpeg_error_text(code)));
  return code;
}

}  // namespace sn44::video
