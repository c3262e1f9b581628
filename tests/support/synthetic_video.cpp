#include "support/synthetic_video.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "video/encoder.h"

namespace sn44::testing {

cv::Scalar synthetic_frame_colour(int index) {
  return cv::Scalar((index * 37) % 200 + 30, (index * 71) % 200 + 30, (index * 13) % 200 + 30);
}

void write_synthetic_video(const std::filesystem::path& path, int frames, int width, int height) {
  video::Encoder encoder(path, width, height, 25.0);
  for (int i = 0; i < frames; ++i) encoder.write(cv::Mat(height, width, CV_8UC3, synthetic_frame_colour(i)));
  encoder.finish();
}

namespace {

void check(int code, const std::string& what) {
  if (code < 0) throw std::runtime_error("remux: " + what + " failed (" + std::to_string(code) + ")");
}

struct InputCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct OutputCloser {
  void operator()(AVFormatContext* context) const {
    avio_closep(&context->pb);
    avformat_free_context(context);
  }
};
struct PacketFreer {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};

// Remuxes (no re-encoding) every stream of each source, in order, into one file; `edit_video`
// may change each video stream of the output (given the index of its source) before the header
// is written.
void remux(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& destination,
           const std::function<void(AVStream&, size_t source)>& edit_video) {
  std::vector<std::unique_ptr<AVFormatContext, InputCloser>> inputs;
  for (const auto& source : sources) {
    AVFormatContext* opened = nullptr;
    check(avformat_open_input(&opened, source.c_str(), nullptr, nullptr), "opening " + source.string());
    inputs.emplace_back(opened);
    check(avformat_find_stream_info(opened, nullptr), "reading stream information");
  }
  AVFormatContext* created = nullptr;
  check(avformat_alloc_output_context2(&created, nullptr, nullptr, destination.c_str()), "creating the output");
  const std::unique_ptr<AVFormatContext, OutputCloser> output(created);
  std::vector<int> first_output_stream;  // of each input
  for (size_t n = 0; n < inputs.size(); ++n) {
    first_output_stream.push_back(static_cast<int>(output->nb_streams));
    for (unsigned i = 0; i < inputs[n]->nb_streams; ++i) {
      const AVStream& from = *inputs[n]->streams[i];
      AVStream* to = avformat_new_stream(output.get(), nullptr);
      if (to == nullptr) throw std::runtime_error("remux: out of memory");
      check(avcodec_parameters_copy(to->codecpar, from.codecpar), "copying codec parameters");
      to->codecpar->codec_tag = 0;
      to->time_base = from.time_base;
      if (from.codecpar->codec_type == AVMEDIA_TYPE_VIDEO && edit_video) edit_video(*to, n);
    }
  }
  check(avio_open(&output->pb, destination.c_str(), AVIO_FLAG_WRITE), "opening " + destination.string());
  check(avformat_write_header(output.get(), nullptr), "writing the header");
  const std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
  if (!packet) throw std::runtime_error("remux: out of memory");
  for (size_t n = 0; n < inputs.size(); ++n) {
    while (av_read_frame(inputs[n].get(), packet.get()) >= 0) {
      const AVRational from = inputs[n]->streams[packet->stream_index]->time_base;
      packet->stream_index += first_output_stream[n];
      av_packet_rescale_ts(packet.get(), from, output->streams[packet->stream_index]->time_base);
      check(av_interleaved_write_frame(output.get(), packet.get()), "writing a packet");  // takes the packet's data
    }
  }
  check(av_write_trailer(output.get()), "writing the trailer");
}

}  // namespace

void write_rotated_copy(const std::filesystem::path& source, const std::filesystem::path& destination,
                        double clockwise_degrees) {
  remux({source}, destination, [&](AVStream& stream, size_t) {
    auto* matrix = reinterpret_cast<int32_t*>(av_stream_new_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)));
    if (matrix == nullptr) throw std::runtime_error("write_rotated_copy: out of memory");
    av_display_rotation_set(matrix, clockwise_degrees);
  });
}

void write_muxed(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& destination,
                 size_t default_source) {
  // The MP4 muxer marks the first default video track of the file as its enabled one.
  remux(sources, destination, [&](AVStream& stream, size_t source) {
    stream.disposition = source == default_source ? AV_DISPOSITION_DEFAULT : 0;
  });
}

void write_truncated_copy(const std::filesystem::path& source, const std::filesystem::path& destination, size_t bytes) {
  std::ifstream in(source, std::ios::binary);
  std::vector<char> data(bytes);
  in.read(data.data(), static_cast<std::streamsize>(bytes));
  std::ofstream(destination, std::ios::binary).write(data.data(), in.gcount());
}

void write_damaged_copy(const std::filesystem::path& source, const std::filesystem::path& destination, size_t offset,
                        size_t length) {
  std::ifstream in(source, std::ios::binary);
  std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t i = offset; i < std::min(offset + length, data.size()); ++i) data[i] = static_cast<char>(data[i] * 7 + 13);
  std::ofstream(destination, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace sn44::testing
