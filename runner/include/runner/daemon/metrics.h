#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// The daemon's counters, served on /metrics in the Prometheus text format.
// One instance per daemon, shared by reference; every method is thread-safe.
namespace podrunner {

class Metrics {
 public:
  void stageStarted();                            // one more running stage
  void stageFinished(const std::string& status);  // one fewer, counted by final status
  void stepFinished(const std::string& status);
  void stepStartLatency(double seconds);  // stage start to step start
  void stepDuration(double seconds);
  void logLinesSent(std::int64_t lines);     // saved on the server by the step-end upload
  void logLinesDropped(std::int64_t lines);  // cut by the step log limit, lost for good
  void rpcRequest(const std::string& endpoint, int code);  // code 0: no response
  void kubeRequest(const std::string& verb, int code);

  std::string render() const;

 private:
  struct Histogram {
    std::vector<std::int64_t> buckets;  // counts per upper bound in kBounds, cumulative at render
    std::int64_t count = 0;
    double sum = 0;
  };
  void observe(Histogram& h, double value);

  mutable std::mutex mutex_;
  std::int64_t running_ = 0;
  std::map<std::string, std::int64_t> stages_;
  std::map<std::string, std::int64_t> steps_;
  std::map<std::pair<std::string, int>, std::int64_t> rpc_;
  std::map<std::pair<std::string, int>, std::int64_t> kube_;
  std::int64_t linesSent_ = 0;
  std::int64_t linesDropped_ = 0;
  Histogram startLatency_;
  Histogram duration_;
};

}  // namespace podrunner
