#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kube/client.h"
#include "runner/config.h"
#include "runner/engine/delayed_cleanup.h"
#include "runner/engine/engine.h"

namespace podrunner {

// The runner's own time for one step, without what the cluster spends.
struct StepLatency {
  std::string step;
  double readyToCreatedMs = 0;   // the step became ready -> its pod was created
  double exitToReportedMs = -1;  // the watch showed the container's exit -> step reported
};

// Runs a stage on Kubernetes: one Pod per step and per service, state from one pod
// watch per stage, logs followed per step (see stage_run.h for the life of a stage).
class KubeEngine : public Engine {
 public:
  KubeEngine(kube::Client& client, Config config);
  // Runs stages through a client it owns (the daemon's and exec's case).
  KubeEngine(std::unique_ptr<kube::Client> client, Config config);

  StageResult run(const pipeline::Plan& plan, const StageIdentity& stage, StageObserver& observer,
                  const Cancellation& cancellation) override;

  // Of the stage that ended last, one per step (each is also logged at debug level).
  std::vector<StepLatency> lastStageLatencies() const;
  // Failed pods kept for debugging (DRONE_ENGINE_KEEP_FAILED_PODS) still waiting to be
  // removed; destroying the engine removes them at once.
  std::size_t keptPodCleanups() const { return cleanup_.pending(); }

 private:
  std::unique_ptr<kube::Client> ownedClient_;  // before client_: it may refer to this
  kube::Client& client_;
  Config config_;
  mutable std::mutex mutex_;
  std::vector<StepLatency> latencies_;
  DelayedCleanup cleanup_;
};

}  // namespace podrunner
