#!/usr/bin/python3
"""Compile cost: time and peak memory of the compiler for each example, each generated deep
scalar graph (deepN), the generated deep tensor network (deepnet50) and W1's tapeless translation
unit (w1_tapeless), deep100's Hessian-vector product (deep100_hvp) and an H v of W1's network
(w1_hvp), with the exact command CMake uses (from compile_commands.json), under /usr/bin/time -v.
The time is the compiler's CPU time (user + system): the compiler is single-threaded, so on an
idle machine this equals the wall-clock time, and on a shared machine it does not count the time
spent waiting for a core. The wall-clock time is printed to stderr as a detail.
Only the object file and dependency file are redirected into a scratch directory. Each
translation unit is compiled RUNS times, the rounds interleaved; the medians are printed:
    compile <target> <seconds> s <peak MB> MB
then the growth exponent between deep100 and deep400 (time and memory ~ n^k):
    compile growth deep100-deep400 time n^<k> memory n^<k>
Budgets (checked on stderr, '# ... over budget' when exceeded): examples 10 s / 1 GB, deep400
10 s / 500 MB, w1_tapeless 15 s / 1.5 GB, deepnet50 60 s / 2.5 GB.

Usage: compile_cost.py BUILD_DIR RUNS
"""
import json
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile


def targets(build):
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    examples, deep, tensor = [], [], []
    for e in entries:
        src = e["file"]
        stem = os.path.splitext(os.path.basename(src))[0]
        if os.sep + "examples" + os.sep in src:
            examples.append((stem, e))
        elif re.fullmatch(r"deep\d+(_hvp)?", stem):
            deep.append((stem, e))
        elif re.fullmatch(r"deepnet\d+", stem) or (stem in ("w1_tapeless", "w1_hvp") and os.sep + "benchmarks" + os.sep in src):
            tensor.append((stem, e))
    examples.sort(key=lambda t: t[0])
    deep.sort(key=lambda t: (int(t[0][4:].split("_")[0]), t[0]))
    tensor.sort(key=lambda t: t[0], reverse=True)  # w1_tapeless, w1_hvp, then deepnet50
    return examples + deep + tensor


def budget(name, examples):
    """(seconds, MB) allowed for this translation unit, or None."""
    if name == "w1_tapeless":
        return 15, 1536
    if re.fullmatch(r"deepnet\d+", name):
        return 60, 2560
    if name == "deep400":
        return 10, 500
    if name in examples:
        return 10, 1024
    return None


def scratch_command(entry, scratch, name):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "-MF", "-MT", "-MQ") and i + 1 < len(args):
            repl = {"-o": f"{name}.o", "-MF": f"{name}.d", "-MT": f"{name}.o", "-MQ": f"{name}.o"}[a]
            out += [a, os.path.join(scratch, repl)]
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def measure(cmd, cwd, scratch):
    report = os.path.join(scratch, "time.txt")
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", report] + cmd, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"compile_cost.py: the compile failed: {shlex.join(cmd)}")
    text = open(report).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): (\S+)", text).group(1)) for kind in ("User", "System"))
    return seconds, rss_kb / 1024.0, cpu


def main():
    build, runs = sys.argv[1], int(sys.argv[2])
    tus = targets(build)
    examples = {name for name, e in tus if os.sep + "examples" + os.sep in e["file"]}
    if not tus:
        raise SystemExit("compile_cost.py: no example or deep graph in compile_commands.json")
    samples = {name: [] for name, _ in tus}
    with tempfile.TemporaryDirectory(prefix="tapeless-compile-") as scratch:
        for _ in range(runs):
            for name, entry in tus:
                cmd = scratch_command(entry, scratch, name)
                samples[name].append(measure(cmd, entry["directory"], scratch))
    medians = {}
    for name, _ in tus:
        wall = statistics.median(s[0] for s in samples[name])
        m = statistics.median(s[1] for s in samples[name])
        t = statistics.median(s[2] for s in samples[name])
        medians[name] = (t, m)
        print(f"compile {name} {t:.2f} s {m:.0f} MB", flush=True)
        b = budget(name, examples)
        verdict = ""
        if b:
            verdict = f"; budget {b[0]} s {b[1]} MB: " + ("ok" if t <= b[0] and m <= b[1] else "over budget")
        print(f"# compile {name} user+sys {t:.2f} s, wall {wall:.2f} s (medians of {runs}){verdict}",
              file=sys.stderr, flush=True)
    if "deep100" in medians and "deep400" in medians:
        (t1, m1), (t4, m4) = medians["deep100"], medians["deep400"]
        kt = math.log(t4 / t1) / math.log(4)
        km = math.log(m4 / m1) / math.log(4)
        print(f"compile growth deep100-deep400 time n^{kt:.2f} memory n^{km:.2f}", flush=True)


if __name__ == "__main__":
    main()
