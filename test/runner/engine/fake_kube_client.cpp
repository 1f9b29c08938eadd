#include "fake_kube_client.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>

#include "kube/error.h"
#include "runner/engine/log_follower.h"

namespace podrunner::testing {
namespace {

constexpr std::size_t kLogChunk = 7;  // small, so lines and secrets straddle chunks

std::string key(const std::string& ns, const std::string& name) { return ns + "/" + name; }

kube::ApiError notFound(const std::string& what) {
  return kube::ApiError(404, "NotFound", what + " not found");
}

using State = kube::ContainerStatus::State;

kube::ContainerStatus& containerStatus(kube::Pod& pod) {
  if (pod.status.containerStatuses.empty()) {
    kube::ContainerStatus c;
    c.name = pod.spec.containers.front().name;
    pod.status.containerStatuses.push_back(c);
  }
  return pod.status.containerStatuses.front();
}

void setCondition(kube::Pod& pod, const std::string& type, const std::string& status,
                  const std::string& reason = {}, const std::string& message = {}) {
  for (auto& c : pod.status.conditions) {
    if (c.type == type) {
      c = {type, status, reason, message};
      return;
    }
  }
  pod.status.conditions.push_back({type, status, reason, message});
}

class ThreadStream : public kube::Stream {
 public:
  ThreadStream(std::shared_ptr<std::atomic<bool>> cancelled, std::function<void()> wake)
      : cancelled_(std::move(cancelled)), wake_(std::move(wake)) {}
  ~ThreadStream() override {
    cancel();
    if (thread_.joinable()) thread_.join();
  }
  void cancel() override {
    cancelled_->store(true);
    wake_();
  }
  std::thread thread_;

 private:
  std::shared_ptr<std::atomic<bool>> cancelled_;
  std::function<void()> wake_;
};

}  // namespace

struct FakeKubeClient::Watcher {
  std::string ns, selector;
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<kube::WatchEvent> queue;
  bool fail = false;
  void push(kube::WatchEvent event) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      queue.push_back(std::move(event));
    }
    cv.notify_all();
  }
};

bool matchesSelector(const kube::StringMap& labels, const std::string& selector) {
  std::size_t start = 0;
  while (start < selector.size()) {
    auto end = selector.find(',', start);
    if (end == std::string::npos) end = selector.size();
    const auto term = selector.substr(start, end - start);
    const auto eq = term.find('=');
    const auto found = labels.find(term.substr(0, eq));
    if (found == labels.end() || found->second != term.substr(eq + 1)) return false;
    start = end + 1;
  }
  return true;
}

ContainerScript prints(std::vector<std::string> lines, int exitCode) {
  ContainerScript s;
  s.output = std::move(lines);
  s.exitCode = exitCode;
  return s;
}

pipeline::Step echoStep(const std::string& name, const std::string& image,
                        std::vector<std::string> dependsOn) {
  pipeline::Step s;
  s.name = name;
  s.image = image;
  s.script = "echo " + name;
  s.dependsOn = std::move(dependsOn);
  return s;
}

FakeKubeClient::FakeKubeClient() = default;

FakeKubeClient::~FakeKubeClient() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& t : threads_) t.join();
}

void FakeKubeClient::onImage(const std::string& image, Script script) {
  std::lock_guard<std::mutex> lock(mutex_);
  scripts_[image] = std::move(script);
}

void FakeKubeClient::breakLogStreamsOnce(std::size_t afterBytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  breakLogAfter_ = afterBytes;
}

void FakeKubeClient::endFollowShortOnce(std::size_t afterBytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  endFollowAfter_ = afterBytes;
}

void FakeKubeClient::failWatchOnce() {
  std::lock_guard<std::mutex> lock(mutex_);
  failWatch_ = true;
  for (auto& w : watchers_) {
    std::lock_guard<std::mutex> wl(w->mutex);
    w->fail = true;
    w->cv.notify_all();
  }
}

