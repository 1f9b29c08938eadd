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

// The label naming the stage's id on every object of a stage.
inline constexpr const char* kStageIdLabel = "io.drone.stage.id";
// The annotation of a failed pod kept for debugging (DRONE_ENGINE_KEEP_FAILED_PODS): the
// unix time in seconds after which it may be deleted.
inline constexpr const char* kExpiresAnnotation = "io.drone.expires";

// Selects every object the runner named `runnerName` created, of every stage.
std::string runnerSelector(std::string_view runnerName);
// Selects every object of one stage of that runner (`stageId` as its label spells it).
std::string stageSelector(std::string_view runnerName, std::string_view stageId);

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
