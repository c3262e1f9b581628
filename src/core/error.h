#pragma once
// The project's one error type. Modules throw it with a kind and a message naming the cause; the
// entry points (the CLI and the HTTP server) turn the kind into an exit code or an HTTP status.

#include <stdexcept>
#include <string>
#include <string_view>

namespace sn44 {

enum class ErrorKind {
  invalid_argument,  // a malformed value given by the user or the client
  not_found,         // a file, URL or key that does not exist
  unsupported,       // a well-formed input the miner cannot handle (codec, model layout)
  corrupt_data,      // an input that claims to be valid but is not (truncated video, bad blob)
  unauthorized,      // authentication failed
  forbidden,         // authenticated but not allowed (stake gate)
  too_large,         // an input over a configured limit
  timeout,           // an operation ran past its deadline
  unavailable,       // a remote service could not be reached
  internal,          // a bug or an unexpected library failure
};

std::string_view to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace sn44