std::map<std::string, std::string>& FakeKubeClient::files(const std::string& volume) {
  std::lock_guard<std::mutex> lock(mutex_);
  return files_[volume];
}

std::vector<kube::Pod> FakeKubeClient::createdPods() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return createdPods_;
}

std::vector<kube::Secret> FakeKubeClient::createdSecrets() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return createdSecrets_;
}

std::vector<kube::PersistentVolumeClaim> FakeKubeClient::createdClaims() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return createdClaims_;
}

std::size_t FakeKubeClient::objectsLeft() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t n = secrets_.size() + claims_.size();
  for (const auto& [k, record] : pods_) n += record.exists ? 1 : 0;
  return n;
}

std::vector<std::string> FakeKubeClient::deletedWithGrace() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return deletedWithGrace_;
}

kube::Identity FakeKubeClient::identity() const { return {"fake", "tester", "default"}; }

std::string FakeKubeClient::nextTimestamp() {
  clockTenths_ += 3;  // 0.3 s a line: several lines share a second, as sinceTime sees it
  const long long seconds = clockTenths_ / 10;
  char out[64];
  std::snprintf(out, sizeof out, "2026-12-01T04:%02lld:%02lld.%lldZ", seconds / 60 % 60,
                seconds % 60, clockTenths_ % 10);
  return out;
}

void FakeKubeClient::publish(kube::WatchEvent::Type type, const kube::Pod& pod) {
  for (auto& w : watchers_) {
    if (w->ns == pod.metadata.namespaceName && matchesSelector(pod.metadata.labels, w->selector)) {
      w->push({type, pod});
    }
  }
  changed_.notify_all();
}

kube::Pod FakeKubeClient::createPod(const kube::Pod& pod) {
  Script script;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = scripts_.find(pod.spec.containers.front().image);
    if (found != scripts_.end()) script = found->second;
  }
  const ContainerScript plan = script ? script(pod, *this) : ContainerScript{};
  std::lock_guard<std::mutex> lock(mutex_);
  const auto k = key(pod.metadata.namespaceName, pod.metadata.name);
  if (pods_.count(k) && pods_[k].exists) {
    throw kube::ApiError(409, "AlreadyExists", "pod " + pod.metadata.name + " already exists");
  }
  PodRecord record;
  record.pod = pod;
  record.pod.metadata.uid = "uid-" + std::to_string(++uid_);
  record.pod.status.phase = "Pending";
  record.script = plan;
  pods_[k] = record;
  createdPods_.push_back(record.pod);
  publish(kube::WatchEvent::Type::Added, record.pod);
  threads_.emplace_back([this, k] { simulate(k); });
  return record.pod;
}

void FakeKubeClient::simulate(const std::string& k) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& record = pods_[k];
  if (!record.exists) return;
  auto& pod = record.pod;
  const auto& script = record.script;
  const auto event = [&](const std::string& reason, const std::string& message) {
    events_[k].push_back({"Warning", reason, message, 1, "", "Pod", pod.metadata.name});
  };
  if (script.unschedulable) {
    const std::string why = "0/2 nodes are available: 2 Insufficient memory.";
    setCondition(pod, "PodScheduled", "False", "Unschedulable", why);
    event("FailedScheduling", why);
    publish(kube::WatchEvent::Type::Modified, pod);
    return;
  }
  pod.spec.nodeName = !pod.spec.requiredNodeValues.empty()
                          ? pod.spec.requiredNodeValues.front()
                          : "node-" + std::to_string(nextNode_++ % 2 + 1);
  setCondition(pod, "PodScheduled", "True");
  publish(kube::WatchEvent::Type::Modified, pod);
  auto& container = containerStatus(pod);
  if (!script.waitingReason.empty()) {
    container.state = State::Waiting;
    container.reason = script.waitingReason;
    container.message = script.waitingMessage;
    event("Failed", "Error: " + script.waitingReason);
    publish(kube::WatchEvent::Type::Modified, pod);
    return;
  }
  pod.status.phase = "Running";
  pod.status.podIP = "10.42.0." + std::to_string(nextIp_++);
  container.state = State::Running;
  setCondition(pod, "Ready", script.neverReady ? "False" : "True");
  publish(kube::WatchEvent::Type::Modified, pod);
  for (const auto& line : script.output) record.log.push_back({nextTimestamp(), line});
  changed_.notify_all();
  if (script.evicted) {
    pod.status.phase = "Failed";
    pod.status.reason = "Evicted";
    pod.status.message = "The node was low on resource: ephemeral-storage.";
    event("Evicted", pod.status.message);
    terminate(record, 137, "Error");
    return;
  }
  if (script.vanishes) {
    record.exists = false;
    publish(kube::WatchEvent::Type::Deleted, pod);
    return;
  }
  if (script.runsUntilDeleted) return;
  terminate(record, script.exitCode, script.terminatedReason);
}

