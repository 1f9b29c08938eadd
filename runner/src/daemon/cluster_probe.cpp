#include "runner/daemon/cluster_probe.h"

namespace podrunner {

ClusterProbe::ClusterProbe(kube::Client& client, std::chrono::milliseconds ttl,
                           std::function<Clock::time_point()> now)
    : client_(client), ttl_(ttl), now_(std::move(now)) {}

std::string ClusterProbe::notReady() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (answer_ && (asking_ || now_() - answeredAt_ < ttl_)) return *answer_;
    if (asking_) {
      answered_.wait(lock, [&] { return !asking_; });
      return answer_.value_or("kubernetes API: not checked");
    }
    asking_ = true;
  }
  std::string answer;
  try {
    client_.serverVersion();
  } catch (const std::exception& e) {
    answer = std::string("kubernetes API: ") + e.what();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    answer_ = answer;
    answeredAt_ = now_();
    asking_ = false;
  }
  answered_.notify_all();
  return answer;
}

}  // namespace podrunner
