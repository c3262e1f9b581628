#include "server/temp_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace sn44::server {

TempFile::TempFile(const std::string& name, const std::filesystem::path& parent) {
  std::string pattern = ((parent.empty() ? std::filesystem::temp_directory_path() : parent) / "sn44-miner-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    const std::string reason = std::strerror(errno);
    throw Error(ErrorKind::unavailable, "cannot create a temporary folder in " + std::filesystem::path(pattern).parent_path().string() + ": " + reason);
  }
  folder_ = pattern;  // mkdtemp creates it with mode 0700
  path_ = folder_ / name;
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
    throw Error(ErrorKind::unavailable, "cannot create a temporary file: " + reason);
  }
  ::close(fd);
}

TempFile::~TempFile() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

}  // namespace sn44::server
