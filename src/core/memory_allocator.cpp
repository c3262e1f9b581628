#include "core/memory_allocator.h"

#include <dlfcn.h>

namespace sn44 {

std::string memory_allocator() {
  // tcmalloc's malloc is an alias of its tc_malloc: if the first malloc in the symbol lookup order
  // is that one, tcmalloc has replaced the C library's (loading it without interposing does not).
  using VersionFunction = const char* (*)(int*, int*, const char**);
  void* const tc_malloc = dlsym(RTLD_DEFAULT, "tc_malloc");
  void* const tc_version = dlsym(RTLD_DEFAULT, "tc_version");
  if (tc_malloc == nullptr || tc_version == nullptr || dlsym(RTLD_DEFAULT, "malloc") != tc_malloc) return "system malloc";
  int major = 0, minor = 0;
  const char* patch = "";
  reinterpret_cast<VersionFunction>(tc_version)(&major, &minor, &patch);
  return "tcmalloc " + std::to_string(major) + "." + std::to_string(minor) + (patch != nullptr ? patch : "");
}

}  // namespace sn44
