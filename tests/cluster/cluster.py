"""What the cluster failure tests share: a cluster started by scripts/cluster.sh (its `start` mode,
in a folder of its own under cluster-data/), and a small HTTP client for the API (sign-up, jobs,
event streams, archives, /metrics). Python's standard library only.

Every wait here is bounded (a deadline, a socket timeout); nothing asserts on how long something
took: durations are measured and printed.
"""
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cluster.sh"
CORPUS = Path(os.environ.get("CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
PHOTOS = ["colorfulcups-2560x1600.jpg", "eveningglow-2560x1600.jpg", "fallenleaf-2560x1600.jpg",
          "path-2560x1600.jpg", "flickr-2569067123-2725x2225.jpg"]
FINAL = {"done", "partial", "failed", "canceled", "expired"}
PASSWORD = "correct horse battery staple"


class TestFailure(AssertionError):
    pass


class Unavailable(TestFailure):
    """A 5xx answer: a back end is down for a moment (a wait goes on trying)."""


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def log(message):
    print(f"    {message}", flush=True)


def wait_for(what, predicate, timeout, every=0.1):
    """predicate() until it returns something true (returned), or TestFailure after `timeout` s.
    Connection errors and 5xx answers raised by predicate count as "not yet" (a process or a
    back end restarting)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, http.client.HTTPException, ValueError, Unavailable) as e:
            last = e
        time.sleep(every)
    raise TestFailure(f"timed out after {timeout} s waiting for {what}" + (f" ({last})" if last else ""))


# ------------------------------------------------------------------------------------------------
# The cluster.

class Cluster:
    """One cluster from scripts/cluster.sh start, in cluster-data/test-<name>. `settings` are
    IMAGESPRINT_* variables for every process (janitor interval, result TTL ...)."""

    def __init__(self, name, settings=None, workers=3, apis=2):
        self.name = name
        self.dir = ROOT / "cluster-data" / f"test-{name}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGESPRINT_")}
        if "IMAGESPRINT_BIN" in os.environ:
            self.env["IMAGESPRINT_BIN"] = os.environ["IMAGESPRINT_BIN"]
        self.env.update({
            "CLUSTER_DIR": str(self.dir), "CLUSTER_PORT": "0",
            "CLUSTER_WORKERS": str(workers), "CLUSTER_APIS": str(apis),
            # Short heartbeats: a stream's read timeout below can stay short too.
            "IMAGESPRINT_SSE_HEARTBEAT": "2",
            "IMAGESPRINT_LOG_LEVEL": "warn",
        })
        self.env.update({k: str(v) for k, v in (settings or {}).items()})
        self.state = {}

    def script(self, *args, timeout=180):
        result = subprocess.run([str(SCRIPT), *args], env=self.env, cwd=ROOT, timeout=timeout,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise TestFailure(f"scripts/cluster.sh {' '.join(args)} failed:\n{result.stdout}")
        self.read_state()
        return result.stdout

    def start(self):
        self.script("start")
        return self

    def stop(self):
        """Stops everything; True when nothing was left running."""
        if not (self.dir / "run" / "order").exists():
            return True
        result = subprocess.run([str(SCRIPT), "stop"], env=self.env, cwd=ROOT, timeout=300,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            print(result.stdout, flush=True)
        return result.returncode == 0

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def read_state(self):
        path = self.dir / "cluster.state"
        if path.exists():
            self.state = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)

    def kill(self, name):
        self.script("kill", name)

    def restart(self, name):
        return self.script("restart", name)

    @property
    def url(self):
        return self.state["url"]

    def names(self, role):
        return sorted(k[: -len(".role")] for k, v in self.state.items() if k.endswith(".role") and v == role)

    def pid(self, name):
        self.read_state()
        return int(self.state[f"{name}.pid"])

    def process_url(self, name):
        return f"http://127.0.0.1:{self.state[f'{name}.port']}"

    def alive(self, name):
        try:
            os.kill(self.pid(name), 0)
            return True
        except OSError:
            return False

    def s3_objects(self, prefix=""):
        """The keys in the local s3rver's bucket (its folder on disk) that start with prefix."""
        s3 = json.loads(Path(self.state["s3_state"]).read_text())
        bucket = Path(s3["folder"]) / s3["bucket"]
        keys = []
        for path in bucket.rglob("*._S3rver_object"):
            key = str(path.relative_to(bucket))[: -len("._S3rver_object")]
            if key.startswith(prefix):
                keys.append(key)
        return keys

    def redis(self, *command):
        """One redis-cli command on the cluster's redis-server; its output."""
        port = self.state["queue"].rsplit(":", 1)[1].split("/")[0]
        return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", port, *command], timeout=10,
                              stdout=subprocess.PIPE, text=True).stdout


# ------------------------------------------------------------------------------------------------
# HTTP.

class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def request(base, method, path, token=None, body=None, headers=None, timeout=60):
    """One request on a connection of its own (no redirect followed). `path` may be a whole URL
    (a presigned S3 link), then `base` is not used."""
    parts = urllib.parse.urlsplit(base)
    if path.startswith(("http://", "https://")):
        parts = urllib.parse.urlsplit(path)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        h = {"Connection": "close", **(headers or {})}
        if token:
            h["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def call(base, method, path, token=None, body=None, headers=None, expect=200, timeout=60):
    r = request(base, method, path, token, body, headers, timeout)
    if r.status >= 500 and expect < 500:
        raise Unavailable(f"{method} {path}: {r.status}: {r.body[:300]!r}")
    check(r.status == expect, f"{method} {path}: {r.status}, expected {expect}: {r.body[:500]!r}")
    return r.json() if r.body and r.headers.get("content-type", "").startswith("application/json") else r


def signup(base, email=None):
    email = email or f"cluster-{uuid.uuid4().hex[:12]}@example.com"
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    return call(base, "POST", "/v1/auth/signup", body=body,
                headers={"Content-Type": "application/json"}, expect=201)["token"]


def photos(count):
    """`count` uploads (name, bytes): the corpus photos in turn, each under a name of its own."""
    data = [(name, (CORPUS / "photos" / name).read_bytes()) for name in PHOTOS]
    return [(f"img-{i:02d}-{data[i % len(data)][0]}", data[i % len(data)][1]) for i in range(count)]


def multipart(fields, files, fields_last=False):
    boundary = uuid.uuid4().hex
    head, tail = bytearray(), bytearray()
    for name, value in fields:
        (tail if fields_last else head).extend(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    out = head
    for filename, data in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
                f"Content-Type: image/jpeg\r\n\r\n").encode()
        out += data + b"\r\n"
    out += tail + f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def post_job(base, token, files, options, idempotency_key=None, options_last=False):
    """`options_last`: the options part after the files, so that nothing converts before the
    request's end (the service converts while the upload arrives once it has the options)."""
    body, content_type = multipart([("options", json.dumps(options))], files, options_last)
    headers = {"Content-Type": content_type, "Idempotency-Key": idempotency_key or str(uuid.uuid4())}
    return call(base, "POST", "/v1/jobs", token, body, headers, expect=201, timeout=120)


def get_job(base, token, job_id):
    return call(base, "GET", f"/v1/jobs/{job_id}", token)


def wait_final(base, token, job_id, timeout):
    """The job once its status is final, polling (connection errors while a process restarts are
    retried)."""
    def final():
        job = get_job(base, token, job_id)
        return job if job["status"] in FINAL else None
    return wait_for(f"job {job_id} to end", final, timeout, every=0.25)


def archive(base, token, job_id):
    """The job's ZIP: through the API, or the presigned S3 URL it redirects to."""
    r = request(base, "GET", f"/v1/jobs/{job_id}/archive", token, timeout=120)
    if r.status in (302, 303, 307):
        r = request(base, "GET", r.headers["location"], timeout=120)
    check(r.status == 200, f"archive of {job_id}: {r.status} {r.body[:300]!r}")
    return zipfile.ZipFile(io.BytesIO(r.body))


def image_size(data):
    """(width, height) of a JPEG (its first SOF marker) or an AVIF/HEIF (its 'ispe' property)."""
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            check(data[i] == 0xFF, "not a JPEG marker")
            marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
            i += 2 + length
        raise TestFailure("no SOF marker in the JPEG")
    if data[4:8] == b"ftyp":
        at = data.find(b"ispe")
        check(at > 0, "no ispe property in the HEIF file")
        return int.from_bytes(data[at + 8:at + 12], "big"), int.from_bytes(data[at + 12:at + 16], "big")
    raise TestFailure(f"neither JPEG nor HEIF: {data[:12]!r}")


def check_outputs(job, zip_file, width):
    """The job ended done with every image converted exactly once: the counts, each image's
    record, and the ZIP (one output per image, `width` wide, names unique, plus manifest.json)."""
    total = job["total"]
    failed = [f"{i['index']}: {i['error']}" for i in job.get("images", []) if i["status"] != "done"]
    check(job["status"] == "done", f"job {job['id']} ended {job['status']} ({job['done']} done, "
          f"{job['failed']} failed; first: {failed[:2]})")
    check(job["done"] == total and job["failed"] == 0,
          f"counts: done {job['done']}, failed {job['failed']}, total {total}")
    images = job["images"]
    check(len(images) == total, f"{len(images)} image records for {total} images")
    check(all(i["status"] == "done" for i in images),
          "not every image done: "
          + ", ".join(f"{i['index']}:{i['status']}" for i in images if i["status"] != "done"))
    names = [n for n in zip_file.namelist() if n != "manifest.json"]
    check(len(names) == total, f"the ZIP holds {len(names)} outputs for {total} images")
    check(len(set(names)) == total, "the ZIP has duplicate names")
    check(sorted(names) == sorted(i["output_name"] for i in images), "the ZIP's names are not the images' outputs")
    for name in names:
        data = zip_file.read(name)
        check(image_size(data)[0] == width, f"{name} is {image_size(data)[0]} px wide, not {width}")
    manifest = json.loads(zip_file.read("manifest.json"))
    check(len(manifest.get("images", [])) == total, "manifest.json does not list every image")


def metrics(url):
    """A process's /metrics as {name: sum of its samples}."""
    text = request(url, "GET", "/metrics", timeout=10).body.decode()
    out = {}
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([0-9.eE+-]+|NaN)$", line)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0.0) + float(m.group(3))
    return out


# ------------------------------------------------------------------------------------------------
# Server-Sent Events.

class EventStream:
    """Reads one SSE stream on a thread: GET path on base, with Last-Event-ID when given. Keeps
    every event (id, type, data as JSON); `ended` once the stream closed (by the server, or by
    close()); `error` what stopped it otherwise."""

    def __init__(self, base, path, token, last_event_id=None, read_timeout=30):
        self.base, self.path, self.token = base, path, token
        self.last_event_id = last_event_id
        self.read_timeout = read_timeout
        self.events = []
        self.status = None
        self.error = None
        self.ended = threading.Event()
        self.opened = threading.Event()
        self._sock = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        parts = urllib.parse.urlsplit(self.base)
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.read_timeout)
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
            if self.last_event_id:
                headers["Last-Event-ID"] = self.last_event_id
            conn.request("GET", self.path, headers=headers)
            self._sock = conn.sock
            r = conn.getresponse()
            self.status = r.status
            self.opened.set()
            if r.status != 200:
                self.error = f"status {r.status}: {r.read()[:300]!r}"
                return
            event_id, event_type, data = None, "message", []
            while True:
                raw = r.readline()
                if not raw:
                    break
                line = raw.decode().rstrip("\r\n")
                if not line:
                    if data:
                        with self._lock:
                            self.events.append((event_id, event_type, json.loads("\n".join(data))))
                    event_id, event_type, data = None, "message", []
                    continue
                if line.startswith(":"):
                    continue
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "id":
                    event_id = value
                elif field == "event":
                    event_type = value
                elif field == "data":
                    data.append(value)
        except (OSError, http.client.HTTPException, ValueError) as e:
            self.error = f"{type(e).__name__}: {e}"
        finally:
            self.opened.set()
            self.ended.set()

    def snapshot(self):
        with self._lock:
            return list(self.events)

    def last_id(self):
        ids = [e[0] for e in self.snapshot() if e[0]]
        return ids[-1] if ids else None

    def has(self, event_type):
        return any(e[1] == event_type for e in self.snapshot())

    def close(self):
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(10)


def event_number(event_id):
    return int(event_id.split("-")[0])


def client_view(connections, total):
    """What a client knows after reading `connections` (EventStreams, in order) of one job's
    stream: each image's status (from a snapshot, then progress events), the last counts, whether
    job.completed came, and the event ids it got. A reconnect either replays what was missed or
    starts with a snapshot."""
    statuses, done, completed, ids = {}, None, None, []
    for stream in connections:
        for event_id, event_type, data in stream.snapshot():
            if event_id:
                ids.append(event_number(event_id))
            if event_type == "snapshot":
                statuses = {i["index"]: i["status"] for i in data.get("images", [])}
                done = data.get("done")
            elif event_type == "progress":
                statuses[data["image"]["index"]] = data["image"]["status"]
                done = data["done"]
            elif event_type in ("job.completed", "job.failed"):
                completed = data
                done = data["done"]
    return statuses, done, completed, ids


# ------------------------------------------------------------------------------------------------
# The whole run is bounded: SIGALRM raises in the main thread wherever it waits.

class Deadline:
    def __init__(self, seconds, what):
        self.seconds, self.what = seconds, what

    def __enter__(self):
        def expired(signum, frame):
            raise TestFailure(f"{self.what}: not over after {self.seconds} s")
        self.previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(self.seconds)
        return self

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)
        return False
