#!/usr/bin/env python3
"""The service under load: 20 users at once, each posting 5 jobs of 10 corpus images while
keeping its /v1/events stream open and polling its job list.

Starts `imagesprint serve` on a free loopback port (temporary data folder, workers = cores) and
signs up --users users. Each user, in its own thread, opens GET /v1/events (HTTP/1.0: the raw
event text) and then posts its jobs one after the other: POST /v1/jobs, wait on its stream for
that job's `job.completed` or `job.failed`, post the next. Meanwhile `wrk` polls GET /v1/jobs for
every user (one connection per user, one request per --poll-ms each, via bench/load_poll.lua), so
the job-list latency is measured under the conversion load it competes with. The images are
`orientation/Landscape_*.jpg` and `Portrait_*.jpg` from the corpus (600x450 and 450x600 JPEGs),
10 per job, converted to WebP q80 (width 1280, never enlarged).

Reports, from this one command: jobs per minute (jobs / time from the first POST to the last
job's end), job latency p50/p99 (POST sent to its end event received), GET /v1/jobs latency
p50/p99 (wrk), errors (failed or refused requests, failed jobs or images, broken streams, wrk's
errors and non-2xx answers: must be 0), and the server's peak RSS (VmHWM). Every loop is bounded in
count and in time; all traffic goes to 127.0.0.1.

    python3 bench/load.py --binary build/release/imagesprint [--corpus ../shared/corpus]
        [--users 20] [--jobs 5] [--images 10] [--poll-ms 1000]
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import service_client  # noqa: E402
from service_client import HOST  # noqa: E402
from summary import record  # noqa: E402

RUN_SECONDS = 600  # the whole run stops by itself within 10 minutes



def wrk_ms(text):
    """'1.23ms' / '456.00us' / '1.20s' -> milliseconds."""
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


class User(threading.Thread):
    def __init__(self, port, token, jobs, files, options, deadline):
        super().__init__(daemon=True)
        self.port, self.token, self.jobs, self.files = port, token, jobs, files
        self.options, self.deadline = options, deadline
        self.latencies, self.errors, self.ended = [], [], []
        self.first_post = None

    def run(self):
        try:
            self.work()
        except Exception as e:  # noqa: BLE001  (reported as an error of the run)
            self.errors.append(f"{type(e).__name__}: {e}")

    def work(self):
        stream = socket.create_connection((HOST, self.port), timeout=60)
        try:
            stream.sendall((f"GET /v1/events HTTP/1.0\r\nHost: bench\r\nAuthorization: Bearer {self.token}\r\n"
                            "Accept: text/event-stream\r\n\r\n").encode())
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = stream.recv(65536)
                if not chunk:
                    raise RuntimeError("event stream closed before its header")
                buf += chunk
            if not buf.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
                raise RuntimeError(f"event stream refused: {buf[:200]!r}")
            buf = buf.split(b"\r\n\r\n", 1)[1]
            for _ in range(self.jobs):
                body, ctype = service_client.multipart([("options", self.options)], self.files)
                sent = time.monotonic()
                if self.first_post is None:
                    self.first_post = sent
                status, answer = service_client.request(
                    self.port, "POST", "/v1/jobs", body,
                    {"Authorization": f"Bearer {self.token}", "Content-Type": ctype}, timeout=120)
                if status != 201:
                    self.errors.append(f"POST /v1/jobs answered {status}: {answer[:200]!r}")
                    continue
                job_id = json.loads(answer)["id"]
                # Wait on the stream for this job's end.
                outcome = None
                while outcome is None:
                    if time.monotonic() > self.deadline:
                        raise RuntimeError("time is up while waiting for a job")
                    while b"\n\n" not in buf:
                        chunk = stream.recv(65536)
                        if not chunk:
                            raise RuntimeError(f"event stream ended (after {len(self.ended)} jobs, "
                                               f"{time.monotonic() - self.first_post:.1f} s in, "
                                               f"last bytes {buf[-120:]!r})")
                        buf += chunk
                    frame, buf = buf.split(b"\n\n", 1)
                    kind, data = service_client.sse_frame(frame)
                    if kind in ("job.completed", "job.failed"):
                        job = json.loads(data)
                        if job.get("id") == job_id:
                            outcome = job
                now = time.monotonic()
                self.latencies.append((now - sent) * 1000.0)
                self.ended.append(now)
                if outcome.get("status") != "done" or outcome.get("failed", 0) != 0:
                    self.errors.append(f"job {job_id} ended {outcome.get('status')} "
                                       f"({outcome.get('failed')} images failed)")
        finally:
            stream.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/release/imagesprint")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../shared/corpus"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=5)
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--poll-ms", type=int, default=1000, help="each user's GET /v1/jobs interval")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args()
    deadline = time.monotonic() + RUN_SECONDS
    if not shutil.which(args.wrk):
        sys.exit("wrk not found (scripts/install-deps.sh test installs it)")
    folder = os.path.join(args.corpus, "orientation")
    names = sorted(f for f in os.listdir(folder) if f.startswith(("Landscape", "Portrait")))
    files = [("files", f"{k:02d}-{names[k % len(names)]}".encode(),
              open(os.path.join(folder, names[k % len(names)]), "rb").read()) for k in range(args.images)]
    options = json.dumps({"width": 1280, "format": "webp", "quality": 80}).encode()

    data = tempfile.mkdtemp(prefix="imagesprint-load-")
    proc, port = service_client.start_server(
        args.binary, data, ["--signups-per-hour", str(args.users + 10)])
    wrk = None
    server_lines = []  # the server's output after start-up, drained so its pipe never fills
    threading.Thread(target=lambda: server_lines.extend(proc.stdout), daemon=True).start()
    try:
        tokens = []
        for _ in range(args.users):
            token = service_client.signup(port)
            if token is None:
                raise RuntimeError("sign-up refused")
            tokens.append(token)
        users = [User(port, t, args.jobs, files, options, deadline) for t in tokens]
        started = time.monotonic()
        for u in users:
            u.start()
        # wrk polls each user's job list while the users work, stopped when the last user is done.
        env = dict(os.environ, LOAD_TOKENS=",".join(tokens), LOAD_POLL_MS=str(args.poll_ms))
        wrk = subprocess.Popen(
            [args.wrk, "-t", "2", "-c", str(args.users), "-d", f"{RUN_SECONDS}s", "--latency",
             "-s", os.path.join(os.path.dirname(os.path.abspath(__file__)), "load_poll.lua"),
             f"http://{HOST}:{port}/v1/jobs"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for u in users:
            u.join(timeout=max(1.0, deadline - time.monotonic()))
        elapsed_end = time.monotonic()
        # SIGINT: wrk stops and prints its report. It installs its handler only once running (a
        # SIGINT before that may be lost when this script was started with SIGINT ignored), so
        # the signal is repeated until it exits, at most 20 times.
        wrk_out = None
        for _ in range(20):
            wrk.send_signal(2)
            try:
                wrk_out, _ = wrk.communicate(timeout=1)
                break
            except subprocess.TimeoutExpired:
                continue
        if wrk_out is None:
            raise RuntimeError("wrk did not stop on SIGINT")
        peak_kib = service_client_peak_rss(proc.pid)
    finally:
        if wrk and wrk.poll() is None:
            wrk.kill()
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    latencies = [l for u in users for l in u.latencies]
    errors = [e for u in users for e in u.errors]
    jobs_done = len(latencies)
    first = min((u.first_post for u in users if u.first_post is not None), default=elapsed_end)
    last = max((t for u in users for t in u.ended), default=elapsed_end)
    per_minute = jobs_done / ((last - first) / 60.0) if last > first else float("nan")

    def wrk_field(pattern):
        m = re.search(pattern, wrk_out)
        return m.group(1) if m else None
    requests = wrk_field(r"(\d+) requests in")
    p50 = wrk_field(r"\n\s+50%\s+(\S+)")
    p99 = wrk_field(r"\n\s+99%\s+(\S+)")
    socket_errors = wrk_field(r"Socket errors: ([^\n]+)")
    non2xx = wrk_field(r"Non-2xx or 3xx responses: (\d+)")
    if socket_errors:
        errors.append(f"wrk socket errors: {socket_errors}")
    if non2xx:
        errors.append(f"wrk: {non2xx} non-2xx answers")
    if p50 is None or p99 is None:
        errors.append("wrk printed no latency distribution:\n" + wrk_out[-800:])
    if jobs_done < args.users * args.jobs:
        errors.append(f"{args.users * args.jobs - jobs_done} jobs did not end")

    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"Load: {args.users} users x {args.jobs} jobs x {args.images} images "
          f"(orientation/ JPEGs to WebP), SSE stream open, GET /v1/jobs every {args.poll_ms} ms "
          f"per user through wrk (load average {load}):")
    print("| jobs | jobs/min | job latency p50 | p99 | GET /v1/jobs p50 | p99 | requests | errors (goal 0) | server peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {jobs_done} | {per_minute:.1f} | {service_client.percentile(latencies, 50) / 1000:.2f} s "
          f"| {service_client.percentile(latencies, 99) / 1000:.2f} s | {wrk_ms(p50) if p50 else float('nan'):.2f} ms "
          f"| {wrk_ms(p99) if p99 else float('nan'):.2f} ms | {requests} | {len(errors)} "
          f"| {peak_kib / 1024:.1f} MiB |")
    name = f"{args.users} users x {args.jobs} jobs x {args.images} images"
    record("load", f"{name}: jobs per minute", f"{per_minute:.1f}", "", "")
    record("load", f"{name}: job latency p50 / p99",
           f"{service_client.percentile(latencies, 50) / 1000:.2f} / "
           f"{service_client.percentile(latencies, 99) / 1000:.2f} s", "", "")
    record("load", "GET /v1/jobs p50 / p99 under that load (wrk)",
           f"{wrk_ms(p50) if p50 else float('nan'):.2f} / {wrk_ms(p99) if p99 else float('nan'):.2f} ms",
           "", "")
    record("load", "errors", str(len(errors)), "0", "met" if not errors else "missed")
    record("load", "server peak RSS", f"{peak_kib / 1024:.1f} MiB", "", "")
    for e in errors[:20]:
        print(f"  error: {e}")
    if errors:
        for line in server_lines[-20:]:
            print(f"  server: {line.rstrip()}")
    return 1 if errors else 0


def service_client_peak_rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
