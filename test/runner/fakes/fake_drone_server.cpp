#include "fake_drone_server.h"

#include <arpa/inet.h>
#include <cpprest/http_listener.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <regex>

namespace podrunner::testing {
namespace {

using web::http::http_request;
using web::http::experimental::listener::http_listener;

bool isOpen(const std::string& status) { return status == "pending" || status == "running"; }

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string withoutNewline(std::string s) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

FakeDroneServer::FakeDroneServer(Options options) : options_(std::move(options)) {
  address_ = "http://127.0.0.1:" + std::to_string(freeLoopbackPort());
  listener_ = std::make_unique<http_listener>(web::uri(address_));
  listener_->support([this](http_request request) { handle(std::move(request)); });
  listener_->open().wait();
}

FakeDroneServer::~FakeDroneServer() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    closing_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return handling_ == 0; });
  }
  listener_->close().wait();
}

std::string FakeDroneServer::address() const { return address_; }

std::int64_t FakeDroneServer::addStage(const FakeStage& spec) {
  std::lock_guard<std::mutex> lock(mutex_);
  StageRow row;
  row.spec = spec;
  row.buildId = nextId_++;
  drone::Stage& s = row.stage;
  s.id = nextId_++;
  s.repoId = 1;
  s.buildId = row.buildId;
  s.number = 1;
  s.name = spec.name;
  s.kind = "pipeline";
  s.type = "kubernetes";
  s.status = "pending";
  s.os = "linux";
  s.arch = "amd64";
  s.created = 1700000000;
  s.updated = 1700000000;
  s.version = 1;
  s.onSuccess = true;
  s.labels = spec.labels;
  s.dependsOn = {"setup"};
  const auto id = s.id;
  stages_[id] = row;
  changed_.notify_all();
  return id;
}

void FakeDroneServer::failNext(const std::string& endpoint, int status, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int i = 0; i < times; ++i) failures_[endpoint].push_back(status);
}

void FakeDroneServer::cancelBuild(std::int64_t buildId) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [id, row] : stages_) {
    if (row.buildId != buildId) continue;
    row.buildCancelled = true;
    if (!isOpen(row.stage.status)) continue;
    row.stage.status = row.stage.started ? "killed" : "skipped";
    ++row.stage.version;
    for (auto& [stepId, step] : steps_) {
      if (step.step.stageId != id || !isOpen(step.step.status)) continue;
      step.step.status = step.step.status == "running" ? "killed" : "skipped";
      step.step.exitCode = 130;
      ++step.step.version;
    }
  }
  changed_.notify_all();
}

std::int64_t FakeDroneServer::buildOf(std::int64_t stageId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stages_.at(stageId).buildId;
}

std::vector<FakeCall> FakeDroneServer::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

std::vector<FakeCall> FakeDroneServer::calls(const std::string& endpoint) const {
  std::vector<FakeCall> out;
  for (auto& c : calls())
    if (c.endpoint == endpoint) out.push_back(c);
  return out;
}

drone::Stage FakeDroneServer::stage(std::int64_t id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  drone::Stage s = stages_.at(id).stage;
  s.steps.clear();
  for (const auto& [stepId, row] : steps_)
    if (row.step.stageId == id) s.steps.push_back(row.step);
  return s;
}

std::vector<drone::Line> FakeDroneServer::uploaded(std::int64_t stepId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return steps_.at(stepId).uploaded;
}

std::vector<drone::Line> FakeDroneServer::batched(std::int64_t stepId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return steps_.at(stepId).batched;
}

int FakeDroneServer::uploads(std::int64_t stepId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return steps_.at(stepId).uploads;
}

int FakeDroneServer::waitingPolls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_;
}

bool FakeDroneServer::waitUntil(const std::function<bool()>& done,
                                std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    lock.unlock();
    if (done()) return true;
    lock.lock();
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      lock.unlock();
      return done();
    }
  }
}

void FakeDroneServer::handle(http_request request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) {
      request.reply(503, "closing");
      return;
    }
    ++handling_;
  }
  struct Done {
    FakeDroneServer& server;
    ~Done() {
      std::lock_guard<std::mutex> lock(server.mutex_);
      --server.handling_;
      server.changed_.notify_all();
    }
  } done{*this};
  const std::string method = request.method();
  const std::string path = request.relative_uri().to_string();
  const std::string body = request.extract_utf8string(true).get();
  std::string endpoint;
  Answer answer;
  if (!request.headers().has("X-Drone-Token") ||
      request.headers()["X-Drone-Token"] != options_.secret) {
    answer = {401, ""};
  } else {
    answer = route(method, path, body, endpoint);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.push_back({endpoint, method, path, body, answer.status});
  }
  changed_.notify_all();
  request.reply(answer.status, answer.body);
}

