#!/usr/bin/env python3
"""The cluster's failure tests (issue 12), each against a real cluster started by
scripts/cluster.sh (redis-server, mariadbd, s3rver, 2 `imagesprint api` behind haproxy, 3
`imagesprint worker`), each in a cluster of its own (cluster-data/test-<name>), so one test's failure or
settings never leak into the next. Python's standard library only.

    python3 tests/cluster/run.py [NAME...]      all tests, or those named; `make cluster-test`

  1 sse_across_apis      a 50-image job posted to API 1, its events read on API 2
  2 worker_killed        kill -9 of a worker mid-job
  4 janitor_killed       kill -9 of the worker holding the janitor lease
  5 redis_restarted      redis-server killed and restarted mid-job, SSE clients resume
  6 mariadb_restarted    mariadbd restarted mid-job
  8 rolling_restart      every process restarted one at a time while 5 jobs run
  7 webhook_receiver_down  a receiver down for two attempts: retried by other workers, one
                         webhook-id
  3 api_killed_mid_upload  kill -9 of API 1 mid-upload: no half-job, the retry on API 2 with the
                         same Idempotency-Key makes the job once, the janitor removes what the
                         dead upload left in S3
  6 mariadb_down_10s     mariadbd killed and started again 10 s later, mid-job: the workers
                         pause leasing while the database does not answer, the job ends done
  9 e2e_web_app          the browser suite (tests/e2e/run.mjs) against haproxy's URL: the web
                         app works through the cluster unchanged

Each test is bounded (a deadline for the whole test, one for every wait); none asserts on how
long something took: the durations are printed. Whatever happens, each cluster is stopped, and
its folder removed when its test passed (kept with its logs when it failed). Environment:
IMAGESPRINT_BIN (the binary, default build/release/imagesprint), CORPUS (../shared/corpus),
CLUSTER_TEST_KEEP=1 (keep every cluster's folder and logs, passed or not).
"""
import json
import os
import signal
import sys
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import (Cluster, Deadline, EventStream, TestFailure, archive, call, check,  # noqa: E402
                     check_outputs, client_view, event_number, get_job, log, metrics, photos,
                     post_job, request, signup, wait_final, wait_for)

WIDTH = 320
OPTIONS = {"width": WIDTH, "format": "jpeg", "quality": 70}


# ------------------------------------------------------------------------------------------------
# 1. A 50-image job posted to API 1, its stream on API 2: every progress event and job.completed
#    arrive there; the ZIP holds 50 unique outputs.

def sse_across_apis(cluster):
    api1, api2 = (cluster.process_url(n) for n in cluster.names("api"))
    token = signup(api1)
    # The user's stream on API 2, open before the job exists: every event of the job must come.
    stream = EventStream(api2, "/v1/events", token)
    wait_for("API 2's stream to open", lambda: stream.has("snapshot"), 30)
    job = post_job(api1, token, photos(50), OPTIONS)
    log(f"job {job['id']}: 50 images posted to API 1 ({api1})")

    def completed():
        check(not stream.ended.is_set(), f"API 2's stream ended early: {stream.error}")
        return any(t == "job.completed" and d["id"] == job["id"] for _, t, d in stream.snapshot())
    wait_for("job.completed on API 2", completed, 180, every=0.2)
    stream.close()

    progress = [d for _, t, d in stream.snapshot() if t == "progress" and d["job_id"] == job["id"]]
    indexes = sorted(d["image"]["index"] for d in progress)
    check(indexes == list(range(50)), f"progress events on API 2 for images {indexes}")
    check(sorted(d["done"] for d in progress) == list(range(1, 51)),
          f"progress counts {sorted(d['done'] for d in progress)}")
    ids = [event_number(i) for i, _, _ in stream.snapshot() if i]
    check(ids == sorted(set(ids)), f"event ids not increasing: {ids}")
    ended = [d for _, t, d in stream.snapshot() if t == "job.completed" and d["id"] == job["id"]]
    check(len(ended) == 1 and ended[0]["done"] == 50, f"job.completed: {ended}")
    log(f"API 2 got 50 progress events (ids {ids[0]}..{ids[-1]}) and job.completed")

    # Records and the ZIP through haproxy (any API).
    final = get_job(cluster.url, token, job["id"])
    check_outputs(final, archive(cluster.url, token, job["id"]), WIDTH)
    # Converted once each, by the workers only.
    converted = {n: metrics(cluster.process_url(n)).get("imagesprint_images_total", 0)
                 for n in cluster.names("api") + cluster.names("worker")}
    check(all(converted[n] == 0 for n in cluster.names("api")), f"an API converted images: {converted}")
    check(sum(converted.values()) == 50, f"conversions: {converted}")
    log(f"ZIP: 50 unique {WIDTH}-px outputs + manifest.json; conversions per process {converted}")


