#include "runner/engine/line_splitter.h"

namespace podrunner {

void LineSplitter::feed(std::string_view chunk, const Emit& emit) {
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      partial_.append(chunk);
      return;
    }
    if (partial_.empty()) {
      emit(chunk.substr(0, newline + 1));
    } else {
      partial_.append(chunk.substr(0, newline + 1));
      emit(partial_);
      partial_.clear();
    }
    chunk.remove_prefix(newline + 1);
  }
}

void LineSplitter::finish(const Emit& emit) {
  if (partial_.empty()) return;
  std::string last;
  last.swap(partial_);
  emit(last);
}

}  // namespace podrunner
