#include "runner/engine/kube_engine.h"

#include "engine/stage_run.h"

namespace podrunner {

KubeEngine::KubeEngine(kube::Client& client, Config config)
    : client_(client), config_(std::move(config)) {}

KubeEngine::KubeEngine(std::unique_ptr<kube::Client> client, Config config)
    : ownedClient_(std::move(client)), client_(*ownedClient_), config_(std::move(config)) {}

StageResult KubeEngine::run(const pipeline::Plan& plan, const StageIdentity& stage,
                            StageObserver& observer, const Cancellation& cancellation) {
  StageRun run(client_, config_, plan, stage, observer, cancellation, cleanup_);
  auto result = run.run();
  std::lock_guard<std::mutex> lock(mutex_);
  latencies_ = run.latencies();
  return result;
}

std::vector<StepLatency> KubeEngine::lastStageLatencies() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latencies_;
}

}  // namespace podrunner
