#!/usr/bin/env python3
"""Peak memory of one conversion: every corpus file under every option set, each in its own
`imagesprint convert -j 1` process, its peak RSS read from the kernel (wait4's ru_maxrss), beside
the engine's own estimate of that peak (imaging/memory_estimate.hpp, printed by the CLI), which
is what the process reserves from its memory budget before decoding.

The bound is by design: the input is at most max_pixels (100 MP) from its header, the output at
most max_output_pixels (100 MP) from the header and the options, progressive JPEGs at most 50 MP,
and libvips streams the pixels in between. This prints the worst pairs, so the bound is seen, and
how many pairs went over their estimate. Then the heaviest option set on the files with the
largest estimates, several at once in one process, with and without a memory budget: the
budget is what keeps a process's conversions together under it.
Bounded: one process at a time, stops starting new ones after --seconds.

  python3 bench/conversion_memory.py --binary build/release/imagesprint --corpus ../shared/corpus
"""
import argparse
import os
import re
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
                rss, estimate, seconds, code = run(args.binary, [path], out, options, jobs=1)
                rows.append((rss, estimate, name, os.path.relpath(path, args.corpus), seconds, code))
        rows.sort(reverse=True)
        print(f"{len(rows)} conversions ({len(files)} files x {len(OPTION_SETS)} option sets)")
        print("| peak RSS (MiB) | estimate (MiB) | options | input | seconds | exit |")
        print("| ---: | ---: | --- | --- | ---: | ---: |")
        for rss, estimate, name, path, seconds, code in rows[:8]:
            print(f"| {rss:.0f} | {estimate:.0f} | {name} | {path} | {seconds:.2f} | {code} |")
        print(f"median peak RSS: {rows[len(rows) // 2][0]:.0f} MiB")
        measured = [r for r in rows if r[1] > 0]
        over = [r for r in measured if r[0] > r[1]]
        print(f"over their estimate: {len(over)} of {len(measured)} converted pairs"
              + (f"; worst {max(r[0] / r[1] for r in over):.2f}x" if over else ""))

        # Several heavy conversions at once in one process: the budget keeps them under it.
        heavy = "7000 outside, WebP"
        biggest = sorted((r for r in rows if r[2] == heavy and r[5] == 0), key=lambda r: -r[1])[:4]
        if len(biggest) >= 2 and time.monotonic() < stop_at + args.seconds:
            inputs = [os.path.join(args.corpus, r[3]) for r in biggest]
            print(f"\n{len(inputs)} conversions at once ({heavy}: {', '.join(r[3] for r in biggest)})")
            print("| memory budget | peak RSS (MiB) | seconds |")
            print("| --- | ---: | ---: |")
            for budget in (0, 1024, 512):
                rss, _, seconds, _ = run(args.binary, inputs, out, OPTION_SETS[heavy],
                                         jobs=len(inputs), budget=budget)
                label = "none" if budget == 0 else f"{budget} MiB"
                print(f"| {label} | {rss:.0f} | {seconds:.2f} |")


def run(binary, inputs, out, options, jobs, budget=None):
    """One `imagesprint convert` process: (peak RSS MiB, its largest estimate MiB, s, exit)."""
    extra = [] if budget is None else ["--memory-budget", str(budget)]
    proc = subprocess.Popen([binary, "convert", *inputs, "-o", out, "-j", str(jobs), *options,
                             *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.monotonic()
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    found = re.search(r"largest estimated peak ([0-9.]+) (MiB|KiB)", err)
    estimate = 0.0
    if found:
        estimate = float(found.group(1)) / (1024 if found.group(2) == "KiB" else 1)
    return (usage.ru_maxrss / 1024, estimate, time.monotonic() - started,
            os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