# ------------------------------------------------------------------------------------------------
# 2. kill -9 of a worker mid-job: the job ends done, every image exactly once, the killed
#    worker's task redelivered after its lease.

def worker_killed(cluster):
    workers = cluster.names("worker")
    victim, others = workers[0], workers[1:]
    token = signup(cluster.url)
    # timeout_seconds 3: a worker holds a task for its conversion's budget + 30 s (job_worker's
    # LEASE_MARGIN), so the killed worker's task comes back after about 33 s.
    options = {**OPTIONS, "timeout_seconds": 3}
    # The others stop (they drain: finish their task, exit): the victim alone works, so what is
    # leased when it dies is the victim's, and the images it was converting are known.
    for name in others:
        cluster.script("stop", name)
    job = post_job(cluster.url, token, photos(30), options)
    log(f"job {job['id']}: 30 images; {victim} works alone, {', '.join(others)} stopped")
    held, earlier = [], 0
    for attempt in range(3):
        enough = 3 * (attempt + 1)
        wait_for(f"{victim} to convert", lambda: get_job(cluster.url, token, job["id"])["done"] >= enough,
                 60, every=0.05)
        cluster.kill(victim)
        killed_at = time.monotonic()
        leases = int(cluster.redis("ZCARD", "{imagesprint:queue}:leases").strip() or 0)
        snapshot = get_job(cluster.url, token, job["id"])
        held = [i["index"] for i in snapshot["images"] if i["status"] == "processing"]
        log(f"kill -9 {victim} with {snapshot['done']}/30 done: {leases} lease(s) held, "
            f"image(s) {held} in conversion")
        if held:
            break
        # Killed before or after a conversion: no image of the job in its hands. Again. (A task it
        # had leased but not started comes back too: one more image may show 2 attempts.)
        earlier = leases
        cluster.script("start", victim)
    check(held, "the worker was never killed while converting")
    check(leases >= 1, "no lease held by the killed worker")
    for name in others:
        cluster.script("start", name)
    final = wait_final(cluster.url, token, job["id"], 180)
    log(f"job ended {final['status']} {time.monotonic() - killed_at:.1f} s after the kill")
    check_outputs(final, archive(cluster.url, token, job["id"]), WIDTH)
    attempts = {i["index"]: i["attempts"] for i in final["images"]}
    check(all(attempts[i] >= 2 for i in held), f"held image(s) {held} not delivered again: {attempts}")
    again = [i for i in attempts if i not in held and attempts[i] > 1]
    check(len(again) <= earlier, f"images delivered more than once: {again} ({attempts})")
    dead = int(cluster.redis("XLEN", "{imagesprint:queue}:dead").strip() or 0)
    check(dead == 0, f"{dead} dead letters")
    log(f"every image done once; image(s) {held} delivered again after the lease ran out "
        f"(attempts {[attempts[i] for i in held]}); no dead letter")


# ------------------------------------------------------------------------------------------------
# 4. kill -9 of the worker holding the janitor lease: another takes over within a lease period
#    (3 janitor intervals), and results still expire.

def janitor_active(cluster, names):
    return {n: metrics(cluster.process_url(n)).get("imagesprint_janitor_active", 0) for n in names}


