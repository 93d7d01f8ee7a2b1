"""From the first upload byte to a finished job: a 48-image job over HTTP against `imagesprint
convert` on the same files, in the same run (issue 13, goal 1).

The job is the corpus photos six times over, to 1280 px wide WebP q80, posted as one multipart
request to `imagesprint serve` on 127.0.0.1. It is timed from its first byte to the
`job.completed` event on the user's /v1/events stream (the ZIP is written by then). The same
files go through `imagesprint convert` with the same options, timed as a whole process.

Each upload is sent three ways:
- multipart, options first: the service converts each file as soon as it is stored and checked,
  while the rest still arrives;
- multipart, options last: the service cannot start before the end of the body (the baseline,
  what the service did before converting while uploading);
- tus, as the web app sends a job: every file's resumable upload created (POST /v1/uploads), the
  job asked for at once with `await_uploads` on its own connection, then the files PATCHed one
  after another; the service takes each upload as it completes and converts it meanwhile.
And at two speeds: loopback at full speed (goal: within 1.05x of `imagesprint convert`), and
paced to --rate-mbit (default 100 Mbit/s; goal: ready within one image's conversion time after
the last byte: the conversion of the last file, the one that can only start then, timed alone with
`imagesprint convert`, start-up included).

Every loop is bounded: the upload by its size and --timeout, the wait for the event by
--timeout. Traffic goes to 127.0.0.1 only.
"""
import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from service_client import HOST, multipart, signup, sse_frame, start_server
from summary import record

OPTIONS = {"width": 1280, "format": "webp", "quality": 80}
# How a job's files are sent (see the top).
WAYS = ("first", "last", "tus")
WAY_NAMES = {"first": "multipart, options first", "last": "multipart, options last",
             "tus": "tus, await_uploads"}


def corpus_files(corpus, copies):
    photos = os.path.join(corpus, "photos")
    names = sorted(n for n in os.listdir(photos) if n.lower().endswith((".jpg", ".png")))
    files = []
    for copy in range(copies):
        for name in names:
            with open(os.path.join(photos, name), "rb") as f:
                base, ext = os.path.splitext(name)
                files.append((f"{base}-{copy}{ext}", f.read()))
    return files


def time_convert(binary, files, work):
    """Wall seconds of `imagesprint convert` on the files (written to a folder of their own)."""
    inputs = os.path.join(work, f"in-{len(files)}")
    os.makedirs(inputs, exist_ok=True)
    for name, data in files:
        with open(os.path.join(inputs, name), "wb") as f:
            f.write(data)
    out = os.path.join(work, "out")
    started = time.monotonic()
    subprocess.run([binary, "convert", "-o", out, "--width", str(OPTIONS["width"]), "--format",
                    OPTIONS["format"], "--quality", str(OPTIONS["quality"]), inputs],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    shutil.rmtree(out)
    return seconds


class EventWatch:
    """The user's /v1/events stream, read on a thread: when each job ended."""

    def __init__(self, port, token, timeout):
        self.ended = {}
        self.lock = threading.Condition()
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.sendall(f"GET /v1/events HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                          f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
                          .encode())
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        buffer = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return
                now = time.monotonic()
                buffer += chunk
                while b"\n\n" in buffer:
                    frame, buffer = buffer.split(b"\n\n", 1)
                    kind, data = sse_frame(frame.split(b"\r\n\r\n")[-1])
                    if kind in ("job.completed", "job.failed"):
                        job = json.loads(data).get("job", json.loads(data))
                        with self.lock:
                            self.ended[job.get("id") or job.get("job_id")] = (now, kind)
                            self.lock.notify_all()
        except OSError:
            return

    def wait(self, job_id, deadline):
        with self.lock:
            while job_id not in self.ended:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"job {job_id} did not end in time")
                self.lock.wait(left)
            return self.ended[job_id]

    def close(self):
        self.sock.close()


def send_paced(sock, data, start, offset, bytes_per_second, deadline):
    """Sends `data` in 64 KiB steps, each no earlier than `offset` + its position allows at
    bytes_per_second from `start` (no pacing when that is None)."""
    step = 64 * 1024
    for at in range(0, len(data), step):
        if bytes_per_second:
            wait = start + (offset + at) / bytes_per_second - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        if time.monotonic() > deadline:
            raise TimeoutError("the upload took longer than --timeout")
        sock.sendall(data[at:at + step])


