#include "runner/engine/orphan_sweep.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "kube/error.h"
#include "runner/engine/stage_names.h"
#include "runner/log.h"

namespace podrunner {
namespace {

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The time io.drone.expires holds, or nothing when the pod has none (or not a number).
std::optional<std::int64_t> expiresAt(const kube::Pod& pod) {
  const auto found = pod.metadata.annotations.find(kExpiresAnnotation);
  if (found == pod.metadata.annotations.end()) return std::nullopt;
  try {
    std::size_t used = 0;
    const std::int64_t at = std::stoll(found->second, &used);
    if (used == found->second.size()) return at;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::size_t logDeleted(const std::string& ns, const char* kind,
                       const std::vector<std::string>& names) {
  for (const auto& name : names) {
    log::info("deleted orphan", {{"namespace", ns}, {"kind", kind}, {"name", name}});
  }
  return names.size();
}

// The stages (by id) with a kept pod that has not expired, with the latest expiry of each.
std::map<std::string, std::int64_t> keptStages(const std::vector<kube::Pod>& pods,
                                               std::int64_t nowUnix) {
  std::map<std::string, std::int64_t> kept;
  for (const auto& pod : pods) {
    const auto expires = expiresAt(pod);
    const auto stage = pod.metadata.labels.find(kStageIdLabel);
    if (!expires || *expires <= nowUnix || stage == pod.metadata.labels.end()) continue;
    auto& latest = kept[stage->second];
    latest = std::max(latest, *expires);
  }
  return kept;
}

// The runner's objects but those of the kept stages.
std::string sweepSelector(const std::string& runnerName,
                          const std::map<std::string, std::int64_t>& kept) {
  std::string selector = runnerSelector(runnerName);
  if (kept.empty()) return selector;
  std::string ids;
  for (const auto& [id, expires] : kept) ids += (ids.empty() ? "" : ",") + id;
  return selector + "," + kStageIdLabel + " notin (" + ids + ")";
}

}  // namespace

std::size_t deleteStageObjects(kube::Client& client, const std::string& ns,
                               const std::string& selector) {
  kube::DeleteOptions now;
  now.gracePeriodSeconds = 0;
  std::size_t deleted = logDeleted(ns, "Pod", client.deletePods(ns, selector, now));
  deleted += logDeleted(ns, "PersistentVolumeClaim", client.deleteClaims(ns, selector));
  deleted += logDeleted(ns, "Secret", client.deleteSecrets(ns, selector));
  return deleted;
}

SweepResult sweepOrphans(kube::Client& client, const std::string& runnerName,
                         const std::vector<std::string>& namespaces, std::int64_t nowUnix) {
  SweepResult result;
  for (const auto& ns : namespaces) {
    try {
      const auto kept = keptStages(client.listPods(ns, runnerSelector(runnerName)), nowUnix);
      result.deleted += deleteStageObjects(client, ns, sweepSelector(runnerName, kept));
      for (const auto& [id, expires] : kept) {
        log::info("keeping failed pods of an earlier run",
                  {{"namespace", ns}, {"stage", id}, {"until", std::to_string(expires)}});
        result.kept.push_back({ns, stageSelector(runnerName, id), expires});
      }
    } catch (const std::exception& e) {
      log::warn("orphan sweep failed", {{"namespace", ns}, {"error", e.what()}});
      result.failed.push_back(ns);
    }
  }
  return result;
}

SweepResult sweepOrphans(kube::Client& client, const std::string& runnerName,
                         const std::vector<std::string>& namespaces, DelayedCleanup& later) {
  const std::int64_t now = unixNow();
  auto result = sweepOrphans(client, runnerName, namespaces, now);
  for (const auto& stage : result.kept) {
    const auto at =
        std::chrono::steady_clock::now() + std::chrono::seconds(stage.expiresUnix - now);
    later.schedule(at, [&client, stage] {
      try {
        deleteStageObjects(client, stage.namespaceName, stage.selector);
      } catch (const std::exception& e) {
        log::warn("deleting expired kept pods failed",
                  {{"namespace", stage.namespaceName}, {"error", e.what()}});
      }
    });
  }
  return result;
}

std::vector<std::string> stageNamespaces(
    const std::string& defaultNamespace,
    const std::map<std::string, std::vector<std::string>>& namespaceRules) {
  // "drone-" is no namespace but the prefix of one namespace per stage.
  const auto usable = [](const std::string& ns) { return !ns.empty() && ns.back() != '-'; };
  std::vector<std::string> namespaces;
  if (usable(defaultNamespace)) namespaces.push_back(defaultNamespace);
  for (const auto& [ns, globs] : namespaceRules) {
    if (ns != defaultNamespace && usable(ns)) namespaces.push_back(ns);
  }
  return namespaces;
}

}  // namespace podrunner
