#pragma once
// Fetching the challenge video over HTTP(S) with libcurl, the way the reference does it but
// bounded: redirects, 3 attempts with exponential backoff, connect and total time limits, a size
// limit enforced while streaming, http/https only, Google Drive links rewritten to direct
// downloads. The body is streamed into a file the caller owns, which others may read meanwhile.

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>

#include "core/growing_file.h"

namespace sn44::server {

struct DownloadOptions {
  int attempts = 3;
  std::chrono::milliseconds first_backoff{4000};  // then doubled, at most max_backoff (tenacity 4..10 s)
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{120000};  // per attempt
  int64_t max_bytes = int64_t{1} << 30;              // 1 GiB
  int max_redirects = 5;
};

struct DownloadResult {
  int64_t bytes = 0;
  int attempts = 0;
  double seconds = 0;
};

// drive.google.com links with a file id become
// https://drive.usercontent.google.com/download?id=<ID>&export=download&confirm=t; others unchanged.
std::string rewrite_google_drive_url(const std::string& url);

// Downloads `url` into `destination` (truncated first), telling its readers how far it has grown
// while it streams: the decoder can start on the first bytes. A retry continues where the failed
// attempt stopped (Range), so the bytes readers saw never change. Marks the file complete on
// success; on failure marks it failed with the error it throws. Throws Error: invalid_argument
// (not an http(s) URL), too_large (over max_bytes, by Content-Length or while streaming; not
// retried), not_found / unavailable (HTTP errors, network failures after every attempt), timeout
// (stop requested). The message names the URL and the cause.
DownloadResult download(const std::string& url, GrowingFile& destination, const DownloadOptions& options, std::stop_token stop = {});

}  // namespace sn44::server