void FakeKubeClient::terminate(PodRecord& record, int exitCode, const std::string& reason) {
  auto& container = containerStatus(record.pod);
  if (container.state == State::Terminated) return;
  container.state = State::Terminated;
  container.exitCode = exitCode;
  container.reason = !reason.empty() ? reason : exitCode == 0 ? "Completed" : "Error";
  record.pod.status.phase = exitCode == 0 ? "Succeeded" : "Failed";
  setCondition(record.pod, "Ready", "False");
  publish(kube::WatchEvent::Type::Modified, record.pod);
}

std::string FakeKubeClient::serverVersion() { return "v1.34.0"; }

kube::Pod FakeKubeClient::getPod(const std::string& ns, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = pods_.find(key(ns, name));
  if (found == pods_.end() || !found->second.exists) throw notFound("pod " + name);
  return found->second.pod;
}

std::vector<kube::Pod> FakeKubeClient::listPods(const std::string& ns,
                                                const std::string& labelSelector,
                                                std::string* resourceVersion) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<kube::Pod> out;
  for (const auto& [k, record] : pods_) {
    if (record.exists && record.pod.metadata.namespaceName == ns &&
        matchesSelector(record.pod.metadata.labels, labelSelector)) {
      out.push_back(record.pod);
    }
  }
  if (resourceVersion) *resourceVersion = "1";
  return out;
}

kube::Pod FakeKubeClient::patchPod(const std::string& ns, const std::string& name,
                                   const std::string&) {
  return getPod(ns, name);
}

void FakeKubeClient::deletePod(const std::string& ns, const std::string& name,
                               const kube::DeleteOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  deletedWithGrace_.push_back(name + ":" +
                              (options.gracePeriodSeconds
                                   ? std::to_string(*options.gracePeriodSeconds)
                                   : std::string("default")));
  auto found = pods_.find(key(ns, name));
  if (found == pods_.end() || !found->second.exists) throw notFound("pod " + name);
  auto& record = found->second;
  if (!record.pod.status.containerStatuses.empty() &&
      record.pod.status.containerStatuses.front().state == State::Running) {
    terminate(record, 137, "Error");
  }
  record.exists = false;
  publish(kube::WatchEvent::Type::Deleted, record.pod);
}

std::vector<std::string> FakeKubeClient::deletePods(const std::string& ns,
                                                    const std::string& labelSelector,
                                                    const kube::DeleteOptions& options) {
  std::vector<std::string> deleted;
  for (const auto& pod : listPods(ns, labelSelector, nullptr)) {
    deletePod(ns, pod.metadata.name, options);
    deleted.push_back(pod.metadata.name);
  }
  return deleted;
}

kube::Secret FakeKubeClient::createSecret(const kube::Secret& secret) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto k = key(secret.metadata.namespaceName, secret.metadata.name);
  if (secrets_.count(k)) throw kube::ApiError(409, "AlreadyExists", "secret exists");
  auto created = secret;
  created.metadata.uid = "uid-" + std::to_string(++uid_);
  secrets_[k] = created;
  createdSecrets_.push_back(created);
  return created;
}

