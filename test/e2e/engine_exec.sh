#!/usr/bin/env bash
# The engine's behaviours on the real cluster, through `podrunner exec` (tier B): parallel
# steps, a host-mode workspace removed at the end, a namespace per stage (drone-), failure:
# ignore, a step on failure, exit 78, a service reached by its name, a secret masked in the
# output and absent from every Pod spec, a missing image failing in under a minute with the
# reason, an OOM kill, and Ctrl-C removing every object of the stage. After each run, nothing
# labelled with the stage may be left in the namespace.
# Run: scripts/e2e-env exec -- test/e2e/engine_exec.sh [NAME...]   (or directly). 77 = skipped.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$ROOT/scripts/e2e-env" exec -- "$0" "$@"; fi
if [[ $E2E_TIER != B ]]; then echo "SKIP: tier A (needs real containers)"; exit 77; fi
PODRUNNER=${PODRUNNER:-$ROOT/build/podrunner}
[[ -x $PODRUNNER ]] || { echo "FAIL: $PODRUNNER does not exist (build the repository first)"; exit 1; }

FIXTURES=$HERE/fixtures/engine
NSP=engine-$(date +%s)-$$
RUNNER=e2e-exec-$$
SECRET_VALUE=e2e-masked-value-$RANDOM$RANDOM
OUT=$(mktemp -d)
passed=0 failed=0
cleanup() { kubectl delete namespace "$NSP" --wait=false >/dev/null 2>&1 || true; rm -rf "$OUT"; }
trap cleanup EXIT
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

kubectl create namespace "$NSP" >/dev/null
for _ in $(seq 1 120); do
  kubectl -n "$NSP" get serviceaccount default >/dev/null 2>&1 && break; sleep 0.5
done

