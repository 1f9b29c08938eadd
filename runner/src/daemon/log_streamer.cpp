#include "runner/daemon/log_streamer.h"

#include "runner/log.h"

namespace podrunner {

LogStreamer::LogStreamer(drone::Client& client, Metrics& metrics, std::int64_t limitBytes,
                         std::chrono::milliseconds interval, pplx::cancellation_token abandon)
    : client_(client),
      metrics_(metrics),
      limitBytes_(limitBytes),
      interval_(interval),
      abandon_(std::move(abandon)),
      flusher_([this] { flushLoop(); }) {}

LogStreamer::~LogStreamer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  flusher_.join();
}

std::string LogStreamer::limitText() const {
  return std::to_string(limitBytes_) + " bytes (DRONE_STEP_LOG_LIMIT)";
}

void LogStreamer::open(std::int64_t stepId) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    steps_[stepId].started = Clock::now();
  }
  changed_.notify_all();
}

void LogStreamer::write(std::int64_t stepId, std::string_view text) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = steps_.find(stepId);
  if (it == steps_.end()) {
    log::warn("log line for a step without an open log", {{"step", std::to_string(stepId)}});
    return;
  }
  StepLog& log = it->second;
  if (static_cast<std::int64_t>(text.size()) > limitBytes_)
    text = text.substr(0, static_cast<size_t>(limitBytes_));
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - log.started).count();
  log.lines.push_back({log.nextPos++, std::string(text), seconds});
  log.bytes += static_cast<std::int64_t>(text.size());
  if (log.streaming) ++log.pending;
  if (log.bytes <= limitBytes_) return;
  if (log.streaming) {
    log.streaming = false;
    log.pending = 0;
    log.limitNoticePending = true;
  }
  while (log.bytes > limitBytes_) {
    log.bytes -= static_cast<std::int64_t>(log.lines.front().out.size());
    log.lines.pop_front();
    ++log.droppedLines;
  }
}

std::vector<drone::Line> LogStreamer::takePending(StepLog& log) {
  std::vector<drone::Line> batch;
  if (log.pending > 0) {
    batch.assign(log.lines.end() - static_cast<std::ptrdiff_t>(log.pending), log.lines.end());
    log.pending = 0;
  }
  if (log.limitNoticePending) {
    log.limitNoticePending = false;
    batch.push_back(
        {log.nextPos - 1,
         "[podrunner] output passed " + limitText() +
             ": live streaming stops here; the saved log keeps the last " + limitText() + "\n",
         std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - log.started).count()});
  }
  return batch;
}

void LogStreamer::flushLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (steps_.empty()) {
      changed_.wait(lock, [&] { return stopping_ || !steps_.empty(); });
      continue;
    }
    changed_.wait_for(lock, interval_, [&] { return stopping_; });
    if (stopping_) break;
    std::vector<std::pair<std::int64_t, std::vector<drone::Line>>> batches;
    for (auto& [stepId, log] : steps_) {
      if (log.sending) continue;
      auto batch = takePending(log);
      if (batch.empty()) continue;
      log.sending = true;
      batches.emplace_back(stepId, std::move(batch));
    }
    if (batches.empty()) continue;
    lock.unlock();
    for (const auto& [stepId, batch] : batches) {
      try {
        client_.batch(stepId, batch);
      } catch (const std::exception& e) {
        log::debug("live log batch failed; the lines stay in the upload",
                   {{"step", std::to_string(stepId)}, {"error", e.what()}});
      }
    }
    lock.lock();
    // close() waits for `sending` to clear before it erases a step.
    for (const auto& [stepId, batch] : batches) steps_[stepId].sending = false;
    changed_.notify_all();
  }
}

void LogStreamer::close(std::int64_t stepId) {
  std::vector<drone::Line> batch;
  std::vector<drone::Line> upload;
  std::int64_t dropped = 0;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] {
      auto it = steps_.find(stepId);
      return it == steps_.end() || !it->second.sending;
    });
    auto it = steps_.find(stepId);
    if (it == steps_.end()) return;
    StepLog& log = it->second;
    batch = takePending(log);
    dropped = log.droppedLines;
    if (dropped > 0) {
      upload.push_back({log.lines.empty() ? log.nextPos : log.lines.front().pos - 1,
                        "[podrunner] " + std::to_string(dropped) +
                            " earlier lines were dropped: the step's output passed " + limitText() +
                            "\n",
                        0});
    }
    upload.insert(upload.end(), log.lines.begin(), log.lines.end());
    steps_.erase(it);
  }
  if (!batch.empty()) {
    try {
      client_.batch(stepId, batch);
    } catch (const std::exception& e) {
      log::debug("live log batch failed; the lines stay in the upload",
                 {{"step", std::to_string(stepId)}, {"error", e.what()}});
    }
  }
  try {
    client_.upload(stepId, upload, abandon_);
    metrics_.logLinesSent(static_cast<std::int64_t>(upload.size()) - (dropped > 0 ? 1 : 0));
  } catch (const std::exception& e) {
    log::error("log upload failed", {{"step", std::to_string(stepId)}, {"error", e.what()}});
  }
  if (dropped > 0) {
    metrics_.logLinesDropped(dropped);
    log::warn("step log passed its limit",
              {{"step", std::to_string(stepId)}, {"dropped_lines", std::to_string(dropped)}});
  }
}

void LogStreamer::closeAll() {
  std::vector<std::int64_t> open;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, log] : steps_) open.push_back(id);
  }
  for (auto id : open) close(id);
}

}  // namespace podrunner
