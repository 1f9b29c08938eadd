#include "engine/stage_run.h"

#include <algorithm>
#include <thread>

#include "kube/error.h"
#include "runner/engine/pod_observation.h"
#include "runner/log.h"

namespace podrunner {
namespace {

constexpr int kMaxLogResumes = 5;
constexpr int kMaxWatchRestarts = 5;
constexpr std::chrono::seconds kWorkspaceRemovalWait{60};
constexpr std::chrono::seconds kServiceAccountWait{30};

std::vector<pipeline::Step> unitsOf(const pipeline::Plan& plan) {
  std::vector<pipeline::Step> units;
  for (auto service : plan.services) {
    // A service runs beside the steps for the whole stage, like a detached step.
    service.detach = true;
    service.dependsOn.clear();
    service.runPolicy = pipeline::RunPolicy::Always;
    units.push_back(std::move(service));
  }
  units.insert(units.end(), plan.steps.begin(), plan.steps.end());
  return units;
}

double millisSince(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
}

std::string describe(const std::exception& e) { return e.what(); }

}  // namespace

void StageRun::Wake::signal(bool cancel) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    signalled = true;
    cancelled = cancelled || cancel;
  }
  cv.notify_all();
}

StageRun::StageRun(kube::Client& client, const Config& config, const pipeline::Plan& plan,
                   const StageIdentity& stage, StageObserver& observer,
                   const Cancellation& cancellation, DelayedCleanup& cleanup)
    : client_(client),
      config_(config),
      plan_(plan),
      stage_(stage),
      observer_(observer),
      cancellation_(cancellation),
      cleanup_(cleanup),
      objects_(plan, stage, config),
      masker_(plan.masked),
      ns_(objects_.namespaceName()),
      selector_(objects_.names().stageSelector()),
      units_(unitsOf(plan)),
      progress_(units_),
      wake_(std::make_shared<Wake>()) {
  state_.resize(units_.size());
  for (std::size_t i = 0; i < units_.size(); ++i) {
    state_[i].index = i;
    state_[i].service = i < plan.services.size();
    state_[i].podName = objects_.names().objectName(units_[i].name);
    byPod_[state_[i].podName] = i;
  }
}

StageRun::~StageRun() {
  watch_.reset();
  for (auto& unit : state_) unit.log.reset();
}

std::int64_t StageRun::unixNow() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StageResult StageRun::run() {
  deadline_ = Clock::now() + stage_.timeout;
  // The callback may outlive this run (Cancellation keeps it): it holds only wake_.
  std::weak_ptr<Wake> wake = wake_;
  cancellation_.onCancel([wake] {
    if (auto w = wake.lock()) w->signal(true);
  });
  try {
    setup();
    loop();
  } catch (const std::exception& e) {
    stageError_ = describe(e);
    log::error("stage failed", {{"stage", std::to_string(stage_.stageId)}, {"error", stageError_}});
    cancelAll(stageError_);
  }
  if (cancelReason_.empty()) drainDetached();
  for (auto i : progress_.finishDetached(unixNow())) report(state_[i]);
  teardown();
  auto result = progress_.result();
  if (!stageError_.empty()) {
    result = {StepStatus::Error, 255, stageError_};
  } else if (result.status == StepStatus::Killed && result.error.empty()) {
    result.error = cancelReason_;
  }
  return result;
}

void StageRun::setup() {
  if (auto own = objects_.stageNamespace()) {
    client_.createNamespace(*own);
    namespaceCreated_ = true;
  }
  const auto anchor = client_.createSecret(objects_.anchorSecret());
  anchorCreated_ = true;
  owner_ = StageObjects::ownerReferenceTo(anchor);
  if (auto registry = objects_.registrySecret(owner_)) client_.createSecret(*registry);
  if (auto claim = objects_.workspaceClaim(owner_)) client_.createClaim(*claim);
  startWatch();
}

void StageRun::startWatch() {
  watch_ = client_.watchPods(
      ns_, selector_, "",
      [this](const kube::WatchEvent& event) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          auto found = byPod_.find(event.pod.metadata.name);
          if (found == byPod_.end()) return;
          auto& unit = state_[found->second];
          unit.pod = event.pod;
          if (event.type == kube::WatchEvent::Type::Deleted) unit.deleted = true;
          if (!unit.exitSeenAt) {
            for (const auto& c : event.pod.status.containerStatuses) {
              if (c.state == kube::ContainerStatus::State::Terminated)
                unit.exitSeenAt = Clock::now();
            }
          }
        }
        wake_->signal();
      },
      [this](std::exception_ptr error) {
        if (!error) return;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          watchClosed_ = true;
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            watchError_ = e.what();
          }
        }
        wake_->signal();
      });
}

