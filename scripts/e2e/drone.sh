# shellcheck shell=bash
# Drone server, podrunner daemon and run-build for scripts/e2e-env (sourced by it).
#
# The Drone server is the real one (Drone 1.10.1 from the Go module proxy, -tags nolimit,
# built by scripts/e2e/build); there is no stand-in.

DRONE_BIN=$E2E_DRONE_DIR/bin/drone-server
SQLITE_DB=$RUN/drone/drone.sqlite

drone_api_ready() { inns curl -sf "http://$NODE_IP:$DRONE_PORT/healthz"; }

sql() { sqlite3 -cmd ".timeout 10000" "$SQLITE_DB" "$@"; }

drone_up() {
  [[ -x $DRONE_BIN ]] || die "the Drone server is not built ($DRONE_BIN); run scripts/e2e/build drone"
  if ! alive drone; then
    local commit
    commit=$(git --git-dir="$RUN/git/octo/hello.git" rev-parse main)
    mkdir -p "$RUN/drone"
    start drone env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RUN/drone" \
      DRONE_SERVER_HOST="$NODE_IP:$DRONE_PORT" DRONE_SERVER_PROTO=http DRONE_SERVER_PORT=":$DRONE_PORT" \
      DRONE_RPC_SECRET="$RPC_SECRET" DRONE_GOGS_SERVER=http://127.0.0.1:9 \
      DRONE_DATABASE_DRIVER=sqlite3 DRONE_DATABASE_DATASOURCE="$SQLITE_DB" \
      DRONE_YAML_ENDPOINT="http://127.0.0.1:$STUB_PORT/config" DRONE_YAML_SECRET=e2e-yaml-secret \
      DRONE_USER_CREATE="username:admin,admin:true,token:$DRONE_TOKEN_VALUE" \
      DRONE_STATUS_DISABLED=true DRONE_CRON_DISABLED=true DRONE_DATADOG_ENABLED=false \
      DRONE_LOGS_TEXT=true DRONE_LOGS_DEBUG=true "$DRONE_BIN"
    wait_for "Drone server /healthz" 60 drone drone_api_ready
    wait_for "Drone database migrations" 30 drone sql "SELECT 1 FROM repos LIMIT 0;"
    wait_for "the admin user" 30 drone test -n "$(sql "SELECT user_id FROM users WHERE user_login='admin';" 2>/dev/null)"
    # The repository row (there is no SCM to sync it from); public, so netrc is null.
    [[ -n $(sql "SELECT repo_id FROM repos WHERE repo_slug='octo/hello';") ]] || sql "
      INSERT INTO repos (repo_uid,repo_user_id,repo_namespace,repo_name,repo_slug,repo_scm,repo_clone_url,
        repo_ssh_url,repo_html_url,repo_active,repo_private,repo_visibility,repo_branch,repo_counter,repo_config,
        repo_timeout,repo_trusted,repo_protected,repo_synced,repo_created,repo_updated,repo_version,repo_signer,
        repo_secret)
      SELECT '1',user_id,'octo','hello','octo/hello','git','http://$NODE_IP:$STUB_PORT/git/octo/hello.git','',
        'http://$NODE_IP:$STUB_PORT/git/octo/hello.git',1,0,'public','main',0,'.drone.yml',60,1,0,0,
        strftime('%s','now'),strftime('%s','now'),1,'','0123456789abcdef0123456789abcdef'
      FROM users WHERE user_login='admin';" || die "inserting the repository row into $SQLITE_DB failed"
    echo "$commit" >"$RUN/drone/commit"
    say "DRONE: real (Drone $E2E_DRONE_VERSION, -tags nolimit) at http://$NODE_IP:$DRONE_PORT"
  fi
  grep -qw drone "$RUN/daemons" || echo drone >>"$RUN/daemons"
}

# seed_build EVENT BRANCH: prints the number of a finished build with that event and branch,
# which run-build "retries" (the server then makes a new build exactly as from a webhook).
seed_build() {
  local ev=$1 br=$2 ref n commit
  case $ev in
    tag) ref="refs/tags/$br" ;;
    pull_request) ref="refs/pull/1/head" ;;
    *) ref="refs/heads/$br" ;;
  esac
  n=$(sql "SELECT build_number FROM builds WHERE build_repo_id=(SELECT repo_id FROM repos WHERE repo_slug='octo/hello')
           AND build_trigger='@seed' AND build_event='$ev' AND build_target='$br';")
  if [[ -z $n ]]; then
    commit=$(cat "$RUN/drone/commit")
    sql "BEGIN;
      UPDATE repos SET repo_counter=repo_counter+1, repo_version=repo_version+1 WHERE repo_slug='octo/hello';
      INSERT INTO builds (build_repo_id,build_trigger,build_number,build_parent,build_status,build_error,build_event,
        build_action,build_link,build_timestamp,build_title,build_message,build_before,build_after,build_ref,
        build_source_repo,build_source,build_target,build_author,build_author_name,build_author_email,
        build_author_avatar,build_sender,build_deploy,build_params,build_started,build_finished,build_created,
        build_updated,build_version)
      SELECT repo_id,'@seed',repo_counter,0,'success','','$ev','','',0,'','seed build of scripts/e2e-env','',
        '$commit','$ref','','$br','$br','octo','Octo','octo@localhost','','octo','$([[ $ev == promote ]] && echo "$br")',
        '{}',strftime('%s','now'),strftime('%s','now'),strftime('%s','now'),strftime('%s','now'),1
      FROM repos WHERE repo_slug='octo/hello';
      COMMIT;" || die "inserting a seed build into $SQLITE_DB failed"
    n=$(sql "SELECT repo_counter FROM repos WHERE repo_slug='octo/hello';")
  fi
  echo "$n"
}

