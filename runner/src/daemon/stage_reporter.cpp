#include "runner/daemon/stage_reporter.h"

#include <ctime>

#include "runner/log.h"

namespace podrunner {
namespace {

constexpr size_t kMaxErrorBytes = 500;

std::int64_t nowUnix() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

std::string truncateError(const std::string& text) {
  if (text.size() <= kMaxErrorBytes) return text;
  size_t end = kMaxErrorBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

StageReporter::StageReporter(drone::Stage& stage, drone::Client& client, LogStreamer& logs,
                             Metrics& metrics, Cancellation& cancellation,
                             pplx::cancellation_token abandon)
    : stage_(stage),
      client_(client),
      logs_(logs),
      metrics_(metrics),
      cancellation_(cancellation),
      abandon_(std::move(abandon)) {}

drone::Step* StageReporter::find(const std::string& name) {
  for (auto& step : stage_.steps)
    if (step.name == name) return &step;
  log::error("engine reported a step the stage does not have", {{"step", name}});
  return nullptr;
}

// Sends `update` for `step` and adopts it with the server's new version.
void StageReporter::put(drone::Step& step, const drone::Step& update) {
  drone::Step sent = update;
  try {
    client_.updateStep(sent, abandon_);
  } catch (const drone::OptimisticLock&) {
    log::info("step update refused (409): the build was cancelled or taken over",
              {{"step", step.name}, {"stage", std::to_string(stage_.id)}});
    cancellation_.cancel("the server refused an update: the build was cancelled");
  } catch (const std::exception& e) {
    log::error("step update failed", {{"step", step.name}, {"error", e.what()}});
  }
  std::lock_guard<std::mutex> lock(mutex_);
  step = sent;
}

void StageReporter::stepStarted(const pipeline::Step& planStep, std::int64_t startedUnix) {
  drone::Step update;
  drone::Step* step = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    step = find(planStep.name);
    if (!step) return;
    step->status = "running";
    step->started = startedUnix ? startedUnix : nowUnix();
    step->stopped = 0;
    step->exitCode = 0;
    step->error.clear();
    update = *step;
  }
  if (stage_.started)
    metrics_.stepStartLatency(static_cast<double>(update.started - stage_.started));
  put(*step, update);
  logs_.open(update.id);
}

void StageReporter::stepOutput(const pipeline::Step& planStep, std::string_view line) {
  std::int64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (drone::Step* step = find(planStep.name)) id = step->id;
  }
  if (id) logs_.write(id, line);
}

void StageReporter::stepFinished(const pipeline::Step& planStep, const StepState& state) {
  drone::Step update;
  drone::Step* step = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    step = find(planStep.name);
    if (!step) return;
    update = *step;
  }
  if (update.status == "running") logs_.close(update.id);  // flush and upload first (§9 13)
  const std::int64_t now = nowUnix();
  update.status = toString(state.status);
  update.exitCode = state.exitCode;
  update.error = truncateError(state.error);
  update.started = update.started ? update.started : (state.started ? state.started : now);
  update.stopped = state.stopped ? state.stopped : now;
  if (state.status == StepStatus::Skipped) update.exitCode = 0;
  metrics_.stepFinished(update.status);
  metrics_.stepDuration(static_cast<double>(update.stopped - update.started));
  put(*step, update);
}

}  // namespace podrunner
