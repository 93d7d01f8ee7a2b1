"""One report for `make bench`: every headline figure beside its peer or its goal.

Each benchmark script prints its own detailed report and, when IMAGESPRINT_BENCH_SUMMARY names a
file, also appends its headline figures to it (record()), one JSON object a line. Run as a
script, this prints them as one table, after the engine's goals against sharp taken from
imagesprint-bench's report (bench/results/latest.md). `make bench` empties the file first and
prints the table last. Standard library only.
"""
import json
import os
import sys

ENV = "IMAGESPRINT_BENCH_SUMMARY"


def record(benchmark, figure, measured, against, verdict):
    """Adds one line to the summary: `measured` (text with its unit) against `against` (the
    peer's figure or the goal), `verdict` ("met", "missed by ...", or "" for a figure without a
    goal). Nothing happens when the script runs on its own (no IMAGESPRINT_BENCH_SUMMARY)."""
    path = os.environ.get(ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"benchmark": benchmark, "figure": figure, "measured": measured,
                            "against": against, "verdict": verdict}) + "\n")


def engine_goals(report_path):
    """The "Goals against sharp" lists of imagesprint-bench's report, under their task titles."""
    if not os.path.exists(report_path):
        return []
    lines, title, keep = [], None, False
    with open(report_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## T"):
                title, keep = line[3:].strip(), False
            elif line.startswith("Goals against sharp"):
                keep = True
                lines.append(f"{title}:")
            elif keep and line.startswith("- "):
                lines.append(line.rstrip())
            elif keep and not line.strip() and lines and lines[-1].startswith("- "):
                keep = False
    return lines


def main(argv):
    path = argv[1] if len(argv) > 1 else os.environ.get(ENV, "bench/results/summary.jsonl")
    report = argv[2] if len(argv) > 2 else "bench/results/latest.md"
    print("# make bench: the figures against their peers and goals\n")
    goals = engine_goals(report)
    if goals:
        print("The engine against sharp (imagesprint-bench):\n")
        print("\n".join(goals) + "\n")
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    print("| benchmark | figure | measured | peer or goal | verdict |")
    print("| --- | --- | ---: | --- | --- |")
    for r in rows:
        print(f"| {r['benchmark']} | {r['figure']} | {r['measured']} | {r['against']} | "
              f"{r['verdict']} |")
    missed = sum(1 for r in rows if r["verdict"].startswith("missed"))
    print(f"\n{len(rows)} figures, {missed} goals missed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
