#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "pipeline/manifest.h"

// Drone's substitution of `${...}` in the pipeline text before it is parsed (the forms
// of drone/envsubst v1.0.x, which the runners use):
//   ${v}  ${#v}  ${v^} ${v^^} ${v,} ${v,,}  ${v:n} ${v:n:len}
//   ${v#p} ${v##p} ${v%p} ${v%%p}  ${v=d} ${v:=d} ${v:-d}
//   ${v/p/r} ${v//p/r} ${v/#p/r} ${v/%p/r}
// A bare `$v` is left alone; `$$` is a literal `$`; `\\` and `\/` are `\` and `/`
// anywhere in the text (a v1.0.x quirk the runners keep). Unknown variables expand to
// "". Patterns of # and % are globs (glob.h).
namespace pipeline {

// Pipeline files larger than this are refused before parsing (Drone caps a configuration
// its starlark converter generates at 1,000,000 bytes; a .drone.yml of the corpus is at
// most about 50 KB). Substitution stops there too: a variable may be long (a commit
// message), so a short file of many `${...}` could otherwise fill the memory.
inline constexpr std::size_t kMaxPipelineFileBytes = 1000000;

struct SubstitutionError {
  Position pos;  // of the `$` that starts the bad expression
  std::string message;
};

struct SubstitutionResult {
  std::string text;
  std::vector<SubstitutionError> errors;
};

SubstitutionResult substitute(const std::string& text,
                              const std::map<std::string, std::string>& variables);

// A value as it goes into the substitution map: one with a newline is Go-quoted, as
// runner-go does, so the YAML around it stays one line.
std::string substitutionValue(const std::string& value);

}  // namespace pipeline
