#!/usr/bin/env python3
"""ImageSprint from a program, with Python's standard library only: upload images with one set
of options, follow the job over its Server-Sent Events stream until it ends, download the ZIP.

    python3 imagesprint_client.py --url http://127.0.0.1:8080 --token isk_... \\
        --options '{"width": 1280, "format": "webp"}' --out result.zip a.jpg b.heic

--token is an API key (Settings > API keys in the web app, or POST /v1/api-keys) or a session
token; IMAGESPRINT_TOKEN works too. Prints each event; exits 1 when the job failed.
"""
import argparse
import json
import mimetypes
import os
import sys
import urllib.request
import uuid
from pathlib import Path

FINAL = {"done", "partial", "failed", "canceled", "expired"}


def call(base, token, method, path, body=None, headers=None):
    """One request; an HTTP error raises urllib.error.HTTPError (its body is the JSON error). The
    token is not sent on along a redirect: a download may answer 302 to a presigned link of the
    object store, which must not see it (and S3 refuses a request with two kinds of auth)."""
    request = urllib.request.Request(base + path, body, headers or {}, method=method)
    request.add_unredirected_header("Authorization", f"Bearer {token}")
    return urllib.request.urlopen(request)


def multipart(fields, files):
    """A multipart/form-data body: text fields first (the server checks the options before it
    stores any image), then the files."""
    boundary = uuid.uuid4().hex
    body = bytearray()
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += f"{value}\r\n".encode()
    for name, path in files:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        filename = path.name.replace('"', "%22")
        body += (f"--{boundary}\r\n"
                 f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: {kind}\r\n\r\n").encode()
        body += path.read_bytes() + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"


def events(stream):
    """Server-Sent Events from a response: yields (event, data); heartbeats (comments) skipped."""
    event, data = "message", []
    for raw in stream:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)


def wait(base, token, job_id):
    """The job once it has ended: its stream's snapshot, then progress, until job.completed or
    job.failed. A stream that closes early is opened again (the new one starts with a snapshot)."""
    while True:
        accept = {"Accept": "text/event-stream"}
        with call(base, token, "GET", f"/v1/jobs/{job_id}/events", headers=accept) as stream:
            for event, data in events(stream):
                payload = json.loads(data)
                if event == "progress":
                    image = payload["image"]
                    count = payload["done"] + payload["failed"]
                    print(f"  {count}/{payload['total']}: {image['source_name']} {image['status']}")
                elif event in ("snapshot", "job.completed", "job.failed"):
                    if payload.get("status") in FINAL:
                        return payload


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--url", default=os.environ.get("IMAGESPRINT_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("IMAGESPRINT_TOKEN"))
    parser.add_argument("--options", default="{}", help="the conversion options as JSON")
    parser.add_argument("--out", type=Path, default=Path("result.zip"))
    args = parser.parse_args()
    base = args.url.rstrip("/")

    body, content_type = multipart([("options", args.options)], [("files", f) for f in args.files])
    headers = {"Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())}
    with call(base, args.token, "POST", "/v1/jobs", body, headers) as response:
        job = json.load(response)
    print(f"job {job['id']}: {job['total']} images, {job['status']}")

    job = wait(base, args.token, job["id"])
    print(f"job {job['id']}: {job['status']}, {job['done']} converted, {job['failed']} failed")
    if job["status"] in ("done", "partial", "canceled"):
        archive = call(base, args.token, "GET", f"/v1/jobs/{job['id']}/archive")
        with archive, args.out.open("wb") as out:
            while chunk := archive.read(1 << 16):
                out.write(chunk)
        print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 1 if job["status"] == "failed" else 0


if __name__ == "__main__":
    sys.exit(main())
