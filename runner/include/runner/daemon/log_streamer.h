#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "runner/daemon/drone_client.h"
#include "runner/daemon/metrics.h"

// Streams the output of a stage's steps to the Drone server (drone-protocol.md §2.8,
// §2.9, §4.4): lines go out in one logs/batch call per step about once per interval
// while the step runs, and the whole log is uploaded once when the step closes.
//
// write() never waits for the network: lines are kept in memory, bounded per step by
// `limitBytes`. At the bound, live streaming of that step stops (the live view gets
// one line saying so) and the oldest lines are dropped so the saved log keeps the
// last `limitBytes`; the upload then starts with a line saying how many lines were
// dropped, and the count goes to podrunner_log_lines_dropped_total. A failed batch is
// not resent (the live view misses those lines) but the lines stay in the upload.
//
// One per stage; thread-safe; the destructor stops the flusher thread.
namespace podrunner {

class LogStreamer {
 public:
  LogStreamer(drone::Client& client, Metrics& metrics, std::int64_t limitBytes,
              std::chrono::milliseconds interval, pplx::cancellation_token abandon);
  ~LogStreamer();
  LogStreamer(const LogStreamer&) = delete;
  LogStreamer& operator=(const LogStreamer&) = delete;

  // After the step's `running` update: the server has a stream for it now.
  void open(std::int64_t stepId);
  // One line with its trailing newline (the last one may lack it).
  void write(std::int64_t stepId, std::string_view line);
  // Sends what is pending, then uploads the whole log; before the step's final update.
  void close(std::int64_t stepId);
  void closeAll();

 private:
  using Clock = std::chrono::steady_clock;
  struct StepLog {
    Clock::time_point started;
    std::deque<drone::Line> lines;  // what the upload will hold
    std::int64_t bytes = 0;
    size_t pending = 0;  // lines at the end of `lines` not yet batched
    bool streaming = true;
    bool limitNoticePending = false;
    bool sending = false;
    int nextPos = 0;
    std::int64_t droppedLines = 0;
  };

  void flushLoop();
  // Takes the lines to batch now; empty when there is nothing.
  std::vector<drone::Line> takePending(StepLog& log);
  std::string limitText() const;

  drone::Client& client_;
  Metrics& metrics_;
  const std::int64_t limitBytes_;
  const std::chrono::milliseconds interval_;
  pplx::cancellation_token abandon_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::int64_t, StepLog> steps_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace podrunner
