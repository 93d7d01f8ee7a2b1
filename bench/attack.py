#!/usr/bin/env python3
"""The hardening review's attacks, all at once, against a real `imagesprint serve` on 127.0.0.1.

Measures what a monitor sees while they run: the server's peak RSS, the slowest /healthz answer
(polled every 100 ms) and the slowest GET /v1/jobs of an innocent user during a sign-up flood.
Every loop is bounded in count and in time; every request goes to 127.0.0.1.

  python3 bench/attack.py --binary build/release/imagesprint [--corpus ../shared/corpus]
"""
import argparse
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import uuid

from service_client import HOST  # noqa: E402  (bench/ is on sys.path when run as a script)
import service_client
DEADLINE = time.monotonic() + 240  # the whole run stops by itself within 4 minutes


def start_server(binary, data):
    return service_client.start_server(
        binary, data, ["--max-connections", "200", "--signups-per-hour", "1000",
                       "--webhook-allow-private"])


def request(port, method, path, body=None, headers=None, timeout=30):
    return service_client.request(port, method, path, body, headers, timeout, errors_as_status=True)


signup = service_client.signup
multipart = service_client.multipart


def raw(port, data, read_for=5.0):
    s = socket.create_connection((HOST, port), timeout=read_for)
    try:
        s.sendall(data)
        got = b""
        end = time.monotonic() + read_for
        while time.monotonic() < end:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        return got
    except OSError:
        return b""
    finally:
        s.close()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Monitor(threading.Thread):
    def __init__(self, port, pid):
        super().__init__(daemon=True)
        self.port, self.pid = port, pid
        self.stop = threading.Event()
        self.peak_rss = 0
        self.slowest_health = 0.0
        self.health_failures = 0

    def run(self):
        while not self.stop.is_set() and time.monotonic() < DEADLINE:
            self.peak_rss = max(self.peak_rss, rss_kib(self.pid))
            t = time.monotonic()
            status, _ = request(self.port, "GET", "/healthz", timeout=5)
            self.slowest_health = max(self.slowest_health, time.monotonic() - t)
            if status != 200:
                self.health_failures += 1
            time.sleep(0.1)


