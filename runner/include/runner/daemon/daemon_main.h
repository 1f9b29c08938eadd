#pragma once

#include <functional>
#include <memory>

#include "runner/config.h"
#include "runner/daemon/daemon.h"
#include "runner/daemon/stage_runner.h"
#include "runner/engine/engine.h"

// The composition root of `podrunner daemon`: builds the agent's parts from the
// configuration and runs it until SIGTERM or SIGINT.
namespace podrunner {

using EngineFactory = std::function<std::unique_ptr<Engine>(const Config&)>;

// Every DRONE_* setting the daemon itself uses, mapped onto its parts.
DaemonOptions daemonOptions(const Config& config);

// Blocks SIGTERM and SIGINT and turns them into a graceful stop; returns the exit status.
int runDaemon(const Config& config, const EngineFactory& engine, const CompileFunction& compile);

}  // namespace podrunner
