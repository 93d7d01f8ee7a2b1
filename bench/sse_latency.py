#!/usr/bin/env python3
"""Live progress latency: from the worker recording an image to a client receiving its event,
with 1,000 event streams connected. Goal (performance issue): p99 <= 5 ms.

Starts `imagesprint serve` on a free loopback port (temporary data folder), signs up --users
users who each open one /v1/events stream and post one job of --images small corpus photos, and
one more user who holds the other streams open (--clients in all), idle, as the other visitors of
a busy site would: connected, but not told about these jobs. Streams are HTTP/1.0, so the body is
the raw event text, not chunked. Every `progress` event carries `published_at`, the time (ms) at
which the worker published it, right after the image's database commit.

What is measured, so that the figure is the server's and not this script's:
- The uploads run in a child process (one job after the other, as before), so the process that
  reads the streams never stops reading to send a request body. (Both in one process, every event
  published during the uploads waited until the last upload had been answered: each such event's
  published_at + latency was the same instant, the uploads' end.)
- Each stream socket has SO_TIMESTAMPING (software receive stamps): the kernel stamps the bytes
  as they reach the client's socket, whenever this script gets to read them. "receipt" is that
  stamp minus published_at, and is what the goal is judged on. "read" is the time this script's
  recvmsg() returned them, which adds this process's own wake-up on a machine whose 2 cores it
  shares with the server; it is printed beside.
- published_at is in whole milliseconds (truncated), so each figure is 0 to 1 ms above the real
  latency.
- The server's threads: run-queue wait per time slice (/proc/PID/task/TID/schedstat) during the
  run, by thread name and nice value, shows whether the threads that write the events waited for
  a CPU.
- Other processes' CPU use during the run (/proc/stat, less the server's, redis-server's and this
  script's own): above 0.15 cores the run is flagged, waited out (others quiet for 2 s) and
  measured again, up to 3 runs within --retry-budget seconds; the last run is reported.
Every loop is bounded in count and in time; all traffic goes to 127.0.0.1.

    python3 bench/sse_latency.py --binary build/release/imagesprint [--corpus ../shared/corpus]
        [--clients 1000] [--users 10] [--images 30] [--bus memory|redis] [--worker-nice N]
        [--retry-budget 120]
"""
import argparse
import json
import multiprocessing
import os
import re
import resource
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import service_client  # noqa: E402
from service_client import HOST  # noqa: E402
from summary import record  # noqa: E402

GOAL_P99_MS = 5.0
PUBLISHED_AT = re.compile(r'"published_at":"([^"]+)"')
QUIET_CORES = 0.15  # other processes' CPU use above which a run is flagged as disturbed
RUN_SECONDS = 240  # each run stops by itself within 4 minutes
MAX_RUNS = 3  # a run disturbed by other processes is measured again, at most this many runs in all
# Linux <asm-generic/socket.h>, <linux/net_tstamp.h>: software receive timestamps.
SO_TIMESTAMPING = 37
SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3
SOF_TIMESTAMPING_SOFTWARE = 1 << 4
CMSG_ROOM = socket.CMSG_SPACE(48)  # struct scm_timestamping: three timespecs


def parse_ms(iso):
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp() * 1000.0


def kernel_stamp_ms(ancillary):
    """The software receive stamp (CLOCK_REALTIME, ms) of a recvmsg(), or None."""
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING and len(payload) >= 16:
            sec, nsec = struct.unpack("qq", payload[:16])
            if sec or nsec:
                return sec * 1000.0 + nsec / 1e6
    return None


def upload_jobs(port, tokens, options, job_files, out):
    """The child process: posts each user's job, one after the other; sends back the wall-clock
    times (ms) of the first request and of the last answer, or an error."""
    try:
        first = time.time() * 1000.0
        for token in tokens:
            body, ctype = service_client.multipart([("options", options)], job_files)
            status, answer = service_client.request(port, "POST", "/v1/jobs", body,
                                                    {"Authorization": f"Bearer {token}", "Content-Type": ctype})
            if status != 201:
                out.send(("error", f"POST /v1/jobs answered {status}: {answer[:300]!r}"))
                return
        out.send(("done", (first, time.time() * 1000.0)))
    except Exception as e:  # reported by the parent
        out.send(("error", repr(e)))


def thread_stats(pid):
    """{tid: (name, nice, run ns, run-queue wait ns, time slices)} of a process's threads."""
    out = {}
    task = f"/proc/{pid}/task"
    for tid in os.listdir(task):
        try:
            with open(f"{task}/{tid}/stat") as f:
                stat = f.read()
            with open(f"{task}/{tid}/schedstat") as f:
                run, wait, slices = (int(v) for v in f.read().split()[:3])
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        nice = int(stat[stat.rindex(")") + 2:].split()[16])  # field 19 of proc_pid_stat(5)
        out[tid] = (name, nice, run, wait, slices)
    return out


