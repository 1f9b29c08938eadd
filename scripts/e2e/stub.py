#!/usr/bin/python3
"""e2e helper server, run inside the e2e network namespace by scripts/e2e-env:

* POST /config  the Drone configuration extension (DRONE_YAML_ENDPOINT): answers with the
                pipeline file that run-build stored for the build, found through the build
                parameter `e2e_config` (the signature headers are not checked: test only);
* GET  /git/... a read-only "dumb HTTP" git server over --git-root (the sample repository);
* GET  /healthz 200.
"""
import argparse
import functools
import json
import os
import re
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Handler(SimpleHTTPRequestHandler):
    config_dir = "."

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, fmt % args))

    def _reply(self, code, body=b"", ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/healthz":
            return self._reply(200, b"ok\n", "text/plain")
        if self.path.startswith("/git/"):
            self.path = self.path[len("/git"):]
            return super().do_GET()
        return self._reply(404, b"not found\n", "text/plain")

    do_HEAD = do_GET

    def do_POST(self):
        if self.path.split("?")[0] not in ("/config", "/"):
            return self._reply(404, b"not found\n", "text/plain")
        length = int(self.headers.get("Content-Length") or 0)
        try:
            req = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._reply(400, b"bad json\n", "text/plain")
        params = (req.get("build") or {}).get("params") or {}
        name = params.get("e2e_config", "")
        if not re.fullmatch(r"[A-Za-z0-9._-]+", name or ""):
            sys.stderr.write("config: build has no e2e_config parameter: %r\n" % (params,))
            return self._reply(204)
        path = os.path.join(self.config_dir, name + ".yml")
        try:
            with open(path, encoding="utf-8") as f:
                data = f.read()
        except OSError as e:
            sys.stderr.write("config: %s\n" % e)
            return self._reply(204)
        self._reply(200, json.dumps({"data": data, "kind": ""}).encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bind", default="0.0.0.0")
    ap.add_argument("--git-root", required=True)
    ap.add_argument("--config-dir", required=True)
    a = ap.parse_args()
    Handler.config_dir = a.config_dir
    handler = functools.partial(Handler, directory=a.git_root)
    ThreadingHTTPServer((a.bind, a.port), handler).serve_forever()


if __name__ == "__main__":
    main()