def janitor_killed(cluster):
    workers = cluster.names("worker")
    active = wait_for("one janitor", lambda: (a := janitor_active(cluster, workers)) and
                      sum(a.values()) == 1 and a, 30)
    holder = next(n for n, v in active.items() if v == 1)
    survivors = [n for n in workers if n != holder]
    cluster.kill(holder)
    killed_at = time.monotonic()
    log(f"kill -9 {holder}, the janitor (lease: 3 x janitor_interval 1 s = 3 s)")
    taken = wait_for("another janitor", lambda: (a := janitor_active(cluster, survivors)) and
                     sum(a.values()) >= 1 and a, 60, every=0.05)
    took = time.monotonic() - killed_at
    check(sum(taken.values()) == 1, f"janitors after the kill: {taken}")
    new_holder = next(n for n, v in taken.items() if v == 1)
    log(f"{new_holder} took the janitor over {took:.1f} s after the kill")

    # Expiry still happens: a job finished after the kill expires (result_ttl 4 s) by the janitor
    # that took over (the old one is dead).
    token = signup(cluster.url)
    job = post_job(cluster.url, token, photos(3), OPTIONS)
    done = wait_final(cluster.url, token, job["id"], 120)
    check(done["status"] == "done", f"job ended {done['status']}")
    prefix = f"jobs/{job['id']}/"
    check(cluster.s3_objects(prefix), "no objects in S3 for the finished job")
    expired = wait_final_status(cluster, token, job["id"], "expired", 120)
    check(expired["status"] == "expired", f"status {expired['status']}")
    left = cluster.s3_objects(prefix)
    check(not left, f"objects left in S3 after expiry: {left}")
    r = request(cluster.url, "GET", f"/v1/jobs/{job['id']}/archive", token)
    check(r.status in (404, 410), f"the archive answers {r.status} after expiry")
    notes = request(cluster.url, "GET", "/v1/notifications", token).json()
    items = notes.get("notifications", notes.get("items", notes)) if isinstance(notes, dict) else notes
    check(any(n.get("type") == "RESULT_EXPIRED" and n.get("job_id") == job["id"] for n in items),
          f"no RESULT_EXPIRED notification: {json.dumps(notes)[:500]}")
    log(f"job {job['id']} expired: objects deleted from S3, archive {r.status}, user notified")


def wait_final_status(cluster, token, job_id, status, timeout):
    return wait_for(f"job {job_id} {status}",
                    lambda: (j := get_job(cluster.url, token, job_id))["status"] == status and j, timeout, 0.25)


# ------------------------------------------------------------------------------------------------
# 5. redis-server killed and restarted mid-job (AOF): the job finishes; a client that reconnects
#    with Last-Event-ID gets what it missed without a gap, or a fresh snapshot.