FakeDroneServer::Answer FakeDroneServer::route(const std::string& method, const std::string& path,
                                               const std::string& body, std::string& endpoint) {
  static const std::regex stageId(R"(/rpc/v2/stage/(\d+)(\?machine=(.*))?)");
  static const std::regex stepId(R"(/rpc/v2/step/(\d+))");
  static const std::regex logs(R"(/rpc/v2/step/(\d+)/logs/(batch|upload))");
  static const std::regex watchPath(R"(/rpc/v2/build/(\d+)/watch)");
  std::smatch m;
  std::int64_t id = 0;
  if (path == "/rpc/v2/ping" && method == "POST") {
    endpoint = "ping";
  } else if (path == "/rpc/v2/stage" && method == "POST") {
    endpoint = "request";
  } else if (std::regex_match(path, m, stageId)) {
    id = std::stoll(m[1]);
    endpoint = method == "POST" ? "accept" : method == "GET" ? "details" : "update_stage";
  } else if (std::regex_match(path, m, stepId) && method == "PUT") {
    endpoint = "update_step";
  } else if (std::regex_match(path, m, logs) && method == "POST") {
    id = std::stoll(m[1]);
    endpoint = m[2];
  } else if (std::regex_match(path, m, watchPath) && method == "POST") {
    id = std::stoll(m[1]);
    endpoint = "watch";
  } else {
    return {404, "404 page not found"};
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& failures = failures_[endpoint];
    if (!failures.empty()) {
      const int status = failures.front();
      failures.erase(failures.begin());
      return {status, "injected failure"};
    }
  }
  try {
    if (endpoint == "ping") return {200, ""};
    if (endpoint == "request") return requestStage(body);
    if (endpoint == "accept") {
      std::string machine = m[3].str();
      std::replace(machine.begin(), machine.end(), '+', ' ');  // as Go's url.Query does
      return accept(id, web::uri::decode(machine));
    }
    if (endpoint == "details") return details(id);
    if (endpoint == "update_stage") return updateStage(body);
    if (endpoint == "update_step") return updateStep(body);
    if (endpoint == "watch") return watch(id);
    if (endpoint == "batch") return batch(id, body);
    return upload(id, body);
  } catch (const std::exception& e) {
    return {500, e.what()};
  }
}

FakeDroneServer::Answer FakeDroneServer::requestStage(const std::string& body) {
  const drone::Filter filter = drone::decodeFilter(body);
  std::unique_lock<std::mutex> lock(mutex_);
  ++waiting_;
  changed_.notify_all();
  StageRow* offered = nullptr;
  changed_.wait_for(lock, options_.longPoll, [&] {
    if (closing_) return true;
    for (auto& [id, row] : stages_) {
      const auto& s = row.stage;
      if (s.status != "pending" || !s.machine.empty()) continue;
      if (s.kind != filter.kind || s.type != filter.type || s.labels != filter.labels) continue;
      // Held back until enough polls wait, then offered to each: at-least-once delivery.
      if (row.offers == 0 && waiting_ < options_.handOutToWaiters) continue;
      offered = &row;
      return true;
    }
    return false;
  });
  --waiting_;
  if (!offered) return {204, ""};
  ++offered->offers;
  changed_.notify_all();
  return {200, drone::encode(offered->stage)};
}

FakeDroneServer::Answer FakeDroneServer::accept(std::int64_t id, const std::string& machine) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& s = stages_.at(id).stage;
  if (!s.machine.empty()) return {409, "Optimistic Lock Error"};
  s.machine = machine;
  s.updated = 1700000005;
  ++s.version;
  return {200, drone::encode(s)};
}