def thread_waits(before, after):
    """Per (thread name, nice): (threads, CPU ms, run-queue wait ms, slices) between two
    thread_stats()."""
    by_name = {}
    for tid, (name, nice, run, wait, slices) in after.items():
        _, _, run0, wait0, slices0 = before.get(tid, (name, nice, 0, 0, 0))
        n, r, w, s = by_name.get((name, nice), (0, 0.0, 0.0, 0))
        by_name[(name, nice)] = (n + 1, r + (run - run0) / 1e6, w + (wait - wait0) / 1e6, s + slices - slices0)
    return by_name


def redis_command(port, *words):
    """One command to the benchmark's redis-server (RESP over a loopback socket): the reply's
    raw text, enough to print."""
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(b"".join([f"*{len(words)}\r\n".encode()] +
                           [f"${len(w.encode())}\r\n{w}\r\n".encode() for w in words]))
        time.sleep(0.05)
        s.settimeout(1)
        reply = b""
        try:
            while len(reply) < 65536:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
                if reply.endswith(b"\r\n") and len(reply) > 1 and reply[:1] in b"+-:":
                    break
        except socket.timeout:
            pass
        return reply.decode(errors="replace")


def redis_stalls(port):
    """Redis' own latency monitor (LATENCY LATEST): [(event, latest ms, max ms)], e.g. the fsync
    that appendfsync always makes before it sends any reply or published message."""
    parts = [line for line in redis_command(port, "LATENCY", "LATEST").split("\r\n")
             if line and line[0] not in "*$"]
    out = []
    for i in range(0, len(parts) - 3, 4):  # event, time, latest, max (4.x-7.x order)
        out.append((parts[i], parts[i + 2].lstrip(":"), parts[i + 3].lstrip(":")))
    return out


