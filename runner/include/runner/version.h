#pragma once

namespace podrunner {

const char* versionString();  // the project version, e.g. 0.1.0
const char* gitCommit();      // the commit built from, with -dirty for local changes

}  // namespace podrunner
