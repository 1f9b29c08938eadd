#include "runner/exec/terminal_observer.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>

namespace podrunner {
namespace {

const char* kReset = "\033[0m";
constexpr int kPalette[] = {36, 33, 35, 32, 34, 91, 96, 93, 95, 92};

const char* statusColour(StepStatus s) {
  switch (s) {
    case StepStatus::Success:
      return "\033[32m";
    case StepStatus::Skipped:
      return "\033[90m";
    default:
      return "\033[31m";
  }
}

}  // namespace

std::string formatDuration(std::chrono::steady_clock::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  char text[32];
  if (ms < 1000) {
    std::snprintf(text, sizeof text, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60000) {
    std::snprintf(text, sizeof text, "%.1fs", ms / 1000.0);
  } else {
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(ms / 60000),
                  static_cast<long long>(ms / 1000 % 60));
  }
  return text;
}

TerminalObserver::TerminalObserver(std::ostream& out, bool colour,
                                   const std::vector<std::string>& names)
    : out_(out), colour_(colour) {
  for (const auto& name : names) width_ = std::max(width_, name.size());
}

std::string TerminalObserver::prefix(const std::string& name) {
  width_ = std::max(width_, name.size());
  std::string padded = "[" + name + "]";
  padded.resize(std::max(padded.size(), width_ + 2), ' ');
  if (!colour_) return padded + " ";
  auto found = colours_.find(name);
  if (found == colours_.end()) {
    const int next = kPalette[colours_.size() % (sizeof kPalette / sizeof kPalette[0])];
    found = colours_.emplace(name, next).first;
  }
  return "\033[" + std::to_string(found->second) + "m" + padded + kReset + " ";
}

void TerminalObserver::stepStarted(const pipeline::Step& step, std::int64_t) {
  std::lock_guard<std::mutex> lock(mutex_);
  started_[step.name] = std::chrono::steady_clock::now();
  out_ << prefix(step.name) << "started (" << step.image << ")\n" << std::flush;
}

void TerminalObserver::stepOutput(const pipeline::Step& step, std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << prefix(step.name) << line;
  if (line.empty() || line.back() != '\n') out_ << '\n';
  out_ << std::flush;
}

void TerminalObserver::stepFinished(const pipeline::Step& step, const StepState& state) {
  std::lock_guard<std::mutex> lock(mutex_);
  Row row{step.name, state, {}};
  auto started = started_.find(step.name);
  if (started != started_.end()) row.took = std::chrono::steady_clock::now() - started->second;
  if (state.status != StepStatus::Skipped) {
    out_ << prefix(step.name) << toString(state.status) << ", exit code " << state.exitCode
         << (state.error.empty() ? "" : ": " + state.error) << "\n"
         << std::flush;
  }
  rows_.push_back(std::move(row));
}

void TerminalObserver::printSummary(const StageResult& result) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t nameWidth = 4;
  for (const auto& row : rows_) nameWidth = std::max(nameWidth, row.name.size());
  out_ << "\n"
       << std::left << std::setw(static_cast<int>(nameWidth)) << "STEP"
       << "  " << std::setw(8) << "STATUS"
       << "  " << std::right << std::setw(4) << "EXIT"
       << "  "
       << "DURATION\n";
  for (const auto& row : rows_) {
    const std::string status = toString(row.state.status);
    out_ << std::left << std::setw(static_cast<int>(nameWidth)) << row.name << "  ";
    if (colour_) out_ << statusColour(row.state.status);
    out_ << std::setw(8) << status;
    if (colour_) out_ << kReset;
    out_ << "  " << std::right << std::setw(4) << row.state.exitCode << "  "
         << (row.state.status == StepStatus::Skipped ? "-" : formatDuration(row.took)) << "\n";
  }
  out_ << "\npipeline " << toString(result.status)
       << (result.error.empty() ? "" : ": " + result.error) << "\n"
       << std::flush;
}

}  // namespace podrunner