StageRun::Clock::time_point StageRun::nextDeadline() const {
  auto next = deadline_;
  for (const auto& unit : state_) {
    if (!unit.created || unit.reported || unit.running) continue;
    next = std::min(next, unit.createdAt + config_.engine.containerStartTimeout);
    if (!unit.stuck.empty()) next = std::min(next, unit.stuckSince + unit.stuckGrace);
  }
  return next;
}

void StageRun::loop() {
  startReady();
  while (!progress_.done()) {
    {
      std::unique_lock<std::mutex> lock(wake_->mutex);
      wake_->cv.wait_until(lock, nextDeadline(), [&] { return wake_->signalled; });
      wake_->signalled = false;
      if (wake_->cancelled) {
        lock.unlock();
        cancelAll(cancellation_.reason());
        return;
      }
    }
    if (Clock::now() >= deadline_) {
      cancelAll("stage timed out after " + std::to_string(stage_.timeout.count()) + "s");
      return;
    }
    bool restartWatch = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (watchClosed_) {
        if (++watchRestarts_ > kMaxWatchRestarts) {
          throw std::runtime_error("the pod watch failed: " + watchError_);
        }
        log::warn("pod watch closed, watching again", {{"error", watchError_}});
        watchClosed_ = false;
        restartWatch = true;
      }
    }
    if (restartWatch) {
      watch_.reset();
      startWatch();
    }
    for (auto& unit : state_) {
      if (unit.created && !unit.reported) inspect(unit);
    }
    startReady();
  }
}

bool StageRun::servicesUsable() const {
  for (const auto& unit : state_) {
    if (unit.service && !unit.reported && !unit.running) return false;
  }
  return true;
}

void StageRun::startReady() {
  auto next = progress_.next(config_.runner.maxProcs, unixNow());
  for (auto i : next.skipped) report(state_[i]);
  const auto readyAt = Clock::now();
  for (auto i : next.start) {
    auto& unit = state_[i];
    if (!unit.service && !servicesUsable()) continue;
    // With a ReadWriteOnce workspace every pod follows the first to its node: while the
    // first has no node yet, wait. (If it ended without one, the next pod is the first.)
    if (objects_.pinsToFirstNode() && pinnedNode_.empty()) {
      const bool awaitingNode = std::any_of(state_.begin(), state_.end(),
                                            [](const Unit& u) { return u.created && !u.reported; });
      if (awaitingNode) continue;
    }
    unit.readyAt = readyAt;
    createPod(unit);
  }
}

void StageRun::createPod(Unit& unit) {
  PodContext context;
  context.owner = owner_;
  context.stageFailed = progress_.failed();
  context.failedSteps = progress_.failedSteps();
  context.pinnedNode = pinnedNode_;
  context.firstPinnedPod = objects_.pinsToFirstNode() && pinnedNode_.empty();
  if (!unit.service) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& other : state_) {
      if (other.service && other.pod && !other.pod->status.podIP.empty()) {
        context.serviceAliases.push_back({other.pod->status.podIP, {units_[other.index].name}});
      }
    }
  }
  const auto& s = step(unit);
  const auto pod = unit.service ? objects_.servicePod(s, context) : objects_.stepPod(s, context);
  progress_.started(unit.index, unixNow());
  observer_.stepStarted(s, progress_.state(unit.index).started);
  try {
    createPod(pod);
  } catch (const std::exception& e) {
    unit.created = true;
    failUnit(unit, "the pod could not be created", describe(e));
    return;
  }
  unit.created = true;
  unit.createdAt = Clock::now();
  latencies_.push_back({s.name, millisSince(unit.readyAt), -1});
}