void FakeKubeClient::deleteSecret(const std::string& ns, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!secrets_.erase(key(ns, name))) throw notFound("secret " + name);
}

std::vector<std::string> FakeKubeClient::deleteSecrets(const std::string& ns,
                                                       const std::string& labelSelector) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> deleted;
  for (auto it = secrets_.begin(); it != secrets_.end();) {
    const bool match = it->second.metadata.namespaceName == ns &&
                       matchesSelector(it->second.metadata.labels, labelSelector);
    if (match) deleted.push_back(it->second.metadata.name);
    it = match ? secrets_.erase(it) : std::next(it);
  }
  return deleted;
}

kube::PersistentVolumeClaim FakeKubeClient::createClaim(const kube::PersistentVolumeClaim& claim) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto created = claim;
  created.metadata.uid = "uid-" + std::to_string(++uid_);
  claims_[key(claim.metadata.namespaceName, claim.metadata.name)] = created;
  createdClaims_.push_back(created);
  return created;
}

kube::PersistentVolumeClaim FakeKubeClient::getClaim(const std::string& ns,
                                                     const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = claims_.find(key(ns, name));
  if (found == claims_.end()) throw notFound("claim " + name);
  return found->second;
}

void FakeKubeClient::deleteClaim(const std::string& ns, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!claims_.erase(key(ns, name))) throw notFound("claim " + name);
}

std::vector<std::string> FakeKubeClient::deleteClaims(const std::string& ns,
                                                      const std::string& labelSelector) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> deleted;
  for (auto it = claims_.begin(); it != claims_.end();) {
    const bool match = it->second.metadata.namespaceName == ns &&
                       matchesSelector(it->second.metadata.labels, labelSelector);
    if (match) deleted.push_back(it->second.metadata.name);
    it = match ? claims_.erase(it) : std::next(it);
  }
  return deleted;
}

kube::Service FakeKubeClient::createService(const kube::Service& service) { return service; }
void FakeKubeClient::deleteService(const std::string&, const std::string&) {}
std::vector<std::string> FakeKubeClient::deleteServices(const std::string&, const std::string&) {
  return {};
}
kube::Namespace FakeKubeClient::createNamespace(const kube::Namespace& ns) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!namespaces_.insert(ns.metadata.name).second) {
    throw kube::ApiError(409, "AlreadyExists", "namespace " + ns.metadata.name + " already exists");
  }
  createdNamespaces_.push_back(ns.metadata.name);
  return ns;
}

void FakeKubeClient::deleteNamespace(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!namespaces_.erase(name)) throw notFound("namespace " + name);
}

std::vector<std::string> FakeKubeClient::createdNamespaces() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return createdNamespaces_;
}

std::vector<std::string> FakeKubeClient::namespacesLeft() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {namespaces_.begin(), namespaces_.end()};
}

std::vector<kube::Event> FakeKubeClient::listEvents(const std::string& ns, const std::string&,
                                                    const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = events_.find(key(ns, name));
  return found == events_.end() ? std::vector<kube::Event>{} : found->second;
}

