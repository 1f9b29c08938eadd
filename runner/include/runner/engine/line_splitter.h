#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace podrunner {

// Turns a stream of chunks that may end anywhere into whole lines, each with its
// trailing newline; a line of any length (also above the 16 KiB the container runtime
// splits at) comes out in one piece.
class LineSplitter {
 public:
  using Emit = std::function<void(std::string_view line)>;

  void feed(std::string_view chunk, const Emit& emit);
  // Emits what is left after the last newline, if anything.
  void finish(const Emit& emit);
  std::size_t buffered() const { return partial_.size(); }

 private:
  std::string partial_;
};

}  // namespace podrunner
