#!/usr/bin/env bash
# Proves the e2e cluster is real (tier B): a busybox pod runs and its log comes back, a
# non-zero exit code is reported, two pods share a bound ReadWriteOnce claim, a pod calls the
# API through the kubernetes Service IP with its ServiceAccount token, a pod clones the sample
# repository from the local git server.
# Run inside the environment:  scripts/e2e-env exec -- test/e2e/cluster_smoke.sh
# (run directly, it re-executes itself that way). Exit 0 = all passed, 77 = skipped (tier A),
# anything else = failed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z ${E2E_INSIDE:-} ]]; then exec "$HERE/../../scripts/e2e-env" exec -- "$0" "$@"; fi
if [[ $E2E_TIER != B ]]; then echo "SKIP: tier A (no real containers: KWOK fakes the node)"; exit 77; fi

NSP=smoke-$(date +%s)-$$
passed=0 failed=0
cleanup() { kubectl delete namespace "$NSP" --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

kubectl create namespace "$NSP" >/dev/null
for i in $(seq 1 120); do
  kubectl -n "$NSP" get serviceaccount default >/dev/null 2>&1 \
    && kubectl -n "$NSP" get configmap kube-root-ca.crt >/dev/null 2>&1 && break
  sleep 0.5
done

# pod NAME IMAGE SCRIPT [extra spec YAML lines (indented 2)] : creates a run-once pod
pod() {
  kubectl -n "$NSP" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: $2
    imagePullPolicy: Never
    command: ["/bin/sh", "-c", $(printf '%s' "$3" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')]
${4:-}
YAML
}
# finish NAME: waits until the pod ended; prints its phase
finish() {
  local ph
  for i in $(seq 1 240); do
    ph=$(kubectl -n "$NSP" get pod "$1" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    [[ $ph == Succeeded || $ph == Failed ]] && { echo "$ph"; return 0; }
    sleep 0.5
  done
  echo "timeout"; kubectl -n "$NSP" describe pod "$1" >&2 || true
}
logs() { kubectl -n "$NSP" logs "$1" 2>&1; }

# 1. a pod runs and its log comes back
pod hello podrunner-e2e/busybox:1 'echo hello-from-pod; uname -s'
ph=$(finish hello); out=$(logs hello)
if [[ $ph == Succeeded && $out == *hello-from-pod* ]]; then ok "busybox pod ran, log came back"
else bad "busybox pod: phase=$ph log=$out"; fi

# 2. exit codes are real
pod exit3 podrunner-e2e/busybox:1 'echo failing; exit 3'
ph=$(finish exit3)
code=$(kubectl -n "$NSP" get pod exit3 -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}')
if [[ $ph == Failed && $code == 3 ]]; then ok "exit code 3 reported"; else bad "exit code: phase=$ph code=$code"; fi

# 3. two pods share a bound ReadWriteOnce claim
kubectl -n "$NSP" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: work}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 16Mi}}
YAML
for i in $(seq 1 120); do
  [[ $(kubectl -n "$NSP" get pvc work -o jsonpath='{.status.phase}') == Bound ]] && break; sleep 0.5
done
vol='  volumes:
  - name: w
    persistentVolumeClaim: {claimName: work}'
mnt='    volumeMounts:
    - {name: w, mountPath: /work}'
pod writer podrunner-e2e/busybox:1 'echo shared-$HOSTNAME > /work/file' "$mnt
$vol"
ph1=$(finish writer)
pod reader podrunner-e2e/busybox:1 'cat /work/file' "$mnt
$vol"
ph2=$(finish reader); out=$(logs reader)
if [[ $(kubectl -n "$NSP" get pvc work -o jsonpath='{.status.phase}/{.status.accessModes[0]}') == Bound/ReadWriteOnce \
      && $ph1 == Succeeded && $ph2 == Succeeded && $out == shared-writer ]]; then
  ok "PVC bound (ReadWriteOnce), second pod read what the first wrote"
else bad "PVC: writer=$ph1 reader=$ph2 log=$out pvc=$(kubectl -n "$NSP" get pvc work -o jsonpath='{.status.phase}')"; fi

# 4. the API through the kubernetes Service IP (kube-proxy), with the ServiceAccount token
pod api podrunner-e2e/tools:1 '
SA=/var/run/secrets/kubernetes.io/serviceaccount
echo "service: $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"
curl -sS -k "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/version" | grep gitVersion
curl -sS --cacert $SA/ca.crt -H "Authorization: Bearer $(cat $SA/token)" -o /dev/null -w "namespaces-as-sa:%{http_code}\n" \
  "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$(cat $SA/namespace)/serviceaccounts/default"'
ph=$(finish api); out=$(logs api)
if [[ $ph == Succeeded && $out == *'"gitVersion": "v1.34'* && $out == *service:\ 10.96.0.1:443* && $out == *namespaces-as-sa:403* ]]; then
  # 403: the token authenticated (as system:serviceaccount:NS:default, which RBAC does not allow to read)
  ok "pod reached the API at the Service IP; its ServiceAccount token authenticated"
else bad "API from pod: phase=$ph log=$out"; fi

# 5. clone the sample repository from the local git server
pod clone podrunner-e2e/tools:1 "git clone -q $E2E_GIT_URL /tmp/r && cat /tmp/r/README && git -C /tmp/r log --oneline | head -1"
ph=$(finish clone); out=$(logs clone)
if [[ $ph == Succeeded && $out == *'hello from the sample repository'* ]]; then ok "pod cloned the sample repository"
else bad "clone: phase=$ph log=$out"; fi

# 6. the tools image's default command clones like a Drone clone step (push, then tag)
sha=$(git ls-remote "$E2E_GIT_URL" refs/heads/main | cut -f1)
env_push="DRONE_WORKSPACE=/drone/src DRONE_REMOTE_URL=$E2E_GIT_URL DRONE_BUILD_EVENT=push DRONE_COMMIT_SHA=$sha DRONE_COMMIT_BRANCH=main DRONE_COMMIT_REF=refs/heads/main"
env_tag="DRONE_WORKSPACE=/drone/src DRONE_REMOTE_URL=$E2E_GIT_URL DRONE_BUILD_EVENT=tag DRONE_COMMIT_SHA=$sha DRONE_COMMIT_REF=refs/tags/v1.0.0 DRONE_TAG=v1.0.0"
pod clonepush podrunner-e2e/tools:1 "env $env_push /usr/local/bin/clone && cd /drone/src && git rev-parse HEAD && git rev-parse --abbrev-ref HEAD"
pod clonetag podrunner-e2e/tools:1 "env $env_tag /usr/local/bin/clone && cd /drone/src && git rev-parse HEAD && test -f README"
ph1=$(finish clonepush); out1=$(logs clonepush); ph2=$(finish clonetag); out2=$(logs clonetag)
if [[ -n $sha && $ph1 == Succeeded && $out1 == *"$sha"*main* && $ph2 == Succeeded && $out2 == *"$sha"* ]]; then
  ok "tools image clone entry checked out the push commit on main and the tag"
else bad "clone entry: push=$ph1 ($out1) tag=$ph2 ($out2)"; fi

echo "cluster smoke: $passed passed, $failed failed"
[[ $failed == 0 ]]
