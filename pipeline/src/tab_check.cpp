#include "tab_check.h"

namespace pipeline {

// A tab is never valid indentation; YAML parsers disagree about tabs elsewhere.
void reportTabs(const std::string& text, FindingSink& sink) {
  int line = 1;
  int column = 1;
  for (char c : text) {
    if (c == '\t') {
      sink.warning({line, column},
                   "tab character: YAML forbids tabs for indentation and some "
                   "parsers reject them elsewhere; use spaces");
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

}  // namespace pipeline
