#pragma once
// Builds SCALE-encoded `Option<Metagraph>` answers for the tests (the fake subtensor node, the
// decoder's hand-made cases): every field in the chain's order, with the neurons given.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sn44::chain::testing {

struct TestNeuron {
  std::array<uint8_t, 32> hotkey{};
  std::array<uint8_t, 32> coldkey{};
  uint64_t tao_stake_rao = 0;
  uint64_t alpha_stake_rao = 0;
  bool validator_permit = false;
  uint32_t ipv4 = 0;  // 0: no axon
  uint16_t port = 0;
};

struct TestMetagraph {
  uint16_t netuid = 44;
  uint64_t block = 5'000'000;
  int identity_version = 3;  // 0: no identity
  bool empty_trust_rank_pruning = true;  // as on today's chain
  std::vector<TestNeuron> neurons;
};

class ScaleWriter {
 public:
  void u8(uint8_t value) { bytes_.push_back(value); }
  void little_endian(uint64_t value, int width);
  void compact(uint64_t value);
  void bytes(const std::vector<uint8_t>& data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
  void byte_vector(const std::string& text);
  const std::vector<uint8_t>& data() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

std::vector<uint8_t> encode_metagraph(const TestMetagraph& graph);

// A neuron whose keys are derived from `seed` (distinct for distinct seeds).
TestNeuron test_neuron(uint8_t seed, double tao_stake, bool validator_permit = false);

}  // namespace sn44::chain::testing
