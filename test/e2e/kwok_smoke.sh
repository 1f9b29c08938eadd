#!/usr/bin/env bash
# Tier A only: the KWOK fake node is Ready, pods are scheduled onto it, run, and end with the exit
# code of their annotation podrunner-e2e/exit-code (test/e2e/kwok/stages.yaml), and deletion
# completes. On tier B the same API runs for real, so this prints SKIP there.
# Run: scripts/e2e-env exec -- test/e2e/kwok_smoke.sh   (or directly). Exit 77 = skipped.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$HERE/../../scripts/e2e-env" exec -- "$0" "$@"; fi
if [[ $E2E_TIER != A ]]; then echo "SKIP: tier B (this checks KWOK's fake statuses; cluster_smoke.sh covers the real node)"; exit 77; fi
NSP=kwok-$(date +%s)-$$
trap 'kubectl delete namespace "$NSP" --wait=false >/dev/null 2>&1 || true' EXIT
kubectl create namespace "$NSP" >/dev/null
for i in $(seq 1 120); do kubectl -n "$NSP" get serviceaccount default >/dev/null 2>&1 && break; sleep 0.5; done
kubectl -n "$NSP" run ok --image=podrunner-e2e/busybox:1 --restart=Never -- true >/dev/null
kubectl -n "$NSP" run bad --image=podrunner-e2e/busybox:1 --restart=Never --annotations=podrunner-e2e/exit-code=3 -- false >/dev/null
end() { for i in $(seq 1 60); do
    p=$(kubectl -n "$NSP" get pod "$1" -o jsonpath='{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}')
    [[ $p == Succeeded/* || $p == Failed/* ]] && { echo "$p"; return; }; sleep 0.5; done; echo "timeout/$p"; }
a=$(end ok); b=$(end bad)
kubectl -n "$NSP" delete pod ok bad --wait=true --timeout=30s >/dev/null
left=$(kubectl -n "$NSP" get pods -o name | wc -l)
if [[ $a == Succeeded/0 && $b == Failed/3 && $left == 0 ]]; then
  echo "PASS: KWOK node ran pods to Succeeded/0 and Failed/3, deletion completed"
else
  echo "FAIL: ok=$a bad=$b pods left=$left"; exit 1
fi
