#include "runner/engine/stage_names.h"

#include <cctype>
#include <cstdio>

namespace podrunner {
namespace {

constexpr std::size_t kMaxName = 63;
constexpr std::size_t kHashLength = 6;

bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string trimDashes(std::string text, const std::string& dashes) {
  const auto first = text.find_first_not_of(dashes);
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(dashes);
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string dns1123Label(std::string_view text, std::size_t maxLength) {
  std::string out;
  for (char c : text) {
    if (isAlnum(c)) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  out = trimDashes(out.substr(0, maxLength), "-");
  return out.empty() ? "x" : out;
}

std::string labelValue(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(isAlnum(c) || c == '-' || c == '_' || c == '.' ? c : '.');
  return trimDashes(trimDashes(out.substr(0, kMaxName), "-_."), "-_.");
}

StageNames::StageNames(const StageIdentity& stage) : stage_(stage) {}

std::string StageNames::objectName(std::string_view what) const {
  char hash[32];
  const std::string key =
      stage_.runnerName + "/" + std::to_string(stage_.stageId) + "/" + std::string(what);
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  const std::string prefix = "drone-" + std::to_string(stage_.buildNumber) + "-" +
                             std::to_string(stage_.stageNumber) + "-";
  const std::size_t room = kMaxName - prefix.size() - 1 - kHashLength;
  return prefix + dns1123Label(what, room) + "-" + std::string(hash, kHashLength);
}

kube::StringMap StageNames::stageLabels() const {
  return {{"app.kubernetes.io/managed-by", "podrunner"},
          {"io.drone.runner", labelValue(stage_.runnerName)},
          {"io.drone.repo", labelValue(stage_.repoSlug)},
          {"io.drone.build", std::to_string(stage_.buildNumber)},
          {"io.drone.stage", std::to_string(stage_.stageNumber)},
          {kStageIdLabel, std::to_string(stage_.stageId)}};
}

kube::StringMap StageNames::stepLabels(std::string_view stepName) const {
  auto labels = stageLabels();
  labels["io.drone.step"] = labelValue(stepName);
  return labels;
}

std::string StageNames::stageSelector() const {
  return podrunner::stageSelector(stage_.runnerName, std::to_string(stage_.stageId));
}

std::string runnerSelector(std::string_view runnerName) {
  return "io.drone.runner=" + labelValue(runnerName);
}

std::string stageSelector(std::string_view runnerName, std::string_view stageId) {
  return runnerSelector(runnerName) + "," + kStageIdLabel + "=" + std::string(stageId);
}

}  // namespace podrunner
