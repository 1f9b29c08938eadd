#!/usr/bin/env bash
# podrunner running in the cluster with only the permissions of rbac/ (tier B of the e2e
# environment, scripts/e2e-env):
#   1. rbac/ applies with server-side dry-run, and the runner's ServiceAccount may do
#      exactly what rbac/README.md lists (kubectl auth can-i, granted and refused);
#   2. the chart, rendered with the image of scripts/image (podrunner-e2e/podrunner:dev) and
#      without RBAC of its own (rbac.create=false), runs podrunner as a pod that
#      authenticates with its ServiceAccount token; a build sent through the Drone server to
#      that runner (node: podrunner: in-cluster) succeeds.
# With --without RESOURCE (e.g. pods/log) the Role lacks that rule: the runner must be refused
# (a "forbidden" line in its log), and the run shows what podrunner needed the rule for.
# Run: scripts/e2e-env exec -- test/e2e/in_cluster.sh (or directly; the environment must be
# up). Prints "SKIP: <why>" and exits 77 when the environment, helm or the daemon is missing
# (the RBAC checks run without the daemon).
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() { echo "SKIP: in_cluster: $*"; exit 77; }
[ -x scripts/e2e-env ] || skip "scripts/e2e-env is not there (e2e issue)"
helm=$(scripts/e2e/helm --path) || skip "helm could not be built from the Go module proxy"
if [ -z "${E2E_TIER:-}" ]; then
  scripts/e2e-env exec -- true >/dev/null 2>&1 || skip "the e2e environment is not up (scripts/e2e-env up)"
  exec scripts/e2e-env exec -- "$0" "$@"
fi
[ "$E2E_TIER" = B ] || skip "tier A: podrunner as a pod needs real containers"

without=""
[ "${1:-}" = "--without" ] && without=$2
namespace=drone target=production sa=system:serviceaccount:drone:podrunner
work=$(mktemp -d)
cleanup() {
  kubectl delete namespace "$namespace" "$target" --ignore-not-found --timeout=180s >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== rbac/ with server-side dry-run"
for ns in "$namespace" "$target"; do  # fresh namespaces: an earlier run's may still be ending
  kubectl delete namespace "$ns" --ignore-not-found --wait=true --timeout=180s >/dev/null
  kubectl create namespace "$ns"
done
kubectl apply --dry-run=server -f rbac/ -f rbac/cluster/ -f rbac/deploy/

echo "== the runner may do what rbac/README.md lists, and nothing else"
kubectl apply -f rbac/serviceaccount.yaml
if [ -n "$without" ]; then
  python3 - "$without" rbac/role.yaml > "$work/role.yaml" <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[2])))
for d in docs:
    if d["kind"] == "Role":
        d["rules"] = [r for r in d["rules"] if sys.argv[1] not in r["resources"]]
yaml.safe_dump_all(docs, sys.stdout)
PY
  kubectl apply -f "$work/role.yaml"
else
  kubectl apply -f rbac/role.yaml
  can() {  # expected namespace verb resource [--subresource=NAME]
    local expected=$1 ns=$2 answer; shift 2
    answer=$(kubectl auth can-i --as="$sa" -n "$ns" "$@" 2>/dev/null || true)
    [ "$answer" = "$expected" ] || { echo "in_cluster: can-i $* in '$ns' is '$answer', expected '$expected'"; exit 1; }
  }
  for verb in create get list watch patch delete deletecollection; do can yes "$namespace" "$verb" pods; done
  can yes "$namespace" get pods --subresource=log
  for verb in create delete deletecollection; do can yes "$namespace" "$verb" secrets; done
  for verb in create delete deletecollection; do can yes "$namespace" "$verb" persistentvolumeclaims; done
  can no "$namespace" get persistentvolumeclaims
  can no "$namespace" create services  # services: are pods reached through hostAliases
  can yes "$namespace" list events
  for verb in get list watch update; do can no "$namespace" "$verb" secrets; done
  can no "$namespace" create pods --subresource=exec
  can no "$namespace" create pods --subresource=attach
  can no "$namespace" update pods
  can no "$namespace" patch deployments.apps
  can no "" create namespaces
  can no default create pods
  kubectl apply -f rbac/deploy/
  sa=system:serviceaccount:$namespace:podrunner-deploy
  for verb in get list watch patch update; do can yes "$target" "$verb" deployments.apps; done
  can no "$target" delete deployments.apps
  can no "$target" get secrets
  can no "$namespace" patch deployments.apps
  sa=system:serviceaccount:$namespace:podrunner
  echo "ok: granted and refused as rbac/README.md says"
