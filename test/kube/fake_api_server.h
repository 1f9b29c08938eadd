#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// An in-process HTTPS server on 127.0.0.1 (an ephemeral port) that plays the
// Kubernetes API server for component tests: each request goes to a handler that
// answers whole, streams a chunked body piece by piece, drops the connection or
// stalls. One thread per connection: simple, and only tests run it.
namespace kube::test {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::string path;
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string clientCommonName;  // of the verified client certificate, if any

  std::string bearerToken() const;
};

class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  virtual void respond(int status, const std::string& body,
                       const std::map<std::string, std::string>& headers = {}) = 0;
  virtual void beginChunked(int status) = 0;
  virtual void writeChunk(const std::string& data) = 0;
  virtual void endChunked() = 0;
  // Closes the connection at once (mid-body when a chunked body was begun).
  virtual void drop() = 0;
  // Blocks, sending nothing, until the client goes away or the server stops.
  virtual void stall() = 0;
};

class FakeApiServer {
 public:
  using Handler = std::function<void(const FakeRequest&, ResponseWriter&)>;

  // requestClientCertificate: ask for (and verify against the test CA) a client certificate.
  explicit FakeApiServer(Handler handler, bool requestClientCertificate = false);
  ~FakeApiServer();
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  std::string url() const;  // https://127.0.0.1:PORT
  int port() const { return port_; }

  std::vector<FakeRequest> requests() const;
  // Blocks until `count` requests have arrived (or the server stops).
  void awaitRequests(std::size_t count);

 private:
  void acceptLoop();
  void serve(int fd);

  Handler handler_;
  SSL_CTX* context_ = nullptr;
  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptThread_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> connectionThreads_;
  std::vector<int> connectionFds_;
  std::vector<FakeRequest> requests_;
};

// A kind:Status body as the API server writes it.
std::string statusBody(int code, const std::string& reason, const std::string& message);

}  // namespace kube::test
