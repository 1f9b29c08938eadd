#!/usr/bin/env bash
# Memory of the podrunner daemon with N stages running at once (a measurement, not a test).
# Runs inside the e2e environment: scripts/e2e-env exec -- bench/e2e/concurrent_stages.sh [N]
# Restarts the environment's runner with DRONE_RUNNER_CAPACITY=N (through a temporary
# scripts/e2e/runner.env), enqueues N builds whose step prints a line every 0.1 s for 30 s,
# samples the runner's resident memory while they run, and restores the runner.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
N=${1:-10}
RUN=${E2E_RUN:-/run/podrunner-e2e}
env_file=$ROOT/scripts/e2e/runner.env
[[ ! -e $env_file ]] || { echo "$env_file exists: not overwriting it"; exit 1; }
work=$(mktemp -d)
restore() { rm -f "$env_file"; "$ROOT/scripts/e2e-env" restart-runner >/dev/null; rm -rf "$work"; }
trap restore EXIT
echo "DRONE_RUNNER_CAPACITY=$N" >"$env_file"
"$ROOT/scripts/e2e-env" restart-runner >/dev/null
pid=$(cat "$RUN/pids/runner")
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
idle=$(rss)
cat >"$work/stage.yml" <<'YAML'
kind: pipeline
type: kubernetes
name: busy
clone:
  disable: true
steps:
- name: print
  image: podrunner-e2e/busybox:1
  commands:
  - i=0; while [ $i -lt 300 ]; do echo "line $i of a stage running next to others"; sleep 0.1; i=$((i+1)); done
YAML
for i in $(seq 1 "$N"); do
  "$ROOT/scripts/e2e-env" run-build "$work/stage.yml" --timeout 600 >"$work/build-$i.log" 2>&1 &
done
peak=0 running=0
while [[ -n $(jobs -rp) ]]; do
  now=$(rss)
  ((now > peak)) && peak=$now
  r=$(kubectl get pods -A -l io.drone.runner=e2e-runner --field-selector=status.phase=Running -o name 2>/dev/null | wc -l)
  ((r > running)) && running=$r
  sleep 0.5
done
ok=$(grep -l "^build octo/hello #[0-9]*: success" "$work"/build-*.log | wc -l)
echo "runner RSS: idle $((idle / 1024)) MiB, peak $((peak / 1024)) MiB with up to $running step pods running at once; builds succeeded: $ok of $N"
