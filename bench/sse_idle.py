#!/usr/bin/env python3
"""What idle Server-Sent Events streams cost the server: memory and threads.

Starts `imagesprint serve` on a free loopback port with a temporary data folder, signs up, opens
N streams on /v1/events that then stay idle, and reports the server's resident memory and thread
count before and after (from /proc), plus what /metrics says. The streams are one coroutine each,
so the thread count must not move. Goal (performance issue): 10,000 streams at <= 10 KiB each.

Every stream comes from 127.0.0.1 with one user's token, so the server is started with the
per-address connection limit, the per-user stream limit and the connection limit raised above N
(settings max_connections_per_address, event_streams_per_user, max_connections); every stream
must be answered "200" with its "retry:" line, or the run fails (a 429 or 503 would cost the
server almost nothing and hide the real figure). Both processes need a descriptor per stream:
this script raises its own RLIMIT_NOFILE soft limit, which the server inherits.

"After" is read once the server's resident size has settled (jemalloc returns freed pages
after its decay time, 10 s by default): it is what the streams hold, not the garbage of
opening them. The figure right after opening is printed too.

    python3 bench/sse_idle.py [--binary build/release/imagesprint] [--streams 10000]
"""
import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from summary import record

GOAL_KIB = 10.0
DEADLINE = time.monotonic() + 300  # the whole run stops by itself within 5 minutes


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def settled_rss(pid, seconds):
    """The RSS once it stops falling (checked each second, at most `seconds`)."""
    last = proc_status(pid, "VmRSS")
    for _ in range(int(seconds)):
        time.sleep(1)
        now = proc_status(pid, "VmRSS")
        if now >= last - 64:  # within 64 KiB: settled
            return now
        last = now
    return last


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/release/imagesprint")
    parser.add_argument("--streams", type=int, default=10000)
    parser.add_argument("--settle", type=float, default=15, help="seconds to wait for RSS to settle")
    args = parser.parse_args()
    need = args.streams + 256  # each process: a socket per stream (the server inherits the limit)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        sys.exit(f"RLIMIT_NOFILE hard limit {hard} < {need}: raise it (ulimit -Hn) or use fewer --streams")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need), hard))

    data = tempfile.mkdtemp(prefix="imagesprint-sse-bench-")
    room = str(args.streams + 100)
    server = subprocess.Popen(
        [args.binary, "serve", "--listen", "127.0.0.1:0", "--data", data, "--log-level", "warn",
         "--max-connections", room, "--max-connections-per-address", room,
         "--event-streams-per-user", room],
        stdout=subprocess.PIPE, text=True)
    sockets = []
    try:
        line = server.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        base = f"http://127.0.0.1:{port}"
        signup = urllib.request.Request(
            base + "/v1/auth/signup",
            data=json.dumps({"email": "bench@example.com", "password": "correct horse battery"}).encode(),
            headers={"content-type": "application/json"})
        token = json.load(urllib.request.urlopen(signup))["token"]
        time.sleep(0.5)
        rss_before = settled_rss(server.pid, 5)
        threads_before = proc_status(server.pid, "Threads")
        request = (f"GET /v1/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                   "Accept: text/event-stream\r\n\r\n").encode()
        refused = 0
        # In batches: open, then read each answer, so the listen backlog never overflows.
        batch = 500
        for start in range(0, args.streams, batch):
            if time.monotonic() > DEADLINE:
                sys.exit("time is up before every stream was open")
            opened = []
            for _ in range(min(batch, args.streams - start)):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(request)
                opened.append(s)
            for s in opened:
                s.settimeout(30)
                answer = b""
                while b"retry:" not in answer and len(answer) < 8192:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
                if not answer.startswith(b"HTTP/1.1 200") or b"retry:" not in answer:
                    refused += 1
            sockets.extend(opened)
        if refused:
            sys.exit(f"{refused} of {args.streams} streams were not answered 200 with a retry line")
        rss_opened = proc_status(server.pid, "VmRSS")
        rss_after = settled_rss(server.pid, args.settle)
        threads_after = proc_status(server.pid, "Threads")
        metrics = urllib.request.urlopen(base + "/metrics").read().decode()
        gauge = next(l for l in metrics.splitlines() if l.startswith("imagesprint_sse_connections"))
        per_stream = (rss_after - rss_before) / args.streams
        per_stream_opened = (rss_opened - rss_before) / args.streams
        verdict = "met" if per_stream <= GOAL_KIB else f"**MISSED by {per_stream / GOAL_KIB - 1:.0%}**"
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        print(f"SSE idle streams (load average {load}):")
        print("| streams | server RSS before (MiB) | after, settled (MiB) | per stream (KiB) | "
              f"goal <= {GOAL_KIB:.0f} KiB | per stream right after opening (KiB) | threads before | after | /metrics |")
        print("|---:|---:|---:|---:|---|---:|---:|---:|---|")
        record("sse_idle", f"memory per idle event stream, {args.streams} streams",
               f"{per_stream:.1f} KiB", f"<= {GOAL_KIB:.0f} KiB",
               "met" if per_stream <= GOAL_KIB else f"missed by {per_stream / GOAL_KIB - 1:.0%}")
        print(f"| {args.streams} | {rss_before / 1024:.1f} | {rss_after / 1024:.1f} | {per_stream:.1f} "
              f"| {verdict} | {per_stream_opened:.1f} | {threads_before} | {threads_after} | `{gauge}` |")
    finally:
        for s in sockets:
            s.close()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
