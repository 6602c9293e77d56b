#!/usr/bin/python3
"""Reads Google Benchmark JSON output (bench_w1, bench_w2, bench_w3) and prints one line per
comparison:
    <workload> tapeless/<reference> <ratio>
where ratio = median time of tapeless / median time of the reference, both from the same run
(repetitions randomly interleaved). Times are the thread's CPU time per iteration divided by the
work per iteration: the counter "points" (gradients, W3) or "steps" (SGD steps, W1 and W2).
Details go to stderr as '#' lines: the absolute medians (ns per gradient, or us per step) and
the spread of the repetitions, (max - min) / median, as a measure of the noise.

Usage: ratios.py RESULT.json
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
    per_unit = {}  # "W3a/tapeless" -> [time per gradient or step, one per repetition]
    unit = {}  # workload -> ("ns per gradient", divisor of ns) or ("us per step", ...)
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        ns = b["cpu_time"] * scale[b["time_unit"]]
        wl = b["run_name"].split("/")[0]
        if "steps" in b:
            per_unit.setdefault(b["run_name"], []).append(ns / b["steps"] / 1e3)
            unit[wl] = "us per step"
        else:
            per_unit.setdefault(b["run_name"], []).append(ns / b["points"])
            unit[wl] = "ns per gradient"
    workloads = sorted({name.split("/")[0] for name in per_unit})
    for wl in workloads:
        mine = per_unit.get(f"{wl}/tapeless")
        if not mine:
            continue
        t = statistics.median(mine)
        refs = sorted(n.split("/", 1)[1] for n in per_unit if n.startswith(wl + "/") and not n.endswith("/tapeless"))
        # hand-written first, then the others alphabetically
        refs.sort(key=lambda r: (r != "handwritten", r))

        def detail(name, xs):
            m = statistics.median(xs)
            return f"{name} {m:.3g} (spread {100 * (max(xs) - min(xs)) / m:.0f}%)"

        details = [detail("tapeless", mine)]
        for ref in refs:
            xs = per_unit[f"{wl}/{ref}"]
            details.append(detail(ref, xs))
            print(f"{wl} tapeless/{ref} {fmt(t / statistics.median(xs))}", flush=True)
        print(f"# {wl} {unit[wl]}, CPU-time median of {len(mine)} repetitions: " + ", ".join(details),
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
