#include "chain/metagraph.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>

#include "core/error.h"
#include "protocol/ss58.h"

namespace sn44::chain {
namespace {

constexpr double kRaoPerUnit = 1e9;
constexpr size_t kAxonBytes = 34;
constexpr size_t kMaxUids = 65536;  // uids are u16

constexpr std::array<std::string_view, 8> kSubnetIdentityV3 = {
    "subnet_name", "github_repo", "subnet_contact", "subnet_url", "discord", "description", "logo_url", "additional"};
constexpr std::array<std::string_view, 7> kSubnetIdentityV2 = {
    "subnet_name", "github_repo", "subnet_contact", "subnet_url", "discord", "description", "additional"};
constexpr std::array<std::string_view, 7> kChainIdentityV2 = {
    "name", "url", "github_repo", "image", "discord", "description", "additional"};

using Names = std::initializer_list<std::string_view>;

void read_scalars(ScaleReader& reader, RuntimeMetagraph& graph, Names names) {
  for (const std::string_view name : names) {
    reader.set_field(name);
    graph.scalars.emplace_back(name, reader.compact());
  }
}

void read_flags(ScaleReader& reader, RuntimeMetagraph& graph, Names names) {
  for (const std::string_view name : names) {
    reader.set_field(name);
    graph.flags.emplace_back(name, reader.boolean());
  }
}

AccountId read_account(ScaleReader& reader, std::string_view name) {
  reader.set_field(name);
  return reader.fixed<32>();
}

// Vec<Compact<u8>>: text the runtime stores one compact-encoded byte at a time.
std::string read_compact_text(ScaleReader& reader, std::string_view name) {
  reader.set_field(name);
  std::string text(reader.vector_length(1), '\0');
  for (char& c : text) c = static_cast<char>(reader.compact_at_most(UINT8_MAX));
  return text;
}

ByteFields read_byte_fields(ScaleReader& reader, std::span<const std::string_view> names) {
  ByteFields fields;
  for (const std::string_view name : names) {
    const auto bytes = reader.byte_vector();
    fields.emplace_back(name, std::string(bytes.begin(), bytes.end()));
  }
  return fields;
}

std::vector<AccountId> read_accounts(ScaleReader& reader, std::string_view name) {
  reader.set_field(name);
  std::vector<AccountId> accounts(reader.vector_length(32));
  for (AccountId& account : accounts) account = reader.fixed<32>();
  return accounts;
}

std::vector<bool> read_bools(ScaleReader& reader, std::string_view name) {
  reader.set_field(name);
  std::vector<bool> values(reader.vector_length(1));
  for (size_t i = 0; i < values.size(); ++i) values[i] = reader.boolean();
  return values;
}

std::vector<AxonInfo> read_axons(ScaleReader& reader) {
  reader.set_field("axons");
  std::vector<AxonInfo> axons(reader.vector_length(kAxonBytes));
  for (AxonInfo& axon : axons) {
    axon.block = reader.u64();
    axon.version = reader.u32();
    axon.ip = reader.u128();
    axon.port = reader.u16();
    axon.ip_type = reader.u8();
    axon.protocol = reader.u8();
    axon.placeholder1 = reader.u8();
    axon.placeholder2 = reader.u8();
  }
  return axons;
}

std::vector<std::pair<AccountId, U128>> read_amounts_by_hotkey(ScaleReader& reader, std::string_view name) {
  reader.set_field(name);
  std::vector<std::pair<AccountId, U128>> amounts(reader.vector_length(33));
  for (auto& [hotkey, amount] : amounts) {
    hotkey = reader.fixed<32>();
    amount = reader.compact();
  }
  return amounts;
}

// The struct after the Option tag, in the runtime's field order (docs: spec section 4).
RuntimeMetagraph read_fields(ScaleReader& reader, std::span<const std::string_view> identity_layout) {
  RuntimeMetagraph graph;
  reader.set_field("netuid");
  graph.netuid = static_cast<uint16_t>(reader.compact_at_most(UINT16_MAX));
  graph.name = read_compact_text(reader, "name");
  graph.symbol = read_compact_text(reader, "symbol");
  reader.set_field("identity");
  if (reader.option()) graph.identity = read_byte_fields(reader, identity_layout);
  read_scalars(reader, graph, {"network_registered_at"});
  graph.owner_hotkey = read_account(reader, "owner_hotkey");
  graph.owner_coldkey = read_account(reader, "owner_coldkey");
  reader.set_field("block");
  graph.scalars.emplace_back("block", U128{reader.compact_at_most(UINT64_MAX), 0});
  read_scalars(reader, graph, {"tempo", "last_step", "blocks_since_last_step", "subnet_emission", "alpha_in", "alpha_out",
                               "tao_in", "alpha_out_emission", "alpha_in_emission", "tao_in_emission",
                               "pending_alpha_emission", "pending_root_emission", "subnet_volume"});
  reader.set_field("moving_price");
  graph.moving_price_bits = reader.u128();
  read_scalars(reader, graph, {"rho", "kappa", "min_allowed_weights", "max_weights_limit", "weights_version",
                               "weights_rate_limit", "activity_cutoff", "max_validators", "num_uids", "max_uids", "burn",
                               "difficulty"});
  read_flags(reader, graph, {"registration_allowed", "pow_registration_allowed"});
  read_scalars(reader, graph, {"immunity_period", "min_difficulty", "max_difficulty", "min_burn", "max_burn",
                               "adjustment_alpha", "adjustment_interval", "target_regs_per_interval",
                               "max_regs_per_block", "serving_rate_limit"});
  read_flags(reader, graph, {"commit_reveal_weights_enabled"});
  read_scalars(reader, graph, {"commit_reveal_period"});
  read_flags(reader, graph, {"liquid_alpha_enabled"});
  read_scalars(reader, graph, {"alpha_high", "alpha_low", "bonds_moving_avg"});
  graph.hotkeys = read_accounts(reader, "hotkeys");
  if (graph.hotkeys.size() > kMaxUids) reader.fail(std::to_string(graph.hotkeys.size()) + " hotkeys, more uids than a u16 holds");
  graph.coldkeys = read_accounts(reader, "coldkeys");
  reader.set_field("identities");
  graph.identities.resize(reader.vector_length(1));
  for (auto& identity : graph.identities)
    if (reader.option()) identity = read_byte_fields(reader, kChainIdentityV2);
  graph.axons = read_axons(reader);
  graph.active = read_bools(reader, "active");
  graph.validator_permit = read_bools(reader, "validator_permit");
  for (const std::string_view name : {"pruning_score", "last_update", "emission", "dividends", "incentives", "consensus", "trust",
                                      "rank", "block_at_registration", "alpha_stake", "tao_stake", "total_stake"}) {
    reader.set_field(name);
    std::vector<U128> values(reader.vector_length(1));
    for (U128& value : values) value = reader.compact();
    graph.per_uid.emplace_back(name, std::move(values));
  }
  graph.tao_dividends_per_hotkey = read_amounts_by_hotkey(reader, "tao_dividends_per_hotkey");
  graph.alpha_dividends_per_hotkey = read_amounts_by_hotkey(reader, "alpha_dividends_per_hotkey");
  return graph;
}

template <typename T, typename Convert>
auto at_or(const std::vector<T>& values, size_t index, Convert convert, decltype(convert(values[0])) fallback) {
  return index < values.size() ? convert(values[index]) : fallback;
}

double in_units(const U128& raw) { return raw.to_double() / kRaoPerUnit; }

// Per-uid vectors may be shorter than the hotkeys (the chain emptied some in December 2025): a
// missing value reads as 0 / false / unset, never out of bounds.
std::vector<Neuron> neurons_of(const RuntimeMetagraph& graph) {
  const auto as_is = [](auto value) { return value; };
  const std::vector<U128>& tao_stake = graph.per_uid_values("tao_stake");
  const std::vector<U128>& alpha_stake = graph.per_uid_values("alpha_stake");
  const std::vector<U128>& total_stake = graph.per_uid_values("total_stake");
  std::vector<Neuron> neurons(graph.hotkeys.size());
  for (size_t uid = 0; uid < neurons.size(); ++uid) {
    Neuron& neuron = neurons[uid];
    neuron.uid = static_cast<uint16_t>(uid);
    neuron.hotkey = protocol::ss58_encode(graph.hotkeys[uid]);
    if (uid < graph.coldkeys.size()) neuron.coldkey = protocol::ss58_encode(graph.coldkeys[uid]);
    neuron.tao_stake = at_or(tao_stake, uid, in_units, 0.0);
    neuron.alpha_stake = at_or(alpha_stake, uid, in_units, 0.0);
    neuron.total_stake = at_or(total_stake, uid, in_units, 0.0);
    neuron.validator_permit = at_or(graph.validator_permit, uid, as_is, false);
    neuron.active = at_or(graph.active, uid, as_is, false);
    if (uid < graph.axons.size()) {
      neuron.axon_ip = axon_ip_text(graph.axons[uid]);
      neuron.axon_port = graph.axons[uid].port;
    }
  }
  return neurons;
}

template <typename Named>
const auto& find_named(const Named& fields, std::string_view name) {
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& field) { return field.first == name; });
  if (it == fields.end()) throw Error(ErrorKind::internal, "the metagraph has no field '" + std::string(name) + "'");
  return it->second;
}

}  // namespace

