#pragma once

#include <string>

// Shell-style pattern matching as Go's path/filepath.Match does it, which is what
// Drone uses for `when`/`trigger` conditions and DRONE_LIMIT_REPOS: `*` matches any
// run of characters except '/', `?` one such character, `[a-z]`/`[^a-z]` a class,
// `\x` the character x. A malformed pattern matches nothing.
namespace pipeline {

bool globMatch(const std::string& pattern, const std::string& text);

}  // namespace pipeline
