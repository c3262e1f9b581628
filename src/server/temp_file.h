#pragma once
// A private temporary file (in a fresh 0700 folder, the file itself 0600), removed with its folder
// when the object goes away, whatever happened in between.

#include <filesystem>

namespace sn44::server {

class TempFile {
 public:
  // Creates an empty file named `name` in a new private folder under the system temp folder.
  explicit TempFile(const std::string& name);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path folder_;
  std::filesystem::path path_;
};

}  // namespace sn44::server
