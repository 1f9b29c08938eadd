#pragma once

#include <string>

#include "pipeline/finding.h"
#include "pipeline/substitution.h"  // kMaxPipelineFileBytes

// Checks a pipeline file's text before yaml-cpp 0.7.0 reads it, for inputs on which that
// yaml-cpp never returns. Its YAML::LoadAll loops forever, appending empty documents,
// once the next token of a document is a ',' outside any flow collection ([ ] or { }):
// no rule of its parser consumes that token, so every pass starts at the same place.
// Such a comma is never valid YAML. The check follows yaml-cpp's own scanner (flow
// level, indentation, simple keys, scalars, comments) far enough to tell a comma token
// from a comma inside a scalar, so it rejects no text that yaml-cpp would accept.
namespace pipeline {

// True when yaml-cpp may parse `text`. Otherwise reports why, as an error, and returns
// false: the file is too large, holds a control character (yaml-cpp would read a NUL as
// the start of UTF-16 or UTF-32 text and byte 0x04 as the end of the input), starts with
// a UTF-16 or UTF-32 byte order mark, or has a ',' outside [ ] and { }.
bool checkYamlInput(const std::string& text, FindingSink& sink);

}  // namespace pipeline
