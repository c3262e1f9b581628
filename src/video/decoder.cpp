#include "video/decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
}

#include <opencv2/core.hpp>

#include <cmath>
#include <optional>
#include <string>

#include "core/error.h"
#include "video/ffmpeg_error.h"
#include "video/ffmpeg_handles.h"
#include "video/growing_file_input.h"
#include "video/mp4_layout.h"

namespace sn44::video {

struct Decoder::State {
  std::unique_ptr<GrowingFileInput> input;  // only for a growing file; outlives `format`, which reads through it
  InputFormatHandle format;
  CodecContextHandle codec;
  PacketHandle packet{av_packet_alloc()};
  FrameHandle frame{av_frame_alloc()};
  SwsHandle converter;
  std::string path;
  int stream_index = -1;
  bool flushing = false;  // the demuxer is exhausted and the decoder is draining
  bool finished = false;
  std::string damage;  // why the stream ended before the end of the file; empty if it did not
  int64_t frames_decoded = 0;
  int coded_width = 0;  // the stream's frame size, before the display rotation
  int coded_height = 0;
  std::optional<cv::RotateFlags> rotation;  // applied to every frame, as OpenCV's VideoCapture does
  cv::Mat unrotated;                        // conversion buffer of a rotated stream, reused
  DecoderOptions options;
  VideoInfo info;

  std::string describe(const std::string& what, int code) const {
    return with_ffmpeg_detail("video '" + path + "': " + what + ": " + ffmpeg_error_text(code));
  }

  [[noreturn]] void fail(ErrorKind kind, const std::string& what, int code) const {
    if (input && input->failure()) throw *input->failure();  // the download failed, or was interrupted: that is the cause
    throw Error(kind, describe(what, code));
  }

  // OpenCV's VideoCapture ends the stream at data it cannot decode (a truncated or damaged file),
  // and the reference miner answers with the frames before it, which the validator scores; so
  // do we, keeping the cause. Damage before the first frame leaves nothing to answer.
  void end_at_damage(const std::string& what, int code) {
    if (frames_decoded == 0 || (input && input->failure())) fail(ErrorKind::corrupt_data, what, code);
    damage = describe(what, code);
    finished = true;
  }

  void open(const DecoderOptions& options);