def redis_restarted(cluster):
    api1, api2 = (cluster.process_url(n) for n in cluster.names("api"))
    token = signup(cluster.url)
    # timeout_seconds 3 (queue_lease 5): a task whose ack was lost while Redis was down comes back
    # within 33 s instead of the default lease's 120 s.
    # The options after the files: the conversions start when the request ends, so the stream
    # opened right after it sees them (with the options first, most of the 40 images could be
    # done before the answer, and a stream's first connect starts from a snapshot).
    job = post_job(api1, token, photos(40), {**OPTIONS, "timeout_seconds": 3}, options_last=True)
    path = f"/v1/jobs/{job['id']}/events"
    first = EventStream(api2, path, token)
    wait_for("3 progress events", lambda: sum(t == "progress" for _, t, _ in first.snapshot()) >= 3, 120, 0.02)
    out = cluster.restart("redis")
    restarted_at = time.monotonic()
    seen = get_job(api1, token, job["id"])
    log(f"redis-server killed and restarted with {seen['done']}/40 done ({out.strip().splitlines()[-1]})")
    # The client drops its stream and comes back on the other API with the last id it got.
    first.close()
    last = first.last_id()
    second = EventStream(api1, path, token, last_event_id=last)
    def completed():
        check(second.has("job.completed") or not second.ended.is_set(),
              f"the reconnected stream ended early: {second.error}")
        return second.has("job.completed")
    wait_for("the reconnected stream's job.completed", completed, 180, 0.1)
    second.close()
    final = wait_final(cluster.url, token, job["id"], 60)
    log(f"job ended {final['status']} {time.monotonic() - restarted_at:.1f} s after the restart")
    check_outputs(final, archive(cluster.url, token, job["id"]), WIDTH)

    events = second.snapshot()
    check(events, "nothing on the reconnected stream")
    statuses, done, completed, ids = client_view([first, second], 40)
    check(completed and completed["done"] == 40, f"job.completed: {completed}")
    if events[0][1] == "snapshot":
        log(f"reconnect after id {last}: a fresh snapshot ({events[0][2]['done']}/40 done), "
            f"then {len(events) - 1} events")
    else:
        resumed = [event_number(i) for i, _, _ in events if i]
        check(resumed[0] == event_number(last) + 1,
              f"reconnect after id {last} resumed at {resumed[0]}: a gap")
        check(ids == list(range(ids[0], ids[0] + len(ids))), f"ids across the reconnect: {ids}")
        log(f"reconnect after id {last}: replayed from {resumed[0]} on, ids {ids[0]}..{ids[-1]} "
            f"without a gap or a repeat")
    missing = sorted(set(range(40)) - {i for i, s in statuses.items() if s == "done"})
    log(f"the client saw {40 - len(missing)}/40 images done one by one"
        + (f" (events of {missing} were published while Redis was down: lost from the live view, "
           f"counted in job.completed)" if missing else ""))


# ------------------------------------------------------------------------------------------------
# 6. MariaDB restarted mid-job (a clean shutdown, then a start on the same folder): the job
#    finishes, every image once.

def mariadb_restarted(cluster, down_seconds=0):
    check("mariadb_state" in cluster.state, "the cluster has no local mariadbd")
    token = signup(cluster.url)
    # timeout_seconds 3 (with queue_lease 5): a task whose worker lost it comes back in 33 s.
    job = post_job(cluster.url, token, photos(40), {**OPTIONS, "timeout_seconds": 3})
    wait_for("3 images done", lambda: get_job(cluster.url, token, job["id"])["done"] >= 3, 120, 0.02)
    started = time.monotonic()
    if down_seconds:
        cluster.kill("mariadb")
        time.sleep(down_seconds)
    out = cluster.restart("mariadb")
    restarted_at = time.monotonic()
    log(f"mariadbd {'killed, ' if down_seconds else ''}restarted {restarted_at - started:.1f} s later "
        f"({out.strip().splitlines()[-1]})")
    final = wait_final(cluster.url, token, job["id"], 180)
    log(f"job ended {final['status']} {time.monotonic() - restarted_at:.1f} s after the restart")
    check_outputs(final, archive(cluster.url, token, job["id"]), WIDTH)
    again = sorted(i["index"] for i in final["images"] if i["attempts"] > 1)
    dead = int(cluster.redis("XLEN", "{imagesprint:queue}:dead").strip() or 0)
    check(dead == 0, f"{dead} dead letters")
    log(f"every image done once; delivered more than once: {again or 'none'}; no dead letter")


def mariadb_down_10s(cluster):
    """6 again with a longer outage: mariadbd SIGKILLed, started again 10 s later."""
    mariadb_restarted(cluster, down_seconds=10)


# ------------------------------------------------------------------------------------------------
# 8. A rolling restart of every process, one at a time, while 5 jobs run: all 5 end done, nothing
#    is lost.

