#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace kube {

// The bearer token of a configuration. A token read from a file follows the file:
// it is re-read when the file's modification time changes, at least every
// refreshInterval, and on demand after the server answered 401.
class TokenSource {
 public:
  TokenSource(std::string token, std::string tokenFile,
              std::chrono::steady_clock::duration refreshInterval = std::chrono::minutes(1));

  std::string current();
  // Re-reads the file; false when there is no file to read (a 401 cannot be cured).
  bool refresh();

 private:
  void readLocked();

  std::mutex mutex_;
  std::string token_;
  const std::string file_;
  const std::chrono::steady_clock::duration refreshInterval_;
  std::chrono::steady_clock::time_point readAt_;
  std::int64_t fileModifiedAt_ = 0;
};

}  // namespace kube
