#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runner/daemon/drone_types.h"

namespace web::http::experimental::listener {
class http_listener;
}
namespace web::http {
class http_request;
}

// An in-process Drone server speaking runner RPC v2 as drone-protocol.md describes it:
// auth by X-Drone-Token, /stage long polls ending in 204, accept arbitration with 409,
// details with base64 config, BeforeAll/AfterAll stage updates with optimistic locking,
// step updates opening and closing log streams, batches only while a stream exists,
// one upload per step, watch answering 200 after a cancel. Listens on 127.0.0.1.
namespace podrunner::testing {

struct FakeStage {
  std::string name = "default";
  std::string config = "kind: pipeline\ntype: kubernetes\nname: default\n";
  std::string repoSlug = "octo/hello";
  bool trusted = false;
  std::string event = "push";
  std::map<std::string, std::string> labels;
  std::int64_t timeoutMinutes = 60;
};

struct FakeCall {
  std::string endpoint;  // request, accept, details, update_stage, update_step, watch, batch...
  std::string method;
  std::string path;
  std::string body;
  int status = 0;
};

class FakeDroneServer {
 public:
  struct Options {
    std::string secret = "s3cr3t";
    std::chrono::milliseconds longPoll{300};  // the real server holds 30 s
    int handOutToWaiters = 1;  // hand a stage out only when this many polls wait for it
  };
  explicit FakeDroneServer(Options options);
  ~FakeDroneServer();

  std::string address() const;
  std::int64_t addStage(const FakeStage& stage);  // returns the stage id
  // The next `times` calls to `endpoint` answer `status` without doing anything.
  void failNext(const std::string& endpoint, int status, int times = 1);
  // As a user cancel does: build killed, open stage and steps killed with new versions.
  void cancelBuild(std::int64_t buildId);
  std::int64_t buildOf(std::int64_t stageId) const;

  std::vector<FakeCall> calls() const;
  std::vector<FakeCall> calls(const std::string& endpoint) const;
  drone::Stage stage(std::int64_t id) const;
  std::vector<drone::Line> uploaded(std::int64_t stepId) const;
  std::vector<drone::Line> batched(std::int64_t stepId) const;
  int uploads(std::int64_t stepId) const;
  int waitingPolls() const;  // /stage long polls open now
  // Waits until `done` holds after some call; false when `timeout` passed first.
  bool waitUntil(const std::function<bool()>& done,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

 private:
  struct StepRow {
    drone::Step step;
    bool stream = false;
    std::vector<drone::Line> batched;
    std::vector<drone::Line> uploaded;
    int uploads = 0;
  };
  struct StageRow {
    drone::Stage stage;
    FakeStage spec;
    std::int64_t buildId = 0;
    bool stepsCreated = false;
    bool buildCancelled = false;
    int offers = 0;
  };
  struct Answer {
    int status = 200;
    std::string body;
  };

  void handle(web::http::http_request request);
  Answer route(const std::string& method, const std::string& path, const std::string& body,
               std::string& endpoint);
  Answer requestStage(const std::string& body);
  Answer accept(std::int64_t id, const std::string& machine);
  Answer details(std::int64_t id);
  Answer updateStage(const std::string& body);
  Answer updateStep(const std::string& body);
  Answer watch(std::int64_t buildId);
  Answer batch(std::int64_t stepId, const std::string& body);
  Answer upload(std::int64_t stepId, const std::string& body);
  std::string detailsJson(const StageRow& row) const;

  Options options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::int64_t, StageRow> stages_;
  std::map<std::int64_t, StepRow> steps_;
  std::map<std::string, std::vector<int>> failures_;
  std::vector<FakeCall> calls_;
  int waiting_ = 0;
  // Handlers still running: the listener's close does not wait for them, so the
  // destructor does (a held long poll would otherwise outlive the server's members).
  int handling_ = 0;
  bool closing_ = false;
  std::int64_t nextId_ = 1;
  std::string address_;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int freeLoopbackPort();

}  // namespace podrunner::testing