  Frame convert_current_frame() {
    const AVFrame& source = *frame;
    if (source.width != coded_width || source.height != coded_height) {
      throw Error(ErrorKind::unsupported, "video '" + path + "': frame size changes mid-stream (" +
                                              std::to_string(coded_width) + "x" + std::to_string(coded_height) +
                                              " to " + std::to_string(source.width) + "x" +
                                              std::to_string(source.height) + ")");
    }
    // SWS_BICUBIC and the default (BT.601, limited range) colour matrix are what OpenCV's
    // VideoCapture uses, so our frames are pixel-identical to the reference miner's.
    converter.reset(sws_getCachedContext(converter.release(), source.width, source.height,
                                         static_cast<AVPixelFormat>(source.format), source.width, source.height,
                                         AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!converter) {
      throw Error(ErrorKind::unsupported, "video '" + path + "': cannot convert pixel format " +
                                              std::to_string(source.format) + " to BGR");
    }
    Frame result;
    result.index = frames_decoded++;
    cv::Mat& converted = rotation ? unrotated : result.bgr;
    converted.create(source.height, source.width, CV_8UC3);
    uint8_t* destination[1] = {converted.data};
    const int destination_stride[1] = {static_cast<int>(converted.step[0])};
    sws_scale(converter.get(), source.data, source.linesize, 0, source.height, destination, destination_stride);
    if (rotation) cv::rotate(unrotated, result.bgr, *rotation);
    return result;
  }

  // OpenCV's VideoCapture turns frames upright by the stream's display matrix (phone clips), in
  // quarter turns only, as FFmpeg's players do; the reference miner's and the validator's
  // coordinates are those of the turned frames.
  void read_display_rotation(const AVStream& stream) {
    const auto* matrix = reinterpret_cast<const int32_t*>(av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
    if (matrix == nullptr) return;
    const double counter_clockwise = av_display_rotation_get(matrix);
    if (!std::isfinite(counter_clockwise)) return;  // a singular matrix: no rotation to read
    int clockwise = -static_cast<int>(std::lround(counter_clockwise));
    clockwise = ((clockwise % 360) + 360) % 360;
    if (clockwise == 90) rotation = cv::ROTATE_90_CLOCKWISE;
    if (clockwise == 180) rotation = cv::ROTATE_180;
    if (clockwise == 270) rotation = cv::ROTATE_90_COUNTERCLOCKWISE;
    if (rotation) info.rotation_degrees = clockwise;
  }
};

Decoder::Decoder(const std::filesystem::path& path, const DecoderOptions& options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.path = path.string();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error(ErrorKind::not_found, "video '" + s.path + "': no such file");
  if (std::filesystem::is_directory(path, error)) throw Error(ErrorKind::invalid_argument, "video '" + s.path + "': is a folder");
  s.open(options);
}

Decoder::Decoder(const GrowingFile& file, const DecoderOptions& options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.path = file.path().string();
  // Given a seekable input, FFmpeg's MP4 demuxer asks for the file's size, which without a
  // Content-Length is known only at the end. A file with its index first is read as a stream
  // instead, so that its first frames come while it downloads.
  const bool index_first = mp4_index_position(file) == Mp4IndexPosition::before_media;  // waits for the first headers
  const bool size_known = file.announced_size() || file.is_complete();
  const auto access = index_first && !size_known ? GrowingFileInput::Access::sequential : GrowingFileInput::Access::seekable;
  s.input = std::make_unique<GrowingFileInput>(file, access);
  s.open(options);
}

void Decoder::interrupt() {
  if (state_->input) state_->input->interrupt();
}

void Decoder::State::open(const DecoderOptions& decoder_options) {
  install_ffmpeg_log_capture();
  clear_ffmpeg_log_line();
  options = decoder_options;
  if (!packet || !frame) throw Error(ErrorKind::internal, "out of memory allocating decoder buffers");

  AVFormatContext* demuxer = avformat_alloc_context();
  if (demuxer == nullptr) throw Error(ErrorKind::internal, "out of memory allocating the demuxer");
  if (input) {
    demuxer->pb = input->context();
    demuxer->flags |= AVFMT_FLAG_CUSTOM_IO;
  }
  // On failure avformat_open_input frees the context (not a custom reader, which `input` owns).
  if (const int code = avformat_open_input(&demuxer, path.c_str(), nullptr, nullptr); code < 0) {
    fail(ErrorKind::corrupt_data, "cannot open as a video container", code);
  }
  format.reset(demuxer);
  if (const int code = avformat_find_stream_info(demuxer, nullptr); code < 0) {
    fail(ErrorKind::corrupt_data, "cannot read stream information", code);
  }
  // OpenCV's VideoCapture reads the file's first video stream (not FFmpeg's "best" one, which
  // prefers the default, the longer or the higher-bitrate stream): the reference miner's frames
  // and the validator's come from it, so ours do too.
  for (unsigned i = 0; i < demuxer->nb_streams && stream_index < 0; ++i) {
    if (demuxer->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) stream_index = static_cast<int>(i);
  }
  if (stream_index < 0) throw Error(ErrorKind::unsupported, "video '" + path + "': the file has no video stream with frames");
  const AVStream& stream = *demuxer->streams[stream_index];
  const AVCodecParameters& parameters = *stream.codecpar;
  const AVCodec* video_codec = avcodec_find_decoder(parameters.codec_id);
  if (video_codec == nullptr) {
    throw Error(ErrorKind::unsupported, "video '" + path + "': no decoder for its video codec (" +
                                            avcodec_get_name(parameters.codec_id) + ")");
  }
  if (parameters.width <= 0 || parameters.height <= 0) {
    throw Error(ErrorKind::corrupt_data, "video '" + path + "': the video stream has no frame size");
  }
  if (parameters.width > options.max_width || parameters.height > options.max_height) {
    throw Error(ErrorKind::unsupported, "video '" + path + "': frame size " + std::to_string(parameters.width) + "x" +
                                            std::to_string(parameters.height) + " is over the limit of " +
                                            std::to_string(options.max_width) + "x" + std::to_string(options.max_height));
  }

  codec.reset(avcodec_alloc_context3(video_codec));
  if (!codec) throw Error(ErrorKind::internal, "out of memory allocating the decoder");
  check_ffmpeg(avcodec_parameters_to_context(codec.get(), &parameters), ErrorKind::unsupported,
               "video '" + path + "': decoder parameters");
  codec->thread_count = options.threads;
  codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  if (const int code = avcodec_open2(codec.get(), video_codec, nullptr); code < 0) {
    fail(ErrorKind::unsupported, std::string("cannot open the ") + video_codec->name + " decoder", code);
  }

  coded_width = parameters.width;
  coded_height = parameters.height;
  read_display_rotation(stream);
  const bool quarter_turn = info.rotation_degrees % 180 != 0;
  info.width = quarter_turn ? coded_height : coded_width;
  info.height = quarter_turn ? coded_width : coded_height;
  const AVRational rate = stream.avg_frame_rate.num > 0 ? stream.avg_frame_rate : stream.r_frame_rate;
  info.fps = rate.den > 0 ? av_q2d(rate) : 0.0;
  info.header_frame_count = stream.nb_frames;
  info.codec_name = video_codec->name;
}

Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

const VideoInfo& Decoder::info() const { return state_->info; }

const std::string& Decoder::damage() const { return state_->damage; }

std::optional<Frame> Decoder::next() {
  State& s = *state_;
  while (!s.finished) {
    const int received = avcodec_receive_frame(s.codec.get(), s.frame.get());
    if (received == 0) {
      if (s.frames_decoded >= s.options.max_frames) {
        throw Error(ErrorKind::too_large, "video '" + s.path + "': more than " +
                                              std::to_string(s.options.max_frames) + " frames");
      }
      Frame result = s.convert_current_frame();
      av_frame_unref(s.frame.get());
      return result;
    }
    if (received == AVERROR_EOF) {
      s.finished = true;
      break;
    }
    if (received != AVERROR(EAGAIN)) {
      s.end_at_damage("cannot decode frame " + std::to_string(s.frames_decoded), received);
      break;
    }

    // The decoder wants input: feed it the next packet of our stream, or start draining at the end.
    if (s.flushing) s.fail(ErrorKind::internal, "decoder asked for input while draining", received);
    clear_ffmpeg_log_line();
    const int read = av_read_frame(s.format.get(), s.packet.get());
    if (read == AVERROR_EOF) {
      s.flushing = true;
      // A frame-threaded decoder may report an earlier packet's damage here.
      if (const int drained = avcodec_send_packet(s.codec.get(), nullptr); drained < 0) {
        s.end_at_damage("the file is truncated or damaged after frame " + std::to_string(s.frames_decoded), drained);
        break;
      }
      continue;
    }
    if (read < 0) {
      s.end_at_damage("the file is truncated or damaged after frame " + std::to_string(s.frames_decoded), read);
      break;
    }
    if (s.packet->stream_index == s.stream_index) {
      const int sent = avcodec_send_packet(s.codec.get(), s.packet.get());
      av_packet_unref(s.packet.get());
      if (sent < 0) {
        s.end_at_damage("undecodable data after frame " + std::to_string(s.frames_decoded), sent);
        break;
      }
    } else {
      av_packet_unref(s.packet.get());
    }
  }
  return std::nullopt;
}

}  // namespace sn44::video
