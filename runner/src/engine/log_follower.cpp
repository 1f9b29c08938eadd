#include "runner/engine/log_follower.h"

#include <cctype>

namespace podrunner {

std::string normaliseTimestamp(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  constexpr std::size_t kSeconds = 19;
  if (t.size() < kSeconds + 1 || t[10] != 'T' || t.back() != 'Z') return {};
  std::string out(t.substr(0, kSeconds));
  std::string fraction;
  if (t[kSeconds] == '.')
    fraction = std::string(t.substr(kSeconds + 1, t.size() - kSeconds - 2));
  else if (t.size() != kSeconds + 1)
    return {};
  for (char c : fraction) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  fraction.resize(9, '0');
  return out + "." + fraction + "Z";
}

LogFollower::LogFollower(kube::Client& client, std::string ns, std::string pod,
                         const SecretMasker& masker, std::int64_t limitBytes, Sink sink,
                         std::function<void()> changed)
    : client_(client),
      ns_(std::move(ns)),
      pod_(std::move(pod)),
      masker_(masker),
      limitBytes_(limitBytes),
      sink_(std::move(sink)),
      changed_(std::move(changed)) {}

LogFollower::~LogFollower() { stop(); }

void LogFollower::start() { open("", true); }

bool LogFollower::resume(int maxResumes) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::Broken || resumes_ >= maxResumes) return false;
    ++resumes_;
  }
  reopenAfterLastLine(true);
  return true;
}

void LogFollower::readRest() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::FollowEnded) return;
  }
  reopenAfterLastLine(false);
}

void LogFollower::reopenAfterLastLine(bool follow) {
  stop();
  // Read from the last line's second (sinceTime has whole seconds) and drop repeats; an
  // unfinished line is read again whole.
  resumeAfter_ = lastTimestamp_;
  splitter_ = LineSplitter();
  std::string since;
  if (!lastTimestamp_.empty()) since = lastTimestamp_.substr(0, 19) + "Z";
  open(since, follow);
}

void LogFollower::open(const std::string& sinceTime, bool follow) {
  kube::LogOptions options;
  options.follow = follow;
  options.timestamps = true;
  options.sinceTime = sinceTime;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_ = State::Following;
    following_ = follow;
  }
  try {
    auto stream = client_.followLog(
        ns_, pod_, options, [this](std::string_view chunk) { onData(chunk); },
        [this](std::exception_ptr error) { onEnd(error); });
    std::lock_guard<std::mutex> lock(mutex_);
    stream_ = std::move(stream);
  } catch (const std::exception& e) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      state_ = State::Broken;
      error_ = e.what();
    }
    changed_();
  }
}

void LogFollower::stop() {
  std::unique_ptr<kube::Stream> stream;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stream.swap(stream_);
  }
  stream.reset();
}

LogFollower::State LogFollower::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

std::string LogFollower::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

void LogFollower::onData(std::string_view chunk) {
  splitter_.feed(chunk, [this](std::string_view line) { onLine(line); });
}

void LogFollower::onLine(std::string_view line) {
  const auto space = line.find(' ');
  const auto stamp = normaliseTimestamp(line.substr(0, space));
  if (!stamp.empty()) {
    if (!resumeAfter_.empty() && stamp <= resumeAfter_) return;
    lastTimestamp_ = stamp;
    line.remove_prefix(space + 1);
  }
  if (truncated_) return;
  bytes_ += static_cast<std::int64_t>(line.size());
  if (limitBytes_ > 0 && bytes_ > limitBytes_) {
    truncated_ = true;
    sink_("[podrunner: the log is longer than " + std::to_string(limitBytes_) +
          " bytes; the rest is not shown]\n");
    return;
  }
  sink_(masker_.mask(line));
}

void LogFollower::onEnd(std::exception_ptr error) {
  std::string message;
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
      message = "unknown error";
    }
  }
  bool followed = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    followed = following_;
  }
  // After a follow stream, an unfinished last line waits for readRest() to read it whole.
  if (!error && !followed) splitter_.finish([this](std::string_view line) { onLine(line); });
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_ = error ? State::Broken : followed ? State::FollowEnded : State::Ended;
    error_ = message;
  }
  changed_();
}

}  // namespace podrunner
