#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace podrunner {

// Replaces every secret value in a log line with "******". Works on whole lines (see
// LineSplitter), so a value split across two reads of a stream is still masked. A
// multi-line value is masked line by line: each of its lines, trimmed, is a value of
// its own; pieces shorter than two characters are left alone, as Drone does.
class SecretMasker {
 public:
  explicit SecretMasker(const std::vector<std::string>& secrets);

  std::string mask(std::string_view line) const;
  bool empty() const { return patterns_.empty(); }

 private:
  std::vector<std::string> patterns_;  // longest first
};

}  // namespace podrunner
