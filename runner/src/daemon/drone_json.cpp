#include <cpprest/asyncrt_utils.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runner/daemon/drone_types.h"

namespace podrunner::drone {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Value = rapidjson::Value;

void key(Writer& w, const char* name) { w.Key(name); }
void field(Writer& w, const char* name, const std::string& value) {
  w.Key(name);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}
void field(Writer& w, const char* name, std::int64_t value) {
  w.Key(name);
  w.Int64(value);
}
void field(Writer& w, const char* name, bool value) {
  w.Key(name);
  w.Bool(value);
}
void fieldIfSet(Writer& w, const char* name, const std::string& value) {
  if (!value.empty()) field(w, name, value);
}
void fieldIfSet(Writer& w, const char* name, std::int64_t value) {
  if (value != 0) field(w, name, value);
}
void fieldIfSet(Writer& w, const char* name, const std::vector<std::string>& values) {
  if (values.empty()) return;
  key(w, name);
  w.StartArray();
  for (const auto& v : values) w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}
void fieldIfSet(Writer& w, const char* name, const std::map<std::string, std::string>& values) {
  if (values.empty()) return;
  key(w, name);
  w.StartObject();
  for (const auto& [k, v] : values) field(w, k.c_str(), v);
  w.EndObject();
}

void write(Writer& w, const Step& s) {
  w.StartObject();
  field(w, "id", s.id);
  field(w, "step_id", s.stageId);
  field(w, "number", std::int64_t{s.number});
  field(w, "name", s.name);
  field(w, "status", s.status);
  fieldIfSet(w, "error", s.error);
  if (s.errignore) field(w, "errignore", true);
  field(w, "exit_code", std::int64_t{s.exitCode});
  fieldIfSet(w, "started", s.started);
  fieldIfSet(w, "stopped", s.stopped);
  field(w, "version", s.version);
  fieldIfSet(w, "depends_on", s.dependsOn);
  fieldIfSet(w, "image", s.image);
  if (s.detached) field(w, "detached", true);
  fieldIfSet(w, "schema", s.schema);
  w.EndObject();
}

void write(Writer& w, const Stage& s) {
  w.StartObject();
  field(w, "id", s.id);
  field(w, "repo_id", s.repoId);
  field(w, "build_id", s.buildId);
  field(w, "number", std::int64_t{s.number});
  field(w, "name", s.name);
  fieldIfSet(w, "kind", s.kind);
  fieldIfSet(w, "type", s.type);
  field(w, "status", s.status);
  fieldIfSet(w, "error", s.error);
  field(w, "errignore", s.errignore);
  field(w, "exit_code", std::int64_t{s.exitCode});
  fieldIfSet(w, "machine", s.machine);
  field(w, "os", s.os);
  field(w, "arch", s.arch);
  fieldIfSet(w, "variant", s.variant);
  fieldIfSet(w, "kernel", s.kernel);
  fieldIfSet(w, "limit", std::int64_t{s.limit});
  fieldIfSet(w, "throttle", std::int64_t{s.throttle});
  field(w, "started", s.started);
  field(w, "stopped", s.stopped);
  field(w, "created", s.created);
  field(w, "updated", s.updated);
  field(w, "version", s.version);
  field(w, "on_success", s.onSuccess);
  field(w, "on_failure", s.onFailure);
  fieldIfSet(w, "depends_on", s.dependsOn);
  fieldIfSet(w, "labels", s.labels);
  if (!s.steps.empty()) {
    key(w, "steps");
    w.StartArray();
    for (const auto& step : s.steps) write(w, step);
    w.EndArray();
  }
  w.EndObject();
}

template <typename T>
std::string encodeWith(const T& value) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write(w, value);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

// Readers: a missing or null member is the zero value, as Go's decoder makes it.
const Value* member(const Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::string str(const Value& o, const char* name) {
  const Value* v = member(o, name);
  if (!v) return {};
  if (!v->IsString()) throw DecodeError(std::string(name) + ": expected a string");
  return std::string(v->GetString(), v->GetStringLength());
}

std::int64_t num(const Value& o, const char* name) {
  const Value* v = member(o, name);
  if (!v) return 0;
  if (!v->IsInt64()) throw DecodeError(std::string(name) + ": expected an integer");
  return v->GetInt64();
}

bool flag(const Value& o, const char* name) {
  const Value* v = member(o, name);
  if (!v) return false;
  if (!v->IsBool()) throw DecodeError(std::string(name) + ": expected true or false");
  return v->GetBool();
}

std::vector<std::string> strings(const Value& o, const char* name) {
  std::vector<std::string> out;
  const Value* v = member(o, name);
  if (!v) return out;
  if (!v->IsArray()) throw DecodeError(std::string(name) + ": expected a list of strings");
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) throw DecodeError(std::string(name) + ": expected a list of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

std::map<std::string, std::string> stringMap(const Value& o, const char* name) {
  std::map<std::string, std::string> out;
  const Value* v = member(o, name);
  if (!v) return out;
  if (!v->IsObject()) throw DecodeError(std::string(name) + ": expected an object of strings");
  for (const auto& m : v->GetObject()) {
    if (!m.value.IsString())
      throw DecodeError(std::string(name) + "." + m.name.GetString() + ": expected a string");
    out[m.name.GetString()] = std::string(m.value.GetString(), m.value.GetStringLength());
  }
  return out;
}

const Value& object(const Value& o, const char* name) {
  static const Value empty(rapidjson::kObjectType);
  const Value* v = member(o, name);
  if (!v) return empty;
  if (!v->IsObject()) throw DecodeError(std::string(name) + ": expected an object");
  return *v;
}

rapidjson::Document parse(const std::string& json, const char* what) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError())
    throw DecodeError(std::string(what) + ": not JSON (offset " +
                      std::to_string(d.GetErrorOffset()) + ")");
  return d;
}

Step readStep(const Value& o) {
  Step s;
  s.id = num(o, "id");
  s.stageId = num(o, "step_id");
  s.number = static_cast<int>(num(o, "number"));
  s.name = str(o, "name");
  s.status = str(o, "status");
  s.error = str(o, "error");
  s.errignore = flag(o, "errignore");
  s.exitCode = static_cast<int>(num(o, "exit_code"));
  s.started = num(o, "started");
  s.stopped = num(o, "stopped");
  s.version = num(o, "version");
  s.dependsOn = strings(o, "depends_on");
  s.image = str(o, "image");
  s.detached = flag(o, "detached");
  s.schema = str(o, "schema");
  return s;
}

Stage readStage(const Value& o) {
  if (!o.IsObject()) throw DecodeError("stage: expected an object");
  Stage s;
  s.id = num(o, "id");
  s.repoId = num(o, "repo_id");
  s.buildId = num(o, "build_id");
  s.number = static_cast<int>(num(o, "number"));
  s.name = str(o, "name");
  s.kind = str(o, "kind");
  s.type = str(o, "type");
  s.status = str(o, "status");
  s.error = str(o, "error");
  s.errignore = flag(o, "errignore");
  s.exitCode = static_cast<int>(num(o, "exit_code"));
  s.machine = str(o, "machine");
  s.os = str(o, "os");
  s.arch = str(o, "arch");
  s.variant = str(o, "variant");
  s.kernel = str(o, "kernel");
  s.limit = static_cast<int>(num(o, "limit"));
  s.throttle = static_cast<int>(num(o, "throttle"));
  s.started = num(o, "started");
  s.stopped = num(o, "stopped");
  s.created = num(o, "created");
  s.updated = num(o, "updated");
  s.version = num(o, "version");
  s.onSuccess = flag(o, "on_success");
  s.onFailure = flag(o, "on_failure");
  s.dependsOn = strings(o, "depends_on");
  s.labels = stringMap(o, "labels");
  if (const Value* steps = member(o, "steps")) {
    if (!steps->IsArray()) throw DecodeError("steps: expected a list");
    for (const auto& step : steps->GetArray()) s.steps.push_back(readStep(step));
  }
  return s;
}

pipeline::Repo readRepo(const Value& o) {
  pipeline::Repo r;
  r.namespaceName = str(o, "namespace");
  r.name = str(o, "name");
  r.slug = str(o, "slug");
  r.scm = str(o, "scm");
  r.httpUrl = str(o, "git_http_url");
  r.sshUrl = str(o, "git_ssh_url");
  r.link = str(o, "link");
  r.defaultBranch = str(o, "default_branch");
  r.visibility = str(o, "visibility");
  r.isPrivate = flag(o, "private");
  r.trusted = flag(o, "trusted");
  r.secret = str(o, "secret");
  r.timeoutMinutes = num(o, "timeout");
  return r;
}

pipeline::Build readBuild(const Value& o) {
  pipeline::Build b;
  b.number = num(o, "number");
  b.parent = num(o, "parent");
  b.event = str(o, "event");
  b.action = str(o, "action");
  b.trigger = str(o, "trigger");
  b.link = str(o, "link");
  b.title = str(o, "title");
  b.message = str(o, "message");
  b.before = str(o, "before");
  b.after = str(o, "after");
  b.ref = str(o, "ref");
  b.sourceRepo = str(o, "source_repo");
  b.source = str(o, "source");
  b.target = str(o, "target");
  b.authorLogin = str(o, "author_login");
  b.authorName = str(o, "author_name");
  b.authorEmail = str(o, "author_email");
  b.authorAvatar = str(o, "author_avatar");
  b.sender = str(o, "sender");
  b.deployTo = str(o, "deploy_to");
  b.deployId = num(o, "deploy_id");
  b.cron = str(o, "cron");
  b.debug = flag(o, "debug");
  b.params = stringMap(o, "params");
  b.created = num(o, "created");
  b.started = num(o, "started");
  b.finished = num(o, "finished");
  return b;
}

pipeline::Stage contextStage(const Stage& s) {
  pipeline::Stage c;
  c.id = s.id;
  if (!s.name.empty()) c.name = s.name;
  c.number = s.number;
  c.kind = s.kind;
  c.type = s.type;
  c.machine = s.machine;
  c.os = s.os;
  c.arch = s.arch;
  c.variant = s.variant;
  c.version = s.kernel;
  c.dependsOn = s.dependsOn;
  c.started = s.started;
  return c;
}

}  // namespace

