#include "server/downloader.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <stop_token>

#include "core/error.h"
#include "core/growing_file.h"
#include "core/stop_wait.h"

namespace sn44::server {
namespace {

void ensure_curl_initialised() {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw Error(ErrorKind::internal, "libcurl failed to initialise");
}

// One attempt's transfer into the file, which keeps what earlier attempts wrote: a retry asks for
// the rest (Range) and drops the bytes it already has when the server sends the whole file again.
struct Transfer {
  CURL* handle = nullptr;
  std::FILE* file = nullptr;
  GrowingFile* growing = nullptr;
  int64_t written = 0;        // bytes in the file, from every attempt
  int64_t skip = 0;           // bytes of this answer the file has already
  bool answer_checked = false;  // the status and length of this answer were looked at
  int64_t limit = 0;
  bool too_large = false;
  bool write_failed = false;

  // At the first bytes of an answer: where they start in the file, and how large it will be.
  void check_answer() {
    answer_checked = true;
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t length = -1;
    curl_easy_getinfo(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    const bool partial = status == 206;  // the rest, from `written`, as asked
    skip = partial ? 0 : written;
    if (length < 0) return;
    const int64_t size = partial ? written + length : length;
    if (size > limit) too_large = true;
    growing->expect_size(size);
  }
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  if (!transfer->answer_checked) transfer->check_answer();
  if (transfer->too_large) return 0;
  size_t bytes = size * count;
  const size_t received = bytes;
  if (transfer->skip > 0) {
    const size_t dropped = std::min(bytes, static_cast<size_t>(transfer->skip));
    transfer->skip -= static_cast<int64_t>(dropped);
    data += dropped;
    bytes -= dropped;
  }
  if (transfer->written + static_cast<int64_t>(bytes) > transfer->limit) {
    transfer->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  // The file is unbuffered, so the decoder sees each chunk as soon as it is announced.
  if (bytes > 0 && std::fwrite(data, 1, bytes, transfer->file) != bytes) {
    transfer->write_failed = true;
    return 0;
  }
  transfer->written += static_cast<int64_t>(bytes);
  transfer->growing->grew_to(transfer->written);
  return received;
}

// Stops as soon as Content-Length announces too large a file (a stop request is perform_until_stopped's).
int on_progress(void* user, curl_off_t download_total, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (download_total > transfer->limit) {  // the file is at least as large as this answer
    transfer->too_large = true;
    return 1;
  }
  return 0;
}

struct Attempt {
  bool retry = false;  // worth another attempt
  Error error{ErrorKind::internal, ""};
};

// curl_easy_perform looks at a stop only when curl calls the progress function, about once a
// second while a transfer stalls. Through the multi interface the wait is curl_multi_poll, which a
// stop ends at once (curl_multi_wakeup may be called from any thread).
CURLcode perform_until_stopped(CURL* handle, const std::stop_token& stop, bool& stopped) {
  const std::unique_ptr<CURLM, CURLMcode (*)(CURLM*)> multi(curl_multi_init(), &curl_multi_cleanup);
  if (!multi || curl_multi_add_handle(multi.get(), handle) != CURLM_OK) return CURLE_FAILED_INIT;
  CURLcode result = CURLE_OK;
  {
    const std::stop_callback wake(stop, [&] { curl_multi_wakeup(multi.get()); });
    for (bool done = false;;) {
      int running = 0;
      if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
      int queued = 0;
      while (const CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        result = message->data.result;
        done = true;
      }
      if (done) break;
      if (stop.stop_requested()) {
        stopped = true;
        result = CURLE_ABORTED_BY_CALLBACK;
        break;
      }
      constexpr int kPollMilliseconds = 1000;  // curl's own timers shorten it when they are due
      if (curl_multi_poll(multi.get(), nullptr, 0, kPollMilliseconds, nullptr) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
    }
  }
  curl_multi_remove_handle(multi.get(), handle);
  return result;
}


// One transfer, continuing the file from `written`. Returns nothing on success, else what went
// wrong and whether to try again.
std::optional<Attempt> attempt_download(const std::string& url, std::FILE* file, GrowingFile& destination,
                                        const DownloadOptions& options, std::stop_token stop, int64_t& written) {
  const std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return Attempt{false, Error(ErrorKind::internal, "libcurl could not start a transfer")};

  CURL* handle = curl.get();
  Transfer transfer{handle, file, &destination, written, 0, false, options.max_bytes, false, false};
  char error_text[CURL_ERROR_SIZE] = {};
  const std::string range = std::to_string(written) + "-";
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  if (written > 0) curl_easy_setopt(handle, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a multi-threaded server
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "sn44-miner");
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);

  bool stopped = false;
  const CURLcode code = perform_until_stopped(handle, stop, stopped);
  written = transfer.written;
  if (code == CURLE_OK) return std::nullopt;
  const std::string where = "download of " + url + ": ";
  if (stopped) return Attempt{false, Error(ErrorKind::timeout, where + "stopped (time limit)")};
  if (transfer.too_large)
    return Attempt{false, Error(ErrorKind::too_large, where + "larger than the limit of " + std::to_string(options.max_bytes) + " bytes")};
  if (transfer.write_failed) return Attempt{false, Error(ErrorKind::internal, where + "cannot write to " + destination.path().string())};
  if (code == CURLE_HTTP_RETURNED_ERROR) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    // The rest from `written` is empty: an earlier attempt had every byte and failed at the very
    // end (a lost closing chunk). With a size announced, it must be the size of what we have.
    if (status == 416 && written > 0 && destination.announced_size().value_or(written) == written) return std::nullopt;
    // Client errors will not change on a retry, except time-outs and rate limits.
    const bool retry = status >= 500 || status == 408 || status == 429;
    const ErrorKind kind = status == 404 || status == 410 ? ErrorKind::not_found : ErrorKind::unavailable;
    return Attempt{retry, Error(kind, where + "HTTP status " + std::to_string(status))};
  }
  if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT)
    return Attempt{false, Error(ErrorKind::invalid_argument, where + (error_text[0] ? error_text : curl_easy_strerror(code)))};
  if (code == CURLE_OPERATION_TIMEDOUT)
    return Attempt{true, Error(ErrorKind::unavailable, where + "timed out (" + (error_text[0] ? error_text : "no answer") + ")")};
  return Attempt{true, Error(ErrorKind::unavailable, where + (error_text[0] ? error_text : curl_easy_strerror(code)))};
}

std::string query_parameter(const std::string& url, const std::string& name) {
  for (const std::string& prefix : {"?" + name + "=", "&" + name + "="}) {
    const size_t start = url.find(prefix);
    if (start == std::string::npos) continue;
    const size_t begin = start + prefix.size();
    return url.substr(begin, url.find_first_of("&#", begin) - begin);
  }
  return {};
}

}  // namespace

std::string rewrite_google_drive_url(const std::string& url) {
  if (url.find("://drive.google.com/") == std::string::npos) return url;
  std::string id = query_parameter(url, "id");
  if (id.empty()) {
    const std::string marker = "/file/d/";
    const size_t start = url.find(marker);
    if (start == std::string::npos) return url;
    const size_t begin = start + marker.size();
    id = url.substr(begin, url.find_first_of("/?#", begin) - begin);
  }
  if (id.empty()) return url;
  return "https://drive.usercontent.google.com/download?id=" + id + "&export=download&confirm=t";
}

namespace {

DownloadResult download_into(const std::string& url, GrowingFile& destination, const DownloadOptions& options, std::stop_token stop) {
  ensure_curl_initialised();
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    throw Error(ErrorKind::invalid_argument, "video_url must be an http or https URL, not '" + url.substr(0, 64) + "'");
  const std::string source = rewrite_google_drive_url(url);
  // Unbuffered: every chunk curl hands over is in the file when the decoder is told of it.
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(destination.path().c_str(), "wb"), &std::fclose);
  if (!file || std::setvbuf(file.get(), nullptr, _IONBF, 0) != 0)
    throw Error(ErrorKind::internal, "cannot write the download to " + destination.path().string());
  const auto started = std::chrono::steady_clock::now();
  DownloadResult result;
  std::chrono::milliseconds backoff = options.first_backoff;
  for (int attempt = 1;; ++attempt) {
    result.attempts = attempt;
    std::optional<Attempt> failure = attempt_download(source, file.get(), destination, options, stop, result.bytes);
    if (!failure) break;
    if (!failure->retry || attempt >= options.attempts) {
      if (attempt > 1) throw Error(failure->error.kind(), std::string(failure->error.what()) + " (after " + std::to_string(attempt) + " attempts)");
      throw failure->error;
    }
    if (!sleep_unless_stopped(backoff, stop)) throw Error(ErrorKind::timeout, "download of " + url + ": stopped (time limit)");
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace

DownloadResult download(const std::string& url, GrowingFile& destination, const DownloadOptions& options, std::stop_token stop) {
  try {
    DownloadResult result = download_into(url, destination, options, stop);
    destination.complete();
    return result;
  } catch (const Error& error) {
    destination.fail(error);
    throw;
  }
}

}  // namespace sn44::server
