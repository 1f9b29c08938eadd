#include "fake_api_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "test_certificates.h"

namespace kube::test {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string percentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

class Connection : public ResponseWriter {
 public:
  Connection(SSL* ssl, int fd, const std::atomic<bool>& stopping)
      : ssl_(ssl), fd_(fd), stopping_(stopping) {}

  bool closed() const { return closed_; }

  // Reads one request; false when the client closed the connection.
  bool readRequest(FakeRequest& request) {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return false;
    }
    std::istringstream head(buffer_.substr(0, end));
    buffer_.erase(0, end + 4);
    std::string line;
    std::getline(head, line);
    std::istringstream requestLine(line);
    requestLine >> request.method >> request.target;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[lower(line.substr(0, colon))] = value;
    }
    std::size_t length = 0;
    if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
      length = std::stoul(it->second);
    }
    while (buffer_.size() < length) {
      if (!fill()) return false;
    }
    request.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) {
      std::istringstream query(request.target.substr(question + 1));
      for (std::string pair; std::getline(query, pair, '&');) {
        auto equals = pair.find('=');
        request.query[percentDecode(pair.substr(0, equals))] =
            equals == std::string::npos ? "" : percentDecode(pair.substr(equals + 1));
      }
    }
    return true;
  }

  void respond(int status, const std::string& body,
               const std::map<std::string, std::string>& headers) override {
    std::string out = head(status);
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
    write(out);
  }
  void beginChunked(int status) override {
    write(head(status) + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  }
  void writeChunk(const std::string& data) override {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    write(size + data + "\r\n");
  }
  void endChunked() override { write("0\r\n\r\n"); }
  void drop() override {
    closed_ = true;
    ::shutdown(fd_, SHUT_RDWR);
  }
  void stall() override {
    while (!stopping_) {
      pollfd readable{fd_, POLLIN, 0};
      int ready = ::poll(&readable, 1, 50);
      if (ready > 0) {
        char byte;
        if (::recv(fd_, &byte, 1, MSG_PEEK) <= 0) break;  // the client went away
      }
    }
    drop();
  }

 private:
  static std::string head(int status) {
    return "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
  }

  bool fill() {
    char chunk[4096];
    int n = SSL_read(ssl_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  void write(const std::string& data) {
    if (closed_) return;
    if (SSL_write(ssl_, data.data(), static_cast<int>(data.size())) <= 0) closed_ = true;
  }

  SSL* ssl_;
  int fd_;
  const std::atomic<bool>& stopping_;
  std::string buffer_;
  bool closed_ = false;
};

std::string commonName(SSL* ssl) {
  X509* peer = SSL_get1_peer_certificate(ssl);
  if (!peer) return {};
  char name[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof name);
  X509_free(peer);
  return name;
}

}  // namespace

std::string FakeRequest::bearerToken() const {
  auto it = headers.find("authorization");
  if (it == headers.end() || it->second.rfind("Bearer ", 0) != 0) return {};
  return it->second.substr(7);
}

std::string statusBody(int code, const std::string& reason, const std::string& message) {
  return R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":")" + message +
         R"(","reason":")" + reason + R"(","code":)" + std::to_string(code) + "}";
}

FakeApiServer::FakeApiServer(Handler handler, bool requestClientCertificate)
    : handler_(std::move(handler)) {
  // A client that hangs up must not kill the test process on the next write.
  std::signal(SIGPIPE, SIG_IGN);
  const auto& certificates = testCertificates();
  context_ = SSL_CTX_new(TLS_server_method());
  if (SSL_CTX_use_certificate_file(context_, certificates.serverCertFile.c_str(),
                                   SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_use_PrivateKey_file(context_, certificates.serverKeyFile.c_str(), SSL_FILETYPE_PEM) !=
          1) {
    throw std::runtime_error("fake API server: cannot load its certificate");
  }
  if (requestClientCertificate) {
    SSL_CTX_load_verify_locations(context_, certificates.caFile.c_str(), nullptr);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
  }
  listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listenFd_, 64) != 0 ||
      ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("fake API server: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  acceptThread_ = std::thread([this] { acceptLoop(); });
}

FakeApiServer::~FakeApiServer() {
  stopping_ = true;
  ::shutdown(listenFd_, SHUT_RDWR);
  acceptThread_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : connectionFds_) ::shutdown(fd, SHUT_RDWR);
    changed_.notify_all();
  }
  for (auto& thread : connectionThreads_) thread.join();
  ::close(listenFd_);
  SSL_CTX_free(context_);
}

std::string FakeApiServer::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

std::vector<FakeRequest> FakeApiServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeApiServer::awaitRequests(std::size_t count) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return requests_.size() >= count || stopping_; });
}

void FakeApiServer::acceptLoop() {
  while (!stopping_) {
    int fd = ::accept(listenFd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(fd);
      break;
    }
    connectionFds_.push_back(fd);
    connectionThreads_.emplace_back([this, fd] { serve(fd); });
  }
}

void FakeApiServer::serve(int fd) {
  SSL* ssl = SSL_new(context_);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    Connection connection(ssl, fd, stopping_);
    FakeRequest request;
    while (!stopping_ && !connection.closed() && connection.readRequest(request)) {
      request.clientCommonName = commonName(ssl);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        changed_.notify_all();
      }
      handler_(request, connection);
      request = FakeRequest();
    }
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  ::shutdown(fd, SHUT_RDWR);
  std::lock_guard lock(mutex_);
  ::close(fd);
  connectionFds_.erase(std::remove(connectionFds_.begin(), connectionFds_.end(), fd),
                       connectionFds_.end());
}

}  // namespace kube::test
