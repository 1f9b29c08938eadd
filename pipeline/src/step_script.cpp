#include "pipeline/step_script.h"

namespace pipeline {

std::string shellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string commandScript(const std::vector<std::string>& commands) {
  std::string script = R"(if [ -n "$DRONE_NETRC_MACHINE" ]; then
  umask 077
  printf 'machine %s\nlogin %s\npassword %s\n' "$DRONE_NETRC_MACHINE" "$DRONE_NETRC_USERNAME" "$DRONE_NETRC_PASSWORD" > "$HOME/.netrc"
  umask 022
fi
unset DRONE_NETRC_MACHINE DRONE_NETRC_USERNAME DRONE_NETRC_PASSWORD DRONE_NETRC_FILE
set -e
)";
  for (const auto& command : commands) {
    script += "\necho + " + shellQuote(command) + "\n" + command + "\n";
  }
  return script;
}

}  // namespace pipeline
