#!/usr/bin/python3
"""A STAND-IN for the Drone 2.x server, used by scripts/e2e-env only when the real server
cannot be built (the Go module proxy this machine reaches refuses github.com/drone/*).

It is NOT Drone. It serves, in memory, the runner RPC v2 and the few REST endpoints that
scripts/e2e-env run-build uses, as ../shared/design/drone-protocol.md describes them
(status codes, optimistic locking, BeforeAll/AfterAll, log streams, watch). A runner that passes
against it has passed against this reading of the protocol document, not against Drone: every
test that needs the real server says so and skips.

One repository, octo/hello, owned by the admin user; builds are made by "retry" of a seed build
(POST /api/repos/octo/hello/builds/N), with the pipeline YAML fetched from the configuration
extension (--yaml-endpoint), as the real server does.
"""
import argparse
import base64
import fnmatch
import json
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

LOCK = threading.Condition()
DONE = {"success", "failure", "killed", "error", "skipped", "declined"}
FAILED = {"failure", "killed", "error"}


class Conflict(Exception):
    pass


class ServerError(Exception):
    pass


def now():
    return int(time.time())


class State:
    def __init__(self, args):
        self.args = args
        self.repo = {
            "id": 1, "uid": "1", "user_id": 1, "namespace": "octo", "name": "hello", "slug": "octo/hello",
            "scm": "git", "git_http_url": args.clone_url, "git_ssh_url": "", "link": args.clone_url,
            "default_branch": "main", "private": False, "visibility": "public", "active": True,
            "config_path": ".drone.yml", "trusted": True, "protected": False, "ignore_forks": False,
            "ignore_pull_requests": False, "auto_cancel_pull_requests": False, "auto_cancel_pushes": False,
            "auto_cancel_running": False, "timeout": 60, "counter": 0, "synced": 0, "created": now(),
            "updated": now(), "version": 1, "archived": False,
        }
        self.repo_secret = "0123456789abcdef0123456789abcdef"
        self.builds = {}      # id -> build (without stages)
        self.stages = {}      # id -> stage (without steps)
        self.steps = {}       # id -> step
        self.logs = {}        # step id -> bytes
        self.streams = {}     # step id -> list of lines
        self.secrets = {}     # name -> secret
        self.cancelled = set()
        self.ids = {"build": 0, "stage": 0, "step": 0, "secret": 0}

    def next_id(self, kind):
        self.ids[kind] += 1
        return self.ids[kind]

    # ---- builds -----------------------------------------------------------------------------
    def seed(self, event, branch):
        for b in self.builds.values():
            if b["trigger"] == "@seed" and b["event"] == event and b["target"] == branch:
                return b
        ref = {"tag": "refs/tags/%s" % branch, "pull_request": "refs/pull/1/head"}.get(event, "refs/heads/%s" % branch)
        b = self.new_build({
            "trigger": "@seed", "status": "success", "event": event, "action": "", "link": "",
            "timestamp": 0, "title": "", "message": "seed build of scripts/e2e-env", "before": "",
            "after": self.args.commit, "ref": ref, "source_repo": "", "source": branch, "target": branch,
            "author_login": "octo", "author_name": "Octo", "author_email": "octo@localhost",
            "author_avatar": "", "sender": "octo", "params": {}, "started": now(), "finished": now(),
        })
        if event == "pull_request":
            b["source"] = "feature"
        if event == "promote":
            b["deploy_to"] = branch
        return b

    def new_build(self, fields):
        self.repo["counter"] += 1
        b = dict(fields)
        b.update({"id": self.next_id("build"), "repo_id": 1, "number": self.repo["counter"],
                  "created": now(), "updated": now(), "version": 1})
        self.builds[b["id"]] = b
        return b

    def build_by_number(self, number):
        for b in self.builds.values():
            if b["number"] == number:
                return b
        return None

    def fetch_config(self, build):
        body = json.dumps({"build": build, "repo": self.repo, "token": {"access": "", "refresh": ""}}).encode()
        req = urllib.request.Request(self.args.yaml_endpoint, data=body, method="POST", headers={
            "Accept": "application/vnd.drone.config.v1+json", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            if r.status == 204:
                return None
            return json.loads(r.read() or b"{}").get("data")

    def retry(self, prev, params):
        p = dict(params)
        p.update(prev.get("params") or {})
        build = {k: prev[k] for k in ("event", "action", "link", "timestamp", "title", "message", "before",
                                      "after", "ref", "source_repo", "source", "target", "author_login",
                                      "author_name", "author_email", "author_avatar", "sender")}
        build.update({"trigger": "admin", "parent": prev["number"], "status": "pending", "params": p,
                      "started": 0, "finished": 0})
        if prev.get("deploy_to"):
            build["deploy_to"] = prev["deploy_to"]
        tmp = dict(build, id=0, number=0, repo_id=1, created=now(), updated=now(), version=0)
        data = self.fetch_config(tmp)
        if data is None:
            raise ServerError("configuration extension returned no configuration")
        pipelines = []
        for doc in yaml.safe_load_all(data):
            if not isinstance(doc, dict) or doc.get("kind", "pipeline") != "pipeline":
                continue
            if not trigger_matches(doc.get("trigger") or {}, build):
                continue
            pipelines.append(doc)
        if not pipelines:
            raise ServerError("no matching pipelines")
        b = self.new_build(build)
        for i, doc in enumerate(pipelines, 1):
            plat = doc.get("platform") or {}
            deps = doc.get("depends_on") or []
            trig_status = as_list((doc.get("trigger") or {}).get("status"))
            st = {
                "id": self.next_id("stage"), "repo_id": 1, "build_id": b["id"], "number": i,
                "name": doc.get("name") or "default", "kind": "pipeline", "type": doc.get("type") or "docker",
                "status": "waiting_on_dependencies" if deps else "pending", "errignore": False,
                "exit_code": 0, "machine": "", "os": plat.get("os") or "linux", "arch": plat.get("arch") or "amd64",
                "variant": plat.get("variant") or "", "kernel": plat.get("version") or "",
                "limit": int((doc.get("concurrency") or {}).get("limit") or 0), "started": 0, "stopped": 0,
                "created": now(), "updated": now(), "version": 1,
                "on_success": not trig_status or "success" in trig_status,
                "on_failure": "failure" in trig_status, "depends_on": deps,
                "labels": {str(k): str(v) for k, v in (doc.get("node") or {}).items()},
            }
            self.stages[st["id"]] = st
        return b

    def stages_of(self, build_id):
        return sorted((s for s in self.stages.values() if s["build_id"] == build_id), key=lambda s: s["number"])

    def steps_of(self, stage_id):
        return sorted((s for s in self.steps.values() if s["step_id"] == stage_id), key=lambda s: s["number"])

    def build_json(self, b, with_steps=False):
        out = dict(b)
        out["stages"] = []
        for s in self.stages_of(b["id"]):
            sj = stage_json(s)
            if with_steps:
                sj["steps"] = [step_json(x) for x in self.steps_of(s["id"])]
            out["stages"].append(sj)
        return out

    def cancel(self, b):
        if b["status"] in DONE:
            return
        b["status"] = "killed"; b["finished"] = now(); b["version"] += 1
        self.cancelled.add(b["id"])
        for s in self.stages_of(b["id"]):
            if s["status"] in DONE:
                continue
            s["status"] = "killed" if s["started"] else "skipped"
            s["stopped"] = now(); s["version"] += 1
            for st in self.steps_of(s["id"]):
                if st["status"] in DONE:
                    continue
                st["status"] = "killed" if st.get("started") else "skipped"
                st["exit_code"] = 130; st["stopped"] = now(); st["version"] += 1
                self.streams.pop(st["id"], None)
        LOCK.notify_all()

    # ---- queue ------------------------------------------------------------------------------
    def find_work(self, f):
        for s in sorted(self.stages.values(), key=lambda s: s["id"]):
            if s["status"] != "pending" or s["machine"]:
                continue
            if (f.get("kind") or "pipeline") != (s["kind"] or "pipeline"):
                continue
            if (f.get("type") or "docker") != (s["type"] or "docker"):
                continue
            if any(f.get(k) for k in ("os", "arch", "variant", "kernel")):
                if f.get("os") != s["os"] or f.get("arch") != s["arch"]:
                    continue
                if s["variant"] and f.get("variant") != s["variant"]:
                    continue
                if s["kernel"] and f.get("kernel") != s["kernel"]:
                    continue
            if (f.get("labels") or {}) != (s["labels"] or {}):
                continue
            if s["limit"]:
                same = [x for x in self.stages.values() if x["name"] == s["name"] and x["id"] < s["id"]
                        and x["status"] == "running"]
                if len(same) >= s["limit"]:
                    continue
            return s
        return None

    # ---- stage/step updates -----------------------------------------------------------------
    def update_stage_fields(self, cur, body):
        if int(body.get("version", 0)) != cur["version"]:
            raise Conflict()
        for k in ("status", "errignore", "exit_code", "os", "arch", "variant", "kernel", "machine", "started",
                  "stopped", "created", "on_success", "on_failure"):
            cur[k] = body.get(k, type(cur[k])())
        cur["error"] = (body.get("error") or "")[:500]
        cur["depends_on"] = body.get("depends_on") or []
        cur["labels"] = body.get("labels") or {}
        cur["updated"] = now()
        cur["version"] += 1

    def update_step_fields(self, cur, body):
        if int(body.get("version", 0)) != cur["version"]:
            raise Conflict()
        for k in ("name", "status", "errignore", "exit_code", "started", "stopped", "depends_on", "image",
                  "detached", "schema"):
            if k in body:
                cur[k] = body[k]
            elif k in ("started", "stopped", "exit_code"):
                cur[k] = 0
        cur["error"] = (body.get("error") or "")[:500]
        cur["version"] += 1

    def before_all(self, body):
        cur = self.stages.get(int(body.get("id", 0)))
        if cur is None:
            raise ServerError("sql: no rows in result set")
        numbers = {s["number"] for s in self.steps_of(cur["id"])}
        for st in body.get("steps") or []:
            if st.get("number") in numbers:
                raise ServerError("UNIQUE constraint failed: steps.step_stage_id, steps.step_number")
        self.update_stage_fields(cur, body)
        steps = []
        for st in body.get("steps") or []:
            new = {"id": self.next_id("step"), "step_id": cur["id"], "number": st.get("number", 0),
                   "name": st.get("name", ""), "status": st.get("status", "pending"),
                   "error": (st.get("error") or "")[:500], "errignore": st.get("errignore", False),
                   "exit_code": st.get("exit_code", 0), "started": st.get("started", 0),
                   "stopped": st.get("stopped", 0), "version": 1, "depends_on": st.get("depends_on") or [],
                   "image": st.get("image", ""), "detached": st.get("detached", False),
                   "schema": st.get("schema", "")}
            self.steps[new["id"]] = new
            steps.append(step_json(new))
        b = self.builds[cur["build_id"]]
        if b["status"] == "pending":
            b["status"] = "running"; b["started"] = now(); b["version"] += 1
        out = stage_json(cur)
        out["steps"] = steps
        return out

    def after_all(self, body):
        cur = self.stages.get(int(body.get("id", 0)))
        if cur is None:
            raise ServerError("sql: no rows in result set")
        for st in body.get("steps") or []:
            s = self.steps.get(int(st.get("id", 0)))
            if s is None:
                raise ServerError("sql: no rows in result set")
            self.update_step_fields(s, st)
        self.update_stage_fields(cur, body)
        for s in self.steps_of(cur["id"]):
            self.streams.pop(s["id"], None)
        self.after_stage(cur)
        out = stage_json(cur)
        out["steps"] = [step_json(s) for s in self.steps_of(cur["id"])]
        return out

    def after_stage(self, cur):
        siblings = self.stages_of(cur["build_id"])
        by_name = {s["name"]: s for s in siblings}
        changed = True
        while changed:
            changed = False
            for s in siblings:
                if s["status"] != "waiting_on_dependencies":
                    continue
                deps = [by_name[d] for d in s["depends_on"] if d in by_name]
                if not all(d["status"] in DONE for d in deps):
                    continue
                failed = any(d["status"] in FAILED for d in deps)
                if (failed and not s["on_failure"]) or (not failed and not s["on_success"]):
                    s["status"] = "skipped"
                else:
                    s["status"] = "pending"
                s["version"] += 1; changed = True
        if all(s["status"] not in ("pending", "running", "waiting_on_dependencies", "declined", "blocked")
               for s in siblings):
            b = self.builds[cur["build_id"]]
            status = "success"
            for s in siblings:
                if s["status"] in FAILED:
                    status = s["status"]
                    break
            if b["status"] not in DONE:
                b["status"] = status; b["finished"] = now(); b["version"] += 1
        LOCK.notify_all()


def as_list(v):
    if v is None:
        return []
    return [str(x) for x in (v if isinstance(v, list) else [v])]


def cond_matches(cond, value):
    if cond is None:
        return True
    if isinstance(cond, (str, list)):
        cond = {"include": as_list(cond)}
    inc, exc = as_list(cond.get("include")), as_list(cond.get("exclude"))
    if inc and not any(fnmatch.fnmatch(value, p) for p in inc):
        return False
    return not any(fnmatch.fnmatch(value, p) for p in exc)


def trigger_matches(trig, build):
    branch = build["target"] if build["event"] != "tag" else ""
    return (cond_matches(trig.get("event"), build["event"]) and cond_matches(trig.get("ref"), build["ref"])
            and (build["event"] == "tag" or cond_matches(trig.get("branch"), branch)))


STAGE_OMIT = ("error", "machine", "variant", "kernel", "limit", "depends_on", "labels", "kind", "type")


def stage_json(s):
    out = {k: v for k, v in s.items() if not (k in STAGE_OMIT and not v)}
    return out


def step_json(s):
    return {k: v for k, v in s.items()
            if not (k in ("error", "errignore", "started", "stopped", "depends_on", "image", "detached", "schema")
                    and not v)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

    def reply(self, code, obj=None, raw=None):
        body = raw if raw is not None else (b"" if obj is None else (json.dumps(obj) + "\n").encode())
        self.send_response(code)
        if code != 204:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if code != 204:
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n) if n else b""
        return json.loads(data) if data.strip() else None

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        query = dict(urllib.parse.parse_qsl(url.query))
        try:
            if url.path == "/healthz":
                return self.reply(200, raw=b"")
            if parts[:2] == ["rpc", "v2"]:
                if self.headers.get("X-Drone-Token") != self.state.args.rpc_secret:
                    return self.reply(401, raw=b"")
                return self.rpc(method, parts[2:], query)
            if parts[:1] == ["api"]:
                auth = self.headers.get("Authorization", "")
                token = auth[7:] if auth.startswith("Bearer ") else query.get("access_token", "")
                if token != self.state.args.token:
                    return self.reply(401, {"message": "Unauthorized"})
                return self.api(method, parts[1:], query)
            return self.reply(404, raw=b"404 page not found\n")
        except Conflict:
            return self.reply(409, raw=b"Optimistic Lock Error\n")
        except ServerError as e:
            return self.reply(500, raw=(str(e) + "\n").encode())
        except (ValueError, KeyError, TypeError) as e:
            return self.reply(500, raw=("bad request: %r\n" % (e,)).encode())

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_PATCH(self):
        self.handle_any("PATCH")

    # ---- runner RPC v2 ----------------------------------------------------------------------
    def rpc(self, m, p, q):
        st = self.state
        if m == "POST" and p == ["ping"]:
            return self.reply(200, raw=b"")
        if m == "POST" and p == ["stage"]:
            f = self.body()
            if not isinstance(f, dict):
                raise ServerError("EOF")
            deadline = time.time() + 30
            with LOCK:
                while True:
                    s = st.find_work(f)
                    if s:
                        return self.reply(200, stage_json(s))
                    left = deadline - time.time()
                    if left <= 0:
                        return self.reply(204)
                    LOCK.wait(min(left, 1.0))
        if len(p) == 2 and p[0] == "stage" and m == "POST":
            with LOCK:
                s = st.stages.get(int(p[1]))
                if s is None:
                    raise ServerError("sql: no rows in result set")
                if s["machine"]:
                    raise Conflict()
                s["machine"] = q.get("machine", ""); s["status"] = "pending"; s["updated"] = now()
                s["version"] += 1
                return self.reply(200, stage_json(s))
        if len(p) == 2 and p[0] == "stage" and m == "GET":
            with LOCK:
                s = st.stages.get(int(p[1]))
                if s is None:
                    raise ServerError("sql: no rows in result set")
                b = st.builds[s["build_id"]]
                build = dict(st.build_json(b))
                secrets = [dict(id=x["id"], repo_id=1, name=x["name"], data=x["data"],
                                **({"pull_request": True} if x["pull_request"] else {}))
                           for x in st.secrets.values()
                           if b["event"] != "pull_request" or x["pull_request"]]
                repo = dict(st.repo, secret=st.repo_secret)
            data = st.fetch_config(b) or ""
            a = st.args
            return self.reply(200, {
                "repository": repo, "build": build, "stage": stage_json(s),
                "config": {"Data": base64.b64encode(data.encode()).decode(), "Hash": None},
                "secrets": secrets or None,
                "system": {"proto": "http", "host": a.host, "link": "http://" + a.host, "version": "2.24.0-standin"},
                "netrc": None})
        if len(p) == 2 and p[0] == "stage" and m == "PUT":
            body = self.body()
            with LOCK:
                if body.get("status") in ("pending", "running"):
                    out = st.before_all(body)
                else:
                    out = st.after_all(body)
                LOCK.notify_all()
            return self.reply(200, out)
        if len(p) == 2 and p[0] == "step" and m == "PUT":
            body = self.body()
            with LOCK:
                s = st.steps.get(int(body.get("id", 0)))
                if s is None:
                    raise ServerError("sql: no rows in result set")
                st.update_step_fields(s, body)
                if s["status"] in ("pending", "running"):
                    st.streams[s["id"]] = []
                else:
                    st.streams.pop(s["id"], None)
                return self.reply(200, step_json(s))
        if len(p) == 3 and p[0] == "build" and p[2] == "watch" and m == "POST":
            bid = int(p[1]); deadline = time.time() + 30
            with LOCK:
                while True:
                    if bid in st.cancelled:
                        return self.reply(200, raw=b"")
                    left = deadline - time.time()
                    if left <= 0:
                        return self.reply(204)
                    LOCK.wait(min(left, 1.0))
        if len(p) == 4 and p[0] == "step" and p[2] == "logs" and m == "POST":
            sid = int(p[1])
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with LOCK:
                if p[3] == "batch":
                    if sid not in st.streams:
                        raise ServerError("stream: not found")
                    st.streams[sid].extend(json.loads(raw or b"[]") or [])
                    return self.reply(200, raw=b"")
                if p[3] == "upload":
                    if sid in st.logs:
                        raise ServerError("UNIQUE constraint failed: logs.log_id")
                    st.logs[sid] = raw
                    return self.reply(200, raw=b"")
        if len(p) == 3 and p[0] == "step" and p[2] == "card" and m == "POST":
            self.body()
            return self.reply(200, raw=b"")
        return self.reply(404, raw=b"404 page not found\n")

    # ---- REST API (the part run-build and tests use) ------------------------------------------
    def api(self, m, p, q):
        st = self.state
        if p == ["user"] and m == "GET":
            return self.reply(200, {"id": 1, "login": "admin", "admin": True, "active": True})
        if p[:1] == ["e2e"] and p[1:] == ["seed"] and m == "POST":
            body = self.body() or {}
            with LOCK:
                b = st.seed(body.get("event") or "push", body.get("branch") or "main")
                return self.reply(200, b)
        if len(p) < 3 or p[0] != "repos" or p[1:3] != ["octo", "hello"]:
            return self.reply(404, {"message": "Not Found"})
        p = p[3:]
        if p == [] and m == "GET":
            return self.reply(200, st.repo)
        if p == ["secrets"] and m == "POST":
            body = self.body() or {}
            with LOCK:
                if body.get("name") in st.secrets:
                    return self.reply(400, {"message": "secret already exists"})
                sec = {"id": st.next_id("secret"), "name": body["name"], "data": body.get("data", ""),
                       "pull_request": bool(body.get("pull_request"))}
                st.secrets[sec["name"]] = sec
                return self.reply(200, {"id": sec["id"], "name": sec["name"]})
        if len(p) == 2 and p[0] == "secrets" and m == "PATCH":
            body = self.body() or {}
            with LOCK:
                sec = st.secrets.get(p[1])
                if sec is None:
                    return self.reply(404, {"message": "Not Found"})
                if "data" in body:
                    sec["data"] = body["data"]
                if "pull_request" in body:
                    sec["pull_request"] = bool(body["pull_request"])
                return self.reply(200, {"id": sec["id"], "name": sec["name"]})
        if len(p) >= 2 and p[0] == "builds":
            with LOCK:
                b = st.build_by_number(int(p[1]))
                if b is None:
                    return self.reply(404, {"message": "Not Found"})
                if len(p) == 2 and m == "GET":
                    return self.reply(200, st.build_json(b, with_steps=True))
                if len(p) == 2 and m == "DELETE":
                    st.cancel(b)
                    return self.reply(200, st.build_json(b))
            if len(p) == 2 and m == "POST":
                params = {k: v for k, v in q.items() if k != "access_token"}
                with LOCK:
                    nb = st.retry(b, params)
                    LOCK.notify_all()
                    return self.reply(200, st.build_json(nb))
            if len(p) == 5 and p[2] == "logs" and m == "GET":
                with LOCK:
                    for s in st.stages_of(b["id"]):
                        if s["number"] == int(p[3]):
                            for x in st.steps_of(s["id"]):
                                if x["number"] == int(p[4]) and x["id"] in st.logs:
                                    return self.reply(200, raw=st.logs[x["id"]])
                return self.reply(404, {"message": "Not Found"})
        return self.reply(404, {"message": "Not Found"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", default="0.0.0.0:8080")
    ap.add_argument("--host", required=True, help="DRONE_SERVER_HOST equivalent")
    ap.add_argument("--rpc-secret", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--yaml-endpoint", required=True)
    ap.add_argument("--clone-url", required=True)
    ap.add_argument("--commit", default="")
    a = ap.parse_args()
    Handler.state = State(a)
    host, port = a.listen.rsplit(":", 1)
    srv = ThreadingHTTPServer((host, int(port)), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
