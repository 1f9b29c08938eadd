#include <iostream>

#include "runner/command.h"
#include "runner/version.h"

namespace podrunner {

Command versionCommand() {
  Command c;
  c.name = "version";
  c.summary = "print the version and the git commit it was built from";
  c.run = [](CommandContext&) {
    std::cout << "podrunner " << versionString() << " (commit " << gitCommit() << ")\n";
    return kExitOk;
  };
  return c;
}

}  // namespace podrunner
