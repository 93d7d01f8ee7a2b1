"""What the service benchmarks share: starting `imagesprint serve` on a free loopback port, plain
HTTP requests to it, signing up, and multipart bodies. Standard library only; 127.0.0.1 only."""
import http.client
import json
import re
import subprocess
import uuid

HOST = "127.0.0.1"


def start_server(binary, data, extra=()):
    """`imagesprint serve` on a free port of 127.0.0.1: (process, port)."""
    proc = subprocess.Popen(
        [binary, "serve", "--listen", f"{HOST}:0", "--data", data, "--log-level", "error", *extra],
        stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    raise RuntimeError("the server did not start")


def request(port, method, path, body=None, headers=None, timeout=30, errors_as_status=False):
    """(status, body bytes). With errors_as_status, a failed connection is (0, its message)."""
    c = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    except OSError as e:
        if errors_as_status:
            return 0, str(e).encode()
        raise
    finally:
        c.close()


def signup(port):
    """A new user's bearer token, or None when sign-up is refused."""
    email = f"u{uuid.uuid4().hex[:12]}@example.com"
    status, body = request(port, "POST", "/v1/auth/signup",
                           json.dumps({"email": email, "password": "long enough password"}),
                           {"Content-Type": "application/json"})
    return json.loads(body)["token"] if status == 201 else None


def multipart(fields, files=()):
    """(body, content type): fields are (name, bytes), files (field, filename bytes, data)."""
    b = "b" + uuid.uuid4().hex
    out = b""
    for name, value in fields:
        out += f'--{b}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
    for name, filename, data in files:
        out += (f'--{b}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode() + filename +
                b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + data + b"\r\n")
    return out + f"--{b}--\r\n".encode(), f"multipart/form-data; boundary={b}"


def percentile(values, p):
    """The p-th percentile (nearest rank) of `values`; NaN when there are none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def sse_frame(frame):
    """One Server-Sent Events frame (bytes between blank lines): (event type, data text)."""
    kind, payload = "message", []
    for line in frame.decode().split("\n"):
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            payload.append(line[6:])
    return kind, "\n".join(payload)
