#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kube/client.h"
#include "runner/cancellation.h"
#include "runner/config.h"
#include "runner/engine/delayed_cleanup.h"
#include "runner/engine/engine.h"
#include "runner/engine/kube_engine.h"
#include "runner/engine/log_follower.h"
#include "runner/engine/pod_observation.h"
#include "runner/engine/secret_masker.h"
#include "runner/engine/stage_objects.h"
#include "runner/engine/stage_progress.h"

namespace podrunner {

// The life of one stage on the cluster: set up the stage Secret (the anchor), the
// registry Secret and the workspace; start services, then steps as the graph allows;
// follow every pod through one label-selected watch and every container's log; fail
// pods that will never start; honour cancellation and the stage timeout; and tear
// everything down. Runs on the caller's thread; watch and log callbacks only record
// what they saw and wake it.
class StageRun {
 public:
  StageRun(kube::Client& client, const Config& config, const pipeline::Plan& plan,
           const StageIdentity& stage, StageObserver& observer, const Cancellation& cancellation,
           DelayedCleanup& cleanup);
  ~StageRun();

  StageResult run();
  const std::vector<StepLatency>& latencies() const { return latencies_; }

 private:
  using Clock = std::chrono::steady_clock;

  struct Wake {
    std::mutex mutex;
    std::condition_variable cv;
    bool signalled = false;
    bool cancelled = false;
    void signal(bool cancel = false);
  };

  // A step or a service and its pod. The watch fields are written under mutex_.
  struct Unit {
    std::size_t index = 0;
    bool service = false;
    std::string podName;
    bool created = false;
    bool reported = false;
    bool running = false;  // a service that is up (Ready, with ports): steps may start
    Clock::time_point readyAt, createdAt;
    std::string stuck;
    std::string stuckKind;
    std::chrono::seconds stuckGrace{0};
    Clock::time_point stuckSince;
    std::unique_ptr<LogFollower> log;
    // From the watch:
    std::optional<kube::Pod> pod;
    bool deleted = false;
    std::optional<Clock::time_point> exitSeenAt;
  };

  void setup();
  void startWatch();
  void loop();
  void startReady();
  void createPod(Unit& unit);
  void inspect(Unit& unit);
  void finishExited(Unit& unit, const PodObservation& seen);
  void failUnit(Unit& unit, const std::string& why, const std::string& detail);
  void cancelAll(const std::string& reason);
  // Stops the services and detached steps still running at the end and reads their logs
  // to the end (for at most the cancel grace and a margin) before they are reported.
  void drainDetached();
  void report(Unit& unit);
  void output(Unit& unit, const std::string& line);
  void writeWarningEvents(Unit& unit);
  void teardown();
  void removeHostWorkspace();
  void createPod(const kube::Pod& pod);
  // Pods of steps that failed, when the settings keep them for debugging.
  std::vector<std::string> podsToKeep() const;
  bool servicesUsable() const;
  Clock::time_point nextDeadline() const;
  std::int64_t unixNow() const;
  const pipeline::Step& step(const Unit& unit) const { return units_[unit.index]; }

  kube::Client& client_;
  const Config& config_;
  const pipeline::Plan& plan_;
  StageIdentity stage_;
  StageObserver& observer_;
  const Cancellation& cancellation_;
  DelayedCleanup& cleanup_;
  StageObjects objects_;
  SecretMasker masker_;
  std::string ns_;
  std::string selector_;

  std::vector<pipeline::Step> units_;  // services (as detached steps), then steps
  std::vector<Unit> state_;
  std::map<std::string, std::size_t> byPod_;
  StageProgress progress_;
  std::shared_ptr<Wake> wake_;
  Clock::time_point deadline_;

  std::mutex mutex_;  // guards the watch fields of state_ and watchError_
  std::unique_ptr<kube::Stream> watch_;
  bool watchClosed_ = false;
  std::string watchError_;
  int watchRestarts_ = 0;

  kube::OwnerReference owner_;
  bool anchorCreated_ = false;
  bool namespaceCreated_ = false;
  std::string pinnedNode_;
  std::string stageError_;
  std::string cancelReason_;
  std::vector<StepLatency> latencies_;
};

}  // namespace podrunner
