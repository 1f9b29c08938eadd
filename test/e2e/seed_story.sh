#!/usr/bin/env bash
# The seed's story end to end (tier B, real podrunner): a Deployment exists; a build through
# the Drone server clones the sample repository, builds an artifact, and PUTs the Deployment
# with a new image using the step pod's ServiceAccount; the test checks the new image.
# Run: scripts/e2e-env exec -- test/e2e/seed_story.sh   (or directly). Exit 77 = skipped.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENV=$HERE/../../scripts/e2e-env
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$ENV" exec -- "$0" "$@"; fi
if [[ $E2E_TIER != B ]]; then echo "SKIP: tier A (needs real containers)"; exit 77; fi


NSP=default
kubectl -n "$NSP" delete deployment e2e-seed-hello --ignore-not-found >/dev/null
kubectl -n "$NSP" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata: {name: e2e-seed-deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: e2e-seed-deployer}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, update, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: e2e-seed-deployer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-seed-deployer}
subjects:
- {kind: ServiceAccount, name: e2e-seed-deployer}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: e2e-seed-hello}
spec:
  replicas: 0
  selector: {matchLabels: {app: e2e-seed-hello}}
  template:
    metadata: {labels: {app: e2e-seed-hello}}
    spec:
      containers:
      - {name: app, image: "podrunner-e2e/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
YAML

out=$("$ENV" run-build "$HERE/fixtures/seed-story.yml" --timeout 300 2>&1) && rc=0 || rc=$?
echo "$out"
image=$(kubectl -n "$NSP" get deployment e2e-seed-hello -o jsonpath='{.spec.template.spec.containers[0].image}')
if [[ $rc == 0 && $image == podrunner-e2e/tools:1 && $out == *'hello from the sample repository'* ]]; then
  echo "PASS: the build cloned, built and updated the Deployment (image now $image)"
  echo "seed story: 1 passed, 0 failed"
else
  echo "FAIL: run-build exit $rc, Deployment image '$image'"
  echo "seed story: 0 passed, 1 failed"
  exit 1
fi
