#!/usr/bin/python3
"""Helper of scripts/e2e-env run-build (runs inside the e2e network namespace).

  drone_build.py start  --server URL --token T --seed N --config ID      -> prints the new build number
  drone_build.py secret --server URL --token T NAME=VALUE...             -> creates or updates repo secrets
  drone_build.py wait   --server URL --token T --number N --timeout S --runner-pid P
        waits for the build to end, prints stages, steps, exit codes and logs as the server
        stores them; exit 0 = success, 1 = build not successful, 2 = timeout / runner died.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = "octo/hello"
DONE = {"success", "failure", "killed", "error", "skipped", "declined"}


def call(a, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(a.server + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + a.token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def must(a, method, path, body=None):
    code, raw = call(a, method, path, body)
    if code >= 300:
        sys.exit("run-build: %s %s failed: HTTP %d %s" % (method, path, code, raw.decode(errors="replace").strip()))
    return json.loads(raw) if raw.strip() else None


def cmd_start(a):
    q = urllib.parse.urlencode({"e2e_config": a.config})
    b = must(a, "POST", "/api/repos/%s/builds/%d?%s" % (REPO, a.seed, q))
    if not b or not b.get("number"):
        sys.exit("run-build: the server created no build (response: %r)" % (b,))
    print(b["number"])


def cmd_secret(a):
    for kv in a.pairs:
        name, _, value = kv.partition("=")
        code, raw = call(a, "POST", "/api/repos/%s/secrets" % REPO,
                         {"name": name, "data": value, "pull_request": True})
        if code >= 300:
            must(a, "PATCH", "/api/repos/%s/secrets/%s" % (REPO, urllib.parse.quote(name)),
                 {"data": value, "pull_request": True})


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def report(a, b):
    print("build %s #%d: %s" % (REPO, b["number"], b["status"]))
    for s in b.get("stages") or []:
        print("stage %d %s: %s (exit code %d)%s" % (s["number"], s["name"], s["status"], s.get("exit_code", 0),
                                                 (" error: " + s["error"]) if s.get("error") else ""))
        for st in s.get("steps") or []:
            print("  step %d %s: %s (exit code %d)%s" % (st["number"], st["name"], st["status"],
                                                       st.get("exit_code", 0),
                                                       (" error: " + st["error"]) if st.get("error") else ""))
        for st in s.get("steps") or []:
            code, raw = call(a, "GET", "/api/repos/%s/builds/%d/logs/%d/%d" % (REPO, b["number"], s["number"],
                                                                               st["number"]))
            print("--- log of step %s (stage %s) ---" % (st["name"], s["name"]))
            if code != 200:
                print("(no log stored: HTTP %d)" % code)
                continue
            try:
                lines = json.loads(raw) or []
            except ValueError:
                print("(stored log is not a JSON array of lines: %r)" % raw[:200])
                continue
            for line in lines:
                sys.stdout.write(line.get("out", ""))
            if lines and not lines[-1].get("out", "").endswith("\n"):
                sys.stdout.write("\n")
    sys.stdout.flush()


def cmd_wait(a):
    deadline = time.time() + a.timeout
    path = "/api/repos/%s/builds/%d" % (REPO, a.number)
    while True:
        b = must(a, "GET", path)
        if b["status"] in DONE:
            report(a, b)
            return 0 if b["status"] == "success" else 1
        if a.runner_pid and not alive(a.runner_pid):
            call(a, "DELETE", path)
            report(a, must(a, "GET", path))
            print("run-build: the podrunner daemon (pid %d) exited while build %d was %s; build cancelled"
                  % (a.runner_pid, a.number, b["status"]), file=sys.stderr)
            return 2
        if time.time() > deadline:
            call(a, "DELETE", path)
            report(a, must(a, "GET", path))
            print("run-build: build %d did not end within %ds (status %s); build cancelled"
                  % (a.number, a.timeout, b["status"]), file=sys.stderr)
            return 2
        time.sleep(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["start", "secret", "wait"])
    ap.add_argument("--server", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--config")
    ap.add_argument("--number", type=int)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--runner-pid", type=int, default=0)
    ap.add_argument("pairs", nargs="*")
    a = ap.parse_intermixed_args()
    sys.exit({"start": cmd_start, "secret": cmd_secret, "wait": cmd_wait}[a.cmd](a) or 0)


if __name__ == "__main__":
    main()
