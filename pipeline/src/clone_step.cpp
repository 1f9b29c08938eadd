#include "pipeline/clone_step.h"

#include <algorithm>

namespace pipeline {

std::string cloneScript(const CloneSettings& settings) {
  std::string flags = settings.depth > 0 ? "--depth=" + std::to_string(settings.depth) : "";
  if (settings.tags) flags += flags.empty() ? "--tags" : " --tags";
  std::string script = R"(set -e
if [ -n "$DRONE_NETRC_MACHINE" ]; then
  umask 077
  printf 'machine %s\nlogin %s\npassword %s\n' "$DRONE_NETRC_MACHINE" "$DRONE_NETRC_USERNAME" "$DRONE_NETRC_PASSWORD" > "$HOME/.netrc"
  umask 022
fi
unset DRONE_NETRC_MACHINE DRONE_NETRC_USERNAME DRONE_NETRC_PASSWORD DRONE_NETRC_FILE
mkdir -p "$DRONE_WORKSPACE"
cd "$DRONE_WORKSPACE"
git config --global --add safe.directory "$DRONE_WORKSPACE" || true
if [ ! -d .git ]; then
  git init -q
  git remote add origin "$DRONE_REMOTE_URL"
fi
)";
  script += "FLAGS=\"" + flags + "\"\n";
  script += "RETRIES=" + std::to_string(settings.retries < 0 ? 0 : settings.retries) + "\n";
  script += "RETRY_DELAY=" + std::to_string(std::max(0, settings.retryDelaySeconds)) + "\n";
  script += R"(fetch() {
  case "$DRONE_COMMIT_REF" in
    refs/tags/*)
      git fetch $FLAGS origin "+$DRONE_COMMIT_REF:" && git checkout -qf FETCH_HEAD ;;
    refs/pull/*|refs/pull-request/*|refs/merge-requests/*)
      git fetch $FLAGS origin "+refs/heads/$DRONE_COMMIT_BRANCH:" &&
        git checkout -qf -B "$DRONE_COMMIT_BRANCH" FETCH_HEAD &&
        git fetch $FLAGS origin "+$DRONE_COMMIT_REF:" &&
        git merge -q "$DRONE_COMMIT_SHA" ;;
    *)
      if [ -z "$DRONE_COMMIT_BRANCH" ]; then
        git fetch $FLAGS origin && git checkout -qf "$DRONE_COMMIT_SHA"
      elif [ -z "$DRONE_COMMIT_SHA" ]; then
        git fetch $FLAGS origin "+refs/heads/$DRONE_COMMIT_BRANCH:" &&
          git checkout -qf -B "$DRONE_COMMIT_BRANCH" FETCH_HEAD
      else
        git fetch $FLAGS origin "+refs/heads/$DRONE_COMMIT_BRANCH:" &&
          git checkout -qf -B "$DRONE_COMMIT_BRANCH" "$DRONE_COMMIT_SHA"
      fi ;;
  esac
}
attempt=0
until fetch; do
  attempt=$((attempt + 1))
  if [ "$attempt" -gt "$RETRIES" ]; then exit 1; fi
  echo "+ clone failed, retry $attempt of $RETRIES"
  sleep "$RETRY_DELAY"
done
)";
  return script;
}

}  // namespace pipeline
