#!/usr/bin/env python3
"""What idle Server-Sent Events streams cost the server: memory and threads.

Starts `imagesprint serve` on a free loopback port with a temporary data folder, signs up, opens
N streams on /v1/events that then stay idle, and reports the server's resident memory and thread
count before and after (from /proc), plus what /metrics says. The streams are one coroutine each,
so the thread count must not move.

    python3 bench/sse_idle.py [--binary build/release/imagesprint] [--streams 2000]
"""
import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/release/imagesprint")
    parser.add_argument("--streams", type=int, default=2000)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.streams * 2 + 256), hard))

    data = tempfile.mkdtemp(prefix="imagesprint-sse-bench-")
    server = subprocess.Popen(
        [args.binary, "serve", "--listen", "127.0.0.1:0", "--data", data, "--log-level", "warn"],
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
        rss_before = proc_status(server.pid, "VmRSS")
        threads_before = proc_status(server.pid, "Threads")
        request = (f"GET /v1/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                   "Accept: text/event-stream\r\n\r\n").encode()
        for _ in range(args.streams):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(request)
            sockets.append(s)
        for s in sockets:  # every stream answered (headers and the retry line)
            s.settimeout(10)
            s.recv(4096)
        time.sleep(1)
        rss_after = proc_status(server.pid, "VmRSS")
        threads_after = proc_status(server.pid, "Threads")
        metrics = urllib.request.urlopen(base + "/metrics").read().decode()
        gauge = next(l for l in metrics.splitlines() if l.startswith("imagesprint_sse_connections"))
        per_stream = (rss_after - rss_before) / args.streams
        print("| streams | server RSS before (MiB) | after (MiB) | per stream (KiB) | threads before | after | /metrics |")
        print("|---:|---:|---:|---:|---:|---:|---|")
        print(f"| {args.streams} | {rss_before / 1024:.1f} | {rss_after / 1024:.1f} | {per_stream:.1f} "
              f"| {threads_before} | {threads_after} | `{gauge}` |")
    finally:
        for s in sockets:
            s.close()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
