#pragma once

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
