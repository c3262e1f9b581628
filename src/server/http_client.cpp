#include "server/http_client.h"

#include <curl/curl.h>

#include <memory>

#include "core/ascii.h"
#include "core/error.h"

namespace sn44::server {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t record_header(char* data, size_t size, size_t count, void* user) {
  const std::string line(data, size * count);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    const std::string name = ascii_lowercase(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * count;
}

}  // namespace

HttpReply http_request(const std::string& method, const std::string& url, const std::map<std::string, std::string>& headers,
                       const std::string& body, std::chrono::milliseconds timeout) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw Error(ErrorKind::internal, "libcurl failed to initialise");
  const std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error(ErrorKind::internal, "libcurl could not start a request");
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers) header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  const std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_guard(header_list, &curl_slist_free_all);

  HttpReply reply;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list);
  // Every encoding libcurl can decode is offered and decoded, as validators' clients do; an
  // Accept-Encoding header among `headers` replaces the offer.
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &record_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &reply.headers);
  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(handle);
  reply.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (code != CURLE_OK)
    throw Error(ErrorKind::unavailable, method + " " + url + ": " + curl_easy_strerror(code));
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace sn44::server
