#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "http_transport.h"
#include "kube/config.h"

namespace kube {

struct TransportTimeouts {
  // A unary request fails when the server stays silent this long.
  std::chrono::milliseconds request{std::chrono::seconds(30)};
  // A stream fails when no byte arrives for this long (watches get a bookmark
  // about every minute; an idle log stream is resumed by the caller).
  std::chrono::milliseconds streamIdle{std::chrono::minutes(5)};
};

// HttpTransport over cpprestsdk's http_client (Boost.Asio + OpenSSL): TLS with the
// configured CA, client certificate and server name; pooled keep-alive connections.
std::unique_ptr<HttpTransport> makeCpprestTransport(const ClusterConfig& config,
                                                    const TransportTimeouts& timeouts);

}  // namespace kube
