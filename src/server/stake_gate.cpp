#include "server/stake_gate.h"

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "protocol/ss58.h"

namespace sn44::server {

AllowlistStakeSource::AllowlistStakeSource(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) throw Error(ErrorKind::not_found, "stake allowlist '" + path.string() + "' not found");
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::string hotkey;
    double stake = 0;
    if (!(fields >> hotkey)) continue;  // blank or comment
    const std::string where = "stake allowlist '" + path.string() + "' line " + std::to_string(number) + ": ";
    std::string rest;
    if (!(fields >> stake) || stake < 0 || (fields >> rest))
      throw Error(ErrorKind::invalid_argument, where + "expected '<ss58 hotkey> <stake in TAO>'");
    try {
      protocol::ss58_decode(hotkey);
    } catch (const Error& error) {
      throw Error(ErrorKind::invalid_argument, where + error.what());
    }
    stakes_[hotkey] = stake;
  }
}

std::optional<double> AllowlistStakeSource::stake_of(const std::string& ss58_hotkey) const {
  const auto it = stakes_.find(ss58_hotkey);
  if (it == stakes_.end()) return std::nullopt;
  return it->second;
}

void check_stake(const StakeSource& source, const std::string& ss58_hotkey, double min_stake) {
  const std::optional<double> stake = source.stake_of(ss58_hotkey);
  if (!stake) throw Error(ErrorKind::forbidden, "Hotkey not found in metagraph");
  if (*stake < min_stake) {
    std::ostringstream message;
    message << "Insufficient stake: " << *stake << " TAO < minimum " << min_stake << " TAO";
    throw Error(ErrorKind::forbidden, message.str());
  }
}

}  // namespace sn44::server
