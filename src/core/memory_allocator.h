#pragma once
// Which malloc the running process uses. The executables link tcmalloc (see
// cmake/Sn44Allocator.cmake); this tells an operator, and a test, whether it is really in effect.

#include <string>

namespace sn44 {

// "tcmalloc <version>" when tcmalloc serves malloc in this process, else "system malloc".
std::string memory_allocator();

}  // namespace sn44
