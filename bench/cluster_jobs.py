#!/usr/bin/env python3
"""Jobs per minute through the whole deployment on this machine, for 1, 2 and 3 workers.

For each worker count, starts the cluster with scripts/cluster.sh (redis-server with AOF,
mariadbd, s3rver, API processes behind haproxy, N `imagesprint worker` with --workers 1 each:
one conversion at a time per worker), signs up three users, converts one small warm-up job,
then posts J jobs of K corpus photos through haproxy (the users in turn) and polls them until
every job is final. It reports jobs per minute and images per second from the first upload to the
last job's end, the same per core the conversions could use, and the CPU time each tier used
(from /proc: the workers, the APIs, haproxy, redis-server, mariadbd, s3rver). The peer, in the
same run: `imagesprint convert` on the same images with the same options, one at a time and
then with as many at once as there are cores: what the engine alone does on these cores.

On a 2-core machine 3 workers share 2 cores, so "per core" divides by min(workers, cores).

    python3 bench/cluster_jobs.py [--binary build/release/imagesprint] [--corpus ../shared/corpus]
        [--workers 1,2,3] [--jobs 6] [--images 16] [--apis 2] [--timeout 300]

Every request goes to 127.0.0.1; every wait is bounded (--timeout per worker count, and the whole
run within 20 minutes); each cluster is stopped whatever happens (its folder,
cluster-data/bench-workers-N, is removed unless --keep).
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

from summary import record
import time
import uuid
from pathlib import Path

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "cluster"))
from cluster import Cluster, call, multipart, request, signup  # noqa: E402

RUN_DEADLINE = time.monotonic() + 1200  # the whole run ends within 20 minutes
FINAL = {"done", "partial", "failed", "canceled", "expired"}
# A seed-style job (the engine benchmark's T2): 1280 px wide WebP q80, a text watermark.
OPTIONS = {"width": 1280, "format": "webp", "quality": 80,
           "watermark": {"type": "text", "text": "ImageSprint", "position": "BOTTOM_RIGHT", "opacity": 0.5}}
CONVERT_ARGS = ["--width", "1280", "--format", "webp", "--quality", "80", "--watermark-text", "ImageSprint",
                "--watermark-position", "BOTTOM_RIGHT", "--watermark-opacity", "0.5"]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process (and of its waited-for children), in seconds; 0 once gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # After the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
        return sum(int(v) for v in fields[11:15]) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def tiers(cluster):
    """{tier: [pid, ...]}: the cluster's processes by role, and its back ends."""
    out = {}
    for key, role in cluster.state.items():
        if key.endswith(".role"):
            out.setdefault(role, []).append(int(cluster.state[key[: -len(".role")] + ".pid"]))
    for name, key in (("redis", "redis_state"), ("mariadb", "mariadb_state")):
        if key in cluster.state:
            for line in open(cluster.state[key]):
                if line.startswith("pid="):
                    out[name] = [int(line.split("=", 1)[1])]
    if "s3_state" in cluster.state:
        out["s3rver"] = [json.load(open(cluster.state["s3_state"]))["pid"]]
    return out


def cpu_by_tier(pids):
    return {tier: sum(cpu_seconds(p) for p in ps) for tier, ps in pids.items()}


def state_file(path):
    return dict(line.rstrip("\n").split("=", 1) for line in open(path) if "=" in line)


def backend_counts(cluster):
    """What the back ends have served so far: Redis commands (all, and EVALSHA: the queue's and
    the bus's scripts) and the database's statements (Questions) and row changes."""
    counts = {}
    port = cluster.state["queue"].rsplit(":", 1)[1].split("/")[0]
    stats = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", port, "INFO", "commandstats"],
                           stdout=subprocess.PIPE, text=True, timeout=10).stdout
    for line in stats.splitlines():
        if line.startswith("cmdstat_"):
            name, _, rest = line[len("cmdstat_"):].partition(":")
            calls = int(rest.split("calls=", 1)[1].split(",", 1)[0])
            counts["redis"] = counts.get("redis", 0) + calls
            if name in ("evalsha", "eval", "publish"):
                counts[f"redis {name}"] = counts.get(f"redis {name}", 0) + calls
    if "mariadb_state" in cluster.state:
        db = state_file(cluster.state["mariadb_state"])
        out = subprocess.run(["mariadb", "--no-defaults", f"--socket={db['socket']}", f"-u{db['user']}",
                              "-N", "-e", "SHOW GLOBAL STATUS"], env={**os.environ, "MYSQL_PWD": db["password"]},
                             stdout=subprocess.PIPE, text=True, timeout=10).stdout
        status = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
        counts["sql statements"] = int(status.get("Questions", 0))
        counts["sql writes"] = sum(int(status.get(k, 0)) for k in ("Com_insert", "Com_update", "Com_delete",
                                                                  "Com_replace", "Com_insert_select"))
        counts["sql commits"] = int(status.get("Com_commit", 0))
    return counts


