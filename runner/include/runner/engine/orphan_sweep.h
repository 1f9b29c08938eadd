#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kube/client.h"
#include "runner/engine/delayed_cleanup.h"

// The start-up sweep of `podrunner daemon`. Before its first poll a runner runs no stage,
// so every object labelled with its name (io.drone.runner) was left by an earlier run of
// it that did not tear down: a crash, a kill, a lost node. The sweep deletes those pods,
// workspace claims and stage Secrets, namespace by namespace, except the failed pods kept
// for debugging (annotated io.drone.expires, DRONE_ENGINE_KEEP_FAILED_PODS) whose time
// has not come: their stages stay whole (the stage Secret owns the pods) and are deleted
// when it comes.
//
// Two runners must not share a name (DRONE_RUNNER_NAME): the sweep of one would delete
// the stages the other is running.
namespace podrunner {

// A stage whose kept failed pods may go at `expiresUnix`.
struct KeptStage {
  std::string namespaceName;
  std::string selector;  // every object of the stage
  std::int64_t expiresUnix = 0;
};

struct SweepResult {
  std::size_t deleted = 0;          // objects deleted
  std::vector<KeptStage> kept;      // stages left for later, one entry per stage
  std::vector<std::string> failed;  // namespaces where an API call failed
};

// Sweeps `namespaces` for the objects of `runnerName` at time `nowUnix`. Logs each object
// it deletes (namespace, kind, name) at info and each API error at warning, and goes on
// with the next namespace: it never throws. A namespace whose pods cannot be listed is
// left alone, since its kept pods cannot be told apart.
SweepResult sweepOrphans(kube::Client& client, const std::string& runnerName,
                         const std::vector<std::string>& namespaces, std::int64_t nowUnix);

// Sweeps as above, then schedules on `later` the deletion of each kept stage when its
// pods expire. `client` must outlive `later`.
SweepResult sweepOrphans(kube::Client& client, const std::string& runnerName,
                         const std::vector<std::string>& namespaces, DelayedCleanup& later);

// Deletes the pods, workspace claims and Secrets `selector` selects in `ns`, in that
// order (the stage Secret, owner of the rest, last). Logs like the sweep; returns how
// many objects went, or throws the first kube::ApiError.
std::size_t deleteStageObjects(kube::Client& client, const std::string& ns,
                               const std::string& selector);

// The namespaces a runner's stages may use, each once: DRONE_NAMESPACE_DEFAULT and the
// namespaces its rules name (DRONE_NAMESPACE_RULES, DRONE_NAMESPACE_RULES_FILE); not the
// per-stage prefix "drone-", which names no namespace.
std::vector<std::string> stageNamespaces(
    const std::string& defaultNamespace,
    const std::map<std::string, std::vector<std::string>>& namespaceRules);

}  // namespace podrunner