RUNNER_BIN=${E2E_PODRUNNER:-$REPO/build/podrunner}   # E2E_PODRUNNER: another build to run

drone_status_line() {
  say "DRONE: real (Drone $E2E_DRONE_VERSION) at http://$NODE_IP:$DRONE_PORT"
}

runner_status_line() {
  if alive runner; then say "RUNNER: running ($(cat "$RUN/runner.bin" 2>/dev/null) daemon, pid $(cat "$PIDS/runner"))"
  else say "SKIP: podrunner daemon not running: $(cat "$RUN/runner.why" 2>/dev/null || echo unknown)"; fi
}

runner_up() {
  rm -f "$RUN/runner.why"
  if alive runner; then runner_status_line; return 0; fi
  if [[ ! -x $RUNNER_BIN ]]; then
    echo "$RUNNER_BIN does not exist (build the repository first)" >"$RUN/runner.why"
    runner_status_line; return 0
  fi
  echo "$RUNNER_BIN" >"$RUN/runner.bin"
  local extra=()
  [[ -f $HERE/e2e/runner.env ]] && mapfile -t extra < <(grep -v '^[[:space:]]*\(#\|$\)' "$HERE/e2e/runner.env")
  start runner env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RUN" \
    KUBECONFIG="$RUN/admin.kubeconfig" DRONE_KUBERNETES_CONFIG="$RUN/admin.kubeconfig" \
    DRONE_RPC_PROTO=http DRONE_RPC_HOST="$NODE_IP:$DRONE_PORT" DRONE_RPC_SECRET="$RPC_SECRET" \
    DRONE_RUNNER_NAME=e2e-runner DRONE_RUNNER_CAPACITY=2 DRONE_NAMESPACE_DEFAULT=default \
    DRONE_IMAGE_CLONE=podrunner-e2e/tools:1 DRONE_IMAGE_PLACEHOLDER=podrunner-e2e/busybox:1 \
    DRONE_SERVER_PORT=127.0.0.1:3000 \
    "${extra[@]}" "$RUNNER_BIN" daemon
  local i
  for i in $(seq 1 10); do alive runner || break; sleep 0.3; done
  if ! alive runner; then
    {
      echo -n "'$RUNNER_BIN daemon' exited: "
      grep -v '^[[:space:]]*$' "$LOG/runner.log" | tail -n 1 || true
    } | tr -d '\n' >"$RUN/runner.why"
    rm -f "$PIDS/runner"
  fi
  runner_status_line
}

runner_restart() {
  [[ -f $PIDS/runner ]] && kill_pid "$(cat "$PIDS/runner")"
  rm -f "$PIDS/runner"
  runner_up
}

cmd_run_build() {
  local file="" branch=main event=push timeout=600 secrets=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --secret) [[ $# -ge 2 && $2 == *=* ]] || die "--secret needs NAME=VALUE"; secrets+=("$2"); shift 2 ;;
      --secret=*) secrets+=("${1#--secret=}"); shift ;;
      --branch) branch=${2:?--branch needs a value}; shift 2 ;;
      --event) event=${2:?--event needs a value}; shift 2 ;;
      --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
      -*) die "run-build: unknown option $1" ;;
      *) [[ -z $file ]] || die "run-build: only one FILE.yml"; file=$1; shift ;;
    esac
  done
  [[ -n $file ]] || die "usage: $0 run-build FILE.yml [--secret NAME=VALUE]... [--branch B] [--event E] [--timeout S]"
  [[ -r $file ]] || die "run-build: cannot read $file"
  [[ $event =~ ^(push|pull_request|tag|promote|rollback|custom)$ ]] || die "run-build: unsupported event '$event'"
  [[ $branch =~ ^[A-Za-z0-9._/-]+$ ]] || die "run-build: bad branch name '$branch'"
  [[ -f $RUN/up.done ]] && ns_exists || die "run-build: the environment is not up (run: $0 up)"
  alive drone || die "run-build: the Drone server is not running (log: $LOG/drone.log)"
  if ! alive runner; then
    die "run-build: no build was enqueued because the podrunner daemon is not running: $(cat "$RUN/runner.why" 2>/dev/null || echo "see $LOG/runner.log"); fix it and run: $0 restart-runner"
  fi
  local py=(inns /usr/bin/python3 "$HERE/e2e/drone_build.py") srv=(--server "http://$NODE_IP:$DRONE_PORT" --token "$DRONE_TOKEN_VALUE")
  local id seed number rc=0
  mkdir -p "$RUN/configs"
  exec 8>"$RUN/run-build.lock"; flock 8
  id=b$(date +%s%N)$$
  cp "$file" "$RUN/configs/$id.yml"
  if [[ ${#secrets[@]} -gt 0 ]]; then "${py[@]}" secret "${srv[@]}" "${secrets[@]}"; fi
  seed=$(seed_build "$event" "$branch") || die "run-build: could not make the seed build"
  number=$("${py[@]}" start "${srv[@]}" --seed "$seed" --config "$id") || die "run-build: enqueuing the build failed"
  # The real server caches configurations by (repo, created second, event, ref, after...): keep
  # two run-builds out of the same second.
  sleep 1; flock -u 8
  echo "BUILD octo/hello $number"
  "${py[@]}" wait "${srv[@]}" --number "$number" --timeout "$timeout" --runner-pid "$(cat "$PIDS/runner")" || rc=$?
  return "$rc"
}
