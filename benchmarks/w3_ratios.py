#!/usr/bin/python3
"""Reads Google Benchmark JSON output of bench_w3 and prints one line per comparison:
    <workload> tapeless/<reference> <ratio>
where ratio = median time per gradient of tapeless / median time per gradient of the reference,
both from the same run (repetitions randomly interleaved). Times are the thread's CPU time per
iteration divided by the number of points (gradients) per iteration. Details go to stderr.

Usage: w3_ratios.py RESULT.json
"""
import json
import math
import statistics
import sys


def fmt(r):
    """Two decimals; small ratios keep two significant digits (0.00031)."""
    if r >= 0.1 or r <= 0:
        return f"{r:.2f}"
    return f"{r:.{1 - math.floor(math.log10(r))}f}"


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    per_point = {}  # "W3a/tapeless" -> [ns per gradient, one per repetition]
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        ns = b["cpu_time"] * scale[b["time_unit"]] / b["points"]
        per_point.setdefault(b["run_name"], []).append(ns)
    workloads = sorted({name.split("/")[0] for name in per_point})
    for wl in workloads:
        mine = per_point.get(f"{wl}/tapeless")
        if not mine:
            continue
        t = statistics.median(mine)
        refs = sorted(n.split("/", 1)[1] for n in per_point if n.startswith(wl + "/") and not n.endswith("/tapeless"))
        # hand-written first, then the others alphabetically
        refs.sort(key=lambda r: (r != "handwritten", r))
        detail = [f"tapeless {t:.3g}"]
        for ref in refs:
            r = statistics.median(per_point[f"{wl}/{ref}"])
            detail.append(f"{ref} {r:.3g}")
            print(f"{wl} tapeless/{ref} {fmt(t / r)}", flush=True)
        n = len(mine)
        print(f"# {wl} ns per gradient, CPU-time median of {n} repetitions: " + ", ".join(detail),
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
