#include "runner/engine/secret_masker.h"

#include <algorithm>

namespace podrunner {
namespace {

constexpr std::string_view kMask = "******";
constexpr std::size_t kShortestMasked = 2;

std::string_view trim(std::string_view s) {
  const char* space = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(space);
  return s.substr(first, last - first + 1);
}

}  // namespace

SecretMasker::SecretMasker(const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    std::string_view rest = secret;
    while (true) {
      const auto newline = rest.find('\n');
      const auto piece = trim(rest.substr(0, newline));
      if (piece.size() >= kShortestMasked) patterns_.emplace_back(piece);
      if (newline == std::string_view::npos) break;
      rest.remove_prefix(newline + 1);
    }
  }
  std::sort(patterns_.begin(), patterns_.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  patterns_.erase(std::unique(patterns_.begin(), patterns_.end()), patterns_.end());
}

std::string SecretMasker::mask(std::string_view line) const {
  // Mark every byte any value covers first, then replace each covered run once, so
  // overlapping or adjacent values never leave a fragment of one of them behind.
  std::vector<bool> covered;
  for (const auto& pattern : patterns_) {
    for (auto at = line.find(pattern); at != std::string_view::npos;
         at = line.find(pattern, at + 1)) {
      if (covered.empty()) covered.assign(line.size(), false);
      std::fill(covered.begin() + at, covered.begin() + at + pattern.size(), true);
    }
  }
  if (covered.empty()) return std::string(line);
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    if (!covered[i]) {
      out.push_back(line[i++]);
      continue;
    }
    out.append(kMask);
    while (i < line.size() && covered[i]) ++i;
  }
  return out;
}

}  // namespace podrunner
