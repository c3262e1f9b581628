#include "cli/output_file.h"

#include <fstream>

#include "core/error.h"

namespace sn44::cli {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path temporary = path;
  temporary += ".partial";
  std::error_code ignored;
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) throw Error(ErrorKind::invalid_argument, "cannot write '" + path.string() + "'");
    file << content;
    if (!file.flush()) {
      std::filesystem::remove(temporary, ignored);
      throw Error(ErrorKind::unavailable, "writing '" + path.string() + "' failed");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::unavailable, "cannot move the output into '" + path.string() + "': " + error.message());
  }
}

}  // namespace sn44::cli