def rolling_restart(cluster):
    token = signup(cluster.url)
    # Slower conversions than the other tests (AVIF at 1600 px: most of a second each here), so
    # the jobs are still running while the processes roll.
    # timeout_seconds 10 (queue_lease 5): a task whose ack was lost (Redis restarting as it was
    # sent) comes back within 40 s instead of the default lease's 120 s.
    options = {"width": 1600, "format": "avif", "timeout_seconds": 10}
    jobs = [post_job(cluster.url, token, photos(12), options) for _ in range(5)]
    total = sum(j["total"] for j in jobs)
    log(f"5 jobs of 12 images posted: {', '.join(j['id'] for j in jobs)}")
    # The APIs and haproxy first, then each worker, then redis-server and mariadbd. (s3rver is
    # not restarted: its test script keeps its objects only for the life of the process.)
    order = cluster.names("api") + ["haproxy"] + cluster.names("worker") + ["redis", "mariadb"]
    for name in order:
        done = done_counts(cluster, token, jobs)
        if name.startswith("worker"):
            check(sum(done) < total, f"the jobs ended before {name} was restarted: nothing to show "
                  f"(make them longer for this machine)")
        started = time.monotonic()
        cluster.restart(name)
        log(f"restarted {name:8} in {time.monotonic() - started:4.1f} s, {sum(done)}/{total} images done before")
    finals = [wait_final(cluster.url, token, j["id"], 240) for j in jobs]
    for final in finals:
        check_outputs(final, archive(cluster.url, token, final["id"]), 1600)
    attempts = sum(i["attempts"] for f in finals for i in f["images"])
    dead = int(cluster.redis("XLEN", "{imagesprint:queue}:dead").strip() or 0)
    check(dead == 0, f"{dead} dead letters")
    log(f"all 5 jobs done, each image once, every ZIP complete; {attempts} deliveries for {total} "
        f"images; no dead letter")


def done_counts(cluster, token, jobs):
    """Each job's done count; requests that meet a process restarting are retried."""
    return [wait_for("the job", lambda: get_job(cluster.url, token, j["id"]), 30)["done"] for j in jobs]


# ------------------------------------------------------------------------------------------------
# 7. A webhook receiver that is down for a while: the delivery is retried from any worker, and
#    each attempt arrives once, with the same webhook-id.

def socket_owner(client_port, pids):
    """Which of `pids` ({pid: name}) holds the loopback TCP connection whose local port is
    client_port (/proc/net/tcp gives the socket's inode, /proc/PID/fd who has it open)."""
    inode = None
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == client_port:
                inode = fields[9]
    for pid, name in pids.items():
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return name
        except OSError:
            continue
    return None


class Receiver:
    """A webhook receiver on 127.0.0.1: answers 503 while `down`, else 200; records every
    request (headers, body, and which process sent it: `senders()` gives {pid: name})."""

    def __init__(self, senders):
        import http.server
        import threading
        receiver = self
        self.requests, self.down, self.sent_by = [], True, []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.sent_by.append(socket_owner(self.client_address[1], senders()))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(503 if receiver.down else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def verify_signature(secret, headers, body):
    import base64
    import hashlib
    import hmac
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, part.split(",", 1)[1])
               for part in headers["webhook-signature"].split() if part.startswith("v1,"))


