#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "kube/client.h"
#include "runner/engine/line_splitter.h"
#include "runner/engine/secret_masker.h"

namespace podrunner {

// Follows one container's log from its first line to its last: whole lines, masked,
// at most `limitBytes` (then one truncation notice). When the stream breaks, resume()
// continues after the last line seen (the log is read with timestamps for that, and
// they are stripped again). No sleeps: the stream ends when the container has ended
// and its log was read to the end.
class LogFollower {
 public:
  using Sink = std::function<void(std::string_view line)>;

  LogFollower(kube::Client& client, std::string ns, std::string pod, const SecretMasker& masker,
              std::int64_t limitBytes, Sink sink, std::function<void()> changed);
  ~LogFollower();

  // FollowEnded: the follow stream ended; once the container has exited, readRest()
  // reads the log again from the last whole line, without following, to Ended. A kubelet
  // that sees the container exit before the runtime wrote the tail ends the stream early.
  enum class State { Idle, Following, FollowEnded, Ended, Broken };
  void start();
  void readRest();
  // After Broken: follows again from the last line seen. Returns false (and stays
  // Broken) once `maxResumes` attempts were spent.
  bool resume(int maxResumes);
  void stop();  // waits until no callback of the stream runs any more
  State state() const;
  std::string error() const;

 private:
  void open(const std::string& sinceTime, bool follow);
  void reopenAfterLastLine(bool follow);
  void onData(std::string_view chunk);
  void onLine(std::string_view line);
  void onEnd(std::exception_ptr error);

  kube::Client& client_;
  std::string ns_, pod_;
  const SecretMasker& masker_;
  std::int64_t limitBytes_;
  Sink sink_;
  std::function<void()> changed_;

  mutable std::mutex mutex_;
  State state_ = State::Idle;
  std::string error_;
  int resumes_ = 0;
  bool following_ = true;  // of the stream open now
  std::unique_ptr<kube::Stream> stream_;
  // Touched only by the stream's callbacks, which run one at a time.
  LineSplitter splitter_;
  std::string lastTimestamp_;  // normalised; lines at or before it were delivered
  std::string resumeAfter_;    // lines at or before this are repeats after a resume
  std::int64_t bytes_ = 0;
  bool truncated_ = false;
};

// "2026-12-01T04:00:00.5Z" -> "2026-12-01T04:00:00.500000000Z", so that timestamps
// compare as strings; text that is not such a timestamp comes back empty.
std::string normaliseTimestamp(std::string_view rfc3339);

}  // namespace podrunner
