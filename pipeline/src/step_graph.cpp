#include "pipeline/step_graph.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace pipeline {
namespace {

void addUnique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

}  // namespace

std::vector<std::vector<std::string>> resolveDependencies(const std::vector<GraphStep>& steps,
                                                          bool cloneStep) {
  std::vector<std::vector<std::string>> result(steps.size());
  const bool graph = std::any_of(steps.begin(), steps.end(),
                                 [](const GraphStep& s) { return !s.dependsOn.empty(); });
  if (!graph) {
    std::string previous = cloneStep ? "clone" : "";
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (!steps[i].runs) continue;
      if (!previous.empty()) result[i].push_back(previous);
      previous = steps[i].name;
    }
    return result;
  }

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < steps.size(); ++i) index.emplace(steps[i].name, i);
  std::vector<std::vector<std::string>> declared(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (const auto& d : steps[i].dependsOn) {
      if (d != "clone" || cloneStep) addUnique(declared[i], d);
    }
    if (steps[i].dependsOn.empty() && cloneStep) declared[i].push_back("clone");
  }
  std::set<std::size_t> visiting;
  std::function<void(const std::string&, std::vector<std::string>&)> expand =
      [&](const std::string& name, std::vector<std::string>& out) {
        auto it = index.find(name);
        if (it == index.end() || steps[it->second].runs) {
          addUnique(out, name);
          return;
        }
        if (!visiting.insert(it->second).second) return;
        for (const auto& d : declared[it->second]) expand(d, out);
        visiting.erase(it->second);
      };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].runs) continue;
    for (const auto& d : declared[i]) expand(d, result[i]);
  }
  return result;
}

std::vector<std::string> findCycle(const std::vector<GraphStep>& steps) {
  std::map<std::string, const GraphStep*> byName;
  for (const auto& s : steps) byName.emplace(s.name, &s);
  std::map<std::string, int> state;  // 1: on the current path, 2: done
  std::vector<std::string> path;
  std::vector<std::string> cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& name) {
    state[name] = 1;
    path.push_back(name);
    auto it = byName.find(name);
    if (it != byName.end()) {
      for (const auto& d : it->second->dependsOn) {
        if (state[d] == 1) {
          cycle.assign(std::find(path.begin(), path.end(), d), path.end());
          cycle.push_back(d);
          return true;
        }
        if (state[d] == 0 && byName.count(d) && visit(d)) return true;
      }
    }
    path.pop_back();
    state[name] = 2;
    return false;
  };
  for (const auto& s : steps) {
    if (state[s.name] == 0 && visit(s.name)) return cycle;
  }
  return {};
}

}  // namespace pipeline