def busy_seconds():
    """CPU seconds the whole machine has spent busy (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    """CPU seconds (user + system) of a process and its threads; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def own_seconds():
    """CPU seconds of this script and its reaped children (the uploader, once joined)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def summary(values):
    p = service_client.percentile
    worst = max(values) if values else float("nan")
    return f"{p(values, 50):.1f} | {p(values, 99):.1f} | {worst:.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/release/imagesprint")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../shared/corpus"))
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--images", type=int, default=30)
    parser.add_argument("--bus", choices=["memory", "redis"], default="memory",
                        help="memory: the embedded bus; redis: queue and events on a redis-server "
                             "this script starts on loopback (tests/support/redis_server.sh), "
                             "as the distributed roles run")
    parser.add_argument("--worker-nice", type=int, default=None,
                        help="the server's worker_nice setting (default: the server's own default); "
                             "0 runs conversions at the IO threads' priority")
    parser.add_argument("--retry-budget", type=float, default=120,
                        help="seconds this invocation may spend waiting for other processes to quiet "
                             "down and measuring again when a run was disturbed (up to 3 runs)")
    args = parser.parse_args()
    budget_end = time.monotonic() + args.retry_budget
    disturbed = []
    for attempt in range(1, MAX_RUNS + 1):
        code, others, report = measure(args)
        if code != 0 or others <= QUIET_CORES or attempt == MAX_RUNS or time.monotonic() >= budget_end:
            if disturbed:
                print(f"(run {attempt}; the earlier runs were disturbed: other processes used "
                      f"{', '.join(f'{d:.2f}' for d in disturbed)} cores)")
            print("\n".join(report))
            if getattr(args, "measured", None):
                p99, others = args.measured
                note = f" (disturbed: others used {others:.2f} cores)" if others > QUIET_CORES else ""
                record("sse_latency", f"event latency p99, {args.clients} streams, {args.bus} bus",
                       f"{p99:.1f} ms{note}", f"<= {GOAL_P99_MS:.0f} ms",
                       "met" if p99 <= GOAL_P99_MS else f"missed by {p99 / GOAL_P99_MS - 1:.0%}")
            return code
        disturbed.append(others)
        wait_for_quiet(budget_end)
    return 1


def wait_for_quiet(until):
    """Waits (in 2-second looks, until `until` at the latest) for the machine to be quiet: the
    other processes using at most QUIET_CORES of it."""
    while time.monotonic() < until:
        start, busy = time.monotonic(), busy_seconds()
        time.sleep(2)
        if (busy_seconds() - busy) / (time.monotonic() - start) <= QUIET_CORES:
            return


def measure(args):
    """One run: (exit code, other processes' CPU use in cores, the report's lines)."""
    report = []
    say = report.append
    deadline = time.monotonic() + RUN_SECONDS
    need = args.clients + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(need, hard)), hard))
    photos = sorted(os.path.join(args.corpus, "orientation", f)
                    for f in os.listdir(os.path.join(args.corpus, "orientation")) if f.startswith("Landscape"))
    files = [(os.path.basename(p).encode(), open(p, "rb").read()) for p in photos]

    data = tempfile.mkdtemp(prefix="imagesprint-sse-latency-")
    room = str(args.clients + 100)
    bus = []
    redis_state = os.path.join(data, "redis.state")
    redis_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/support/redis_server.sh")
    if args.bus == "redis":
        # Production's durability (docs/scaling.md), as bench/queue_bench.sh runs it: with the
        # tests' "always", Redis fsyncs its AOF before it sends any reply or published message,
        # and the disk's fsync time becomes the events' latency.
        env = dict(os.environ)
        env.setdefault("IMAGESPRINT_REDIS_APPENDFSYNC", "everysec")
        subprocess.run(["bash", redis_script, "start", redis_state], check=True, timeout=120,
                       stdout=subprocess.DEVNULL, env=env)
        with open(redis_state) as f:
            values = dict(line.strip().split("=", 1) for line in f if "=" in line)
        bus = ["--queue", f"redis://127.0.0.1:{values['port']}", "--redis-prefix", "bench-latency"]
    try:
        proc, port = service_client.start_server(
            args.binary, data,
            ["--max-connections", room, "--max-connections-per-address", room,
             "--event-streams-per-user", room, "--signups-per-hour", str(args.users + 10), *bus,
             *([] if args.worker_nice is None else ["--worker-nice", str(args.worker_nice)])])
    except BaseException:
        if args.bus == "redis":
            subprocess.run(["bash", redis_script, "stop", redis_state], timeout=120)
        raise
    sel = selectors.EpollSelector()
    streams = []
    uploader = None
    try:
        tokens = []
        for _ in range(args.users):
            token = service_client.signup(port)
            if token is None:
                raise RuntimeError("sign-up refused")
            tokens.append(token)
        idle_user = service_client.signup(port)
        if idle_user is None:
            raise RuntimeError("sign-up refused")
        # Open the streams (the posting users' first); read each answer's header before going on.
        for i in range(args.clients):
            token = tokens[i] if i < args.users else idle_user
            s = socket.create_connection((HOST, port))
            s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                         SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE)
            s.sendall((f"GET /v1/events HTTP/1.0\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                       "Accept: text/event-stream\r\n\r\n").encode())
            streams.append(s)
        buffers = {}
        for s in streams:
            s.settimeout(30)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 16384:
                chunk = s.recv(4096)
                if not chunk:
                    break
                head += chunk
            if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
                raise RuntimeError(f"stream refused: {head[:200]!r}")
            s.setblocking(False)
            buffers[s] = head.split(b"\r\n\r\n", 1)[1]
            sel.register(s, selectors.EVENT_READ)

        options = json.dumps({"width": 320, "format": "jpeg", "quality": 80}).encode()
        job_files = [("files", files[k % len(files)][0], files[k % len(files)][1]) for k in range(args.images)]
        threads_before = thread_stats(proc.pid)
        ours = [proc.pid] + ([int(values["pid"])] if args.bus == "redis" else [])
        if args.bus == "redis":
            redis_command(int(values["port"]), "CONFIG", "SET", "latency-monitor-threshold", "1")
        cpu_before = (time.monotonic(), busy_seconds(), own_seconds(), sum(process_seconds(p) for p in ours))
        # The uploads come from another process: this one only reads the streams.
        results, child_end = multiprocessing.get_context("fork").Pipe(duplex=False)
        uploader = multiprocessing.get_context("fork").Process(
            target=upload_jobs, args=(port, tokens, options, job_files, child_end), daemon=True)
        uploader.start()
        child_end.close()
        sel.register(results, selectors.EVENT_READ)
        uploads = None  # (first request, last answer) in ms, once the uploader reports
        expected = args.users * args.images  # progress deliveries: each posting user's stream, every image
        deliveries = []  # (published_at, kernel's receipt stamp, this process's read time), ms
        ended = 0
        while len(deliveries) < expected and ended < args.users and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1.0):
                s = key.fileobj
                if s is results:
                    kind, value = results.recv()
                    sel.unregister(results)
                    if kind == "error":
                        raise RuntimeError(value)
                    uploads = value
                    continue
                try:
                    chunk, ancillary, _, _ = s.recvmsg(65536, CMSG_ROOM)
                except BlockingIOError:
                    continue
                read_at = time.time() * 1000.0
                if not chunk:
                    sel.unregister(s)
                    ended += 1
                    continue
                received = kernel_stamp_ms(ancillary)
                buf = buffers[s] + chunk
                while b"\n\n" in buf:
                    frame, buf = buf.split(b"\n\n", 1)
                    kind, data = service_client.sse_frame(frame)
                    if kind == "progress":
                        found = PUBLISHED_AT.search(data)
                        if found:
                            deliveries.append((parse_ms(found.group(1)), received, read_at))
                buffers[s] = buf
        threads = thread_waits(threads_before, thread_stats(proc.pid))
        servers_cpu = sum(process_seconds(p) for p in ours)
        uploader.join(timeout=30)
        elapsed = time.monotonic() - cpu_before[0]
        # What processes other than this benchmark's (server, redis-server, this script, the
        # uploader) used of the machine meanwhile, in cores: others' load delays our threads.
        others = max(0.0, (busy_seconds() - cpu_before[1]) - (own_seconds() - cpu_before[2])
                     - (servers_cpu - cpu_before[3])) / elapsed if elapsed > 0 else 0.0
        if uploads is None and results.poll(5):
            kind, value = results.recv()
            if kind == "error":
                raise RuntimeError(value)
            uploads = value
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        missing_stamps = sum(1 for _, received, _ in deliveries if received is None)
        receipt = [(received if received is not None else read) - published
                   for published, received, read in deliveries]
        read = [read - published for published, _, read in deliveries]
        p99 = service_client.percentile(receipt, 99)
        args.measured = (p99, others)
        verdict = "met" if p99 <= GOAL_P99_MS else f"**MISSED by {p99 / GOAL_P99_MS - 1:.0%}**"
        nice = "" if args.worker_nice is None else f", worker_nice {args.worker_nice}"
        say(f"SSE event latency, worker's commit to client's receipt, {args.bus} bus{nice}, {args.clients} "
              f"streams connected, {args.users} posting users (one stream each), load average {load}, "
              f"other processes used {others:.2f} of {os.cpu_count()} cores during the run:")
        say(f"| events | progress events received (expected) | receipt p50 ms | p99 ms | max ms | "
              f"goal p99 <= {GOAL_P99_MS:.0f} ms | read by the client p50 ms | p99 ms | max ms |")
        say("|---|---:|---:|---:|---:|---|---:|---:|---:|")
        say(f"| all | {len(deliveries)} ({expected}) | {summary(receipt)} | {verdict} | {summary(read)} |")
        if uploads is not None:
            during = [i for i, (published, _, _) in enumerate(deliveries) if published <= uploads[1]]
            after = [i for i, (published, _, _) in enumerate(deliveries) if published > uploads[1]]
            for label, chosen in (("published while the uploads ran", during), ("published after them", after)):
                if chosen:
                    say(f"| {label} | {len(chosen)} | {summary([receipt[i] for i in chosen])} | | "
                          f"{summary([read[i] for i in chosen])} |")
            say(f"(uploads: {args.users} jobs of {args.images} images, one after the other from another process, "
                  f"{uploads[1] - uploads[0]:.0f} ms in all)")
        if others > QUIET_CORES:
            say(f"(**disturbed**: other processes used {others:.2f} cores, more than {QUIET_CORES}: their "
                  "threads delay the server's on a machine this small; the figure is not the server's alone)")
        if args.bus == "redis":
            appendfsync = [w for w in redis_command(int(values["port"]), "CONFIG", "GET", "appendfsync").split("\r\n")
                           if w and w[0] not in "*$"][-1:]
            stalls = redis_stalls(int(values["port"]))
            say(f"redis-server (appendfsync {' '.join(appendfsync)}), its own stalls of 1 ms or more during the run "
                f"(LATENCY LATEST: event, latest ms, max ms): "
                + (", ".join(f"{e} {latest}/{worst}" for e, latest, worst in stalls) or "none"))
        if missing_stamps:
            say(f"({missing_stamps} deliveries had no kernel stamp: their read time counts as receipt)")
        say("Server threads during the run (run-queue wait: time runnable but not running):")
        say("| thread name | nice | threads | CPU ms | run-queue wait ms | time slices | wait per slice ms |")
        say("|---|---:|---:|---:|---:|---:|---:|")
        for (name, nice), (n, run, wait, slices) in sorted(threads.items(), key=lambda kv: -kv[1][1]):
            if slices:
                say(f"| {name} | {nice} | {n} | {run:.0f} | {wait:.0f} | {slices} | {wait / slices:.3f} |")
        if len(deliveries) < expected:
            say(f"(incomplete: {expected - len(deliveries)} deliveries missing when the run stopped)")
            return 1, others, report
        return 0, others, report
    finally:
        if uploader is not None and uploader.is_alive():
            uploader.terminate()
            uploader.join(timeout=30)
        for s in streams:
            s.close()
        proc.terminate()
        proc.wait(timeout=30)
        if args.bus == "redis":
            subprocess.run(["bash", redis_script, "stop", redis_state], timeout=120)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
