#include "pipeline/plan_json.h"

#include <functional>

#include "quoted_string.h"

namespace pipeline {
namespace {

// Writes JSON with two-space indentation; empty arrays/objects stay on one line.
class JsonWriter {
 public:
  std::string take() { return std::move(out_) + "\n"; }

  void object(const std::function<void()>& members) { container('{', '}', members); }
  void array(const std::function<void()>& items) { container('[', ']', items); }

  void key(const std::string& name) {
    separate();
    string(name);
    out_ += ": ";
    afterKey_ = true;
  }

  void value(const std::string& s) {
    separate();
    string(s);
  }
  void value(const char* s) { value(std::string(s)); }
  void value(bool b) {
    separate();
    out_ += b ? "true" : "false";
  }
  void value(std::int64_t n) {
    separate();
    out_ += std::to_string(n);
  }
  void value(int n) { value(static_cast<std::int64_t>(n)); }

  template <class T>
  void field(const std::string& name, const T& v) {
    key(name);
    value(v);
  }

  void stringMap(const std::string& name, const StringMap& map) {
    key(name);
    object([&] {
      for (const auto& [k, v] : map) field(k, v);
    });
  }

  void stringList(const std::string& name, const std::vector<std::string>& list) {
    key(name);
    array([&] {
      for (const auto& s : list) value(s);
    });
  }

 private:
  std::string out_;
  int depth_ = 0;
  bool first_ = true;
  bool afterKey_ = false;

  void newline() { out_ += "\n" + std::string(static_cast<std::size_t>(depth_) * 2, ' '); }

  void separate() {
    if (afterKey_) {
      afterKey_ = false;
      return;
    }
    if (depth_ > 0) {
      if (!first_) out_ += ",";
      newline();
    }
    first_ = false;
  }

  void container(char open, char close, const std::function<void()>& body) {
    separate();
    out_ += open;
    ++depth_;
    first_ = true;
    body();
    --depth_;
    if (!first_) newline();
    out_ += close;
    first_ = false;
  }

