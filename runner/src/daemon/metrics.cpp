#include "runner/daemon/metrics.h"

#include <sstream>

namespace podrunner {
namespace {

const std::vector<double> kBounds = {0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

void counterHeader(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

}  // namespace

void Metrics::stageStarted() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++running_;
}

void Metrics::stageFinished(const std::string& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  ++stages_[status];
}

void Metrics::stepFinished(const std::string& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++steps_[status];
}

void Metrics::observe(Histogram& h, double value) {
  if (h.buckets.empty()) h.buckets.assign(kBounds.size(), 0);
  for (size_t i = 0; i < kBounds.size(); ++i)
    if (value <= kBounds[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum += value;
}

void Metrics::stepStartLatency(double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  observe(startLatency_, seconds);
}

void Metrics::stepDuration(double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  observe(duration_, seconds);
}

void Metrics::logLinesSent(std::int64_t lines) {
  std::lock_guard<std::mutex> lock(mutex_);
  linesSent_ += lines;
}

void Metrics::logLinesDropped(std::int64_t lines) {
  std::lock_guard<std::mutex> lock(mutex_);
  linesDropped_ += lines;
}

void Metrics::rpcRequest(const std::string& endpoint, int code) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++rpc_[{endpoint, code}];
}

void Metrics::kubeRequest(const std::string& verb, int code) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++kube_[{verb, code}];
}

std::string Metrics::render() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  counterHeader(out, "podrunner_stages_running", "gauge", "Stages running now.");
  out << "podrunner_stages_running " << running_ << "\n";
  counterHeader(out, "podrunner_stages_total", "counter", "Finished stages by final status.");
  for (const auto& [status, n] : stages_)
    out << "podrunner_stages_total{status=\"" << status << "\"} " << n << "\n";
  counterHeader(out, "podrunner_steps_total", "counter", "Finished steps by final status.");
  for (const auto& [status, n] : steps_)
    out << "podrunner_steps_total{status=\"" << status << "\"} " << n << "\n";
  const auto histogram = [&](const char* name, const char* help, const Histogram& h) {
    counterHeader(out, name, "histogram", help);
    std::int64_t cumulative = 0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
      cumulative += h.buckets.empty() ? 0 : h.buckets[i];
      out << name << "_bucket{le=\"" << kBounds[i] << "\"} " << cumulative << "\n";
    }
    out << name << "_bucket{le=\"+Inf\"} " << h.count << "\n";
    out << name << "_sum " << h.sum << "\n" << name << "_count " << h.count << "\n";
  };
  histogram("podrunner_step_start_latency_seconds", "From stage start to step start.",
            startLatency_);
  histogram("podrunner_step_duration_seconds", "From step start to step end.", duration_);
  counterHeader(out, "podrunner_log_lines_sent_total", "counter",
                "Log lines saved on the server (uploaded at step end).");
  out << "podrunner_log_lines_sent_total " << linesSent_ << "\n";
  counterHeader(out, "podrunner_log_lines_dropped_total", "counter",
                "Log lines cut by the step log limit: in neither the live view nor the saved log.");
  out << "podrunner_log_lines_dropped_total " << linesDropped_ << "\n";
  counterHeader(out, "podrunner_rpc_requests_total", "counter",
                "Drone RPC requests by endpoint and HTTP code (0: no response).");
  for (const auto& [k, n] : rpc_)
    out << "podrunner_rpc_requests_total{endpoint=\"" << k.first << "\",code=\"" << k.second
        << "\"} " << n << "\n";
  counterHeader(out, "podrunner_kube_requests_total", "counter",
                "Kubernetes API requests by verb and HTTP code (0: no response).");
  for (const auto& [k, n] : kube_)
    out << "podrunner_kube_requests_total{verb=\"" << k.first << "\",code=\"" << k.second << "\"} "
        << n << "\n";
  return out.str();
}

}  // namespace podrunner
