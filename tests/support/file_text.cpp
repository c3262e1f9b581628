#include "support/file_text.h"

#include <optional>
#include <stdexcept>

#include "core/file_contents.h"

namespace sn44::testing {

std::string file_text(const std::filesystem::path& path) {
  std::optional<std::string> text = read_file_contents(path);
  if (!text) throw std::runtime_error("cannot read " + path.string());
  return std::move(*text);
}

}  // namespace sn44::testing
