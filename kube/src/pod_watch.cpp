#include "pod_watch.h"

#include <map>
#include <set>

#include "api_paths.h"
#include "kube/json_codec.h"
#include "stream_session.h"

namespace kube {
namespace {

// The server ends a watch after this long; the watch then resumes from its last version.
constexpr const char* kWatchTimeoutSeconds = "290";

class PodWatch : public StreamSession {
 public:
  PodWatch(std::shared_ptr<ApiConnection> api, PodWatchTarget target,
           std::function<void(const WatchEvent&)> onEvent,
           std::function<void(std::exception_ptr)> onClosed)
      : StreamSession(std::move(api)),
        target_(std::move(target)),
        resourceVersion_(target_.resourceVersion),
        onEvent_(std::move(onEvent)),
        onClosed_(std::move(onClosed)) {}

  void begin() {
    if (resourceVersion_.empty()) {
      list();
    } else {
      watch();
    }
  }

 private:
  void reportEnd(std::exception_ptr error) override { onClosed_(error); }

  auto self() { return std::static_pointer_cast<PodWatch>(shared_from_this()); }

  void list() {
    listBody_.clear();
    HttpRequest request;
    request.verb = "list";
    request.target = paths::namespaced(target_.ns, "pods") +
                     paths::query({{"labelSelector", target_.labelSelector}});
    open(
        request, [self = self()](std::string_view chunk) { self->listBody_.append(chunk); },
        [self = self()](StreamEnd end) { self->listEnded(std::move(end)); });
  }

  void listEnded(StreamEnd end) {
    if (!succeeded(end)) {
      retryOrClose(end, [self = self()] { self->list(); });
      return;
    }
    std::string listVersion;
    std::vector<Pod> pods;
    try {
      pods = podListFromJson(listBody_, &listVersion);
    } catch (const ApiError&) {
      close(std::current_exception());
      return;
    }
    listBody_ = std::string();
    applyList(std::move(pods));
    resourceVersion_ = listVersion;
    failures_ = 0;
    if (stopped()) return close(nullptr);
    watch();
  }

  // Reports what changed between the pods this watch knows and a fresh list.
  void applyList(std::vector<Pod> pods) {
    std::set<std::string> listed;
    for (auto& pod : pods) {
      listed.insert(pod.metadata.name);
      auto known = known_.find(pod.metadata.name);
      if (known == known_.end()) {
        report(WatchEvent::Type::Added, std::move(pod));
      } else if (known->second.resourceVersion != pod.metadata.resourceVersion) {
        report(WatchEvent::Type::Modified, std::move(pod));
      }
    }
    std::vector<Pod> gone;
    for (const auto& [name, meta] : known_) {
      if (!listed.count(name)) gone.push_back(Pod{meta, {}, {}});
    }
    for (auto& pod : gone) report(WatchEvent::Type::Deleted, std::move(pod));
    deleted_.clear();
  }

  void watch() {
    lineBuffer_.clear();
    gone_ = false;
    streamError_.reset();
    HttpRequest request;
    request.verb = "watch";
    request.target = paths::namespaced(target_.ns, "pods") +
                     paths::query({{"watch", "true"},
                                   {"labelSelector", target_.labelSelector},
                                   {"resourceVersion", resourceVersion_},
                                   {"allowWatchBookmarks", "true"},
                                   {"timeoutSeconds", kWatchTimeoutSeconds}});
    open(
        request, [self = self()](std::string_view chunk) { self->received(chunk); },
        [self = self()](StreamEnd end) { self->watchEnded(std::move(end)); });
  }

  void received(std::string_view chunk) {
    lineBuffer_.append(chunk);
    std::size_t start = 0;
    for (std::size_t newline; (newline = lineBuffer_.find('\n', start)) != std::string::npos;
         start = newline + 1) {
      if (stopped() || gone_) break;
      std::string_view line(lineBuffer_.data() + start, newline - start);
      if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
      try {
        handle(watchLineFromJson(line));
      } catch (const ApiError&) {
        close(std::current_exception());
        cancel();
        break;
      }
    }
    lineBuffer_.erase(0, std::min(start, lineBuffer_.size()));
  }

