#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_api_server.h"
#include "kube/factory.h"
#include "test_certificates.h"

namespace kube::test {

// A configuration that trusts the test CA and talks to `server` with a token.
inline ClusterConfig configFor(const FakeApiServer& server, const std::string& token = "token-1") {
  ClusterConfig config;
  config.server = server.url();
  config.caPem = testCertificates().caPem;
  config.token = token;
  config.namespaceName = "ci";
  config.user = "tester";
  config.origin = "test";
  return config;
}

// Fast retries and no rate limit, so tests do not wait on the defaults.
inline ClientSettings quickSettings() {
  ClientSettings settings;
  settings.qps = 0;
  settings.retryBaseDelay = std::chrono::milliseconds(1);
  settings.retryMaxDelay = std::chrono::milliseconds(5);
  settings.requestTimeout = std::chrono::seconds(10);
  settings.streamIdleTimeout = std::chrono::seconds(10);
  return settings;
}

// Collects what a stream reports, for a test to await.
template <typename T>
class Recorder {
 public:
  void add(T item) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(item));
    changed_.notify_all();
  }
  void end(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    ++ends_;
    error_ = error;
    changed_.notify_all();
  }
  std::vector<T> awaitItems(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return items_.size() >= count || ends_ > 0; });
    return items_;
  }
  std::exception_ptr awaitEnd() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ends_ > 0; });
    return error_;
  }
  std::vector<T> items() {
    std::lock_guard lock(mutex_);
    return items_;
  }
  int ends() {
    std::lock_guard lock(mutex_);
    return ends_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<T> items_;
  int ends_ = 0;
  std::exception_ptr error_;
};

// The message of an exception_ptr, or "none".
inline std::string describeError(std::exception_ptr error) {
  if (!error) return "none";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

// The ApiError inside an exception_ptr.
inline ApiError apiErrorOf(std::exception_ptr error) {
  if (!error) throw std::logic_error("the stream ended without an error");
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return e;
  }
  throw std::logic_error("unreachable");
}

}  // namespace kube::test
