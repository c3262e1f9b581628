#pragma once
// A private temporary file (in a fresh 0700 folder, the file itself 0600), removed with its folder
// when the object goes away, whatever happened in between.

#include <filesystem>
#include <string>

namespace sn44::server {

class TempFile {
 public:
  // Creates an empty file named `name` in a new private folder under `parent` (the system temp
  // folder when empty).
  explicit TempFile(const std::string& name, const std::filesystem::path& parent = {});
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path folder_;
  std::filesystem::path path_;
};

}  // namespace sn44::server