  void handle(WatchLine line) {
    switch (line.type) {
      case WatchLine::Type::Bookmark:
        resourceVersion_ = line.pod.metadata.resourceVersion;
        return;
      case WatchLine::Type::Error:
        if (line.error->isGone()) {
          gone_ = true;
        } else {
          streamError_ = line.error;
        }
        return;
      case WatchLine::Type::Added:
        return report(WatchEvent::Type::Added, std::move(line.pod));
      case WatchLine::Type::Modified:
        return report(WatchEvent::Type::Modified, std::move(line.pod));
      case WatchLine::Type::Deleted:
        return report(WatchEvent::Type::Deleted, std::move(line.pod));
    }
  }

  // Passes an event on unless this watch already reported that version of the pod.
  void report(WatchEvent::Type type, Pod pod) {
    const std::string& name = pod.metadata.name;
    const std::string& version = pod.metadata.resourceVersion;
    if (type == WatchEvent::Type::Deleted) {
      auto deleted = deleted_.find(name);
      if (deleted != deleted_.end() && deleted->second == version) return;
      known_.erase(name);
      deleted_[name] = version;
    } else {
      auto known = known_.find(name);
      if (known != known_.end() && known->second.resourceVersion == version) return;
      known_[name] = pod.metadata;
      deleted_.erase(name);
    }
    if (!version.empty()) resourceVersion_ = version;
    failures_ = 0;
    WatchEvent event{type, std::move(pod)};
    deliver([&] { onEvent_(event); });
  }

  void watchEnded(StreamEnd end) {
    if (gone_ || end.response.status == 410) {
      after(std::chrono::milliseconds(0), [self = self()] { self->list(); });
      return;
    }
    if (streamError_ && !streamError_->isGone()) {
      bool transient = streamError_->code() == 429 || streamError_->code() >= 500;
      if (!transient || ++failures_ > target_.maxFailures) {
        close(std::make_exception_ptr(*streamError_));
        return;
      }
      after(api_->backoff(failures_ - 1), [self = self()] { self->watch(); });
      return;
    }
    if (succeeded(end)) {  // the server's timeoutSeconds ran out: carry on
      tokenRefreshed_ = false;
      after(std::chrono::milliseconds(0), [self = self()] { self->watch(); });
      return;
    }
    retryOrClose(end, [self = self()] { self->watch(); });
  }

  static bool succeeded(const StreamEnd& end) {
    return !end.error && end.response.status / 100 == 2;
  }

  // After a failed step: again after a pause when the failure may pass, else the end.
  void retryOrClose(const StreamEnd& end, std::function<void()> again) {
    int status = end.response.status;
    if (status == 401 && !tokenRefreshed_ && api_->refreshToken()) {
      tokenRefreshed_ = true;
      after(std::chrono::milliseconds(0), std::move(again));
      return;
    }
    bool transient = end.error || status == 429 || status >= 500;
    if (!transient || ++failures_ > target_.maxFailures) {
      close(end.error ? end.error
                      : std::make_exception_ptr(errorFromStatus(status, end.response.body)));
      return;
    }
    auto wait = api_->backoff(failures_ - 1);
    if (auto asked = retryAfter(api_->retryPolicy(), end.response.header("retry-after"))) {
      wait = std::max(wait, *asked);
    }
    after(wait, std::move(again));
  }

  const PodWatchTarget target_;
  std::string resourceVersion_;
  std::function<void(const WatchEvent&)> onEvent_;
  std::function<void(std::exception_ptr)> onClosed_;
  // Only the current step touches these; steps run one after another.
  std::map<std::string, ObjectMeta> known_;     // pods reported and not deleted
  std::map<std::string, std::string> deleted_;  // name -> version of the reported deletion
  std::string listBody_;
  std::string lineBuffer_;
  bool gone_ = false;
  std::optional<ApiError> streamError_;
  int failures_ = 0;
  bool tokenRefreshed_ = false;
};

}  // namespace

std::unique_ptr<Stream> startPodWatch(std::shared_ptr<ApiConnection> api, PodWatchTarget target,
                                      std::function<void(const WatchEvent&)> onEvent,
                                      std::function<void(std::exception_ptr)> onClosed) {
  auto watch = std::make_shared<PodWatch>(std::move(api), std::move(target), std::move(onEvent),
                                          std::move(onClosed));
  watch->begin();
  return handleFor(watch);
}

}  // namespace kube
