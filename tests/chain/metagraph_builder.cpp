#include "metagraph_builder.h"

#include <algorithm>

namespace sn44::chain::testing {

void ScaleWriter::little_endian(uint64_t value, int width) {
  for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void ScaleWriter::compact(uint64_t value) {
  if (value < (1u << 6)) {
    u8(static_cast<uint8_t>(value << 2));
  } else if (value < (1u << 14)) {
    little_endian((value << 2) | 1, 2);
  } else if (value < (1u << 30)) {
    little_endian((value << 2) | 2, 4);
  } else {
    int length = 0;
    for (uint64_t rest = value; rest != 0; rest >>= 8) ++length;
    length = std::max(length, 4);
    u8(static_cast<uint8_t>(((length - 4) << 2) | 3));
    little_endian(value, length);
  }
}

void ScaleWriter::byte_vector(const std::string& text) {
  compact(text.size());
  bytes_.insert(bytes_.end(), text.begin(), text.end());
}

std::vector<uint8_t> encode_metagraph(const TestMetagraph& graph) {
  ScaleWriter w;
  const size_t n = graph.neurons.size();
  w.u8(1);                        // Some
  w.compact(graph.netuid);        // 0
  w.compact(3);                   // 1 name "sn4" as Vec<Compact<u8>>
  for (const char c : std::string("sn4")) w.compact(static_cast<uint8_t>(c));
  w.compact(1);                   // 2 symbol
  w.compact(0xce);
  if (graph.identity_version == 0) {
    w.u8(0);
  } else {                        // 3 identity
    w.u8(1);
    const int fields = graph.identity_version == 3 ? 8 : 7;
    for (int i = 0; i < fields; ++i) w.byte_vector("field " + std::to_string(i));
  }
  w.compact(123);                 // 4 network_registered_at
  w.bytes(std::vector<uint8_t>(32, 0xaa));  // 5 owner_hotkey
  w.bytes(std::vector<uint8_t>(32, 0xbb));  // 6 owner_coldkey
  w.compact(graph.block);         // 7 block
  for (int i = 8; i <= 20; ++i) w.compact(static_cast<uint64_t>(i) * 1'000'000'007ULL);  // includes big-mode compacts
  w.bytes(std::vector<uint8_t>(16, 0x01));  // 21 moving_price
  for (int i = 22; i <= 33; ++i) w.compact(static_cast<uint64_t>(i));
  w.u8(1);                        // 34
  w.u8(0);                        // 35
  for (int i = 36; i <= 45; ++i) w.compact(static_cast<uint64_t>(i) << 20);
  w.u8(0);                        // 46
  w.compact(1);                   // 47
  w.u8(1);                        // 48
  for (int i = 49; i <= 51; ++i) w.compact(static_cast<uint64_t>(i));
  w.compact(n);                   // 52 hotkeys
  for (const auto& neuron : graph.neurons) w.bytes({neuron.hotkey.begin(), neuron.hotkey.end()});
  w.compact(n);                   // 53 coldkeys
  for (const auto& neuron : graph.neurons) w.bytes({neuron.coldkey.begin(), neuron.coldkey.end()});
  w.compact(n);                   // 54 identities: every other one set
  for (size_t i = 0; i < n; ++i) {
    w.u8(i % 2);
    if (i % 2)
      for (int f = 0; f < 7; ++f) w.byte_vector("id");
  }
  w.compact(n);                   // 55 axons
  for (const auto& neuron : graph.neurons) {
    w.little_endian(4'000'000, 8);
    w.little_endian(100, 4);
    w.little_endian(neuron.ipv4, 8);
    w.little_endian(0, 8);
    w.little_endian(neuron.port, 2);
    w.u8(4);
    w.u8(4);
    w.u8(0);
    w.u8(0);
  }
  w.compact(n);                   // 56 active
  for (size_t i = 0; i < n; ++i) w.u8(1);
  w.compact(n);                   // 57 validator_permit
  for (const auto& neuron : graph.neurons) w.u8(neuron.validator_permit ? 1 : 0);
  for (int field = 58; field <= 66; ++field) {
    const bool emptied = graph.empty_trust_rank_pruning && (field == 58 || field == 64 || field == 65);
    w.compact(emptied ? 0 : n);
    if (!emptied)
      for (size_t i = 0; i < n; ++i) w.compact(i * 1000);
  }
  w.compact(n);                   // 67 alpha_stake
  for (const auto& neuron : graph.neurons) w.compact(neuron.alpha_stake_rao);
  w.compact(n);                   // 68 tao_stake
  for (const auto& neuron : graph.neurons) w.compact(neuron.tao_stake_rao);
  w.compact(n);                   // 69 total_stake
  for (const auto& neuron : graph.neurons) w.compact(neuron.tao_stake_rao + neuron.alpha_stake_rao);
  for (int field = 70; field <= 71; ++field) {
    w.compact(n);
    for (const auto& neuron : graph.neurons) {
      w.bytes({neuron.hotkey.begin(), neuron.hotkey.end()});
      w.compact(7);
    }
  }
  return w.data();
}

TestNeuron test_neuron(uint8_t seed, double tao_stake, bool validator_permit) {
  TestNeuron neuron;
  for (size_t i = 0; i < 32; ++i) {
    neuron.hotkey[i] = static_cast<uint8_t>(seed * 31 + i);
    neuron.coldkey[i] = static_cast<uint8_t>(seed * 17 + 3 * i + 1);
  }
  neuron.tao_stake_rao = static_cast<uint64_t>(tao_stake * 1e9);
  neuron.alpha_stake_rao = 5'000'000'000ULL * seed;
  neuron.validator_permit = validator_permit;
  neuron.ipv4 = (10u << 24) | seed;
  neuron.port = static_cast<uint16_t>(8000 + seed);
  return neuron;
}

}  // namespace sn44::chain::testing
