#pragma once

#include <memory>

#include "api_connection.h"
#include "kube/client.h"

namespace kube {

// Client::followLog: streams pods/log. Before the first byte, 401 (with a fresh
// token), 429 and 5xx are retried; afterwards a broken stream ends with its error
// and the caller resumes with sinceTime.
std::unique_ptr<Stream> startLogFollow(std::shared_ptr<ApiConnection> api, const std::string& ns,
                                       const std::string& pod, const LogOptions& options,
                                       std::function<void(std::string_view)> onData,
                                       std::function<void(std::exception_ptr)> onEnd);

}  // namespace kube
