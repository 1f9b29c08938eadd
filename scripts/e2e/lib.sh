# shellcheck shell=bash disable=SC2034
# Common settings for the e2e environment scripts (sourced, not executed).
# Versions are the cache keys: change a version and the next build makes a new cache dir.

E2E_K8S_VERSION=${E2E_K8S_VERSION:-1.34.4}
E2E_ETCD_VERSION=${E2E_ETCD_VERSION:-3.6.16}
E2E_KWOK_VERSION=${E2E_KWOK_VERSION:-0.7.0}
# The Go module proxy serves github.com/drone/drone at v1.10.1 and refuses every 2.x commit
# (403), so the real server here is Drone 1.10.1: the same runner RPC v2 routes as 2.x
# (operator/manager/rpc2), without the card upload that podrunner does not use.
E2E_DRONE_VERSION=${E2E_DRONE_VERSION:-1.10.1}

E2E_CACHE=${E2E_CACHE:-/var/cache/podrunner-e2e}
E2E_LOGS=$E2E_CACHE/logs
E2E_K8S_DIR=$E2E_CACHE/kubernetes-$E2E_K8S_VERSION
E2E_ETCD_DIR=$E2E_CACHE/etcd-$E2E_ETCD_VERSION
E2E_KWOK_DIR=$E2E_CACHE/kwok-$E2E_KWOK_VERSION
E2E_DRONE_DIR=$E2E_CACHE/drone-$E2E_DRONE_VERSION

# Runtime state of one environment (one per machine).
E2E_RUN=${E2E_RUN:-/run/podrunner-e2e}
E2E_NETNS=${E2E_NETNS:-podrunner-e2e}
E2E_NODE_IP=10.200.0.1
E2E_NODE_NAME=e2e-node
E2E_VAR=${E2E_VAR:-/var/lib/podrunner-e2e}

# Go: always the installed toolchain, never a downloaded one; quiet module resolution.
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -mod=mod"

e2e_die() { echo "e2e: error: $*" >&2; exit 1; }
e2e_log() { echo "e2e: $*" >&2; }

# Install Debian packages only when a command/file they provide is missing.
# usage: e2e_need_pkgs "pkg:/path/or/cmd" ...
e2e_need_pkgs() {
  local missing=() spec pkg probe
  for spec in "$@"; do
    pkg=${spec%%:*}; probe=${spec#*:}
    if [[ $probe == /* ]]; then [[ -e $probe ]] && continue
    else command -v "$probe" >/dev/null 2>&1 && continue; fi
    missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  e2e_log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"$E2E_LOGS/apt.log" 2>&1; then
    apt-get update -q >>"$E2E_LOGS/apt.log" 2>&1 || true
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$E2E_LOGS/apt.log" 2>&1 \
      || e2e_die "apt-get install ${missing[*]} failed (see $E2E_LOGS/apt.log)"
  fi
}
