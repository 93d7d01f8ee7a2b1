#!/usr/bin/env python3
"""Peak memory of one conversion: every corpus file under every option set, each in its own
`imagesprint convert -j 1` process, its peak RSS read from the kernel (wait4's ru_maxrss).

The bound is by design: the input is at most max_pixels (100 MP) from its header, the output at
most max_output_pixels (100 MP) from the header and the options, progressive JPEGs at most 50 MP,
and libvips streams the pixels in between. This prints the worst pairs, so the bound is seen.
Bounded: one process at a time, stops starting new ones after --seconds.

  python3 bench/conversion_memory.py --binary build/release/imagesprint --corpus ../shared/corpus
"""
import argparse
import os
import subprocess
import tempfile
import time

OPTION_SETS = {
    "as is": [],
    "100 MP fill, JPEG": ["--width", "10000", "--height", "10000", "--fit", "fill", "--enlarge",
                          "--format", "jpeg"],
    "7000 outside, WebP": ["--width", "7000", "--height", "7000", "--fit", "outside", "--enlarge",
                           "--format", "webp"],
    "AVIF, watermark": ["--format", "avif", "--watermark-text", "ImageSprint 사진"],
    "1280 cover, PNG palette": ["--width", "1280", "--height", "1280", "--fit", "cover",
                                "--gravity", "attention", "--format", "png", "--palette"],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/release/imagesprint")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))
    ap.add_argument("--seconds", type=float, default=900)
    args = ap.parse_args()
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.corpus) for f in fs
                   if not f.endswith(".md"))
    stop_at = time.monotonic() + args.seconds
    rows = []
    with tempfile.TemporaryDirectory() as out:
        for name, options in OPTION_SETS.items():
            for path in files:
                if time.monotonic() > stop_at:
                    break
                proc = subprocess.Popen([args.binary, "convert", path, "-o", out, "-j", "1", *options],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                started = time.monotonic()
                _, status, usage = os.wait4(proc.pid, 0)
                rows.append((usage.ru_maxrss / 1024, name, os.path.relpath(path, args.corpus),
                             time.monotonic() - started, os.waitstatus_to_exitcode(status)))
    rows.sort(reverse=True)
    print(f"{len(rows)} conversions ({len(files)} files x {len(OPTION_SETS)} option sets)")
    print("| peak RSS (MiB) | options | input | seconds | exit |")
    print("| ---: | --- | --- | ---: | ---: |")
    for rss, name, path, seconds, code in rows[:8]:
        print(f"| {rss:.0f} | {name} | {path} | {seconds:.2f} | {code} |")
    print(f"median peak RSS: {rows[len(rows) // 2][0]:.0f} MiB")


if __name__ == "__main__":
    main()
