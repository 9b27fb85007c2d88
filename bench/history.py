#!/usr/bin/env python3
"""History benchmark: `stats` and `log --csv` over a generated 100,000-line log, against
two baselines measured in the same run (the machine is shared): `cat file > /dev/null`
(the disk, or rather the page cache) and the same weekly summary computed by a short
Python script over the same file. Each row gives the median and best wall time and the
peak RSS (`/usr/bin/time -v`, when installed); the load average is printed before and
after.

    python3 bench/history.py               # 100,000 lines
    python3 bench/history.py --lines 10000
    python3 bench/history.py --keep /tmp/sets.jsonl   # also leave the log there

The generated log is realistic: three sessions a week of 12 sets (squat, hack squat,
leg press), a morning-pain record after each session, pain and loads that wander.
Build first: cargo build --release.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "reptempo")


def generate(path, lines):
    rnd = random.Random(7)
    # Ends about a month before today, so every line is in the past and counts (a log
    # reaching into the future would be mostly warnings): 13 lines a session, a
    # session every 2.33 days on average (100,000 lines span some 49 years).
    days = int(lines / 13 * 2.34) + 30
    first = datetime.date.today() - datetime.timedelta(days=days)
    first -= datetime.timedelta(days=first.weekday())
    day = datetime.datetime(first.year, first.month, first.day, 18, 0,
                            tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    n = 0
    with open(path, "w") as f:
        while n < lines:
            session = day.isoformat(timespec="milliseconds")
            for b, exercise in enumerate(["Bilateral squat", "Hack squat", "Leg press"]):
                for s in range(1, 5):
                    start = day + datetime.timedelta(minutes=b * 15 + s * 3)
                    rec = {"kind": "set", "v": 1, "start": start.isoformat(timespec="milliseconds"),
                           "end": (start + datetime.timedelta(seconds=36)).isoformat(timespec="milliseconds"),
                           "preset": "hsr", "exercise": exercise, "side": "both", "set": s, "sets": 4,
                           "planned_reps": 6, "done_reps": rnd.choice([5, 6, 6, 6]), "hold_s": None,
                           "tempo": "3-0-3-0", "tut_s": 36.0,
                           "load": {"value": 60 + rnd.randint(0, 40) / 2, "unit": "kg"},
                           "pain": rnd.choice([None, 1, 2, 3, 4]), "rpe": rnd.choice([None, 7, 8, 8.5]),
                           "note": rnd.choice([None, "ok", "knee, a \"bit\" stiff"]), "status": "done",
                           "session": session, "week": None}
                    f.write(json.dumps(rec, separators=(",", ":")) + "\n")
                    n += 1
            at = (day + datetime.timedelta(hours=13)).isoformat(timespec="milliseconds")
            f.write(json.dumps({"kind": "pain", "v": 1, "at": at, "pain": rnd.randint(0, 3), "note": None},
                               separators=(",", ":")) + "\n")
            n += 1
            day += datetime.timedelta(days=rnd.choice([2, 2, 3]))


BASELINE = r'''
import json, sys, datetime, collections
weeks = collections.defaultdict(lambda: [set(), 0, 0, 0.0, 0.0, []])
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("kind") != "set":
        continue
    y, w, _ = datetime.date.fromisoformat(r["start"][:10]).isocalendar()
    acc = weeks[(y, w)]
    acc[0].add(r["session"]); acc[1] += 1; acc[2] += r["done_reps"] or 0
    acc[3] += (r["done_reps"] or 0) * (r["load"] or {}).get("value", 0); acc[4] += r["tut_s"]
    if r["pain"] is not None: acc[5].append(r["pain"])
for k in sorted(weeks):
    a = weeks[k]
    print(k, len(a[0]), a[1], a[2], round(a[3]), round(a[4]), sum(a[5]) / len(a[5]) if a[5] else None)
'''


def timed(args, runs):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        times.append((time.monotonic() - t) * 1000)
    return statistics.median(times), min(times)


def peak_rss_and_cpu(args):
    """Peak resident memory (MiB) and user + system CPU (ms) of one run, from GNU time:
    on a shared machine the CPU time says more than the wall time."""
    if not os.path.exists("/usr/bin/time"):
        return None, None
    out = subprocess.run(["/usr/bin/time", "-v", *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True).stderr
    rss, cpu = None, 0.0
    for line in out.splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1]) / 1024
        if "User time (seconds)" in line or "System time (seconds)" in line:
            cpu += float(line.split(":")[1]) * 1000
    return rss, cpu


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", metavar="PATH", help="also write the generated log here")
    ap.add_argument("--before", metavar="BIN", help="also time this reptempo binary (an older build)")
    opts = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="reptempo-history-")
    log = os.path.join(tmp, "sets.jsonl")
    generate(log, opts.lines)
    if opts.keep:
        generate(opts.keep, opts.lines)
    size = os.path.getsize(log) / 1e6
    base = os.path.join(tmp, "baseline.py")
    open(base, "w").write(BASELINE)
    rows = [
        ("cat file > /dev/null (baseline)", ["cat", log]),
        ("reptempo stats", [BIN, "stats", "--log", log]),
        ("reptempo log --csv", [BIN, "log", "--csv", "--log", log]),
        ("python weekly summary (baseline)", [sys.executable, base, log]),
    ]
    if opts.before:
        rows[1:1] = [
            ("reptempo stats, --before build", [opts.before, "stats", "--log", log]),
            ("reptempo log --csv, --before build", [opts.before, "log", "--csv", "--log", log]),
        ]
    print(f"log: {opts.lines} lines, {size:.1f} MB; median and best of {opts.runs} runs; "
          f"{os.cpu_count()} CPUs; load average {load_average()}")
    print("| command | median | best | x cat (median) | peak RSS | CPU of one run |")
    print("| --- | --- | --- | --- | --- | --- |")
    cat_median = None
    for name, args in rows:
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)  # warm the cache
        med, best = timed(args, opts.runs)
        cat_median = cat_median or med
        rss, cpu = peak_rss_and_cpu(args)
        rss = f"{rss:.1f} MiB" if rss is not None else "-"
        cpu = f"{cpu:.0f} ms" if cpu is not None else "-"
        print(f"| {name} | {med:.1f} ms | {best:.1f} ms | {med / cat_median:.1f} | {rss} | {cpu} |")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
