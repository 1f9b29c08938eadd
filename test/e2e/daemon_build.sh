#!/usr/bin/env bash
# The daemon against the real Drone server and the real cluster (tier B):
#   many_lines  a step printing 100 000 lines: the server stores every line, in order;
#   cancel      a build cancelled through the server's API stops within 10 s, its steps
#               marked killed, nothing of it left in the namespace;
#   restart     the runner killed with SIGKILL mid-stage and restarted leaves no orphan: its
#               start-up sweep removes the dead stage's pods, claim and secret.
# Run: scripts/e2e-env exec -- test/e2e/daemon_build.sh [NAME...]   (or directly). 77 = skipped.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENV=$HERE/../../scripts/e2e-env
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$ENV" exec -- "$0" "$@"; fi
if [[ $E2E_TIER != B ]]; then echo "SKIP: tier A (needs real containers)"; exit 77; fi

FIXTURES=$HERE/fixtures/daemon
RUN=${E2E_RUN:-/run/podrunner-e2e}
NSP=default
RUNNER=e2e-runner
OUT=$(mktemp -d)
passed=0 failed=0
trap 'rm -rf "$OUT"' EXIT
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
wanted() { [[ ${#SELECTED[@]} -eq 0 ]] || [[ " ${SELECTED[*]} " == *" $1 "* ]]; }
SELECTED=("$@")

# api METHOD PATH [PYTHON-EXPR]: calls the Drone API; prints eval(EXPR) on the JSON (`j`)
api() {
  python3 - "$@" <<'PY'
import json, os, sys, urllib.request
method, path = sys.argv[1], sys.argv[2]
req = urllib.request.Request(os.environ["DRONE_SERVER"] + path, method=method,
                             headers={"Authorization": "Bearer " + os.environ["DRONE_TOKEN"]})
with urllib.request.urlopen(req, timeout=60) as r:
    raw = r.read()
j = json.loads(raw) if raw.strip() else None
if len(sys.argv) > 3:
    print(eval(sys.argv[3]))
PY
}
# step_status BUILD STEP: the step's status as the server has it ("" before it exists)
step_status() {
  api GET "/api/repos/octo/hello/builds/$1" \
    "next((t['status'] for s in j.get('stages') or [] for t in s.get('steps') or [] if t['name'] == '$2'), '')"
}
# objects BUILD: what the runner created for that build and is still in the namespace
objects() {
  kubectl -n "$NSP" get pods,pvc,secrets,services -l "io.drone.runner=$RUNNER,io.drone.build=$1" -o name 2>&1
}
# wait_gone BUILD SECONDS: until nothing of the build is left; sets $rest to what still is
wait_gone() {
  local tries=$(($2 * 4))
  rest="?"
  for _ in $(seq 1 "$tries"); do
    rest=$(objects "$1")
    [[ -z $rest ]] && return 0
    sleep 0.25
  done
}
# start_build FILE LOG: run-build in the background; sets $number once the build exists, $builder
start_build() {
  "$ENV" run-build "$1" --timeout 300 >"$2" 2>&1 &
  builder=$!
  number=""
  for _ in $(seq 1 120); do
    number=$(sed -n '1s/^BUILD octo\/hello \([0-9]*\)$/\1/p' "$2")
    [[ -n $number ]] && return 0
    sleep 0.5
  done
  cat "$2"; return 1
}
# wait_running BUILD STEP: until the server shows the step running (60 s)
wait_running() {
  for _ in $(seq 1 120); do [[ $(step_status "$1" "$2") == running ]] && return 0; sleep 0.5; done
  return 1
}

if wanted many_lines; then
  "$ENV" run-build "$FIXTURES/many_lines.yml" --timeout 300 >"$OUT/many.log" 2>&1 && rc=0 || rc=$?
  number=$(sed -n '1s/^BUILD octo\/hello \([0-9]*\)$/\1/p' "$OUT/many.log")
  head -n 12 "$OUT/many.log"
  stored=$(api GET "/api/repos/octo/hello/builds/$number/logs/1/1" \
    "sum(1 for l in j if l['out'].startswith('line '))")
  in_order=$(api GET "/api/repos/octo/hello/builds/$number/logs/1/1" \
    "[l['out'].strip() for l in j if l['out'].startswith('line ')] == ['line %d' % i for i in range(1, 100001)]")
  if [[ $rc == 0 && $stored == 100000 && $in_order == True ]]; then
    ok "many_lines: the server stored all 100000 lines of the step, in order"
  else bad "many_lines: run-build exit $rc, server stored $stored lines (in order: $in_order)"; fi
fi

if wanted cancel; then
  start_build "$FIXTURES/long_step.yml" "$OUT/cancel.log"
  if wait_running "$number" long; then
    before=$(objects "$number" | wc -l)
    start=$(date +%s%N)
    api DELETE "/api/repos/octo/hello/builds/$number"
    wait_gone "$number" 30
    took=$((($(date +%s%N) - start) / 1000000))
    wait "$builder" || true
    status=$(step_status "$number" long)
    echo "--- cancel: build $number, $before objects before, gone after $took ms, step $status"
    if [[ -z $rest && $took -le 10000 && $before -ge 4 && $status == killed ]]; then
      ok "cancel: cancelled through the server's API, nothing left after $took ms, step killed"
    else bad "cancel: left after $took ms: ${rest//$'\n'/ }; step '$status'"; fi
  else
    kill "$builder" 2>/dev/null || true; cat "$OUT/cancel.log"; bad "cancel: the step never ran"
  fi
fi

if wanted restart; then
  start_build "$FIXTURES/long_step.yml" "$OUT/restart.log"
  if wait_running "$number" long; then
    kill -KILL "$(cat "$RUN/pids/runner")"
    wait "$builder" || true  # run-build sees the runner gone and cancels the build on the server
    before=$(objects "$number" | wc -l)
    "$ENV" restart-runner
    start=$(date +%s)
    wait_gone "$number" 60
    took=$(($(date +%s) - start))
    echo "--- restart: build $number, $before objects left by the killed runner, $took s after restart: ${rest:-none}"
    if [[ $before -ge 4 && -z $rest ]]; then
      ok "restart: the restarted runner swept the $before objects the killed one left, in $took s"
    else bad "restart: $before objects before, still there: ${rest//$'\n'/ }"; fi
  else
    kill "$builder" 2>/dev/null || true; cat "$OUT/restart.log"; bad "restart: the step never ran"
  fi
fi

echo "daemon with the real Drone server: $passed passed, $failed failed"
[[ $failed == 0 && $passed -gt 0 ]]
