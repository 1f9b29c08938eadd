#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "runner/engine/engine.h"

namespace podrunner::testing {

// Records what an engine reports, and checks the order the observer contract promises.
class RecordingObserver : public StageObserver {
 public:
  void stepStarted(const pipeline::Step& step, std::int64_t) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_.count(step.name) || finished_.count(step.name)) violations_.push_back(step.name);
    started_[step.name] = true;
    events_.push_back("started:" + step.name);
    changed_.notify_all();
  }
  void stepOutput(const pipeline::Step& step, std::string_view line) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_.count(step.name) || finished_.count(step.name)) {
      violations_.push_back(step.name);
    }
    output_[step.name] += std::string(line);
    changed_.notify_all();
  }
  void stepFinished(const pipeline::Step& step, const StepState& state) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_.count(step.name)) violations_.push_back(step.name);
    finished_[step.name] = state;
    events_.push_back("finished:" + step.name);
    changed_.notify_all();
  }

  bool waitForOutput(const std::string& step, const std::string& text) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30),
                             [&] { return output_[step].find(text) != std::string::npos; });
  }
  std::string output(const std::string& step) {
    std::lock_guard<std::mutex> lock(mutex_);
    return output_[step];
  }
  StepState state(const std::string& step) {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_.at(step);
  }
  bool finished(const std::string& step) {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_.count(step) > 0;
  }
  std::vector<std::string> events() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  // Steps for which a call broke the contract (output after finish, twice finished...).
  std::vector<std::string> violations() {
    std::lock_guard<std::mutex> lock(mutex_);
    return violations_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, bool> started_;
  std::map<std::string, std::string> output_;
  std::map<std::string, StepState> finished_;
  std::vector<std::string> events_;
  std::vector<std::string> violations_;
};

}  // namespace podrunner::testing