std::string encode(const Stage& stage) { return encodeWith(stage); }
std::string encode(const Step& step) { return encodeWith(step); }

std::string encode(const Filter& f) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  field(w, "kind", f.kind);
  field(w, "type", f.type);
  field(w, "os", f.os);
  field(w, "arch", f.arch);
  field(w, "variant", f.variant);
  field(w, "kernel", f.kernel);
  fieldIfSet(w, "labels", f.labels);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string encode(const std::vector<Line>& lines) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartArray();
  for (const auto& line : lines) {
    w.StartObject();
    field(w, "pos", std::int64_t{line.pos});
    field(w, "out", line.out);
    field(w, "time", line.time);
    w.EndObject();
  }
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Stage decodeStage(const std::string& json) { return readStage(parse(json, "stage")); }

Step decodeStep(const std::string& json) {
  auto d = parse(json, "step");
  if (!d.IsObject()) throw DecodeError("step: expected an object");
  return readStep(d);
}

Filter decodeFilter(const std::string& json) {
  auto d = parse(json, "filter");
  if (!d.IsObject()) throw DecodeError("filter: expected an object");
  Filter f;
  f.kind = str(d, "kind");
  f.type = str(d, "type");
  f.os = str(d, "os");
  f.arch = str(d, "arch");
  f.variant = str(d, "variant");
  f.kernel = str(d, "kernel");
  f.labels = stringMap(d, "labels");
  return f;
}

