#include "cpprest_transport.h"

#include <cpprest/http_client.h>
#include <cpprest/producerconsumerstream.h>
#include <pplx/threadpool.h>

#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>

#include "callback_gate.h"
#include "kube/error.h"
#include "tls_identity.h"

namespace kube {
namespace {

namespace http = web::http;
using http::client::http_client;
using http::client::http_client_config;

// Small reads keep a stream's footprint to a few KiB; the server's chunks are small.
constexpr std::size_t kStreamReadSize = 4096;

ApiError transportError(const std::string& server, const std::exception& e) {
  auto* httpError = dynamic_cast<const http::http_exception*>(&e);
  bool timedOut = httpError && httpError->error_code() == std::errc::timed_out;
  return ApiError(0, timedOut ? "Timeout" : "Transport",
                  (timedOut ? "no answer from " : "cannot talk to ") + server + ": " + e.what());
}

HttpResponse headOf(const http::http_response& response) {
  HttpResponse head;
  head.status = response.status_code();
  for (const auto& [name, value] : response.headers()) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    head.headers[lower] = value;
  }
  return head;
}

std::string bodyOf(http::http_response& response) {
  auto bytes = response.extract_vector().get();
  return std::string(bytes.begin(), bytes.end());
}

class CpprestStreamCall : public StreamCall,
                          public std::enable_shared_from_this<CpprestStreamCall> {
 public:
  CpprestStreamCall(std::function<void(std::string_view)> onChunk,
                    std::function<void(StreamEnd)> onEnd)
      : onChunk_(std::move(onChunk)), onEnd_(std::move(onEnd)) {}

  void start(http_client& client, http::http_request request, std::string server) {
    server_ = std::move(server);
    // The body goes to a buffer of our own, read as it fills.
    concurrency::streams::producer_consumer_buffer<std::uint8_t> buffer;
    request.set_response_stream(buffer.create_ostream());
    {
      std::lock_guard lock(mutex_);
      body_ = buffer;
    }
    auto self = shared_from_this();
    client.request(std::move(request), cancellation_.get_token())
        .then([self](pplx::task<http::http_response> task) {
          http::http_response response;
          try {
            response = task.get();
          } catch (const std::exception& e) {
            self->fail(e);
            return;
          }
          // Our own buffer is not closed by cpprestsdk when the body is complete.
          auto complete = response.content_ready();
          if (response.status_code() / 100 != 2) {
            complete.then([self, head = headOf(response)](pplx::task<http::http_response> done) {
              StreamEnd end;
              end.response = head;
              try {
                done.wait();
                auto body = self->body();
                std::string text(body.in_avail(), '\0');
                if (!text.empty()) {
                  body.getn(reinterpret_cast<std::uint8_t*>(text.data()), text.size()).get();
                }
                end.response.body = std::move(text);
              } catch (const std::exception& e) {
                self->fail(e);
                return;
              }
              self->finish(std::move(end));
            });
            return;
          }
          complete.then([self](pplx::task<http::http_response> done) {
            auto body = self->body();
            try {
              done.wait();
              body.close(std::ios_base::out).wait();
            } catch (const std::exception&) {
              body.close(std::ios_base::out, std::current_exception()).wait();
            }
          });
          self->head_ = headOf(response);
          if (self->isCancelled()) self->cancel();
          self->readNext();
        });
  }

  // The token closes the connection; closing the buffer also ends a read in progress.
  // Nothing here waits: cancel may run on a pool thread (a watch replacing its step), and
  // blocking one on the pool's own work can stall it (at exit, forever).
  void cancel() override {
    concurrency::streams::streambuf<std::uint8_t> body;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      body = body_;
    }
    cancellation_.cancel();
    // The body is a producer-consumer buffer: close stops its reads and writes before it
    // returns and its task never fails, so the task needs no waiting and no continuation
    // (a continuation left queued at exit was reported as a leak).
    if (body) body.close(std::ios_base::in | std::ios_base::out);
  }

  CallbackGate& gate() { return gate_; }

 private:
  // A producer_consumer_buffer completes getn(n) only once n bytes are there (or the
  // body ended), so a watch event followed by silence would wait for the idle timeout.
  // Ask for what is there already, or for one byte; then take whatever else arrived.
  void readNext() {
    auto self = shared_from_this();
    auto stream = body();
    const std::size_t ready = std::min<std::size_t>(stream.in_avail(), sizeof buffer_);
    stream.getn(buffer_, std::max<std::size_t>(ready, 1))
        .then([self](pplx::task<std::size_t> task) {
          std::size_t size = 0;
          try {
            size = task.get();
            auto stream = self->body();
            const std::size_t more =
                std::min<std::size_t>(stream.in_avail(), sizeof self->buffer_ - size);
            if (size > 0 && more > 0) size += stream.getn(self->buffer_ + size, more).get();
          } catch (const std::exception& e) {
            self->fail(e);
            return;
          }
          if (size == 0 || self->isCancelled()) {
            StreamEnd end;
            end.response = std::move(self->head_);
            self->finish(std::move(end));
            return;
          }
          self->gate_.enter();
          self->onChunk_(std::string_view(reinterpret_cast<const char*>(self->buffer_), size));
          self->gate_.leave();
          self->readNext();
        });
  }

  concurrency::streams::streambuf<std::uint8_t> body() {
    std::lock_guard lock(mutex_);
    return body_;
  }