// A namespace made for the stage gets its default ServiceAccount from the controller
// manager a moment later; pods are refused until then.
void StageRun::createPod(const kube::Pod& pod) {
  const auto deadline = Clock::now() + kServiceAccountWait;
  for (;;) {
    try {
      client_.createPod(pod);
      return;
    } catch (const kube::ApiError& e) {
      const bool noAccountYet = namespaceCreated_ && e.isForbidden() &&
                                std::string(e.what()).find("serviceaccount") != std::string::npos;
      if (!noAccountYet || Clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

void StageRun::inspect(Unit& unit) {
  std::optional<kube::Pod> pod;
  bool deleted = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pod = unit.pod;
    deleted = unit.deleted;
  }
  const auto now = Clock::now();
  if (!pod) {
    if (now - unit.createdAt >= config_.engine.containerStartTimeout) {
      failUnit(unit, "the pod was never seen", "");
    }
    return;
  }
  const auto seen = observe(*pod, config_.engine);
  if (pinnedNode_.empty() && objects_.pinsToFirstNode() && !seen.nodeName.empty()) {
    pinnedNode_ = seen.nodeName;
  }
  using Phase = PodObservation::Phase;
  if (seen.phase == Phase::Failed || (deleted && seen.phase != Phase::Exited)) {
    if (unit.log) unit.log->stop();
    const auto reason = deleted && seen.phase != Phase::Failed ? "Deleted" : seen.reason;
    failUnit(unit, "the pod ended before its container did (" + reason + ")", seen.message);
    return;
  }
  if (seen.phase == Phase::Starting) {
    if (seen.stuckKind != unit.stuckKind) {
      unit.stuckKind = seen.stuckKind;
      unit.stuckSince = now;
    }
    unit.stuck = seen.stuck;
    unit.stuckGrace = seen.stuckGrace;
    if (!unit.stuck.empty() && now - unit.stuckSince >= unit.stuckGrace) {
      failUnit(unit, "the container cannot start (" + unit.stuck + ")", seen.message);
    } else if (now - unit.createdAt >= config_.engine.containerStartTimeout) {
      failUnit(unit,
               "the container did not start within " +
                   std::to_string(config_.engine.containerStartTimeout.count()) + "s",
               seen.message);
    }
    return;
  }
  unit.stuck.clear();
  if (!unit.log) {
    unit.log = std::make_unique<LogFollower>(
        client_, ns_, unit.podName, masker_, config_.engine.stepLogLimitBytes,
        [this, &unit](std::string_view line) { observer_.stepOutput(step(unit), line); },
        [wake = wake_] { wake->signal(); });
    unit.log->start();
  }
  if (unit.service && !unit.running) {
    // A service with ports is usable once its readiness probe (a TCP connect by the
    // kubelet, inside the cluster network) succeeds; one without, once it runs.
    unit.running = !seen.podIP.empty() && (seen.ready || step(unit).ports.empty());
    if (!unit.running && seen.phase == Phase::Running &&
        now - unit.createdAt >= config_.engine.containerStartTimeout) {
      unit.log->stop();
      const auto& ports = step(unit).ports;
      const std::string what = ports.empty()
                                   ? "the service got no address"
                                   : "the service's port " + std::to_string(ports.front()) +
                                         " did not accept connections";
      failUnit(
          unit,
          what + " within " + std::to_string(config_.engine.containerStartTimeout.count()) + "s",
          "");
      return;
    }
  }
  if (unit.log->state() == LogFollower::State::Broken && !unit.log->resume(kMaxLogResumes) &&
      seen.phase == Phase::Exited) {
    output(unit, "[podrunner: the log could not be read to its end: " + unit.log->error() + "]\n");
    log::warn("step log could not be read to its end",
              {{"namespace", ns_}, {"pod", unit.podName}, {"error", unit.log->error()}});
    finishExited(unit, seen);
    return;
  }
  if (seen.phase == Phase::Exited && unit.log->state() == LogFollower::State::FollowEnded) {
    unit.log->readRest();
    return;
  }
  if (seen.phase == Phase::Exited && unit.log->state() == LogFollower::State::Ended) {
    finishExited(unit, seen);
  }
}

void StageRun::finishExited(Unit& unit, const PodObservation& seen) {
  std::string error;
  if (seen.reason == "OOMKilled") {
    error = "OOMKilled: the container ran out of memory";
    const auto limit = step(unit).resources.memoryLimitBytes;
    output(unit, "[podrunner: the container was killed because it ran out of memory (OOMKilled" +
                     (limit ? ", memory limit " + std::to_string(limit) + " bytes" : "") +
                     "), exit code 137]\n");
  }
  progress_.exited(unit.index, seen.exitCode, unixNow(), error);
  report(unit);
}

void StageRun::failUnit(Unit& unit, const std::string& why, const std::string& detail) {
  output(unit, "[podrunner: " + why + (detail.empty() ? "" : ": " + detail) + "]\n");
  writeWarningEvents(unit);
  try {
    kube::DeleteOptions now;
    now.gracePeriodSeconds = 0;
    client_.deletePod(ns_, unit.podName, now);
  } catch (const kube::ApiError& e) {
    if (!e.isNotFound())
      log::warn("pod delete failed", {{"pod", unit.podName}, {"error", e.what()}});
  } catch (const std::exception& e) {
    log::warn("pod delete failed", {{"pod", unit.podName}, {"error", e.what()}});
  }
  progress_.errored(unit.index, why + (detail.empty() ? "" : ": " + detail), unixNow());
  report(unit);
}

void StageRun::writeWarningEvents(Unit& unit) {
  try {
    for (const auto& event : client_.listEvents(ns_, "Pod", unit.podName)) {
      if (event.type != "Warning") continue;
      output(unit, "[podrunner: event " + event.reason + ": " + event.message + "]\n");
    }
  } catch (const std::exception& e) {
    log::warn("events could not be listed", {{"pod", unit.podName}, {"error", e.what()}});
  }
}

void StageRun::cancelAll(const std::string& reason) {
  log::info("stage cancelled", {{"stage", std::to_string(stage_.stageId)}, {"reason", reason}});
  cancelReason_ = reason;
  for (auto& unit : state_) {
    if (unit.log) unit.log->stop();
  }
  kube::DeleteOptions grace;
  grace.gracePeriodSeconds = config_.engine.cancelGrace.count();
  for (auto i : progress_.cancel(unixNow())) {
    auto& unit = state_[i];
    if (unit.created && !unit.reported) {
      try {
        client_.deletePod(ns_, unit.podName, grace);
      } catch (const std::exception& e) {
        log::warn("pod delete failed", {{"pod", unit.podName}, {"error", e.what()}});
      }
    }
    report(unit);
  }
}

void StageRun::drainDetached() {
  std::vector<Unit*> following;
  for (auto& unit : state_) {
    if (unit.created && !unit.reported && unit.log &&
        unit.log->state() == LogFollower::State::Following) {
      following.push_back(&unit);
    }
  }
  if (following.empty()) return;
  kube::DeleteOptions grace;
  grace.gracePeriodSeconds = config_.engine.cancelGrace.count();
  for (auto* unit : following) {
    try {
      client_.deletePod(ns_, unit->podName, grace);
    } catch (const std::exception& e) {
      log::warn("pod delete failed", {{"pod", unit->podName}, {"error", e.what()}});
    }
  }
  const auto until = Clock::now() + config_.engine.cancelGrace + std::chrono::seconds(5);
  const auto stillFollowing = [&] {
    return std::any_of(following.begin(), following.end(), [](const Unit* unit) {
      return unit->log->state() == LogFollower::State::Following;
    });
  };
  while (stillFollowing() && Clock::now() < until) {
    std::unique_lock<std::mutex> lock(wake_->mutex);
    wake_->cv.wait_until(lock, until, [&] { return wake_->signalled; });
    wake_->signalled = false;
  }
}

void StageRun::output(Unit& unit, const std::string& line) {
  observer_.stepOutput(step(unit), masker_.mask(line));
}

void StageRun::report(Unit& unit) {
  if (unit.reported) return;
  unit.reported = true;
  unit.log.reset();
  const auto& s = step(unit);
  observer_.stepFinished(s, progress_.state(unit.index));
  std::optional<Clock::time_point> exitSeen;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    exitSeen = unit.exitSeenAt;
  }
  if (!exitSeen) return;
  for (auto& latency : latencies_) {
    if (latency.step != s.name) continue;
    latency.exitToReportedMs = millisSince(*exitSeen);
    log::debug("step timing", {{"step", s.name},
                               {"ready_to_created_ms", std::to_string(latency.readyToCreatedMs)},
                               {"exit_to_reported_ms", std::to_string(latency.exitToReportedMs)}});
  }
}

// The kubelet made the directory on the stage's node; only a pod there can remove it.
// A short, bounded wait: the stage's result does not depend on it.
void StageRun::removeHostWorkspace() {
  const std::string node = plan_.nodeName.empty() ? pinnedNode_ : plan_.nodeName;
  auto pod = objects_.workspaceRemovalPod(node);
  if (!pod || node.empty()) return;  // no pod of the stage reached a node: no directory
  const std::string name = pod->metadata.name;
  client_.createPod(*pod);
  std::string phase;
  const auto deadline = Clock::now() + kWorkspaceRemovalWait;
  while (phase != "Succeeded" && phase != "Failed" && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    phase = client_.getPod(ns_, name).status.phase;
  }
  if (phase != "Succeeded") {
    log::warn("the stage's workspace directory may be left on its node",
              {{"node", node},
               {"directory",
                config_.engine.workspaceHostPath + "/" + objects_.names().objectName("workspace")},
               {"pod", name},
               {"phase", phase}});
  }
  kube::DeleteOptions now;
  now.gracePeriodSeconds = 0;
  client_.deletePod(ns_, name, now);
}

std::vector<std::string> StageRun::podsToKeep() const {
  std::vector<std::string> kept;
  if (config_.engine.keepFailedPods.count() <= 0) return kept;
  for (const auto& unit : state_) {
    if (unit.created && progress_.state(unit.index).status == StepStatus::Failure) {
      kept.push_back(unit.podName);
    }
  }
  return kept;
}

void StageRun::teardown() {
  watch_.reset();
  for (auto& unit : state_) unit.log.reset();
  const auto attempt = [ns = ns_](const char* what, const std::function<void()>& call) {
    try {
      call();
    } catch (const std::exception& e) {
      // The anchor's ownerReferences let the garbage collector finish what fails here.
      log::warn("teardown step failed", {{"what", what}, {"namespace", ns}, {"error", e.what()}});
    }
  };
  // The stage's own namespace takes every object of the stage with it.
  const auto deleteNamespace = [&client = client_, ns = ns_, attempt, owned = namespaceCreated_] {
    if (owned) attempt("namespace", [&] { client.deleteNamespace(ns); });
  };
  if (!anchorCreated_) return deleteNamespace();
  kube::DeleteOptions now;
  now.gracePeriodSeconds = 0;
  const auto kept = podsToKeep();
  if (kept.empty()) {
    attempt("pods", [&] { client_.deletePods(ns_, selector_, now); });
    attempt("claims", [&] { client_.deleteClaims(ns_, selector_); });
    attempt("secrets", [&] { client_.deleteSecrets(ns_, selector_); });
    attempt("host workspace", [&] { removeHostWorkspace(); });
    deleteNamespace();
    return;
  }
  // Keep the failed pods and the anchor that owns them; everything else goes now. The
  // claim stays bound until the kept pods are gone (the cluster's PVC protection).
  for (const auto& unit : state_) {
    if (!unit.created || std::find(kept.begin(), kept.end(), unit.podName) != kept.end()) continue;
    attempt("pod", [&] {
      try {
        client_.deletePod(ns_, unit.podName, now);
      } catch (const kube::ApiError& e) {
        if (!e.isNotFound()) throw;
      }
    });
  }
  attempt("claims", [&] { client_.deleteClaims(ns_, selector_); });
  if (!plan_.registries.empty()) {
    attempt("registry secret",
            [&] { client_.deleteSecret(ns_, objects_.names().objectName("registry")); });
  }
  const auto keep = config_.engine.keepFailedPods;
  const auto expires = std::to_string(unixNow() + keep.count());
  for (const auto& pod : kept) {
    // For the sweep after a runner restart (orphan_sweep.h): the pod may go after this.
    attempt("annotation", [&] {
      client_.patchPod(ns_, pod,
                       std::string(R"({"metadata":{"annotations":{")") + kExpiresAnnotation +
                           R"(":")" + expires + R"("}}})");
    });
    log::info("kept failed pod", {{"namespace", ns_}, {"pod", pod}, {"until", expires}});
  }
  cleanup_.schedule(Clock::now() + keep, [&client = client_, ns = ns_, selector = selector_,
                                          attempt, now, deleteNamespace] {
    attempt("kept pods", [&] { client.deletePods(ns, selector, now); });
    attempt("claims", [&] { client.deleteClaims(ns, selector); });
    attempt("secrets", [&] { client.deleteSecrets(ns, selector); });
    deleteNamespace();
  });
}

}  // namespace podrunner