std::string FakeDroneServer::detailsJson(const StageRow& row) const {
  const auto& spec = row.spec;
  const auto slash = spec.repoSlug.find('/');
  const std::string config = utility::conversions::to_base64(
      std::vector<unsigned char>(spec.config.begin(), spec.config.end()));
  return R"({"repository":{"id":1,"uid":"1","namespace":)" +
         jsonString(spec.repoSlug.substr(0, slash)) + R"(,"name":)" +
         jsonString(spec.repoSlug.substr(slash + 1)) + R"(,"slug":)" + jsonString(spec.repoSlug) +
         R"(,"scm":"git","git_http_url":"https://git.invalid/octo/hello.git","private":false,)"
         R"("visibility":"public","trusted":)" +
         (spec.trusted ? "true" : "false") + R"(,"timeout":)" +
         std::to_string(spec.timeoutMinutes) +
         R"(,"secret":"0123456789abcdef0123456789abcdef"},)"
         R"("build":{"id":)" +
         std::to_string(row.buildId) + R"(,"repo_id":1,"number":7,"status":"pending","event":)" +
         jsonString(spec.event) +
         R"(,"ref":"refs/heads/main","after":"deadbeef","target":"main","params":null,)"
         R"("stages":[)" +
         withoutNewline(drone::encode(row.stage)) + R"(]},"stage":)" +
         withoutNewline(drone::encode(row.stage)) + R"(,"config":{"Data":")" + config +
         R"(","Hash":null},"secrets":null,)"
         R"("system":{"proto":"http","host":"drone.invalid","version":"2.24.0"},"netrc":null})"
         "\n";
}

FakeDroneServer::Answer FakeDroneServer::details(std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return {200, detailsJson(stages_.at(id))};
}

FakeDroneServer::Answer FakeDroneServer::updateStage(const std::string& body) {
  drone::Stage update = drone::decodeStage(body);
  std::lock_guard<std::mutex> lock(mutex_);
  auto& row = stages_.at(update.id);
  if (isOpen(update.status)) {  // BeforeAll
    if (update.version != row.stage.version) return {409, "Optimistic Lock Error"};
    if (row.stepsCreated && !update.steps.empty())
      return {500, "UNIQUE constraint failed: steps.step_stage_id, steps.step_number"};
    for (auto& step : update.steps) {
      step.id = nextId_++;
      step.version = 1;
      steps_[step.id].step = step;
    }
    row.stepsCreated = row.stepsCreated || !update.steps.empty();
  } else {  // AfterAll
    for (auto& step : update.steps) {
      auto it = steps_.find(step.id);
      if (it == steps_.end() || it->second.step.version != step.version)
        return {409, "Optimistic Lock Error"};
    }
    if (update.version != row.stage.version) return {409, "Optimistic Lock Error"};
    for (auto& step : update.steps) {
      ++step.version;
      steps_[step.id].step = step;
      steps_[step.id].stream = false;
    }
  }
  update.version = row.stage.version + 1;
  update.updated = 1700000100;
  drone::Stage stored = update;
  stored.steps.clear();
  row.stage = stored;
  return {200, drone::encode(update)};
}

FakeDroneServer::Answer FakeDroneServer::updateStep(const std::string& body) {
  drone::Step update = drone::decodeStep(body);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = steps_.find(update.id);
  if (it == steps_.end()) return {500, "sql: no rows in result set"};
  if (it->second.step.version != update.version) return {409, "Optimistic Lock Error"};
  ++update.version;
  it->second.step = update;
  it->second.stream = isOpen(update.status);
  return {200, drone::encode(update)};
}

FakeDroneServer::Answer FakeDroneServer::watch(std::int64_t buildId) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool cancelled = false;
  changed_.wait_for(lock, options_.longPoll, [&] {
    for (const auto& [id, row] : stages_)
      if (row.buildId == buildId && row.buildCancelled) cancelled = true;
    return cancelled || closing_;
  });
  return {cancelled ? 200 : 204, ""};
}

FakeDroneServer::Answer FakeDroneServer::batch(std::int64_t stepId, const std::string& body) {
  auto lines = drone::decodeLines(body);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = steps_.find(stepId);
  if (it == steps_.end() || !it->second.stream) return {500, "stream: not found"};
  it->second.batched.insert(it->second.batched.end(), lines.begin(), lines.end());
  return {200, ""};
}

FakeDroneServer::Answer FakeDroneServer::upload(std::int64_t stepId, const std::string& body) {
  auto lines = drone::decodeLines(body);
  std::lock_guard<std::mutex> lock(mutex_);
  auto& row = steps_[stepId];
  if (row.uploads > 0) return {500, "UNIQUE constraint failed: logs.log_id"};
  ++row.uploads;
  row.uploaded = lines;
  return {200, ""};
}

}  // namespace podrunner::testing