def webhook_receiver_down(cluster):
    w1, w2, w3 = cluster.names("worker")
    receiver = Receiver(lambda: {cluster.pid(n): n for n in cluster.names("worker")})
    try:
        token = signup(cluster.url)
        hook = call(cluster.url, "POST", "/v1/webhooks", token,
                    json.dumps({"type": "generic", "url": receiver.url, "events": ["job.completed"]}).encode(),
                    {"Content-Type": "application/json"}, expect=201)
        # One worker alive at a time: w1 for the first attempt, w2 for the second, w3 for the
        # third (a retry is due webhook_retry_base, 6 s, x 2^(n-1), +-25 %, after the last
        # attempt; a worker stops in about 2 s). The receiver checks who sent each request.
        cluster.script("stop", w2)
        cluster.script("stop", w3)
        job = post_job(cluster.url, token, photos(2), OPTIONS)
        check(wait_final(cluster.url, token, job["id"], 120)["status"] == "done", "job not done")

        def attempts_logged(n):
            items = call(cluster.url, "GET", f"/v1/webhooks/{hook['id']}/deliveries", token)["items"]
            return items if items and items[0]["attempts"] >= n else None

        for n, (now, after) in enumerate([(w1, w2), (w2, w3)], start=1):
            wait_for(f"attempt {n} logged", lambda: attempts_logged(n), 60, 0.05)
            check(len(receiver.requests) == n, f"{len(receiver.requests)} requests after {n} attempt(s)")
            cluster.script("stop", now)
            log(f"attempt {n} sent by {receiver.sent_by[-1]}: 503; {now} stopped, {after} started")
            if n == 2:
                receiver.down = False  # back up for the third attempt
            cluster.script("start", after)
        items = wait_for("the delivery delivered", lambda: (i := attempts_logged(3)) and
                         i[0]["status"] == "delivered" and i, 90, 0.1)
        delivery = items[0]
        log(f"attempt 3 sent by {receiver.sent_by[-1]}: 200; delivery {delivery['id']} delivered after "
            f"{delivery['attempts']} attempts")
        check(len(items) == 1, f"{len(items)} deliveries for one job.completed")
        check(delivery["attempts"] == 3, f"attempts: {delivery['attempts']}")
        codes = [a["status_code"] for a in delivery["attempts_log"]]
        check(codes == [503, 503, 200], f"attempts log: {codes}")
        check(len(receiver.requests) == 3, f"the receiver got {len(receiver.requests)} requests for 3 attempts")
        check(receiver.sent_by == [w1, w2, w3], f"the attempts came from {receiver.sent_by}")
        ids = {h["webhook-id"] for h, _ in receiver.requests}
        check(len(ids) == 1, f"webhook-ids: {ids}")
        check(all(verify_signature(hook["secret"], h, b) for h, b in receiver.requests), "a bad signature")
        bodies = {json.loads(b)["id"] for _, b in receiver.requests}
        check(bodies == ids, f"event ids {bodies} are not the webhook-id {ids}")
        log(f"3 requests, one per attempt, from 3 workers, all with webhook-id {ids.pop()} and a valid signature")
    finally:
        receiver.close()


# ------------------------------------------------------------------------------------------------
# 9. The web app through the cluster, unchanged: the browser suite (tests/e2e/run.mjs, headless
#    Chromium) against haproxy's URL instead of a `serve` of its own.

def requests_served(url):
    """Requests a process answered other than haproxy's health checks (/readyz, /healthz) and
    /metrics itself, from its imagesprint_http_requests_total."""
    text = request(url, "GET", "/metrics", timeout=10).body.decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith("imagesprint_http_requests_total{") and not any(
                f'route="{r}"' in line for r in ("/readyz", "/healthz", "/metrics")):
            total += float(line.rsplit(" ", 1)[1])
    return total


def e2e_web_app(cluster):
    import subprocess
    from cluster import ROOT
    apis, workers = cluster.names("api"), cluster.names("worker")
    s3 = json.loads(open(cluster.state["s3_state"]).read())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMAGESPRINT_", "E2E_"))}
    env.update({
        "E2E_BASE_URL": cluster.url,
        # Downloads answer 302 to a presigned URL of the object store (download_redirect).
        "E2E_OTHER_ORIGINS": s3["endpoint"],
        "E2E_SERVER_LOGS": ":".join(cluster.state[f"{n}.log"] for n in apis + workers + ["haproxy"]),
    })
    before = {n: requests_served(cluster.process_url(n)) for n in apis}
    log(f"tests/e2e/run.mjs against {cluster.url} (S3 at {s3['endpoint']})")
    started = time.monotonic()
    # The suite bounds itself (240 s); this bound only catches a hung node.
    result = subprocess.run(["node", str(ROOT / "tests" / "e2e" / "run.mjs")], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=330)
    lines = result.stdout.rstrip().splitlines()
    for line in lines if result.returncode else [l for l in lines if "PASS" in l or "redirected" in l]:
        log(f"  {line}")
    check(result.returncode == 0, f"the e2e suite failed against the cluster (exit {result.returncode})")
    log(f"the e2e suite passed against the cluster in {time.monotonic() - started:.1f} s")
    # It really went through the cluster: both APIs answered the browser, the workers converted.
    served = {n: requests_served(cluster.process_url(n)) - before[n] for n in apis}
    check(all(v > 0 for v in served.values()), f"requests per API (one got none): {served}")
    converted = {n: metrics(cluster.process_url(n)).get("imagesprint_images_total", 0) for n in apis + workers}
    check(all(converted[n] == 0 for n in apis), f"an API converted images: {converted}")
    check(sum(converted[n] for n in workers) > 0, f"no worker converted anything: {converted}")
    log(f"requests answered per API {served}; conversions per process {converted}")