def in_threads(n, fn):
    threads = [threading.Thread(target=fn, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1, DEADLINE - time.monotonic()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/release/imagesprint")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))
    args = ap.parse_args()
    png = open(os.path.join(args.corpus, "edge", "with-alpha.png"), "rb").read()
    with tempfile.TemporaryDirectory() as data:
        proc, port = start_server(args.binary, data)
        try:
            monitor = Monitor(port, proc.pid)
            monitor.start()
            token = signup(port)
            innocent = signup(port)
            auth = {"Authorization": f"Bearer {token}"}
            outcomes = {}

            def note(name, status):
                outcomes.setdefault(name, {}).setdefault(status, 0)
                outcomes[name][status] += 1

            # 1. Deeply nested options in a preview (crashed the process).
            deep = b"[" * 100_000 + b"]" * 100_000
            for _ in range(5):
                body, ctype = multipart([("options", deep)], [("file", b"a.png", png)])
                note("nested options", request(port, "POST", "/v1/preview", body, {**auth, "Content-Type": ctype})[0])

            # 2. 20 unauthenticated 24 MiB preview bodies (were buffered whole before the 401).
            def big(i):
                head = (f"POST /v1/preview HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: multipart/form-data; "
                        f"boundary=x\r\nContent-Length: {24 << 20}\r\n\r\n").encode()
                s = socket.create_connection((HOST, port), timeout=10)
                try:
                    s.sendall(head)
                    chunk = b"\0" * (1 << 20)
                    for _ in range(24):
                        s.sendall(chunk)
                except OSError:
                    pass
                try:
                    note("unauthenticated 24 MiB", int(s.recv(64).split()[1]))
                except (OSError, IndexError, ValueError):
                    note("unauthenticated 24 MiB", "closed")
                s.close()
            in_threads(20, big)

            # 3. Smuggling.
            for coding in (b"gzip", b"xchunked") * 10:
                got = raw(port, b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                          b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2)
                note("smuggling (responses per connection)", got.count(b"HTTP/1.1 "))

            # 4. Invalid UTF-8 names.
            for name in (b"bad \xff\xfe", b"a" * 199 + "é".encode()):
                body, ctype = multipart([("name", name)], [("files", name + b".png", png)])
                note("invalid UTF-8 name", request(port, "POST", "/v1/jobs", body, {**auth, "Content-Type": ctype})[0])

            # 5. Output pixel bomb.
            opts = json.dumps({"width": 16384, "height": 16384, "enlarge": True, "fit": "fill"}).encode()
            body, ctype = multipart([("options", opts)], [("files", b"a.png", png), ("files", b"b.png", png)])
            note("16384x16384 from 1 KB", request(port, "POST", "/v1/jobs", body, {**auth, "Content-Type": ctype})[0])

            # 6. 200 sign-ups at 20 at once, while an innocent user lists jobs.
            slowest_list = [0.0]
            done = threading.Event()

            def lister():
                while not done.is_set() and time.monotonic() < DEADLINE:
                    t = time.monotonic()
                    request(port, "GET", "/v1/jobs", headers={"Authorization": f"Bearer {innocent}"})
                    slowest_list[0] = max(slowest_list[0], time.monotonic() - t)
                    time.sleep(0.05)
            lt = threading.Thread(target=lister, daemon=True)
            lt.start()

            def flood(i):
                for _ in range(10):
                    status, _ = request(port, "POST", "/v1/auth/signup",
                                        json.dumps({"email": f"f{uuid.uuid4().hex}@example.com",
                                                    "password": "long enough password"}),
                                        {"Content-Type": "application/json"})
                    note("signup flood", status)
            in_threads(20, flood)
            done.set()
            lt.join(timeout=5)

            # 7. Slow bodies: 20 uploads that send a byte now and then.
            def slow(i):
                s = socket.create_connection((HOST, port), timeout=40)
                try:
                    s.sendall((f"POST /v1/jobs HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
                               "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n").encode())
                    for _ in range(8):
                        s.sendall(b"-")
                        time.sleep(1)
                except OSError:
                    pass
                s.close()
            in_threads(20, slow)

            # 8. One user's 50 event streams.
            streams = []
            for _ in range(50):
                s = socket.create_connection((HOST, port), timeout=5)
                s.sendall(f"GET /v1/events HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
                try:
                    note("50 event streams", int(s.recv(64).split()[1]))
                except (OSError, IndexError, ValueError):
                    note("50 event streams", "closed")
                streams.append(s)

            # 9. 200 webhooks and a 900 KB URL.
            for i in range(200):
                note("200 webhooks", request(port, "POST", "/v1/webhooks",
                                             json.dumps({"type": "generic", "url": f"http://127.0.0.1:9/{i}"}),
                                             {**auth, "Content-Type": "application/json"})[0])
            note("900 KB webhook URL", request(port, "POST", "/v1/webhooks",
                                               json.dumps({"type": "generic", "url": "http://127.0.0.1:9/" + "a" * 900_000}),
                                               {**auth, "Content-Type": "application/json"})[0])
            for s in streams:
                s.close()

            time.sleep(0.5)
            monitor.stop.set()
            monitor.join(timeout=5)
            t = time.monotonic()
            alive = request(port, "GET", "/healthz", timeout=5)[0] == 200
            final_health = time.monotonic() - t
            print(json.dumps({
                "alive": alive and proc.poll() is None,
                "healthz_after_ms": round(final_health * 1000, 1),
                "slowest_healthz_during_ms": round(monitor.slowest_health * 1000, 1),
                "healthz_failures_during": monitor.health_failures,
                "peak_rss_mib": round(monitor.peak_rss / 1024, 1),
                "slowest_innocent_list_jobs_during_signup_flood_ms": round(slowest_list[0] * 1000, 1),
                "outcomes": outcomes,
            }, indent=2))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
