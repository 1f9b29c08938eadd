#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/manifest.h"

// Small helpers over yaml-cpp nodes that the manifest parser needs: where a node is,
// a map's entries with YAML merge keys (`<<: *anchor`) applied, and Drone's encoding
// of arbitrary values as strings.
namespace pipeline::yaml {

Position positionOf(const YAML::Node& node);
Position positionOf(const YAML::Mark& mark);

// The entries of a map in file order; `<<` merges the keys of a map (or of a list of
// maps) that the map does not set itself, as YAML 1.1 merge keys do.
std::vector<std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map);

// A scalar written without quotes whose text is a YAML boolean, number or null.
bool isPlainTyped(const YAML::Node& scalar);

// The number of nodes in `node` with every alias written out in full (so, in a map, its
// keys and values), counted up to `limit`: more than `limit` returns limit + 1. Aliases
// let a small file stand for an exponentially large (or, with an alias inside its own
// anchor, endless) tree, and every walk over the tree pays for its written-out size.
std::size_t expandedSize(const YAML::Node& node, std::size_t limit);

// JSON text of any node: maps as objects (keys sorted, as Go's encoder does), lists as
// arrays, plain booleans/numbers/null as themselves, everything else as strings.
std::string toJson(const YAML::Node& node);

}  // namespace pipeline::yaml
