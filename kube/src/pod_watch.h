#pragma once

#include <memory>

#include "api_connection.h"
#include "kube/client.h"

namespace kube {

struct PodWatchTarget {
  std::string ns;
  std::string labelSelector;
  std::string resourceVersion;  // empty: list first
  int maxFailures = 30;         // consecutive failed attempts before giving up
};

// Client::watchPods: watch, resume from the last version seen, re-list on 410 Gone
// and report the difference, so that each change reaches onEvent once.
std::unique_ptr<Stream> startPodWatch(std::shared_ptr<ApiConnection> api, PodWatchTarget target,
                                      std::function<void(const WatchEvent&)> onEvent,
                                      std::function<void(std::exception_ptr)> onClosed);

}  // namespace kube
