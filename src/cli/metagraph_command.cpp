// `sn44-miner metagraph`: the subnet's neurons as the chain reports them (uid, hotkey, stake,
// validator permit, axon), for operators checking who may send challenges.

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "chain/metagraph_cache.h"
#include "cli/commands.h"
#include "cli/metagraph_options.h"

namespace sn44::cli {
namespace {

struct MetagraphCommandOptions {
  MetagraphSettings source;
  bool json = false;
  bool validators_only = false;
};

void run_metagraph(const MetagraphCommandOptions& options) {
  chain::SubstrateClient client(options.source.endpoint(),
                                std::chrono::milliseconds(static_cast<int64_t>(options.source.request_timeout_s * 1000)));
  const chain::Metagraph graph = chain::fetch_metagraph(client, options.source.netuid);
  if (options.json) {
    nlohmann::ordered_json neurons = nlohmann::ordered_json::array();
    for (const chain::Neuron& neuron : graph.neurons) {
      if (options.validators_only && !neuron.validator_permit) continue;
      neurons.push_back({{"uid", neuron.uid}, {"hotkey", neuron.hotkey}, {"coldkey", neuron.coldkey},
                         {"tao_stake", neuron.tao_stake}, {"alpha_stake", neuron.alpha_stake},
                         {"total_stake", neuron.total_stake}, {"validator_permit", neuron.validator_permit},
                         {"active", neuron.active}, {"axon_ip", neuron.axon_ip}, {"axon_port", neuron.axon_port}});
    }
    const nlohmann::ordered_json body = {{"netuid", graph.netuid}, {"block", graph.block}, {"neurons", neurons}};
    std::printf("%s\n", body.dump(2).c_str());
    return;
  }
  std::printf("subnet %u at block %llu: %zu neurons\n", graph.netuid, static_cast<unsigned long long>(graph.block), graph.neurons.size());
  std::printf("%5s  %-48s  %14s  %9s  %s\n", "uid", "hotkey", "stake (TAO)", "validator", "axon");
  for (const chain::Neuron& neuron : graph.neurons) {
    if (options.validators_only && !neuron.validator_permit) continue;
    const std::string axon = neuron.axon_ip.empty() ? "-" : neuron.axon_ip + ":" + std::to_string(neuron.axon_port);
    std::printf("%5u  %-48s  %14.3f  %9s  %s\n", neuron.uid, neuron.hotkey.c_str(), neuron.tao_stake,
                neuron.validator_permit ? "yes" : "no", axon.c_str());
  }
}

}  // namespace

void add_metagraph_command(CLI::App& app) {
  auto options = std::make_shared<MetagraphCommandOptions>();
  CLI::App* command = app.add_subcommand("metagraph", "List the subnet's neurons: uid, hotkey, stake, validator permit, axon");
  add_metagraph_options(*command, options->source, false);
  command->add_flag("--json", options->json, "Print JSON instead of a table");
  command->add_flag("--validators", options->validators_only, "Only neurons with a validator permit");
  command->callback([options] { run_metagraph(*options); });
}

}  // namespace sn44::cli
