#pragma once

#include <string>
#include <vector>

// The order steps run in. Without any depends_on, steps run one after the other in
// file order, after clone; once any step has depends_on, a step without it depends on
// clone (or on nothing when cloning is disabled). Steps that will not run are left out
// and whoever depended on them inherits their dependencies, so the order stays.
namespace pipeline {

struct GraphStep {
  std::string name;
  std::vector<std::string> dependsOn;  // as written
  bool runs = true;                    // false: its `when` does not match
};

// The final depends_on of every step, in the order given (empty for steps that do not
// run). Names that are not steps (services, say) are kept as they are.
std::vector<std::vector<std::string>> resolveDependencies(const std::vector<GraphStep>& steps,
                                                          bool cloneStep);

// The names along one dependency cycle (first name repeated at the end), or empty.
std::vector<std::string> findCycle(const std::vector<GraphStep>& steps);

}  // namespace pipeline
