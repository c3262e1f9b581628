// libFuzzer target for the metagraph decoder. Half of the inputs are raw bytes; the other half
// steer the test builder to a valid answer (neuron count, identity version, emptied vectors) that
// the rest of the input then corrupts (overwrites, truncation), so that mutations reach deep into
// the struct. Any outcome but a decoded metagraph or sn44::Error(corrupt_data) is a finding.

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "chain/metagraph.h"
#include "core/error.h"
#include "metagraph_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> input;
  if (size >= 4 && (data[0] & 1)) {
    sn44::chain::testing::TestMetagraph graph;
    graph.identity_version = data[1] % 3 == 0 ? 0 : (data[1] % 3 == 1 ? 2 : 3);
    graph.empty_trust_rank_pruning = (data[2] & 1) != 0;
    for (uint8_t i = 0; i < data[3] % 12; ++i) graph.neurons.push_back(sn44::chain::testing::test_neuron(i, i * 10.0));
    input = sn44::chain::testing::encode_metagraph(graph);
    for (size_t i = 4; i + 2 < size && !input.empty(); i += 3) {
      const size_t position = ((size_t{data[i]} << 8) | data[i + 1]) % input.size();
      if (data[i + 2] == 0xff) {
        input.resize(position);  // truncation
      } else {
        input[position] = data[i + 2];
      }
    }
  } else {
    input.assign(data, data + size);
  }
  try {
    sn44::chain::decode_metagraph(input);
  } catch (const sn44::Error& error) {
    if (error.kind() != sn44::ErrorKind::corrupt_data) std::abort();
  }
  return 0;
}
