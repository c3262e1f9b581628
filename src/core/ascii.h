#pragma once
// Text that is ASCII by its nature (header names, file extensions, class names in model metadata).

#include <string>

namespace sn44 {

// `text` with A-Z as a-z; other bytes as they are, whatever the locale.
inline std::string ascii_lowercase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace sn44