std::unique_ptr<kube::Stream> FakeKubeClient::watchPods(
    const std::string& ns, const std::string& labelSelector, const std::string&,
    std::function<void(const kube::WatchEvent&)> onEvent,
    std::function<void(std::exception_ptr)> onClosed) {
  auto watcher = std::make_shared<Watcher>();
  watcher->ns = ns;
  watcher->selector = labelSelector;
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [k, record] : pods_) {
      if (record.exists && record.pod.metadata.namespaceName == ns &&
          matchesSelector(record.pod.metadata.labels, labelSelector)) {
        watcher->push({kube::WatchEvent::Type::Added, record.pod});
      }
    }
    watchers_.push_back(watcher);
  }
  auto stream = std::make_unique<ThreadStream>(cancelled, [watcher] {
    std::lock_guard<std::mutex> lock(watcher->mutex);
    watcher->cv.notify_all();
  });
  stream->thread_ = std::thread([this, watcher, cancelled, onEvent, onClosed] {
    std::exception_ptr error;
    while (true) {
      std::unique_lock<std::mutex> lock(watcher->mutex);
      watcher->cv.wait(lock,
                       [&] { return !watcher->queue.empty() || watcher->fail || *cancelled; });
      if (*cancelled) break;
      if (watcher->fail) {
        error = std::make_exception_ptr(kube::ApiError(0, "", "watch connection reset"));
        break;
      }
      auto event = std::move(watcher->queue.front());
      watcher->queue.pop_front();
      lock.unlock();
      onEvent(event);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      watchers_.erase(std::remove(watchers_.begin(), watchers_.end(), watcher), watchers_.end());
      failWatch_ = false;
    }
    onClosed(error);
  });
  return stream;
}

std::unique_ptr<kube::Stream> FakeKubeClient::followLog(
    const std::string& ns, const std::string& pod, const kube::LogOptions& options,
    std::function<void(std::string_view)> onData, std::function<void(std::exception_ptr)> onEnd) {
  const auto k = key(ns, pod);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = pods_.find(k);
    if (found == pods_.end()) throw notFound("pod " + pod);
    const auto& statuses = found->second.pod.status.containerStatuses;
    if (statuses.empty() || statuses.front().state == State::Waiting) {
      throw kube::ApiError(400, "BadRequest", "container in pod " + pod + " is waiting to start");
    }
  }
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto stream = std::make_unique<ThreadStream>(cancelled, [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    changed_.notify_all();
  });
  stream->thread_ = std::thread([this, k, options, cancelled, onData, onEnd] {
    const auto since = normaliseTimestamp(options.sinceTime);
    std::size_t next = 0;
    std::size_t sent = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      auto& record = pods_[k];
      std::string text;
      for (; next < record.log.size(); ++next) {
        const auto& line = record.log[next];
        if (!since.empty() && normaliseTimestamp(line.timestamp) < since) continue;
        text += (options.timestamps ? line.timestamp + " " : "") + line.text + "\n";
      }
      const auto& statuses = record.pod.status.containerStatuses;
      const bool ended =
          !record.exists || statuses.empty() || statuses.front().state == State::Terminated;
      const std::size_t breakAfter = breakLogAfter_;
      const std::size_t endAfter = options.follow && ended ? endFollowAfter_ : 0;
      if (endAfter > 0) endFollowAfter_ = 0;
      lock.unlock();
      for (std::size_t at = 0; at < text.size(); at += kLogChunk) {
        if (*cancelled) break;
        if (endAfter > 0 && sent + kLogChunk > endAfter) {
          onData(std::string_view(text).substr(at, endAfter > sent ? endAfter - sent : 0));
          onEnd(nullptr);
          return;
        }
        if (breakAfter > 0 && sent >= breakAfter) {
          {
            std::lock_guard<std::mutex> relock(mutex_);
            breakLogAfter_ = 0;
          }
          onEnd(std::make_exception_ptr(kube::ApiError(0, "", "log stream reset by peer")));
          return;
        }
        const auto piece = std::string_view(text).substr(at, kLogChunk);
        sent += piece.size();
        onData(piece);
      }
      if (*cancelled || ended || stopping_) break;
      lock.lock();
      changed_.wait(lock, [&] {
        const auto& r = pods_[k];
        const auto& s = r.pod.status.containerStatuses;
        return *cancelled || stopping_ || next < r.log.size() || !r.exists ||
               (!s.empty() && s.front().state == State::Terminated);
      });
    }
    onEnd(nullptr);
  });
  return stream;
}

}  // namespace podrunner::testing