def load_photos(corpus, count):
    """`count` uploads (name, bytes): every corpus photo in turn, each under a name of its own."""
    folder = os.path.join(corpus, "photos")
    names = sorted(os.listdir(folder))
    data = [(n, open(os.path.join(folder, n), "rb").read()) for n in names]
    return [(f"p{i:02d}-{data[i % len(data)][0]}", data[i % len(data)][1]) for i in range(count)]


def post_job(base, token, files, name):
    body, content_type = multipart([("options", json.dumps(OPTIONS)), ("name", name)], files)
    return call(base, "POST", "/v1/jobs", token, body,
                {"Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())}, expect=201, timeout=300)


def wait_jobs(base, jobs, deadline):
    """Polls every job until each is final: {job id: (its record, when it was seen final)}."""
    ended = {}
    while len(ended) < len(jobs):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(jobs) - len(ended)} job(s) not final in time")
        for job_id, token in jobs.items():
            if job_id in ended:
                continue
            r = request(base, "GET", f"/v1/jobs/{job_id}", token, timeout=30)
            if r.status == 200:
                record = r.json()
                if record["status"] in FINAL:
                    ended[job_id] = (record, time.monotonic())
        time.sleep(0.2)
    return ended


def run_cluster(args, workers, files):
    """One measured run with `workers` worker processes: a dict of figures."""
    cluster = Cluster(f"bench-workers-{workers}", {
        "IMAGESPRINT_WORKERS": args.threads,
        # The users' quotas must not throttle the backlog the run builds.
        "IMAGESPRINT_MAX_ACTIVE_JOBS": max(10, args.jobs),
        "IMAGESPRINT_MAX_QUEUED_IMAGES": max(500, args.jobs * args.images),
    }, workers=workers, apis=args.apis)
    cluster.dir = Path(ROOT) / "cluster-data" / f"bench-workers-{workers}"
    cluster.env["CLUSTER_DIR"] = str(cluster.dir)
    deadline = min(time.monotonic() + args.timeout, RUN_DEADLINE)
    try:
        t = time.monotonic()
        cluster.start()
        started_in = time.monotonic() - t
        base = cluster.url
        tokens = [signup(base) for _ in range(3)]
        # Warm-up: every worker's first conversion (libvips start-up, fonts) stays out of the figures.
        warm = {post_job(base, tokens[0], files[: 2 * workers], "warm-up")["id"]: tokens[0]}
        for record, _ in wait_jobs(base, warm, deadline).values():
            if record["status"] != "done":
                raise RuntimeError(f"the warm-up job ended {record['status']}")
        pids = tiers(cluster)
        backend0 = backend_counts(cluster)
        cpu0 = cpu_by_tier(pids)
        t0 = time.monotonic()
        jobs = {}
        # Two uploads at a time, as two browsers would: the APIs take them in turn (haproxy).
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            posted = [pool.submit(post_job, base, tokens[i % len(tokens)], files, f"bench {i}")
                      for i in range(args.jobs)]
            for i, f in enumerate(posted):
                jobs[f.result()["id"]] = tokens[i % len(tokens)]
        uploaded = time.monotonic() - t0
        ended = wait_jobs(base, jobs, deadline)
        t1 = max(at for _, at in ended.values())
        cpu1 = cpu_by_tier(pids)
        backend1 = backend_counts(cluster)
        bad = [(r["id"], r["status"], r["done"], r["total"]) for r, _ in ended.values()
               if r["status"] != "done" or r["done"] != r["total"]]
        if bad:
            raise RuntimeError(f"jobs not done: {bad}")
        seconds = t1 - t0
        images = args.jobs * args.images
        cpu = {tier: cpu1[tier] - cpu0[tier] for tier in cpu0}
        return {"workers": workers, "threads": workers * args.threads, "start_s": started_in,
                "uploaded_s": uploaded, "seconds": seconds, "images": images,
                "jobs_per_min": args.jobs / seconds * 60, "images_per_s": images / seconds, "cpu": cpu,
                "backend": {k: backend1[k] - backend0.get(k, 0) for k in backend1}}
    finally:
        stopped = cluster.stop()
        if stopped and not args.keep:
            cluster.remove()
        if not stopped:
            print(f"warning: cluster bench-workers-{workers} left processes behind", file=sys.stderr)


def run_convert(binary, files, concurrency, timeout):
    """`imagesprint convert -j N` on the same images: (seconds, CPU seconds) of the process."""
    work = tempfile.mkdtemp(prefix="imagesprint-cluster-bench-")
    try:
        inputs = []
        for name, data in files:
            path = os.path.join(work, "in", name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            inputs.append(path)
        t = time.monotonic()
        before = os.times()
        result = subprocess.run([binary, "convert", *inputs, "-o", os.path.join(work, "out"), *CONVERT_ARGS,
                                 "-j", str(concurrency)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, timeout=timeout)
        seconds = time.monotonic() - t
        after = os.times()
        if result.returncode != 0:
            raise RuntimeError(f"imagesprint convert failed: {result.stderr[-500:]}")
        made = len(os.listdir(os.path.join(work, "out")))
        if made != len(inputs):
            raise RuntimeError(f"imagesprint convert wrote {made} files for {len(inputs)} inputs")
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        return seconds, cpu
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/release/imagesprint"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    parser.add_argument("--workers", default="1,2,3", help="worker counts to measure, comma-separated")
    parser.add_argument("--threads", type=int, default=1, help="conversions at once per worker (--workers of each)")
    parser.add_argument("--apis", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--images", type=int, default=16, help="images per job (at most 50)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds for one worker count, start to stop")
    parser.add_argument("--keep", action="store_true", help="keep each cluster's folder and logs")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    if not 1 <= args.images <= 50 or not 1 <= args.jobs <= 30 or not all(1 <= n <= 8 for n in counts):
        parser.error("--images 1 to 50, --jobs 1 to 30, worker counts 1 to 8")
    os.environ["IMAGESPRINT_BIN"] = os.path.abspath(args.binary)
    cores = os.cpu_count()
    files = load_photos(os.path.abspath(args.corpus), args.images)
    megabytes = sum(len(d) for _, d in files) / 1e6

    print(f"cluster jobs: {args.jobs} jobs of {args.images} photos ({megabytes:.1f} MB a job) per worker count, "
          f"options {json.dumps(OPTIONS)}; {cores} cores; {args.apis} APIs; {args.threads} conversion(s) at once "
          f"per worker", flush=True)
    peer = {}
    batch = files * args.jobs
    for j in sorted({1, cores}):
        seconds, cpu = run_convert(args.binary, batch, j, args.timeout)
        peer[j] = (len(batch) / seconds, cpu / len(batch))
        print(f"  imagesprint convert -j {j}: {len(batch)} images in {seconds:.1f} s: {peer[j][0]:.2f} images/s, "
              f"{peer[j][1] * 1000:.0f} CPU ms/image", flush=True)
    results = []
    for n in counts:
        r = run_cluster(args, n, files)
        results.append(r)
        cpu = ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["cpu"].items()))
        print(f"  {n} worker(s): cluster up in {r['start_s']:.1f} s; uploads took {r['uploaded_s']:.1f} s; "
              f"{r['images']} images in {r['seconds']:.1f} s; CPU s: {cpu}", flush=True)

    print()
    print("| workers | jobs/min | images/s | cores for conversions | images/s per core | "
          "CPU ms/image, workers | CPU ms/image, whole cluster | vs `convert` on as many cores |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        used = min(r["threads"], cores)
        engine = peer[1 if used == 1 else cores][0]
        workers_cpu = r["cpu"].get("worker", 0) / r["images"] * 1000
        total_cpu = sum(r["cpu"].values()) / r["images"] * 1000
        print(f"| {r['workers']} | {r['jobs_per_min']:.1f} | {r['images_per_s']:.2f} | {used} | "
              f"{r['images_per_s'] / used:.2f} | {workers_cpu:.0f} | {total_cpu:.0f} | "
              f"{r['images_per_s'] / engine:.2f}x |")
    print()
    for j, (rate, cpu) in sorted(peer.items()):
        print(f"Peer: `imagesprint convert -j {j}` {rate:.2f} images/s ({rate / j:.2f} per core), "
              f"{cpu * 1000:.0f} CPU ms/image.")
    for r in results:
        used = min(r["threads"], cores)
        engine = peer[1 if used == 1 else cores][0]
        record("cluster_jobs", f"cluster, {r['workers']} worker(s): images/s",
               f"{r['images_per_s']:.2f}", f"`convert` on {used} core(s): {engine:.2f}",
               f"{r['images_per_s'] / engine:.2f}x the peer")
    first = results[0]
    for r in results[1:]:
        print(f"{r['workers']} workers vs {first['workers']}: {r['images_per_s'] / first['images_per_s']:.2f}x "
              f"the images per second (linear would be {r['workers'] / first['workers']:.2f}x, "
              f"the cores allow {min(r['threads'], cores) / min(first['threads'], cores):.2f}x)")
    for r in results:
        per_image = ", ".join(f"{k} {v / r['images']:.1f}" for k, v in sorted(r["backend"].items()))
        print(f"Back-end work per image, {r['workers']} worker(s) (while measuring; includes polling): {per_image}")
    for r in results:
        share = {k: v / max(sum(r["cpu"].values()), 1e-9) * 100 for k, v in r["cpu"].items()}
        print(f"CPU by tier, {r['workers']} worker(s): "
              + ", ".join(f"{k} {v:.0f}%" for k, v in sorted(share.items(), key=lambda kv: -kv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