const U128& RuntimeMetagraph::scalar(std::string_view field) const { return find_named(scalars, field); }

const std::vector<U128>& RuntimeMetagraph::per_uid_values(std::string_view field) const { return find_named(per_uid, field); }

double RuntimeMetagraph::moving_price() const {
  const bool negative = (moving_price_bits.high >> 63) != 0;
  U128 magnitude = moving_price_bits;
  if (negative) {  // two's complement: invert and add one
    magnitude.low = ~moving_price_bits.low + 1;
    magnitude.high = ~moving_price_bits.high + (magnitude.low == 0 ? 1 : 0);
  }
  const double value = magnitude.to_double() / 4294967296.0;  // 32 fractional bits
  return negative ? -value : value;
}

std::string axon_ip_text(const AxonInfo& axon) {
  const U128& ip = axon.ip;
  if (ip.low == 0 && ip.high == 0) return {};
  if (axon.ip_type == 4) {
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

namespace {

// Fields the runtime declares as Compact<u16>. Not enforced while reading (a runtime may widen a
// compact without changing its encoding); used only to tell the two identity layouts apart.
constexpr std::array<std::string_view, 15> kU16Scalars = {
    "tempo", "rho", "kappa", "min_allowed_weights", "max_weights_limit", "activity_cutoff", "max_validators", "num_uids",
    "max_uids", "immunity_period", "adjustment_interval", "target_regs_per_interval", "max_regs_per_block", "alpha_high",
    "alpha_low"};
constexpr std::array<std::string_view, 6> kU16PerUid = {"pruning_score", "dividends", "incentives", "consensus", "trust", "rank"};

bool fits_u16(const U128& value) { return value.high == 0 && value.low <= UINT16_MAX; }

// Whether a reading looks like the chain's data: one uid per hotkey (num_uids), every per-uid
// vector full or emptied, u16 fields within u16. Used only to choose between identity layouts that
// both read the answer to its end.
bool plausible(const RuntimeMetagraph& graph) {
  const size_t uids = graph.hotkeys.size();
  const auto fits = [uids](size_t length) { return length == 0 || length == uids; };
  const bool per_uid_fit = std::all_of(graph.per_uid.begin(), graph.per_uid.end(), [&](const auto& field) {
    const bool narrow = std::find(kU16PerUid.begin(), kU16PerUid.end(), field.first) != kU16PerUid.end();
    return fits(field.second.size()) && (!narrow || std::all_of(field.second.begin(), field.second.end(), fits_u16));
  });
  const bool scalars_fit =
      std::all_of(kU16Scalars.begin(), kU16Scalars.end(), [&](std::string_view name) { return fits_u16(graph.scalar(name)); });
  return per_uid_fit && scalars_fit && graph.scalar("num_uids") == U128{uids, 0} && fits(graph.coldkeys.size()) &&
         fits(graph.identities.size()) && fits(graph.axons.size()) && fits(graph.active.size()) && fits(graph.validator_permit.size());
}

}  // namespace

std::optional<Metagraph> decode_metagraph(std::span<const uint8_t> data) {
  {
    ScaleReader reader(data);
    reader.set_field("Option<Metagraph> tag");
    if (!reader.option()) {
      if (reader.remaining() != 0) reader.fail(std::to_string(reader.remaining()) + " bytes after None");
      return std::nullopt;
    }
  }
  // Runtimes differ in the subnet identity struct (V3 adds logo_url) and the answer does not say
  // which: read it with both layouts and keep the one that reads the whole answer exactly. If both
  // do (a shifted read can end by chance, mostly on tiny subnets), the chain's invariants decide.
  // Without a subnet identity both layouts read the same, so one reading is enough.
  std::vector<Metagraph> readings;
  std::string errors;
  for (const auto& [version, layout] : {std::pair{3, std::span<const std::string_view>(kSubnetIdentityV3)},
                                        std::pair{2, std::span<const std::string_view>(kSubnetIdentityV2)}}) {
    ScaleReader reader(data);
    reader.option();
    try {
      Metagraph graph;
      graph.runtime = read_fields(reader, layout);
      if (reader.remaining() != 0) {
        reader.set_field("end of the struct");
        reader.fail(std::to_string(reader.remaining()) + " bytes left after the last field");
      }
      graph.netuid = graph.runtime.netuid;
      graph.block = graph.runtime.scalar("block").low;
      if (graph.runtime.identity) graph.identity_version = version;
      const bool identity_absent = !graph.runtime.identity;
      readings.push_back(std::move(graph));
      if (identity_absent) break;
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::corrupt_data) throw;
      errors += (errors.empty() ? "" : "; ") + ("as V" + std::to_string(version) + ": ") + error.what();
    }
  }
  if (readings.empty())
    throw Error(ErrorKind::corrupt_data, "metagraph does not decode with either subnet identity layout (" + errors + ")");
  if (readings.size() > 1) {
    std::erase_if(readings, [](const Metagraph& graph) { return !plausible(graph.runtime); });
    if (readings.size() != 1)
      throw Error(ErrorKind::corrupt_data, "metagraph reads to the end with both subnet identity layouts, and " +
                                               std::string(readings.empty() ? "neither" : "both") + " reading looks like chain data");
  }
  Metagraph& graph = readings.front();
  graph.neurons = neurons_of(graph.runtime);
  return std::move(graph);
}

}  // namespace sn44::chain