  bool isCancelled() {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

  void fail(const std::exception& e) {
    StreamEnd end;
    end.response = std::move(head_);  // a 2xx answer heard before the body broke off
    if (!isCancelled()) end.error = std::make_exception_ptr(transportError(server_, e));
    finish(std::move(end));
  }

  void finish(StreamEnd end) {
    end.cancelled = isCancelled();
    if (end.cancelled) end.error = nullptr;
    gate_.enter();
    onEnd_(std::move(end));
    onChunk_ = nullptr;
    onEnd_ = nullptr;
    gate_.close();
  }

  std::function<void(std::string_view)> onChunk_;
  std::function<void(StreamEnd)> onEnd_;
  pplx::cancellation_token_source cancellation_;
  HttpResponse head_;
  concurrency::streams::streambuf<std::uint8_t> body_;  // guarded by mutex_
  std::uint8_t buffer_[kStreamReadSize];
  std::string server_;
  std::mutex mutex_;
  bool cancelled_ = false;
  CallbackGate gate_;
};

// The handle the caller owns: cancels and waits on destruction.
class StreamHandle : public StreamCall {
 public:
  explicit StreamHandle(std::shared_ptr<CpprestStreamCall> call) : call_(std::move(call)) {}
  ~StreamHandle() override {
    call_->cancel();
    call_->gate().awaitClosed();
  }
  void cancel() override { call_->cancel(); }

 private:
  std::shared_ptr<CpprestStreamCall> call_;
};

class ScheduledCall : public StreamCall {
 public:
  ScheduledCall(std::chrono::milliseconds delay, std::function<void(bool)> fn)
      : state_(std::make_shared<State>()) {
    state_->fn = std::move(fn);
    state_->timer.expires_after(delay);
    state_->timer.async_wait([state = state_](const boost::system::error_code& error) {
      state->gate.enter();
      state->fn(error || state->cancelled);
      state->fn = nullptr;
      state->gate.close();
    });
  }
  ~ScheduledCall() override {
    cancel();
    state_->gate.awaitClosed();
  }
  void cancel() override {
    state_->cancelled = true;
    boost::asio::post(crossplat::threadpool::shared_instance().service(),
                      [state = state_] { state->timer.cancel(); });
  }

 private:
  struct State {
    boost::asio::steady_timer timer{crossplat::threadpool::shared_instance().service()};
    std::atomic<bool> cancelled{false};
    std::function<void(bool)> fn;
    CallbackGate gate;
  };
  std::shared_ptr<State> state_;
};

class CpprestTransport : public HttpTransport {
 public:
  CpprestTransport(const ClusterConfig& config, const TransportTimeouts& timeouts)
      : server_(config.server),
        tlsServerName_(config.tlsServerName),
        identity_(std::make_shared<TlsIdentity>(config.caPem, config.clientCertificatePem,
                                                config.clientKeyPem)),
        unary_(makeHttpClient(config, timeouts.request)),
        streaming_(makeHttpClient(config, timeouts.streamIdle)) {}

  HttpResponse send(const HttpRequest& request) override {
    try {
      http::http_response response = unary_.request(toCpprest(request)).get();
      HttpResponse out = headOf(response);
      out.body = bodyOf(response);
      return out;
    } catch (const ApiError&) {
      throw;
    } catch (const std::exception& e) {
      throw transportError(server_, e);
    }
  }

  std::unique_ptr<StreamCall> stream(const HttpRequest& request,
                                     std::function<void(std::string_view)> onChunk,
                                     std::function<void(StreamEnd)> onEnd) override {
    auto call = std::make_shared<CpprestStreamCall>(std::move(onChunk), std::move(onEnd));
    call->start(streaming_, toCpprest(request), server_);
    return std::make_unique<StreamHandle>(std::move(call));
  }

  std::unique_ptr<StreamCall> schedule(std::chrono::milliseconds delay,
                                       std::function<void(bool)> fn) override {
    return std::make_unique<ScheduledCall>(delay, std::move(fn));
  }

 private:
  http_client makeHttpClient(const ClusterConfig& config, std::chrono::milliseconds timeout) {
    http_client_config settings;
    settings.set_timeout(timeout);
    settings.set_validate_certificates(!config.insecureSkipTlsVerify);
    settings.set_chunksize(kStreamReadSize);
    settings.set_ssl_context_callback([identity = identity_](boost::asio::ssl::context& context) {
      identity->install(context.native_handle());
    });
    try {
      return http_client(web::uri(config.server), settings);
    } catch (const std::exception& e) {
      throw ConfigError(config.origin + ": server " + config.server + " is not a URL: " + e.what());
    }
  }

  http::http_request toCpprest(const HttpRequest& request) const {
    http::http_request out(request.method);
    out.set_request_uri(request.target);
    out.headers().add("Accept", "application/json");
    if (!request.bearerToken.empty())
      out.headers().add("Authorization", "Bearer " + request.bearerToken);
    // cpprestsdk verifies the certificate against, and sends as SNI, the Host header.
    if (!tlsServerName_.empty()) out.headers().add("Host", tlsServerName_);
    if (!request.body.empty()) out.set_body(request.body, request.contentType);
    return out;
  }

  std::string server_;
  std::string tlsServerName_;
  std::shared_ptr<TlsIdentity> identity_;
  http_client unary_;
  http_client streaming_;
};

}  // namespace

std::unique_ptr<HttpTransport> makeCpprestTransport(const ClusterConfig& config,
                                                    const TransportTimeouts& timeouts) {
  return std::make_unique<CpprestTransport>(config, timeouts);
}

}  // namespace kube
