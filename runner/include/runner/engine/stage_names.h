#pragma once

#include <string>
#include <string_view>

#include "kube/objects.h"
#include "runner/engine/engine.h"

namespace podrunner {

// Lower-case DNS-1123 label of at most `maxLength` characters made from any text:
// runs of other characters become one '-', no '-' at either end; "x" when nothing is left.
std::string dns1123Label(std::string_view text, std::size_t maxLength = 63);

// A Kubernetes label value (at most 63 of [A-Za-z0-9._-], alphanumeric at both ends).
std::string labelValue(std::string_view text);

// Names and labels of every object of one stage. Names read as
// drone-<build>-<stage>-<what>-<hash>: the hash of runner, stage id and what makes
// them unique across repositories, runners and truncation.
class StageNames {
 public:
  explicit StageNames(const StageIdentity& stage);

  // `what` is a step name or an object role such as "secrets" or "workspace".
  std::string objectName(std::string_view what) const;
  kube::StringMap stageLabels() const;
  kube::StringMap stepLabels(std::string_view stepName) const;
  // Selects everything this stage created, and nothing of another stage or runner.
  std::string stageSelector() const;

 private:
  StageIdentity stage_;
};

}  // namespace podrunner