def read_response(sock, until_json):
    """The response's status and bytes, read to the end of its JSON body when until_json, else
    to the end of its header."""
    response = b""
    while b"\r\n\r\n" not in response or (until_json and not response.rstrip().endswith(b"}")):
        chunk = sock.recv(65536)
        if not chunk:
            break
        response += chunk
    return response.split(b" ", 2)[1], response


def created_job(status, response):
    """The job's id from the answer to POST /v1/jobs; raises when it was refused."""
    if status not in (b"200", b"201"):
        raise RuntimeError(f"the job was refused: {response[:300]!r}")
    return json.loads(response.split(b"\r\n\r\n", 1)[1])["id"]


def exchange(port, head, body, timeout, until_json):
    """One request on its own connection: read_response's answer."""
    sock = socket.create_connection((HOST, port), timeout=timeout)
    try:
        sock.sendall(head + body)
        return read_response(sock, until_json)
    finally:
        sock.close()


def tus_job(port, token, files, rate_mbit, timeout):
    """As the web app sends a job (see the top): (first byte, last byte, job id)."""
    auth = f"Host: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n"
    first = time.monotonic()
    deadline = first + timeout
    paths = []
    for name, data in files:
        meta = "filename " + base64.b64encode(name.encode()).decode()
        head = (f"POST /v1/uploads HTTP/1.1\r\n{auth}Upload-Length: {len(data)}\r\n"
                f"Upload-Metadata: {meta}\r\nContent-Length: 0\r\n\r\n").encode()
        status, response = exchange(port, head, b"", timeout, False)
        if status != b"201":
            raise RuntimeError(f"the upload was refused: {response[:300]!r}")
        location = [line for line in response.split(b"\r\n") if line.lower().startswith(b"location:")]
        paths.append(location[0].split(b"/v1/uploads/", 1)[1].strip().decode())
    body = json.dumps({"uploads": paths, "options": OPTIONS, "await_uploads": True}).encode()
    head = (f"POST /v1/jobs HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    answer = {}
    asking = threading.Thread(
        target=lambda: answer.update(result=exchange(port, head, body, timeout, True)), daemon=True)
    asking.start()
    bytes_per_second = rate_mbit * 1e6 / 8 if rate_mbit else None
    sent = 0
    for upload, (_, data) in zip(paths, files):
        patch = (f"PATCH /v1/uploads/{upload} HTTP/1.1\r\n{auth}Upload-Offset: 0\r\n"
                 "Content-Type: application/offset+octet-stream\r\n"
                 f"Content-Length: {len(data)}\r\n\r\n").encode()
        sock = socket.create_connection((HOST, port), timeout=timeout)
        try:
            sock.sendall(patch)
            send_paced(sock, data, first, sent, bytes_per_second, deadline)
            status, response = read_response(sock, False)
        finally:
            sock.close()
        if status != b"204":
            raise RuntimeError(f"a PATCH was refused: {response[:300]!r}")
        sent += len(data)
    last = time.monotonic()
    asking.join(max(0.0, deadline - time.monotonic()))
    if "result" not in answer:
        raise TimeoutError("the job was not answered in time")
    return first, last, created_job(*answer["result"])


def post_job(port, token, files, options_first, rate_mbit, timeout):
    """Sends the job, paced when rate_mbit is set: (first byte, last byte, job id) times."""
    fields = [("options", json.dumps(OPTIONS).encode())]
    parts = [("files", name.encode(), data) for name, data in files]
    body, content_type = multipart(fields if options_first else [], parts)
    if not options_first:  # the same parts, the options after the files
        boundary = content_type.split("boundary=")[1]
        closing = f"--{boundary}--\r\n".encode()
        body = (body[:-len(closing)] + f'--{boundary}\r\nContent-Disposition: form-data; '
                f'name="options"\r\n\r\n'.encode() + fields[0][1] + b"\r\n" + closing)
    head = (f"POST /v1/jobs HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 256 * 1024)
    bytes_per_second = rate_mbit * 1e6 / 8 if rate_mbit else None
    first = time.monotonic()
    send_paced(sock, head + body, first, 0, bytes_per_second, first + timeout)
    last = time.monotonic()
    answer = read_response(sock, True)
    sock.close()
    return first, last, created_job(*answer)


def record_goals(way, rate, total, tail, convert, last_image, images):
    """The summary's line for one way of sending a job on one link, against its goal."""
    name = (f"{images}-image job over HTTP" if way == "first" else
            "the same as tus uploads with await_uploads (the web app's way)")
    if rate is None:
        record("upload_to_ready", f"{name}, loopback, first byte to done", f"{total:.2f} s",
               f"<= 1.05x `convert` ({convert:.2f} s)",
               "met" if total / convert <= 1.05 else f"missed by {total / convert / 1.05 - 1:.0%}")
    else:
        record("upload_to_ready", f"{name}, {rate:g} Mbit/s, last byte to done", f"{tail:.2f} s",
               f"<= the last image alone ({last_image:.2f} s)",
               "met" if tail <= last_image else f"missed by {tail / last_image - 1:.0%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="build/release/imagesprint")
    parser.add_argument("--corpus", default="../shared/corpus")
    parser.add_argument("--copies", type=int, default=6, help="times the photos are repeated")
    parser.add_argument("--rate-mbit", type=float, default=100.0, help="the paced upload's rate")
    parser.add_argument("--repeats", type=int, default=2, help="runs per set-up; the median counts")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per job at most")
    args = parser.parse_args()

    files = corpus_files(args.corpus, args.copies)
    megabytes = sum(len(d) for _, d in files) / 1e6
    work = tempfile.mkdtemp(prefix="imagesprint-upload-bench-")
    server = None
    try:
        convert_runs, last_runs = [], []
        results = {}
        server, port = start_server(args.binary, os.path.join(work, "data"),
                                    ["--max-queued-images", "100000", "--max-active-jobs", "1000",
                                     "--max-stored-bytes", str(1 << 40)])
        token = signup(port)
        events = EventWatch(port, token, args.timeout)
        workers = os.cpu_count() or 1
        setups = [("loopback", None), (f"{args.rate_mbit:g} Mbit/s", args.rate_mbit)]
        for _ in range(args.repeats):
            convert_runs.append(time_convert(args.binary, files, work))
            last_runs.append(time_convert(args.binary, files[-1:], work))
            for link, rate in setups:
                for way in WAYS:
                    if way == "tus":
                        first, last, job = tus_job(port, token, files, rate, args.timeout)
                    else:
                        first, last, job = post_job(port, token, files, way == "first", rate,
                                                    args.timeout)
                    ended, kind = events.wait(job, first + args.timeout)
                    if kind != "job.completed":
                        raise RuntimeError(f"job {job} ended {kind}")
                    results.setdefault((link, way), []).append(
                        (ended - first, ended - last, last - first))
        events.close()

        def median(values):
            ordered = sorted(values)
            return ordered[len(ordered) // 2]

        convert = median(convert_runs)
        per_image = convert * workers / len(files)
        last_image = median(last_runs)
        print(f"## From the first upload byte to a finished job ({len(files)} images, "
              f"{megabytes:.0f} MB, {workers} workers, median of {args.repeats})\n")
        print(f"`imagesprint convert` on the same files: **{convert:.2f} s** "
              f"(an image takes a worker {per_image * 1000:.0f} ms on average; the last file, "
              f"{files[-1][0]}, alone: {last_image * 1000:.0f} ms)\n")
        print("| link | upload | upload s | first byte to done s | vs convert | "
              "last byte to done s | goal |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for link, rate in setups:
            for way in WAYS:
                options_first = way != "last"
                runs = results[(link, way)]
                total = median(r[0] for r in runs)
                tail = median(r[1] for r in runs)
                upload = median(r[2] for r in runs)
                if rate is None:
                    goal = f"<= 1.05x convert: {'met' if total / convert <= 1.05 else 'missed'}"
                else:
                    goal = (f"<= the last image ({last_image:.2f} s) after the upload: "
                            f"{'met' if tail <= last_image else 'missed'}")
                if options_first:
                    record_goals(way, rate, total, tail, convert, last_image, len(files))
                else:
                    goal = "baseline (nothing converts before the body ends)"
                print(f"| {link} | {WAY_NAMES[way]} | {upload:.2f} | "
                      f"{total:.2f} | {total / convert:.2f}x | {tail:.2f} | {goal} |")
        print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
