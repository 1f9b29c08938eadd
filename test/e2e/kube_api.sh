#!/usr/bin/env bash
# kube/ alone against the real kube-apiserver: runs the kube_e2e_tests binary (built from
# test/kube/real_api_server_test.cpp) inside the environment. Tier A has no kubelet, so the
# log test ([kubelet]) is skipped there, saying so.
# Run: test/e2e/kube_api.sh [path/to/kube_e2e_tests]   (default build/test/kube/kube_e2e_tests)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$ROOT/scripts/e2e-env" exec -- "$0" "$@"; fi
TESTS=${1:-$ROOT/build/test/kube/kube_e2e_tests}
[[ -x $TESTS ]] || { echo "FAIL: $TESTS does not exist (build the repository first)"; exit 1; }
spec="[e2e]"
if [[ $E2E_TIER != B ]]; then
  echo "SKIP: the [kubelet] tests (log streams): tier A has no kubelet"
  spec="[e2e]~[kubelet]"
fi
"$TESTS" "$spec"
