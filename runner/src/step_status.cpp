#include "runner/engine/engine.h"

namespace podrunner {

const char* toString(StepStatus status) {
  switch (status) {
    case StepStatus::Pending:
      return "pending";
    case StepStatus::Running:
      return "running";
    case StepStatus::Success:
      return "success";
    case StepStatus::Failure:
      return "failure";
    case StepStatus::Killed:
      return "killed";
    case StepStatus::Skipped:
      return "skipped";
    case StepStatus::Error:
      return "error";
  }
  return "error";
}

}  // namespace podrunner