# run NAME [podrunner exec flags...]: runs fixtures/engine/NAME.yml (settings from EXTRA_ENV);
# sets $rc, $log, $took (whole s)
EXTRA_ENV=()
run() {
  local name=$1 start
  shift
  log=$OUT/$name.log
  start=$(date +%s%N)
  env DRONE_NAMESPACE_DEFAULT="$NSP" DRONE_RUNNER_NAME="$RUNNER" \
    DRONE_KUBERNETES_CONFIG="$KUBECONFIG" DRONE_IMAGE_CLONE=podrunner-e2e/tools:1 "${EXTRA_ENV[@]}" \
    "$PODRUNNER" exec "$FIXTURES/$name.yml" --no-color --repo octo/engine "$@" >"$log" 2>&1 \
    && rc=0 || rc=$?
  took=$((($(date +%s%N) - start) / 1000000000))
  echo "--- $name: exit $rc after $took s"
  sed 's/^/    /' "$log"
}
# step NAME: "STATUS EXIT" from the summary table exec prints at the end
step() { awk -v s="$1" 'f && $1 == s {print $2, $3} /^STEP +STATUS/ {f=1}' "$log"; }
# left_behind: the stage's objects still in the namespace after a grace for terminating pods
left_behind() {
  local objects
  for _ in $(seq 1 60); do
    objects=$(kubectl -n "$NSP" get pods,pvc,secrets,services -l "io.drone.runner=$RUNNER" -o name 2>&1)
    [[ -z $objects ]] && return 0
    sleep 0.5
  done
  echo "$objects" | tr '\n' ' '
}
# cleaned NAME: one check that the run NAME left nothing behind
cleaned() {
  local rest
  rest=$(left_behind)
  if [[ -z $rest ]]; then ok "$1: no object left in the namespace"; else bad "$1: left behind: $rest"; fi
}
wanted() { [[ ${#SELECTED[@]} -eq 0 ]] || [[ " ${SELECTED[*]} " == *" $1 "* ]]; }
SELECTED=("$@")

if wanted parallel; then
  run parallel
  if [[ $rc == 0 && $(step left) == "success 0" && $(step right) == "success 0" && $(step join) == "success 0" ]] \
    && grep -q "left saw right running" "$log" && grep -q "right saw left running" "$log"; then
    ok "parallel: two ready steps ran at the same time, the joining step ran after both"
  else bad "parallel: exit $rc, left '$(step left)', right '$(step right)', join '$(step join)'"; fi
  cleaned parallel
fi

if wanted host_workspace; then
  # The kubelet makes the stage's directory under the host path; the stage must remove it.
  hostdir=/var/lib/podrunner-e2e-workspaces/$NSP
  mkdir -p "$hostdir"
  EXTRA_ENV=(DRONE_WORKSPACE_MODE=host DRONE_WORKSPACE_HOST_PATH="$hostdir")
  run parallel
  EXTRA_ENV=()
  rest=$(ls -A "$hostdir")
  if [[ $rc == 0 && $(step join) == "success 0" && -z $rest ]]; then
    ok "host_workspace: the steps shared a node directory, removed at the end"
  else bad "host_workspace: exit $rc, join '$(step join)', left in $hostdir: $rest"; fi
  rm -rf "$hostdir"
  cleaned host_workspace
fi

if wanted namespace_per_stage; then
  # DRONE_NAMESPACE_DEFAULT=drone-: the stage runs in a namespace made for it, gone at the end.
  ( for _ in $(seq 1 60); do kubectl get namespaces -l "io.drone.runner=$RUNNER" -o name 2>/dev/null; sleep 0.25; done ) >"$OUT/namespaces" &
  seen=$!
  EXTRA_ENV=(DRONE_NAMESPACE_DEFAULT=drone-)
  run parallel
  EXTRA_ENV=()
  wait "$seen" || true
  made=$(sort -u "$OUT/namespaces" | head -n 1)
  rest="$made"
  for _ in $(seq 1 120); do
    rest=$(kubectl get namespaces -l "io.drone.runner=$RUNNER" -o name 2>/dev/null)
    [[ -z $rest ]] && break
    sleep 0.5
  done
  if [[ $rc == 0 && $(step join) == "success 0" && $made == namespace/drone-* && -z $rest ]]; then
    ok "namespace_per_stage: the stage ran in ${made#namespace/}, deleted at the end"
  else bad "namespace_per_stage: exit $rc, join '$(step join)', namespace seen '$made', left: $rest"; fi
fi

if wanted failures; then
  run failures
  if [[ $rc == 1 && $(step flaky) == "failure 3" && $(step build) == "failure 1" \
    && $(step deploy) == "skipped 0" && $(step notify) == "success 0" ]] \
    && grep -q "build runs after the ignored failure" "$log" \
    && grep -q "notify sees build status failure" "$log" && ! grep -q "deploy must not run" "$log"; then
    ok "failures: an ignored failure went on, a failure skipped deploy, the on-failure step ran"
  else
    bad "failures: exit $rc, flaky '$(step flaky)', build '$(step build)', deploy '$(step deploy)', notify '$(step notify)'"
  fi
  cleaned failures
fi

if wanted early_exit; then
  run early_exit
  if [[ $rc == 0 && $(step check) == "success 78" && $(step never) == "skipped 0" ]] \
    && ! grep -q "this step must not run" "$log"; then
    ok "early_exit: exit code 78 ended the stage early as a success"
  else bad "early_exit: exit $rc, check '$(step check)', never '$(step never)'"; fi
  cleaned early_exit
fi

if wanted service; then
  run service
  if [[ $rc == 0 && $(step fetch) == "success 0" ]] && grep -q "page served by the web service" "$log"; then
    ok "service: the step reached the service by its name"
  else bad "service: exit $rc, fetch '$(step fetch)'"; fi
  cleaned service
fi

if wanted secret; then
  # While the step runs, every Pod spec of the namespace is read: the value must never be in one.
  ( for _ in $(seq 1 40); do kubectl -n "$NSP" get pods -o json 2>/dev/null; sleep 0.25; done ) >"$OUT/pods.json" &
  specs=$!
  run secret --secret "api_token=$SECRET_VALUE"
  wait "$specs" || true
  if [[ $rc == 0 ]] && grep -q "the token is \*\*\*\*" "$log" && ! grep -qF "$SECRET_VALUE" "$log"; then
    ok "secret: the value is masked in every line of the step's log"
  else bad "secret: exit $rc, masked line missing or value printed"; fi
  if grep -q '"io.drone.step": "leak"' "$OUT/pods.json" && ! grep -qF "$SECRET_VALUE" "$OUT/pods.json"; then
    ok "secret: the step's Pod spec holds a secretKeyRef, never the value"
  else bad "secret: the step's pod was not seen, or its spec holds the value"; fi
  cleaned secret
fi

if wanted missing_image; then
  run missing_image
  if [[ $rc == 1 && $(step missing) == "error 255" ]] && ((took < 60)) \
    && grep -Eq "ErrImagePull|ImagePullBackOff" "$log"; then
    ok "missing_image: failed after $took s with the pull error in the log"
  else bad "missing_image: exit $rc after $took s, missing '$(step missing)'"; fi
  cleaned missing_image
fi

if wanted oom; then
  run oom
  if [[ $rc == 1 && $(step hungry) == "failure 137" ]] && grep -q "OOMKilled" "$log"; then
    ok "oom: the step was OOM-killed and reported with exit code 137 and the reason"
  else bad "oom: exit $rc, hungry '$(step hungry)'"; fi
  cleaned oom
fi

if wanted interrupt; then
  log=$OUT/interrupt.log
  env DRONE_NAMESPACE_DEFAULT="$NSP" DRONE_RUNNER_NAME="$RUNNER" DRONE_KUBERNETES_CONFIG="$KUBECONFIG" \
    "$PODRUNNER" exec "$FIXTURES/interrupt.yml" --no-color --repo octo/engine \
    --secret "api_token=$SECRET_VALUE" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do grep -q "started, sleeping" "$log" && break; sleep 0.5; done
  before=$(kubectl -n "$NSP" get pods,pvc,secrets -l "io.drone.runner=$RUNNER" -o name | wc -l)
  kill -INT "$pid"
  start=$(date +%s)
  wait "$pid" && rc=0 || rc=$?
  took=$(($(date +%s) - start))
  echo "--- interrupt: exit $rc ${took} s after SIGINT, $before objects before"
  sed 's/^/    /' "$log"
  if [[ $rc != 0 && $before -ge 4 && $(step long) == killed* ]]; then
    ok "interrupt: Ctrl-C ended the run in $took s with the step killed"
  else bad "interrupt: exit $rc, $before objects seen before, long '$(step long)'"; fi
  cleaned interrupt
fi

echo "engine on the real cluster: $passed passed, $failed failed"
[[ $failed == 0 && $passed -gt 0 ]]