fi

[ -x build/podrunner ] || { echo "FAIL: no build/podrunner for the runner image (run scripts/setup)"; exit 1; }

echo "== the runner image of scripts/image"
scripts/image --tag podrunner-e2e/podrunner:dev --output "$work/podrunner.oci.tar"
ctr -a "${E2E_CONTAINERD_SOCKET:-/run/podrunner-e2e/containerd/containerd.sock}" -n k8s.io \
  images import "$work/podrunner.oci.tar"

echo "== podrunner as a pod, from the chart, with the rbac/ permissions only"
umask 077  # the values file holds the RPC secret; it goes in no command line
cat > "$work/values.yaml" <<VALUES
image: {repository: podrunner-e2e/podrunner, tag: dev, pullPolicy: Never}
serviceAccount: {create: false, name: podrunner}
rbac: {create: false}
rpcSecret: {value: "$DRONE_RPC_SECRET"}
env:
  DRONE_RPC_PROTO: "$DRONE_RPC_PROTO"
  DRONE_RPC_HOST: "$DRONE_RPC_HOST"
  DRONE_RUNNER_NAME: podrunner-in-cluster
  DRONE_RUNNER_LABELS: "podrunner:in-cluster"
  DRONE_RUNNER_CAPACITY: "2"
  DRONE_DEBUG: "true"
VALUES
# The cluster's own version, so the chart's kubeVersion check sees the real server.
server_version=$(kubectl version -o json | sed -n 's/.*"gitVersion": *"v\([0-9.]*\)".*/\1/p' | tail -n 1)
"$helm" template podrunner charts/podrunner --namespace "$namespace" -f "$work/values.yaml" \
  --kube-version "$server_version" > "$work/podrunner.yaml"
if grep -qE '^kind: (Role|ClusterRole|RoleBinding|ClusterRoleBinding|ServiceAccount)$' "$work/podrunner.yaml"; then
  echo "in_cluster: the rendered chart brings RBAC of its own; this test must use rbac/ only"; exit 1
fi
kubectl apply -f "$work/podrunner.yaml"
kubectl -n "$namespace" rollout status deployment/podrunner --timeout=180s || {
  echo "in_cluster: the runner pod did not become ready:"
  kubectl -n "$namespace" describe pods -l app.kubernetes.io/name=podrunner | tail -30
  kubectl -n "$namespace" logs deployment/podrunner --tail=50 || true
  exit 1
}

echo "== a build through the Drone server, run by the in-cluster runner"
cat > "$work/in-cluster.yml" <<PIPELINE
kind: pipeline
type: kubernetes
name: in-cluster
node:
  podrunner: in-cluster
clone:
  disable: true
steps:
  - name: write
    image: podrunner-e2e/busybox:1
    commands:
      - echo built-in-cluster > artefact.txt
  - name: read
    image: podrunner-e2e/busybox:1
    commands:
      - grep -q built-in-cluster artefact.txt
PIPELINE
status=0
scripts/e2e-env run-build "$work/in-cluster.yml" --timeout 600 > "$work/build.out" 2>&1 || status=$?
cat "$work/build.out"
kubectl -n "$namespace" logs deployment/podrunner > "$work/runner.log" 2>&1 || true
if [ -n "$without" ]; then
  echo "-- without $without: run-build exit status $status; what the runner was refused:"
  grep -i "forbidden" "$work/runner.log" | sed 's/^/   /' | head -20
  grep -qi "forbidden" "$work/runner.log" || { echo "in_cluster: nothing was refused without $without: the rule may be unneeded"; exit 1; }
  exit 0
fi
if [ "$status" -ne 0 ]; then
  echo "in_cluster: the build failed (run-build exit $status); runner log:"; tail -50 "$work/runner.log"; exit 1
fi
# The stage's machine is the name of the runner that accepted it.
number=$(awk '/^BUILD /{print $3; exit}' "$work/build.out")
machine=$(curl -sf -H "Authorization: Bearer $DRONE_TOKEN" \
  "$DRONE_SERVER/api/repos/octo/hello/builds/$number" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["stages"][0]["machine"])')
[ "$machine" = podrunner-in-cluster ] || {
  echo "in_cluster: build $number ran on '$machine', not on the in-cluster runner"; exit 1; }
if grep -qi "forbidden" "$work/runner.log"; then
  echo "in_cluster: the build passed, but the runner was refused something:"; grep -i forbidden "$work/runner.log"; exit 1
fi
echo "ok: podrunner ran the build as a pod with the rbac/ permissions only"
