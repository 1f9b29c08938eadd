#!/usr/bin/python3
"""Log latency from a step's container to the Drone server (a measurement, not a test).

Runs inside the e2e environment:  scripts/e2e-env exec -- bench/e2e/log_latency.py [SECONDS]
A step prints "tick <uptime>" ten times a second (the kernel's uptime: the container and
this script read the same clock); this script follows the server's live log stream of the
step and takes, for each line, the time it arrived minus the time it was printed.
Prints the count, median, p95 and maximum in milliseconds.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
PIPELINE = """kind: pipeline
type: kubernetes
name: log-latency
clone:
  disable: true
steps:
- name: tick
  image: podrunner-e2e/busybox:1
  commands:
  - i=0; while [ $i -lt %d ]; do echo "tick $(cut -d' ' -f1 /proc/uptime)"; sleep 0.1; i=$((i+1)); done
""" % (SECONDS * 10)


def uptime():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


def api(path):
    req = urllib.request.Request(os.environ["DRONE_SERVER"] + path,
                                 headers={"Authorization": "Bearer " + os.environ["DRONE_TOKEN"]})
    return urllib.request.urlopen(req, timeout=60)


def main():
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write(PIPELINE)
    build = subprocess.Popen([os.path.join(ROOT, "scripts/e2e-env"), "run-build", f.name, "--timeout", "600"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    number = int(build.stdout.readline().split()[2])
    for _ in range(240):
        b = json.load(api("/api/repos/octo/hello/builds/%d" % number))
        steps = [t for s in b.get("stages") or [] for t in s.get("steps") or []]
        if any(t["status"] == "running" for t in steps):
            break
        time.sleep(0.25)
    delays = []
    with api("/api/stream/octo/hello/%d/1/1" % number) as stream:
        for raw in stream:
            line = raw.decode().strip()
            if not line.startswith("data:"):
                continue
            payload = line[5:].strip()
            if payload == "eof" or not payload.startswith("{"):
                break
            now = uptime()
            out = json.loads(payload).get("out", "")
            if out.startswith("tick "):
                delays.append((now - float(out.split()[1])) * 1000)
    build.wait()
    os.unlink(f.name)
    if not delays:
        sys.exit("no line arrived through the live stream (build %d)" % number)
    delays.sort()
    pick = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]
    print("build %d: %d lines followed live; latency ms: median %.0f, p95 %.0f, max %.0f"
          % (number, len(delays), pick(0.5), pick(0.95), delays[-1]))


if __name__ == "__main__":
    main()
