#pragma once
// Where an MP4 file keeps its index (the `moov` box): before the media data (`faststart`, what
// decoding while downloading needs) or after it. Read from the top-level box headers only, as they
// arrive. Written by hand because FFmpeg has no call that tells without opening the file, and its
// MP4 demuxer, given a seekable input of unknown size, reads to the end before the first frame.

#include <stop_token>

#include "core/growing_file.h"

namespace sn44::video {

enum class Mp4IndexPosition {
  before_media,  // moov comes before mdat: the file can be read as a stream
  after_media,   // mdat comes first: frames need the end of the file
  unknown,       // not an MP4 box layout, or the file ended before either box
};

// Walks the top-level boxes of `file`, waiting for each header to arrive. Throws the download's
// error if it fails first, Error(timeout) on stop.
Mp4IndexPosition mp4_index_position(const GrowingFile& file, std::stop_token stop = {});

}  // namespace sn44::video
