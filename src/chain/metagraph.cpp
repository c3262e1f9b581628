#include "chain/metagraph.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "chain/scale.h"
#include "core/error.h"
#include "protocol/ss58.h"

namespace sn44::chain {
namespace {

constexpr double kRaoPerUnit = 1e9;
constexpr size_t kAxonBytes = 34;

using Account = std::array<uint8_t, 32>;

// What the decoder keeps of the per-uid vectors.
struct PerUid {
  std::vector<Account> hotkeys, coldkeys;
  std::vector<bool> active, validator_permit;
  std::vector<double> alpha_stake, tao_stake, total_stake;
  std::vector<std::pair<std::string, uint16_t>> axons;
};

void skip_compacts(ScaleReader& reader, int count) {
  for (int i = 0; i < count; ++i) reader.compact();
}

std::vector<double> compact_vector_in_units(ScaleReader& reader) {
  std::vector<double> values(reader.vector_length(1));
  for (double& value : values) value = reader.compact().to_double() / kRaoPerUnit;
  return values;
}

std::vector<bool> bool_vector(ScaleReader& reader) {
  std::vector<bool> values(reader.vector_length(1));
  for (size_t i = 0; i < values.size(); ++i) values[i] = reader.boolean();
  return values;
}

std::vector<Account> account_vector(ScaleReader& reader) {
  std::vector<Account> accounts(reader.vector_length(32));
  for (Account& account : accounts) account = reader.fixed<32>();
  return accounts;
}

void skip_byte_vectors(ScaleReader& reader, int count) {
  for (int i = 0; i < count; ++i) reader.byte_vector();
}

std::string ip_text(const U128& ip, uint8_t ip_type) {
  if (ip.low == 0 && ip.high == 0) return {};
  if (ip_type == 4) {
    const uint64_t v = ip.low;
    return std::to_string((v >> 24) & 0xff) + "." + std::to_string((v >> 16) & 0xff) + "." + std::to_string((v >> 8) & 0xff) +
           "." + std::to_string(v & 0xff);
  }
  std::string text;
  for (int group = 7; group >= 0; --group) {
    const uint64_t part = group >= 4 ? ip.high : ip.low;
    const auto value = static_cast<unsigned>((part >> (16 * (group % 4))) & 0xffff);
    char hex[6];
    std::snprintf(hex, sizeof hex, "%x", value);
    text += hex;
    if (group > 0) text += ':';
  }
  return text;
}

// Fields 0-3: netuid, name, symbol, identity (V2: 7 byte vectors, V3: 8).
void read_head(ScaleReader& reader, Metagraph& graph, int identity_fields) {
  graph.netuid = static_cast<uint16_t>(reader.compact_u64());
  for (int i = 0; i < 2; ++i) {  // name, symbol: Vec<Compact<u8>>
    const size_t length = reader.vector_length(1);
    for (size_t c = 0; c < length; ++c) reader.compact();
  }
  graph.identity_version = 0;
  if (reader.option()) {
    skip_byte_vectors(reader, identity_fields);
    graph.identity_version = identity_fields == 8 ? 3 : 2;
  }
}

// Fields 4-71, given a reader positioned after the identity.
PerUid read_body(ScaleReader& reader, Metagraph& graph) {
  reader.compact();                          // 4 network_registered_at
  reader.fixed<32>();                        // 5 owner_hotkey
  reader.fixed<32>();                        // 6 owner_coldkey
  graph.block = reader.compact_u64();        // 7 block
  skip_compacts(reader, 13);                 // 8-20 tempo ... subnet_volume
  reader.bytes(16);                          // 21 moving_price (I96F32)
  skip_compacts(reader, 12);                 // 22-33 rho ... difficulty
  reader.boolean();                          // 34 registration_allowed
  reader.boolean();                          // 35 pow_registration_allowed
  skip_compacts(reader, 10);                 // 36-45 immunity_period ... serving_rate_limit
  reader.boolean();                          // 46 commit_reveal_weights_enabled
  reader.compact();                          // 47 commit_reveal_period
  reader.boolean();                          // 48 liquid_alpha_enabled
  skip_compacts(reader, 3);                  // 49-51 alpha_high, alpha_low, bonds_moving_avg
  PerUid uids;
  uids.hotkeys = account_vector(reader);     // 52
  uids.coldkeys = account_vector(reader);    // 53
  const size_t identities = reader.vector_length(1);  // 54 Vec<Option<ChainIdentityV2>>
  for (size_t i = 0; i < identities; ++i)
    if (reader.option()) skip_byte_vectors(reader, 7);
  const size_t axons = reader.vector_length(kAxonBytes);  // 55
  for (size_t i = 0; i < axons; ++i) {
    reader.u64();  // block
    reader.u32();  // version
    const U128 ip = reader.u128();
    const uint16_t port = reader.u16();
    const uint8_t ip_type = reader.u8();
    reader.bytes(3);  // protocol, placeholder1, placeholder2
    uids.axons.emplace_back(ip_text(ip, ip_type), port);
  }
  uids.active = bool_vector(reader);            // 56
  uids.validator_permit = bool_vector(reader);  // 57
  for (int field = 58; field <= 66; ++field) {  // pruning_score ... block_at_registration
    const size_t length = reader.vector_length(1);
    for (size_t i = 0; i < length; ++i) reader.compact();
  }
  uids.alpha_stake = compact_vector_in_units(reader);  // 67
  uids.tao_stake = compact_vector_in_units(reader);    // 68
  uids.total_stake = compact_vector_in_units(reader);  // 69
  for (int field = 70; field <= 71; ++field) {         // (hotkey, amount) dividends
    const size_t length = reader.vector_length(33);
    for (size_t i = 0; i < length; ++i) {
      reader.fixed<32>();
      reader.compact();
    }
  }
  return uids;
}

template <typename T>
T at_or(const std::vector<T>& values, size_t index, T fallback) {
  return index < values.size() ? values[index] : fallback;
}

}  // namespace

std::optional<Metagraph> decode_metagraph(std::span<const uint8_t> data) {
  ScaleReader outer(data);
  if (!outer.option()) {
    if (outer.remaining() != 0) throw Error(ErrorKind::corrupt_data, "metagraph: bytes after None");
    return std::nullopt;
  }
  const size_t body_offset = outer.offset();

  // Runtimes differ in the identity struct: try the newer layout, then the older, and keep the one
  // that reads the whole answer exactly.
  std::string errors;
  for (const int identity_fields : {8, 7}) {
    ScaleReader reader(data.subspan(body_offset));
    Metagraph graph;
    try {
      read_head(reader, graph, identity_fields);
      PerUid uids = read_body(reader, graph);
      if (reader.remaining() != 0)
        throw Error(ErrorKind::corrupt_data, "metagraph: " + std::to_string(reader.remaining()) + " bytes left after the last field");
      // Per-uid vectors may be empty on today's chain; hotkeys define the uids.
      for (size_t uid = 0; uid < uids.hotkeys.size(); ++uid) {
        Neuron neuron;
        neuron.uid = static_cast<uint16_t>(uid);
        neuron.hotkey = protocol::ss58_encode(uids.hotkeys[uid]);
        if (uid < uids.coldkeys.size()) neuron.coldkey = protocol::ss58_encode(uids.coldkeys[uid]);
        neuron.tao_stake = at_or(uids.tao_stake, uid, 0.0);
        neuron.alpha_stake = at_or(uids.alpha_stake, uid, 0.0);
        neuron.total_stake = at_or(uids.total_stake, uid, 0.0);
        neuron.validator_permit = at_or(uids.validator_permit, uid, false);
        neuron.active = at_or(uids.active, uid, false);
        if (uid < uids.axons.size()) std::tie(neuron.axon_ip, neuron.axon_port) = uids.axons[uid];
        graph.neurons.push_back(std::move(neuron));
      }
      return graph;
    } catch (const Error& error) {
      errors += (errors.empty() ? "as V3: " : "; as V2: ") + std::string(error.what());
    }
  }
  throw Error(ErrorKind::corrupt_data, "metagraph does not decode with either identity layout (" + errors + ")");
}

}  // namespace sn44::chain
