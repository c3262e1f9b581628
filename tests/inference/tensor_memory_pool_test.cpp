// The pool of LibTorch's CPU tensor memory: a freed large block is handed out again for the same
// size, small blocks and blocks beyond the capacity go back to malloc, a waiting block is poisoned
// under AddressSanitizer, and the pool is LibTorch's CPU allocator exactly when AddressSanitizer is
// in effect. The pool is one per process: each case uses sizes of its own and counts differences.

#include "inference/tensor_memory_pool.h"

#include <gtest/gtest.h>
#include <sanitizer/asan_interface.h>
#include <torch/torch.h>

#include <cstring>

namespace sn44::inference {
namespace {

constexpr size_t kLarge = TensorMemoryPool::kSmallestPooledBytes;

TEST(TensorMemoryPool, AFreedLargeBlockIsHandedOutAgainForTheSameSizeOnly) {
  TensorMemoryPool& pool = TensorMemoryPool::instance();
  const size_t bytes = kLarge + 8;
  const size_t before = pool.free_bytes();
  void* first = nullptr;
  {
    c10::DataPtr block = pool.allocate(bytes);
    first = block.get();
    ASSERT_NE(first, nullptr);
    std::memset(first, 0x5a, bytes);
  }
  EXPECT_EQ(pool.free_bytes(), before + bytes);

  c10::DataPtr other_size = pool.allocate(bytes + 8);
  EXPECT_NE(other_size.get(), first);
  EXPECT_EQ(pool.free_bytes(), before + bytes);

  c10::DataPtr again = pool.allocate(bytes);
  EXPECT_EQ(again.get(), first);
  EXPECT_EQ(pool.free_bytes(), before);
}

TEST(TensorMemoryPool, RawAllocationsAreKeptToo) {
  TensorMemoryPool& pool = TensorMemoryPool::instance();
  const size_t bytes = kLarge + 24;
  const size_t before = pool.free_bytes();
  void* const first = pool.raw_allocate(bytes);
  pool.raw_deallocate(first);
  EXPECT_EQ(pool.free_bytes(), before + bytes);
  void* const again = pool.raw_allocate(bytes);
  EXPECT_EQ(again, first);
  pool.raw_deallocate(again);
}

TEST(TensorMemoryPool, SmallBlocksGoBackToMalloc) {
  TensorMemoryPool& pool = TensorMemoryPool::instance();
  const size_t before = pool.free_bytes();
  { c10::DataPtr block = pool.allocate(kLarge - 1); }
  { c10::DataPtr block = pool.allocate(64); }
  EXPECT_EQ(pool.free_bytes(), before);
}

TEST(TensorMemoryPool, KeepsNoMoreThanItsCapacity) {
  TensorMemoryPool& pool = TensorMemoryPool::instance();
  // Two blocks of over half the capacity: the first freed is kept, the second goes back. Their
  // pages are never touched, so they cost address space only.
  const size_t bytes = TensorMemoryPool::kCapacityBytes / 2 + 4096;
  const size_t before = pool.free_bytes();
  ASSERT_LT(before + bytes, TensorMemoryPool::kCapacityBytes);
  void* kept = nullptr;
  {
    c10::DataPtr first = pool.allocate(bytes);
    c10::DataPtr second = pool.allocate(bytes);
    kept = first.get();
    first.clear();
    EXPECT_EQ(pool.free_bytes(), before + bytes);
  }
  EXPECT_EQ(pool.free_bytes(), before + bytes);
  c10::DataPtr again = pool.allocate(bytes);
  EXPECT_EQ(again.get(), kept);
  EXPECT_EQ(pool.free_bytes(), before);
}

TEST(TensorMemoryPool, AWaitingBlockIsPoisonedSoThatAUseAfterFreeIsReported) {
  if (!kBuiltWithAddressSanitizer) GTEST_SKIP() << "poisoning needs AddressSanitizer";
  TensorMemoryPool& pool = TensorMemoryPool::instance();
  const size_t bytes = kLarge + 40;
  char* data = nullptr;
  {
    c10::DataPtr block = pool.allocate(bytes);
    data = static_cast<char*>(block.get());
    EXPECT_FALSE(__asan_address_is_poisoned(data));
    EXPECT_FALSE(__asan_address_is_poisoned(data + bytes - 1));
  }
  EXPECT_TRUE(__asan_address_is_poisoned(data));
  EXPECT_TRUE(__asan_address_is_poisoned(data + bytes - 1));
  EXPECT_DEATH(static_cast<volatile char*>(data)[bytes / 2] = 1, "use-after-poison");

  c10::DataPtr again = pool.allocate(bytes);
  ASSERT_EQ(again.get(), data);
  EXPECT_FALSE(__asan_address_is_poisoned(data));
  EXPECT_FALSE(__asan_address_is_poisoned(data + bytes - 1));
}

TEST(TensorMemoryPool, IsLibTorchsCpuAllocatorUnderAddressSanitizerOnly) {
  EXPECT_EQ(pool_tensor_memory_under_address_sanitizer(), kBuiltWithAddressSanitizer);
  TensorMemoryPool& pool = TensorMemoryPool::instance();
  const int64_t floats = static_cast<int64_t>(kLarge);  // 4 times the smallest pooled block
  const size_t before = pool.free_bytes();
  void* first = nullptr;
  {
    const torch::Tensor tensor = torch::ones({floats});
    first = tensor.data_ptr();
  }
  EXPECT_EQ(pool.free_bytes(), before + (kBuiltWithAddressSanitizer ? sizeof(float) * kLarge : 0));
  if (kBuiltWithAddressSanitizer) {
    const torch::Tensor tensor = torch::zeros({floats});
    EXPECT_EQ(tensor.data_ptr(), first);
    EXPECT_EQ(tensor.sum().item<float>(), 0.0f);
  }
}

}  // namespace
}  // namespace sn44::inference
