#include "inference/tensor_memory_pool.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <sanitizer/asan_interface.h>  // ASAN_(UN)POISON_MEMORY_REGION: nothing without AddressSanitizer

#include <cstring>
#include <utility>

namespace sn44::inference {
namespace {

uintptr_t hidden(void* data) { return ~reinterpret_cast<uintptr_t>(data); }

}  // namespace

TensorMemoryPool& TensorMemoryPool::instance() {
  static TensorMemoryPool* const pool = new TensorMemoryPool();
  return *pool;
}

c10::DataPtr TensorMemoryPool::allocate(size_t bytes) const {
  void* data = nullptr;
  if (bytes >= kSmallestPooledBytes) {
    std::lock_guard lock(mutex_);
    if (const auto found = free_blocks_.find(bytes); found != free_blocks_.end()) {
      data = found->second;
      free_blocks_.erase(found);
      free_bytes_ -= bytes;
      ASAN_UNPOISON_MEMORY_REGION(data, bytes);
    }
  }
  if (data == nullptr) {
    data = c10::alloc_cpu(bytes);
    if (bytes >= kSmallestPooledBytes) {
      std::lock_guard lock(mutex_);
      block_sizes_.emplace(hidden(data), bytes);
    }
  }
  return {data, data, &TensorMemoryPool::give_back, c10::Device(c10::DeviceType::CPU)};
}

c10::DataPtr TensorMemoryPool::allocate(size_t bytes) { return std::as_const(*this).allocate(bytes); }

void TensorMemoryPool::copy_data(void* destination, const void* source, size_t bytes) const {
  std::memcpy(destination, source, bytes);
}

c10::DeleterFnPtr TensorMemoryPool::raw_deleter() const { return &TensorMemoryPool::give_back; }

void TensorMemoryPool::give_back(void* data) {
  if (data == nullptr) return;
  TensorMemoryPool& pool = instance();
  {
    std::lock_guard lock(pool.mutex_);
    const auto block = pool.block_sizes_.find(hidden(data));
    if (block != pool.block_sizes_.end()) {
      const size_t bytes = block->second;
      if (pool.free_bytes_ + bytes <= kCapacityBytes) {
        ASAN_POISON_MEMORY_REGION(data, bytes);
        pool.free_blocks_.emplace(bytes, data);
        pool.free_bytes_ += bytes;
        return;
      }
      pool.block_sizes_.erase(block);
    }
  }
  c10::free_cpu(data);
}

size_t TensorMemoryPool::free_bytes() const {
  std::lock_guard lock(mutex_);
  return free_bytes_;
}

bool pool_tensor_memory_under_address_sanitizer() {
  if (kBuiltWithAddressSanitizer) {
    static std::once_flag once;
    // Priority above c10's default allocator (0), below nothing else LibTorch registers on the CPU.
    std::call_once(once, [] { c10::SetCPUAllocator(&TensorMemoryPool::instance(), 1); });
  }
  return c10::GetCPUAllocator() == &TensorMemoryPool::instance();
}

}  // namespace sn44::inference