# ------------------------------------------------------------------------------------------------
# 3. kill -9 of API 1 mid-upload: the client gets an error, no half-job is visible, the retry
#    with the same Idempotency-Key on API 2 creates the job once, and no object of the dead
#    upload stays in S3 after the janitor's next pass.

def api_killed_mid_upload(cluster):
    import socket as socketlib
    import uuid as uuidlib
    from cluster import multipart
    api1, api2 = cluster.names("api")
    url1, url2 = cluster.process_url(api1), cluster.process_url(api2)
    token = signup(cluster.url)
    files = photos(10)
    key = str(uuidlib.uuid4())
    body, content_type = multipart([("options", json.dumps(OPTIONS))], files)
    before = set(cluster.s3_objects("jobs/"))
    # The upload, by hand: headers and the first part of the body, then API 1 dies.
    sock = socketlib.create_connection(("127.0.0.1", int(url1.rsplit(":", 1)[1])), timeout=30)
    head = (f"POST /v1/jobs HTTP/1.1\r\nHost: {url1[7:]}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            f"Idempotency-Key: {key}\r\n\r\n").encode()
    sock.sendall(head + body[: len(body) // 2])
    written = wait_for("API 1 to store the first files",
                       lambda: set(cluster.s3_objects("jobs/")) - before, 60, 0.05)
    cluster.kill(api1)
    log(f"kill -9 {api1} mid-upload, with {len(written)} object(s) of the upload in S3")
    answer = b""
    try:
        sock.sendall(body[len(body) // 2:])
        answer = sock.recv(4096)
    except OSError as e:
        log(f"the client got {type(e).__name__}: {e}")
    finally:
        sock.close()
    check(not answer.startswith(b"HTTP/1.1 201"), f"the upload succeeded: {answer[:200]!r}")
    jobs = call(url2, "GET", "/v1/jobs", token)
    listed = jobs.get("jobs", jobs.get("items", []))
    check(listed == [], f"a half-job is visible on API 2: {listed}")
    first = post_job(url2, token, files, OPTIONS, idempotency_key=key)
    again = post_job_any(url2, token, files, key)
    check(again["id"] == first["id"], f"the same Idempotency-Key made two jobs: {first['id']}, {again['id']}")
    listed = call(url2, "GET", "/v1/jobs", token)
    listed = listed.get("jobs", listed.get("items", []))
    check([j["id"] for j in listed] == [first["id"]], f"jobs: {[j['id'] for j in listed]}")
    check(wait_final(cluster.url, token, first["id"], 120)["status"] == "done",
          "the retried job did not end done")
    log(f"retry on {api2} with the same Idempotency-Key: job {first['id']} created once, done")
    # The janitor runs every second here and takes an upload as abandoned after 5 s.
    def orphans():
        return sorted(k for k in set(cluster.s3_objects("jobs/")) - before
                      if not k.startswith(f"jobs/{first['id']}/"))
    left = orphans()
    deadline = time.monotonic() + 60
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = orphans()
    check(not left, f"{len(left)} object(s) of the dead upload still in S3 a minute after the "
          f"upload died: {left[:5]}")
    log(f"the janitor removed the {len(written)}+ object(s) of the dead upload")


def post_job_any(base, token, files, key):
    """The same upload again: 200 or 201, the job it names."""
    from cluster import multipart
    body, content_type = multipart([("options", json.dumps(OPTIONS))], files)
    r = request(base, "POST", "/v1/jobs", token, body,
                {"Content-Type": content_type, "Idempotency-Key": key}, timeout=120)
    check(r.status in (200, 201), f"the repeated upload: {r.status} {r.body[:300]!r}")
    return r.json()


# ------------------------------------------------------------------------------------------------

TESTS = [
    # name, function, settings of its cluster, bound in seconds
    ("sse_across_apis", sse_across_apis, {"IMAGESPRINT_WORKERS": 1}, 240),
    ("worker_killed", worker_killed, {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_QUEUE_LEASE": 5}, 240),
    ("janitor_killed", janitor_killed,
     {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_JANITOR_INTERVAL": 1, "IMAGESPRINT_RESULT_TTL": 4}, 240),
    ("redis_restarted", redis_restarted, {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_QUEUE_LEASE": 5}, 240),
    ("mariadb_restarted", mariadb_restarted, {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_QUEUE_LEASE": 5}, 240),
    ("rolling_restart", rolling_restart, {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_QUEUE_LEASE": 5}, 300),
    ("webhook_receiver_down", webhook_receiver_down,
     {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE": "true",
      "IMAGESPRINT_WEBHOOK_RETRY_BASE": 6}, 240),
    # As the suite starts its own server: webhooks to its receiver on 127.0.0.1, retried soon.
    ("e2e_web_app", e2e_web_app,
     {"IMAGESPRINT_WEBHOOK_ALLOW_PRIVATE": "true", "IMAGESPRINT_WEBHOOK_RETRY_BASE": 1}, 420),
    ("api_killed_mid_upload", api_killed_mid_upload,
     {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_JANITOR_INTERVAL": 1,
      "IMAGESPRINT_ABANDONED_UPLOAD_AFTER": 5}, 240),
    ("mariadb_down_10s", mariadb_down_10s, {"IMAGESPRINT_WORKERS": 1, "IMAGESPRINT_QUEUE_LEASE": 5}, 240),
]
# Run only when named (none at present).
EXTRA = []


def main(names):
    selected = [t for t in TESTS + EXTRA if t[0] in names] if names else TESTS
    unknown = set(names) - {t[0] for t in TESTS + EXTRA}
    if unknown:
        print(f"unknown test(s): {', '.join(sorted(unknown))}; known: {', '.join(t[0] for t in TESTS + EXTRA)}")
        return 2
    # SIGTERM (make interrupted, a CI timeout) ends the run through the same clean-up as a failure.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    results = []
    started = time.monotonic()
    for name, test, settings, bound in selected:
        print(f"cluster test {name}", flush=True)
        cluster = Cluster(name, settings)
        t0 = time.monotonic()
        ok, error = False, ""
        try:
            with Deadline(bound, name):
                cluster.start()
                log(f"cluster up in {time.monotonic() - t0:.1f} s at {cluster.url}")
                test(cluster)
            ok = True
        except KeyboardInterrupt:
            error = "interrupted"
        except Exception as e:  # noqa: BLE001 (a failure of any kind is reported, then the next test)
            error = f"{type(e).__name__}: {e}"
            if not isinstance(e, TestFailure):
                traceback.print_exc()
        finally:
            stopped = cluster.stop()
            if not stopped:
                ok, error = False, error or "processes left behind after stop"
            if ok and not os.environ.get("CLUSTER_TEST_KEEP"):
                cluster.remove()
        seconds = time.monotonic() - t0
        results.append((name, ok, seconds, error))
        print(f"  {'PASS' if ok else 'FAIL'} {name} ({seconds:.1f} s){': ' + error if error else ''}"
              + ("" if ok else f"\n  logs in {cluster.dir}/run/"), flush=True)
        if error == "interrupted":
            break
    total = time.monotonic() - started
    passed = sum(ok for _, ok, _, _ in results)
    print(f"cluster tests: {passed}/{len(results)} passed in {total:.1f} s")
    for name, ok, seconds, error in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {seconds:6.1f} s  {name}")
    return 0 if passed == len(selected) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
