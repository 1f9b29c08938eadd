#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/build_context.h"

// The JSON bodies of Drone's runner RPC v2 (drone-protocol.md §3), as plain data,
// with their encoders and decoders. Fields are kept even when podrunner does not use
// them, because stage and step updates must echo back everything the server sent
// (§9 item 9).
namespace podrunner::drone {

struct Step {
  std::int64_t id = 0;
  std::int64_t stageId = 0;  // "step_id" on the wire: the parent stage's id (§9 item 10)
  int number = 0;
  std::string name;
  std::string status;
  std::string error;
  bool errignore = false;
  int exitCode = 0;
  std::int64_t started = 0;
  std::int64_t stopped = 0;
  std::int64_t version = 0;
  std::vector<std::string> dependsOn;
  std::string image;
  bool detached = false;
  std::string schema;
};

struct Stage {
  std::int64_t id = 0;
  std::int64_t repoId = 0;
  std::int64_t buildId = 0;
  int number = 0;
  std::string name;
  std::string kind;
  std::string type;
  std::string status;
  std::string error;
  bool errignore = false;
  int exitCode = 0;
  std::string machine;
  std::string os;
  std::string arch;
  std::string variant;
  std::string kernel;
  int limit = 0;
  int throttle = 0;
  std::int64_t started = 0;
  std::int64_t stopped = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t version = 0;
  bool onSuccess = false;
  bool onFailure = false;
  std::vector<std::string> dependsOn;
  std::map<std::string, std::string> labels;
  std::vector<Step> steps;
};

// What a runner asks /rpc/v2/stage for.
struct Filter {
  std::string kind;
  std::string type;
  std::string os;
  std::string arch;
  std::string variant;
  std::string kernel;
  std::map<std::string, std::string> labels;
};

// One log line: `time` is seconds since the step's log started, `pos` counts from 0.
struct Line {
  int pos = 0;
  std::string out;
  std::int64_t time = 0;
};

// The answer of GET /rpc/v2/stage/{id}.
struct Details {
  pipeline::BuildContext context;
  std::int64_t buildId = 0;  // for /rpc/v2/build/{id}/watch
  Stage stage;
  std::string config;  // the pipeline file, decoded from config.Data
};

// A body that is not the JSON expected; says which field.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Encoders end with a newline, as the Go encoder does. They omit the fields the
// server marks omitempty when they are empty.
std::string encode(const Stage& stage);
std::string encode(const Step& step);
std::string encode(const Filter& filter);
std::string encode(const std::vector<Line>& lines);

Stage decodeStage(const std::string& json);
Step decodeStep(const std::string& json);
Filter decodeFilter(const std::string& json);
std::vector<Line> decodeLines(const std::string& json);
Details decodeDetails(const std::string& json);

}  // namespace podrunner::drone
