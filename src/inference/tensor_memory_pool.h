#pragma once
// LibTorch allocates and frees a forward pass's activations (blocks of hundreds of KiB to hundreds of
// MiB) on every pass. The executables' tcmalloc keeps freed pages for the next pass. AddressSanitizer
// cannot run with tcmalloc, and its own malloc maps every large block afresh and unmaps it when it
// leaves the quarantine: page faults, zeroing and TLB shootdowns then take about half of a model's
// time (docs/benchmarks.md). Under AddressSanitizer this pool is LibTorch's CPU allocator: it keeps
// freed large blocks for the next allocation of the same size, and poisons them while they wait, so
// that a use after free is still reported. c10 has a caching CPU allocator only in its mobile build
// (Debian's LibTorch ships no header for it), hence this one.

#include <c10/core/Allocator.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace sn44::inference {

// Whether this build runs under AddressSanitizer (GCC says so with __SANITIZE_ADDRESS__, clang as a feature).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kBuiltWithAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kBuiltWithAddressSanitizer = true;
#else
inline constexpr bool kBuiltWithAddressSanitizer = false;
#endif
#else
inline constexpr bool kBuiltWithAddressSanitizer = false;
#endif

class TensorMemoryPool final : public c10::Allocator {
 public:
  // Smaller blocks come from malloc's own free lists, which serve them without the kernel.
  static constexpr size_t kSmallestPooledBytes = size_t{128} << 10;
  // Free bytes kept at most; a block freed beyond that goes back to malloc.
  static constexpr size_t kCapacityBytes = size_t{1} << 30;

  // The process's one pool: the deleter of its blocks, a plain function, finds it here. Never
  // destroyed, so that tensors freed during exit still have it.
  static TensorMemoryPool& instance();

  // LibTorch 2.3 made c10::Allocator::allocate non-const and added copy_data. Both forms are
  // declared, without `override`, so that the pool builds against Debian's LibTorch 1.13 and
  // against the CUDA builds of current releases alike: each overrides what its base declares.
  c10::DataPtr allocate(size_t bytes) const;
  c10::DataPtr allocate(size_t bytes);
  void copy_data(void* destination, const void* source, size_t bytes) const;
  c10::DeleterFnPtr raw_deleter() const override;

  // Bytes of the blocks kept for reuse now.
  size_t free_bytes() const;

 private:
  TensorMemoryPool() = default;
  // The deleter of the pool's blocks, large and small.
  static void give_back(void* data);

  mutable std::mutex mutex_;
  // Free blocks by size. Their addresses are kept as they are: LeakSanitizer sees them held.
  mutable std::unordered_multimap<size_t, void*> free_blocks_;
  mutable size_t free_bytes_ = 0;
  // Sizes of the large blocks the pool made, by address stored bit-inverted: a block that LibTorch
  // never frees is then still reported by LeakSanitizer, which scans memory for pointers.
  mutable std::unordered_map<uintptr_t, size_t> block_sizes_;
};

// Makes the pool LibTorch's CPU allocator when this build runs under AddressSanitizer; does nothing
// otherwise. Returns whether the pool is LibTorch's CPU allocator.
bool pool_tensor_memory_under_address_sanitizer();

}  // namespace sn44::inference
