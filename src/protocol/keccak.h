#pragma once
// The Keccak-f[1600] permutation (FIPS 202), the core of STROBE. Written here because no Debian
// package exposes the bare permutation (OpenSSL and libsodium only offer finished hash functions).

#include <array>
#include <cstdint>

namespace sn44::protocol {

using KeccakState = std::array<uint64_t, 25>;  // lanes, x + 5y, little-endian

void keccak_f1600(KeccakState& state);

}  // namespace sn44::protocol
