#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <vector>

#include "pipeline/finding.h"
#include "pipeline/substitution.h"  // kMaxPipelineFileBytes

// Checks a pipeline file's text before yaml-cpp 0.7.0 reads it, for inputs on which that
// yaml-cpp never returns. Its YAML::LoadAll loops forever, appending empty documents,
// once the next token of a document is a ',' outside any flow collection ([ ] or { }):
// no rule of its parser consumes that token, so every pass starts at the same place.
// Such a comma is never valid YAML. The check follows yaml-cpp's own scanner (flow
// level, indentation, simple keys, scalars, comments) far enough to tell a comma token
// from a comma inside a scalar, so it rejects no text that yaml-cpp would accept.
// After yaml-cpp, a second check bounds what its aliases make of the documents.
namespace pipeline {

struct YamlInputCheck {
  bool ok = false;             // yaml-cpp may parse the text
  bool mayHaveAliases = true;  // false: the text has no alias (`*name`), so no node is shared
};

// Whether yaml-cpp may parse `text`. When not, reports why, as an error: the file is too
// large, holds a control character (yaml-cpp would read a NUL as the start of UTF-16 or
// UTF-32 text and byte 0x04 as the end of the input), starts with a UTF-16 or UTF-32 byte
// order mark, or has a ',' outside [ ] and { }.
YamlInputCheck checkYamlInput(const std::string& text, FindingSink& sink);

// A bound on the values of a file with every alias written out, so that aliases of
// aliases cannot make the parser walk (or toJson write) an exponentially large tree.
// The largest file of the corpus (48 KB) has 2,385, so a 1 MB file written alike would
// have about 50,000.
inline constexpr std::size_t kMaxExpandedNodes = 250000;

// After yaml-cpp: true, with an error at the document where the count passes
// kMaxExpandedNodes, when the documents' values with every alias written out are more.
bool reportTooManyValues(const std::vector<YAML::Node>& documents, FindingSink& sink);

}  // namespace pipeline
