#pragma once

#include <pplx/pplxtasks.h>

#include <chrono>
#include <mutex>

#include "runner/cancellation.h"
#include "runner/daemon/drone_client.h"
#include "runner/daemon/log_streamer.h"
#include "runner/daemon/metrics.h"
#include "runner/engine/engine.h"

// Tells the Drone server what the engine does with one stage's steps
// (drone-protocol.md §4.3): each step's `running` update (which opens its log
// stream), its output through the LogStreamer, then its upload and final update.
// A 409 on any update means the build was cancelled or taken over: the stage's
// Cancellation is cancelled. Lives as long as the engine's run of the stage.
namespace podrunner {

class StageReporter : public StageObserver {
 public:
  // `stage.steps` must already carry the ids the server gave them; it is updated in
  // place (status, times, versions) and read again for the stage's final update.
  StageReporter(drone::Stage& stage, drone::Client& client, LogStreamer& logs, Metrics& metrics,
                Cancellation& cancellation, pplx::cancellation_token abandon);

  // podrunner::StageObserver
  void stepStarted(const pipeline::Step& step, std::int64_t startedUnix) override;
  void stepOutput(const pipeline::Step& step, std::string_view line) override;
  void stepFinished(const pipeline::Step& step, const StepState& state) override;

 private:
  drone::Step* find(const std::string& name);
  void put(drone::Step& step, const drone::Step& update);

  drone::Stage& stage_;
  drone::Client& client_;
  LogStreamer& logs_;
  Metrics& metrics_;
  Cancellation& cancellation_;
  pplx::cancellation_token abandon_;
  std::mutex mutex_;  // guards the steps of stage_
};

// The server keeps 500 bytes of an error; cut at a character boundary ourselves.
std::string truncateError(const std::string& text);

}  // namespace podrunner
