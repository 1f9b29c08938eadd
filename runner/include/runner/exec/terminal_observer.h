#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "runner/engine/engine.h"

namespace podrunner {

// Prints a stage as `podrunner exec` shows it: every log line prefixed by its step's
// name (in a colour per step on a terminal), one whole line at a time even when steps
// run in parallel, then a summary of every step.
class TerminalObserver : public StageObserver {
 public:
  // `names`: every step and service, so that prefixes line up from the first line.
  TerminalObserver(std::ostream& out, bool colour, const std::vector<std::string>& names = {});

  void stepStarted(const pipeline::Step& step, std::int64_t startedUnix) override;
  void stepOutput(const pipeline::Step& step, std::string_view line) override;
  void stepFinished(const pipeline::Step& step, const StepState& state) override;

  // One row per step in the order they were reported: name, status, exit code, duration.
  void printSummary(const StageResult& result);

 private:
  struct Row {
    std::string name;
    StepState state;
    std::chrono::steady_clock::duration took{};
  };
  std::string prefix(const std::string& name);

  std::ostream& out_;
  bool colour_;
  std::mutex mutex_;
  std::size_t width_ = 0;
  std::map<std::string, int> colours_;
  std::map<std::string, std::chrono::steady_clock::time_point> started_;
  std::vector<Row> rows_;
};

// "850ms", "12.3s", "4m05s".
std::string formatDuration(std::chrono::steady_clock::duration d);

}  // namespace podrunner
