#include "token_source.h"

#include <sys/stat.h>

#include "file_reading.h"

namespace kube {
namespace {

std::int64_t modifiedAt(const std::string& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return 0;
  return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
}

}  // namespace

TokenSource::TokenSource(std::string token, std::string tokenFile,
                         std::chrono::steady_clock::duration refreshInterval)
    : token_(std::move(token)), file_(std::move(tokenFile)), refreshInterval_(refreshInterval) {
  std::lock_guard lock(mutex_);
  if (token_.empty() && !file_.empty()) readLocked();
  readAt_ = std::chrono::steady_clock::now();
  fileModifiedAt_ = file_.empty() ? 0 : modifiedAt(file_);
}

std::string TokenSource::current() {
  std::lock_guard lock(mutex_);
  if (!file_.empty() && (std::chrono::steady_clock::now() - readAt_ >= refreshInterval_ ||
                         modifiedAt(file_) != fileModifiedAt_)) {
    readLocked();
  }
  return token_;
}

bool TokenSource::refresh() {
  if (file_.empty()) return false;
  std::lock_guard lock(mutex_);
  readLocked();
  return true;
}

// A failed read keeps the last token: the kubelet replaces the file atomically,
// so a missing file is a moment, not a state.
void TokenSource::readLocked() {
  fileModifiedAt_ = modifiedAt(file_);
  readAt_ = std::chrono::steady_clock::now();
  auto content = readWholeFile(file_);
  if (!content) return;
  auto end = content->find_last_not_of(" \t\r\n");
  content->erase(end == std::string::npos ? 0 : end + 1);
  if (!content->empty()) token_ = std::move(*content);
}

}  // namespace kube
