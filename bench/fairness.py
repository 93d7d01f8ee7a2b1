#!/usr/bin/env python3
"""Fair scheduling across users, measured on a real `imagesprint serve` on 127.0.0.1.

User A posts a job of 50 corpus photos; a second later user B posts a job of one. The queue
serves users in turn (TaskQueue contract), so B's job should end long before A's: the goal
(performance issue) is that B is done before A is 20% done. A's images convert while its upload
arrives, so A has some done before B even comes: the goal is judged on what B waited for, the
share of A converted between B's post and B's end; how far A had got in all is printed too.
Reports when each job ended. Every loop is bounded in count and in time; every request goes to
127.0.0.1.

  python3 bench/fairness.py --binary build/release/imagesprint [--corpus ../shared/corpus]
        [--workers 2] [--images 50]
"""
import argparse
import json
import os
import tempfile
import time
import uuid

from service_client import HOST  # noqa: E402  (bench/ is on sys.path when run as a script)
import service_client
from summary import record
DEADLINE = time.monotonic() + 600  # the whole run stops by itself within 10 minutes
GOAL_PERCENT = 20.0


def start_server(binary, data, workers):
    return service_client.start_server(
        binary, data, ["--workers", str(workers), "--max-queued-images", "1000",
                       "--max-active-jobs", "10"])


def request(port, method, path, body=None, headers=None, timeout=120):
    return service_client.request(port, method, path, body, headers, timeout)


def signup(port):
    token = service_client.signup(port)
    if token is None:
        raise RuntimeError("sign-up was refused")
    return token


def post_job(port, token, files):
    b = "b" + uuid.uuid4().hex
    out = b""
    options = json.dumps({"width": 1280, "format": "webp", "quality": 80}).encode()
    out += f'--{b}\r\nContent-Disposition: form-data; name="options"\r\n\r\n'.encode() + options + b"\r\n"
    for name, data in files:
        out += (f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                f'Content-Type: application/octet-stream\r\n\r\n').encode() + data + b"\r\n"
    out += f"--{b}--\r\n".encode()
    status, body = request(port, "POST", "/v1/jobs", out,
                           {"Authorization": f"Bearer {token}",
                            "Content-Type": f"multipart/form-data; boundary={b}"})
    if status != 201:
        raise RuntimeError(f"POST /v1/jobs answered {status}: {body[:300]!r}")
    return json.loads(body)["id"]


def job(port, token, job_id):
    status, body = request(port, "GET", f"/v1/jobs/{job_id}",
                           headers={"Authorization": f"Bearer {token}"})
    return json.loads(body) if status == 200 else {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="build/release/imagesprint")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../shared/corpus"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--images", type=int, default=50)
    args = parser.parse_args()

    photos_dir = os.path.join(args.corpus, "photos")
    photos = sorted(f for f in os.listdir(photos_dir) if f.endswith(".jpg"))
    big = [(f"a{i}-{photos[i % len(photos)]}", open(os.path.join(photos_dir, photos[i % len(photos)]), "rb").read())
           for i in range(args.images)]
    small = [("b-" + photos[0], open(os.path.join(photos_dir, photos[0]), "rb").read())]

    with tempfile.TemporaryDirectory(prefix="imagesprint-fairness-") as data:
        proc, port = start_server(args.binary, data, args.workers)
        try:
            a, b = signup(port), signup(port)
            t0 = time.monotonic()
            a_job = post_job(port, a, big)
            a_posted = time.monotonic() - t0
            time.sleep(1.0)
            # A's images convert while its upload arrives: count what it had done when B came.
            a_before_b = job(port, a, a_job)
            a_done_when_b_posted = a_before_b.get("done", 0) + a_before_b.get("failed", 0)
            b_job = post_job(port, b, small)
            b_posted = time.monotonic() - t0
            b_done_at = a_done_at = None
            a_done_when_b_ended = None
            while time.monotonic() < DEADLINE and (b_done_at is None or a_done_at is None):
                ja, jb = job(port, a, a_job), job(port, b, b_job)
                now = time.monotonic() - t0
                if b_done_at is None and jb.get("status") in ("done", "partial", "failed"):
                    b_done_at = now
                    a_done_when_b_ended = ja.get("done", 0) + ja.get("failed", 0)
                if a_done_at is None and ja.get("status") in ("done", "partial", "failed"):
                    a_done_at = now
                time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    if b_done_at is None or a_done_at is None:
        print("fairness: did not finish within the time bound")
        return 1
    percent = 100.0 * a_done_when_b_ended / args.images
    # What B waited for: A's images converted between B's post and B's end.
    waited = a_done_when_b_ended - a_done_when_b_posted
    waited_percent = 100.0 * waited / args.images
    print(f"fairness ({args.workers} workers, {args.images}-image job A, then a 1-image job B):")
    print(f"  A posted (upload done) at {a_posted:6.2f} s, B posted at {b_posted:6.2f} s")
    print(f"  B's job ended at {b_done_at:6.2f} s ({b_done_at - b_posted:.2f} s after its upload)")
    print(f"  A's job ended at {a_done_at:6.2f} s")
    verdict = "met" if waited_percent < GOAL_PERCENT else "missed"
    record("fairness", f"A's {args.images}-image job: share converted while B's 1-image job waited",
           f"{waited_percent:.0f}% ({percent:.0f}% of A done when B ended, "
           f"{100.0 * a_done_when_b_posted / args.images:.0f}% before B came)",
           f"< {GOAL_PERCENT:.0f}%", verdict)
    print(f"  A had {a_done_when_b_posted}/{args.images} images done when B was posted (they convert "
          f"while A's upload arrives) and {a_done_when_b_ended}/{args.images} when B ended: "
          f"{percent:.0f}%")
    print(f"  B waited for {waited} of A's images: {waited_percent:.0f}% of A "
          f"(goal: under {GOAL_PERCENT:.0f}%: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