  void string(const std::string& s) { out_ += quotedString(s); }
};

const char* name(RunPolicy p) {
  switch (p) {
    case RunPolicy::OnSuccess:
      return "on-success";
    case RunPolicy::OnFailure:
      return "on-failure";
    case RunPolicy::Always:
      return "always";
    case RunPolicy::Never:
      return "never";
  }
  return "";
}

const char* name(FailureMode f) {
  switch (f) {
    case FailureMode::Fail:
      return "fail";
    case FailureMode::Ignore:
      return "ignore";
    case FailureMode::FailFast:
      return "fail-fast";
  }
  return "";
}

const char* name(PullPolicy p) {
  switch (p) {
    case PullPolicy::IfNotPresent:
      return "IfNotPresent";
    case PullPolicy::Always:
      return "Always";
    case PullPolicy::Never:
      return "Never";
  }
  return "";
}

const char* name(Volume::Kind k) {
  switch (k) {
    case Volume::Kind::Temp:
      return "temp";
    case Volume::Kind::Host:
      return "host";
    case Volume::Kind::Claim:
      return "claim";
    case Volume::Kind::ConfigMap:
      return "config_map";
    case Volume::Kind::Secret:
      return "secret";
  }
  return "";
}

void placement(JsonWriter& w, const Placement& p) {
  w.key("placement");
  w.object([&] {
    w.stringMap("nodeSelector", p.nodeSelector);
    w.key("tolerations");
    w.array([&] {
      for (const auto& t : p.tolerations) {
        w.object([&] {
          w.field("key", t.key);
          w.field("operator", t.op);
          w.field("value", t.value);
          w.field("effect", t.effect);
          if (t.seconds) w.field("seconds", *t.seconds);
        });
      }
    });
  });
}

void resources(JsonWriter& w, const Resources& r) {
  w.key("resources");
  w.object([&] {
    w.key("requests");
    w.object([&] {
      w.field("cpuMillis", r.cpuRequestMillis);
      w.field("memoryBytes", r.memoryRequestBytes);
      w.field("ephemeralStorageBytes", r.ephemeralStorageRequestBytes);
    });
    w.key("limits");
    w.object([&] {
      w.field("cpuMillis", r.cpuLimitMillis);
      w.field("memoryBytes", r.memoryLimitBytes);
      w.field("ephemeralStorageBytes", r.ephemeralStorageLimitBytes);
    });
  });
}

void step(JsonWriter& w, const Step& s) {
  w.object([&] {
    w.field("name", s.name);
    w.field("number", s.number);
    w.field("clone", s.clone);
    w.field("image", s.image);
    w.field("pull", name(s.pull));
    w.stringList("entrypoint", s.entrypoint);
    w.stringList("args", s.args);
    w.field("script", s.script);
    w.field("workingDir", s.workingDir);
    w.stringMap("environment", s.environment);
    w.key("secretEnvironment");
    w.array([&] {
      for (const auto& e : s.secretEnvironment) {
        w.object([&] {
          w.field("env", e.env);
          w.field("secret", e.secret);
        });
      }
    });
    resources(w, s.resources);
    w.key("volumes");
    w.array([&] {
      for (const auto& m : s.volumes) {
        w.object([&] {
          w.field("volume", m.volume);
          w.field("path", m.path);
          w.field("subPath", m.subPath);
          w.field("readOnly", m.readOnly);
        });
      }
    });
    placement(w, s.placement);
    w.field("privileged", s.privileged);
    if (s.user) w.field("user", *s.user);
    if (s.group) w.field("group", *s.group);
    w.field("runPolicy", name(s.runPolicy));
    w.field("failure", name(s.failure));
    w.field("detach", s.detach);
    w.stringList("dependsOn", s.dependsOn);
    w.key("ports");
    w.array([&] {
      for (int p : s.ports) w.value(p);
    });
  });
}

}  // namespace

std::string toJson(const Plan& plan) {
  JsonWriter w;
  w.object([&] {
    w.field("pipeline", plan.pipelineName);
    w.field("os", plan.os);
    w.field("arch", plan.arch);
    w.field("namespace", plan.namespaceName);
    w.stringMap("labels", plan.labels);
    w.stringMap("annotations", plan.annotations);
    w.field("nodeName", plan.nodeName);
    placement(w, plan.placement);
    w.field("serviceAccountName", plan.serviceAccountName);
    if (plan.automountServiceAccountToken) {
      w.field("automountServiceAccountToken", *plan.automountServiceAccountToken);
    }
    w.field("priorityClassName", plan.priorityClassName);
    w.field("runtimeClassName", plan.runtimeClassName);
    if (plan.dnsConfig) {
      w.key("dnsConfig");
      w.object([&] {
        w.stringList("nameservers", plan.dnsConfig->nameservers);
        w.stringList("searches", plan.dnsConfig->searches);
        w.key("options");
        w.array([&] {
          for (const auto& option : plan.dnsConfig->options) {
            w.object([&] {
              w.field("name", option.first);
              w.field("value", option.second);
            });
          }
        });
      });
    }
    w.key("hostAliases");
    w.array([&] {
      for (const auto& a : plan.hostAliases) {
        w.object([&] {
          w.field("ip", a.ip);
          w.stringList("hostnames", a.hostnames);
        });
      }
    });
    w.key("workspace");
    w.object([&] {
      w.field("base", plan.workspace.base);
      w.field("path", plan.workspace.path);
    });
    w.key("volumes");
    w.array([&] {
      for (const auto& v : plan.volumes) {
        w.object([&] {
          w.field("name", v.name);
          w.field("kind", name(v.kind));
          if (v.kind == Volume::Kind::Temp) {
            w.field("memoryMedium", v.memoryMedium);
            w.field("sizeLimitBytes", v.sizeLimitBytes);
          }
          if (v.kind == Volume::Kind::Host) w.field("hostPath", v.hostPath);
          if (!v.source.empty()) w.field("source", v.source);
          if (v.kind == Volume::Kind::Claim) w.field("readOnly", v.readOnly);
          if (v.defaultMode) w.field("defaultMode", *v.defaultMode);
          if (v.kind == Volume::Kind::ConfigMap || v.kind == Volume::Kind::Secret) {
            w.field("optional", v.optional);
          }
        });
      }
    });
    w.key("services");
    w.array([&] {
      for (const auto& s : plan.services) step(w, s);
    });
    w.key("steps");
    w.array([&] {
      for (const auto& s : plan.steps) step(w, s);
    });
    w.key("secretKeys");
    w.array([&] {
      for (const auto& entry : plan.secrets) w.value(entry.first);
    });
    w.key("registries");
    w.array([&] {
      for (const auto& r : plan.registries) {
        w.object([&] {
          w.field("address", r.address);
          w.field("username", r.username);
        });
      }
    });
    w.field("maskedValues", static_cast<std::int64_t>(plan.masked.size()));
  });
  return w.take();
}

}  // namespace pipeline
