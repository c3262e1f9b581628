#include "core/env_file.h"

#include <cctype>
#include <cstdlib>
#include <sstream>

#include "core/error.h"
#include "core/file_contents.h"

namespace sn44 {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_valid_key(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

// Parses the value part; `line_number` only serves the error message.
std::string parse_value(std::string_view raw, int line_number) {
  raw = trim(raw);
  if (raw.empty()) return {};
  const char quote = raw.front();
  if (quote == '"' || quote == '\'') {
    const size_t end = raw.find(quote, 1);
    if (end == std::string_view::npos) {
      throw Error(ErrorKind::invalid_argument,
                  ".env line " + std::to_string(line_number) + ": unterminated quoted value");
    }
    std::string value(raw.substr(1, end - 1));
    if (quote == '"') {
      // Double quotes expand the usual escapes, as python-dotenv does.
      std::string unescaped;
      for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          const char next = value[++i];
          unescaped += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
          unescaped += value[i];
        }
      }
      value = std::move(unescaped);
    }
    return value;
  }
  // Unquoted: an inline comment starts at " #".
  const size_t comment = raw.find(" #");
  return std::string(trim(raw.substr(0, comment)));
}

}  // namespace

EnvEntries parse_env_file(std::string_view text) {
  EnvEntries entries;
  std::istringstream lines{std::string(text)};
  std::string line;
  int line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    std::string_view view = trim(line);
    if (view.empty() || view.front() == '#') continue;
    if (view.starts_with("export ")) view = trim(view.substr(7));
    const size_t eq = view.find('=');
    const std::string_view key = trim(view.substr(0, eq));
    if (eq == std::string_view::npos || !is_valid_key(key)) {
      throw Error(ErrorKind::invalid_argument,
                  ".env line " + std::to_string(line_number) + ": expected KEY=VALUE");
    }
    entries.emplace_back(std::string(key), parse_value(view.substr(eq + 1), line_number));
  }
  return entries;
}

int load_env_file(const std::filesystem::path& path) {
  const std::optional<std::string> text = read_file_contents(path);
  if (!text) return 0;
  int set = 0;
  for (const auto& [key, value] : parse_env_file(*text)) {
    if (std::getenv(key.c_str()) != nullptr) continue;
    if (::setenv(key.c_str(), value.c_str(), /*overwrite=*/1) != 0) {
      throw Error(ErrorKind::internal, "cannot set environment variable " + key + " from " + path.string());
    }
    ++set;
  }
  return set;
}

}  // namespace sn44
