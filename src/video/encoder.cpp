#include "video/encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <string>

#include "core/error.h"
#include "video/ffmpeg_error.h"
#include "video/ffmpeg_handles.h"

namespace sn44::video {
namespace {

const AVCodec* pick_encoder() {
  if (const AVCodec* x264 = avcodec_find_encoder_by_name("libx264")) return x264;
  return avcodec_find_encoder(AV_CODEC_ID_MPEG4);
}

}  // namespace

struct Encoder::State {
  OutputFormatHandle format;
  CodecContextHandle codec;
  PacketHandle packet{av_packet_alloc()};
  FrameHandle frame{av_frame_alloc()};
  SwsHandle converter;
  AVStream* stream = nullptr;
  std::string path;
  int64_t next_pts = 0;
  bool finished = false;

  // Sends a frame (or nullptr to drain) and writes every packet the encoder has ready.
  void encode(const AVFrame* input) {
    check_ffmpeg(avcodec_send_frame(codec.get(), input), ErrorKind::internal, "encoding '" + path + "'");
    while (true) {
      const int received = avcodec_receive_packet(codec.get(), packet.get());
      if (received == AVERROR(EAGAIN) || received == AVERROR_EOF) return;
      check_ffmpeg(received, ErrorKind::internal, "encoding '" + path + "'");
      if (packet->duration == 0) packet->duration = 1;  // one frame; without it the last frame is lost
      av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      check_ffmpeg(av_interleaved_write_frame(format.get(), packet.get()), ErrorKind::unavailable,
                   "writing '" + path + "'");
    }
  }
};

Encoder::Encoder(const std::filesystem::path& path, int width, int height, double fps) : state_(std::make_unique<State>()) {
  install_ffmpeg_log_capture();
  State& s = *state_;
  s.path = path.string();
  if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
    // yuv420p needs even sizes; the annotated clip is only for viewing, so round down.
    width -= width % 2;
    height -= height % 2;
    if (width <= 0 || height <= 0) throw Error(ErrorKind::invalid_argument, "cannot encode a video of size 0");
  }
  AVFormatContext* format = nullptr;
  check_ffmpeg(avformat_alloc_output_context2(&format, nullptr, nullptr, s.path.c_str()), ErrorKind::invalid_argument,
               "output video '" + s.path + "': unknown container (use .mp4)");
  s.format.reset(format);
  const AVCodec* codec = pick_encoder();
  if (codec == nullptr) throw Error(ErrorKind::unsupported, "FFmpeg has neither an H.264 nor an MPEG-4 encoder");
  s.stream = avformat_new_stream(format, nullptr);
  s.codec.reset(avcodec_alloc_context3(codec));
  if (s.stream == nullptr || !s.codec || !s.packet || !s.frame) throw Error(ErrorKind::internal, "out of memory");

  const AVRational rate = av_d2q(fps > 0 ? fps : 25.0, 100000);
  s.codec->width = width;
  s.codec->height = height;
  s.codec->pix_fmt = AV_PIX_FMT_YUV420P;
  s.codec->time_base = av_inv_q(rate);
  s.codec->framerate = rate;
  s.codec->gop_size = 50;
  if (format->oformat->flags & AVFMT_GLOBALHEADER) s.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (std::string(codec->name) == "libx264") {
    av_opt_set(s.codec->priv_data, "preset", "veryfast", 0);
    av_opt_set(s.codec->priv_data, "crf", "23", 0);
  } else {
    s.codec->bit_rate = 4'000'000;
  }
  check_ffmpeg(avcodec_open2(s.codec.get(), codec, nullptr), ErrorKind::unsupported, std::string("opening encoder ") + codec->name);
  check_ffmpeg(avcodec_parameters_from_context(s.stream->codecpar, s.codec.get()), ErrorKind::internal, "encoder parameters");
  s.stream->time_base = s.codec->time_base;
  check_ffmpeg(avio_open(&format->pb, s.path.c_str(), AVIO_FLAG_WRITE), ErrorKind::invalid_argument,
               "cannot create '" + s.path + "'");
  check_ffmpeg(avformat_write_header(format, nullptr), ErrorKind::internal, "writing the header of '" + s.path + "'");

  s.frame->format = AV_PIX_FMT_YUV420P;
  s.frame->width = width;
  s.frame->height = height;
  check_ffmpeg(av_frame_get_buffer(s.frame.get(), 0), ErrorKind::internal, "allocating an encoder frame");
  s.converter.reset(sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
                                   nullptr, nullptr, nullptr));
  if (!s.converter) throw Error(ErrorKind::internal, "cannot create the BGR to YUV converter");
}

Encoder::~Encoder() {
  if (!state_->finished) {
    try {
      finish();
    } catch (const Error&) {
      // Destruction after an earlier failure: the file is incomplete either way.
    }
  }
}

void Encoder::write(const cv::Mat& bgr) {
  State& s = *state_;
  if (bgr.type() != CV_8UC3 || bgr.cols < s.codec->width || bgr.rows < s.codec->height) {
    throw Error(ErrorKind::invalid_argument, "encoder '" + s.path + "': frame is not BGR of the video's size");
  }
  check_ffmpeg(av_frame_make_writable(s.frame.get()), ErrorKind::internal, "encoder frame");
  const uint8_t* source[1] = {bgr.data};
  const int source_stride[1] = {static_cast<int>(bgr.step[0])};
  sws_scale(s.converter.get(), source, source_stride, 0, s.codec->height, s.frame->data, s.frame->linesize);
  s.frame->pts = s.next_pts++;
  s.encode(s.frame.get());
}

void Encoder::finish() {
  State& s = *state_;
  if (s.finished) return;
  s.finished = true;
  s.encode(nullptr);
  check_ffmpeg(av_write_trailer(s.format.get()), ErrorKind::unavailable, "finishing '" + s.path + "'");
}

}  // namespace sn44::video
