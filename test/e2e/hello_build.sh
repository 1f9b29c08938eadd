#!/usr/bin/env bash
# samples/hello.yml through the Drone server and the podrunner daemon (tier B): the build
# succeeds and the step logs the server stored show what the steps printed.
# Run: scripts/e2e-env exec -- test/e2e/hello_build.sh   (or directly). Exit 77 = skipped.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENV=$HERE/../../scripts/e2e-env
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$ENV" exec -- "$0" "$@"; fi
if [[ $E2E_TIER != B ]]; then echo "SKIP: tier A (needs real containers)"; exit 77; fi
out=$("$ENV" run-build "$HERE/../../samples/hello.yml" --timeout 300 2>&1) && rc=0 || rc=$?
echo "$out"
if [[ $rc == 0 && $(head -n 1 <<<"$out") =~ ^BUILD\ octo/hello\ [0-9]+$ && $out == *'written by greet'* ]]; then
  echo "PASS: samples/hello.yml built through the Drone server and podrunner"
else
  echo "FAIL: run-build exit $rc"; exit 1
fi
