#pragma once
// Owning handles for the FFmpeg objects of the decoder and the encoder, so that every exit path
// (including errors) frees them.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <memory>

namespace sn44::video {

struct CodecContextFreer {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketFreer {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameFreer {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
// A demuxer's context, from avformat_open_input.
struct InputFormatCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
// A muxer's context, with the file it writes to.
struct OutputFormatFreer {
  void operator()(AVFormatContext* context) const {
    if (context->pb != nullptr) avio_closep(&context->pb);
    avformat_free_context(context);
  }
};
struct SwsFreer {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};

using CodecContextHandle = std::unique_ptr<AVCodecContext, CodecContextFreer>;
using PacketHandle = std::unique_ptr<AVPacket, PacketFreer>;
using FrameHandle = std::unique_ptr<AVFrame, FrameFreer>;
using InputFormatHandle = std::unique_ptr<AVFormatContext, InputFormatCloser>;
using OutputFormatHandle = std::unique_ptr<AVFormatContext, OutputFormatFreer>;
using SwsHandle = std::unique_ptr<SwsContext, SwsFreer>;

}  // namespace sn44::video
