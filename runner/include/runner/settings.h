#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runner/config.h"

namespace podrunner {

// Which sub-commands a setting applies to.
enum class SettingGroup { Logging, Rpc, Runner, Limits, Kube, Defaults, Engine, Http, Plugins };

struct Setting {
  std::string env;          // DRONE_RPC_HOST
  std::string flag;         // rpc-host
  std::string defaultText;  // shown in --help and the README; empty = none
  std::string help;
  SettingGroup group;
  bool secret = false;                                     // never echoed back in errors or logs
  std::function<void(Config&, const std::string&)> apply;  // throws ValueError
};

// A value that does not parse; the message says what was expected.
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A setting with a bad value, named by where it came from (variable or flag).
class SettingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const std::vector<Setting>& allSettings();

// Where values come from, highest precedence first: flags, the process
// environment, a dotenv file, the defaults in Config.
struct SettingSources {
  std::map<std::string, std::string> flags;  // by flag name
  std::function<std::optional<std::string>(const std::string&)> environment;
  std::map<std::string, std::string> dotenv;  // by variable name
};

// Builds the configuration for the groups given; throws SettingError naming the
// variable (or flag) and the value expected.
Config resolveSettings(const std::vector<SettingGroup>& groups, const SettingSources& sources);

// Reads KEY=VALUE lines (comments, blank lines, `export ` and quotes allowed).
std::map<std::string, std::string> parseDotenv(const std::string& text, const std::string& file);

}  // namespace podrunner
