#!/usr/bin/env python3
"""Timing benchmark: reptempo's session loop against a naive sleep-after-each-cue timer.

Runs the same plan twice at the same time, once on reptempo's clock (waits until each
cue's absolute due time) and once on the naive baseline (`--clock naive`: sleeps the
plan's gap after each cue, as a simple metronome app does), both with --trace. Reports
per-cue lateness (issued - due) p50 / p99 / max, the end-of-session drift, and the CPU
time of each process against its wall time.

    python3 bench/timing.py                 # 10-minute cadence plan, idle machine
    python3 bench/timing.py --load          # the same with both cores kept busy
    python3 bench/timing.py --minutes 1     # a quick look

As root, a third run (reptempo as the unprivileged user 65534, so without real-time
priority) shows what SCHED_FIFO buys; the load average is printed with the figures.

Build first: cargo build --release.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "reptempo")


def percentile(values, q):
    """Linear interpolation between closest ranks."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def start(clock, minutes, trace, unprivileged=False):
    # As root, reptempo waits for cues at real-time priority (SCHED_FIFO); as an
    # unprivileged user it cannot, which is the other half of the comparison.
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if unprivileged else []
    args = prefix + [BIN, "start", "cadence", "--plain", "--no-log", "--no-bell", "--lead-in", "0",
            "--duration", f"{minutes}m", "--clock", clock, "--trace", trace]
    return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def summarise(name, trace, rusage, wall):
    rows = [json.loads(line) for line in open(trace)]
    late = [(r["issued_s"] - r["due_s"]) * 1000 for r in rows]
    # Drift: where the last cue landed against where the first one did, minus the plan.
    first, last = rows[0], rows[-1]
    drift = ((last["issued_s"] - first["issued_s"]) - (last["offset_s"] - first["offset_s"])) * 1000
    cpu = rusage.ru_utime + rusage.ru_stime
    return {
        "timer": name, "cues": len(rows),
        "p50_ms": percentile(late, 0.50), "p99_ms": percentile(late, 0.99), "max_ms": max(late),
        "drift_ms": drift, "cpu_s": cpu, "wall_s": wall, "cpu_pct": 100 * cpu / wall,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--load", action="store_true", help="keep both cores busy meanwhile")
    ap.add_argument("--json", action="store_true")
    opts = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="reptempo-bench-")
    hogs = []
    if opts.load:
        hogs = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(os.cpu_count() or 2)]
    try:
        os.chmod(tmp, 0o777)
        names = ["reptempo", "naive"]
        if os.geteuid() == 0:
            names.insert(1, "reptempo-unprivileged")
        traces = {name: os.path.join(tmp, f"{name}.jsonl") for name in names}
        t0 = time.monotonic()
        procs = {
            "reptempo": start("monotonic", opts.minutes, traces["reptempo"]),
            "naive": start("naive", opts.minutes, traces["naive"]),
        }
        if "reptempo-unprivileged" in traces:
            procs["reptempo-unprivileged"] = start(
                "monotonic", opts.minutes, traces["reptempo-unprivileged"], unprivileged=True)
        results = []
        for name, proc in procs.items():
            _, status, rusage = os.wait4(proc.pid, 0)
            proc.returncode = status
            results.append(summarise(name, traces[name], rusage, time.monotonic() - t0))
    finally:
        for h in hogs:
            h.kill()
    if opts.json:
        print(json.dumps(results, indent=2))
        return
    print(f"plan: cadence 170/min for {opts.minutes:g} min, load: {'2 busy loops' if opts.load else 'none'}, "
          f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    print("| timer | cues | lateness p50 | p99 | max | end drift | CPU | CPU / wall |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['timer']} | {r['cues']} | {r['p50_ms']:.3f} ms | {r['p99_ms']:.3f} ms | "
              f"{r['max_ms']:.3f} ms | {r['drift_ms']:+.3f} ms | {r['cpu_s']:.3f} s | {r['cpu_pct']:.3f} % |")


if __name__ == "__main__":
    main()
