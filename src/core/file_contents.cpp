#include "core/file_contents.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/unique_fd.h"

namespace sn44 {
namespace {

[[noreturn]] void read_failed(const std::filesystem::path& path, int error) {
  throw Error(ErrorKind::not_found, "cannot read '" + path.string() + "': " + std::strerror(error));
}

}  // namespace

std::optional<std::string> read_file_contents(const std::filesystem::path& path) {
  const UniqueFd file = open_read_only(path);
  if (!file) return std::nullopt;
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) read_failed(path, errno);
  if (S_ISDIR(status.st_mode)) return std::nullopt;

  // Sized once from fstat; a file that is not regular (a pipe) or still growing is read on in
  // steps, doubling, until end of file.
  std::string contents(static_cast<size_t>(status.st_size > 0 ? status.st_size : 0) + 1, '\0');
  size_t filled = 0;
  for (;;) {
    if (filled == contents.size()) contents.resize(contents.size() * 2);
    const ssize_t count = ::read(file.get(), contents.data() + filled, contents.size() - filled);
    if (count < 0) {
      if (errno == EINTR) continue;
      read_failed(path, errno);
    }
    if (count == 0) break;
    filled += static_cast<size_t>(count);
  }
  contents.resize(filled);
  return contents;
}

}  // namespace sn44