std::vector<Line> decodeLines(const std::string& json) {
  auto d = parse(json, "lines");
  std::vector<Line> lines;
  if (d.IsNull()) return lines;
  if (!d.IsArray()) throw DecodeError("lines: expected a list");
  for (const auto& o : d.GetArray()) {
    Line line;
    line.pos = static_cast<int>(num(o, "pos"));
    line.out = str(o, "out");
    line.time = num(o, "time");
    lines.push_back(std::move(line));
  }
  return lines;
}

Details decodeDetails(const std::string& json) {
  auto d = parse(json, "details");
  if (!d.IsObject()) throw DecodeError("details: expected an object");
  Details out;
  const Value& build = object(d, "build");
  out.buildId = num(build, "id");
  out.stage = readStage(object(d, "stage"));
  out.context.repo = readRepo(object(d, "repository"));
  out.context.build = readBuild(build);
  out.context.stage = contextStage(out.stage);
  const Value& system = object(d, "system");
  out.context.system.proto = str(system, "proto");
  out.context.system.host = str(system, "host");
  out.context.system.link = str(system, "link");
  out.context.system.version = str(system, "version");
  out.context.instance = out.context.system.host;
  if (const Value* secrets = member(d, "secrets")) {
    if (!secrets->IsArray()) throw DecodeError("secrets: expected a list");
    for (const auto& s : secrets->GetArray())
      out.context.secrets.push_back({str(s, "name"), str(s, "data"), flag(s, "pull_request")});
  }
  if (const Value* netrc = member(d, "netrc")) {
    out.context.netrc =
        pipeline::Netrc{str(*netrc, "machine"), str(*netrc, "login"), str(*netrc, "password")};
  }
  const std::string data = str(object(d, "config"), "Data");
  try {
    const auto bytes = utility::conversions::from_base64(data);
    out.config.assign(bytes.begin(), bytes.end());
  } catch (const std::exception&) {
    throw DecodeError("config.Data: not base64");
  }
  return out;
}

}  // namespace podrunner::drone
