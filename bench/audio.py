#!/usr/bin/env python3
"""Sound benchmark: cue onsets in what reptempo actually played, against the plan.

Uses the headless audio rig in ../shared/rig (a PulseAudio null sink that rodio opens as
the default device, a recorder on its monitor, and an onset meter). Plays the same plan
twice, one after the other, recording each:

- reptempo: one long-lived source renders the cue track at exact sample positions;
- naive: `--clock naive`, each cue's sound handed to rodio's mixer by its own call after
  a sleep, as a simple metronome app does.

Each recording's onsets are compared with the plan (`show --json`), relative to the
first cue: max |error|, p99, drift in ms per minute.

    python3 bench/audio.py                  # 10-minute cadence plan (about 21 minutes)
    python3 bench/audio.py --minutes 1      # a quick look

Build first: cargo build --release. Needs the rig's packages (rig/start installs them).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, "target", "release", "reptempo")
RIG = os.environ.get("RIG", os.path.join(ROOT, "..", "shared", "rig"))


def rig_env():
    out = subprocess.run([os.path.join(RIG, "start")], capture_output=True, text=True, check=True).stdout
    env = dict(os.environ)
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = value.strip("'\"")
    return env


def plan_offsets(args, env):
    out = subprocess.run([BIN, "show", "--json", *args], capture_output=True, text=True, check=True, env=env)
    return [c["offset_s"] for c in json.loads(out.stdout)["cues"]]


def measure(name, clock, args, plan_file, tmp, env):
    wav = os.path.join(tmp, f"{name}.wav")
    subprocess.run([os.path.join(RIG, "record"), wav], check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        subprocess.run([BIN, "start", *args, "--plain", "--no-log", "--no-bell", "--clock", clock],
                       check=True, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    finally:
        subprocess.run([os.path.join(RIG, "record"), "--stop"], check=True, env=env, stdout=subprocess.DEVNULL)
    base = [os.path.join(RIG, "onsets"), wav, "--compare", plan_file, "--tolerance-ms", "1", "--json"]
    # Matching in order needs every cue heard; a late timer can merge two into one, and
    # then onsets are matched by time window instead (the rest count as missing).
    res = subprocess.run(base + ["--by-order"], capture_output=True, text=True, env=env)
    if res.returncode not in (0, 1) or not res.stdout.strip():
        res = subprocess.run(base, capture_output=True, text=True, env=env)
    try:
        report = json.loads(res.stdout)
    except json.JSONDecodeError:
        sys.exit(f"onsets failed for {name}: {res.stdout}\n{res.stderr}")
    cmp = report["compare"]
    cues = cmp["cues"]
    rate = report["sample_rate"]
    first = cues[0]
    # In samples, for the cues that play the same sound as the first (the meter finds
    # each sound at the same point in it): played gap minus planned gap.
    same = [c for c in cues if c.get("sample") is not None and c["peak_dbfs"] == first["peak_dbfs"]]
    sample_err = [(c["sample"] - first["sample"]) - (round(c["plan_s"] * rate) - round(first["plan_s"] * rate))
                  for c in same]
    return {"timer": name, **cmp["stats"], "same_sound_cues": len(same),
            "max_abs_error_samples": max((abs(e) for e in sample_err), default=None)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    opts = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    env = rig_env()
    # Beats 60/170 s apart; the tick sound is short and the onset meter wants a gap.
    args = ["cadence", "--duration", f"{opts.minutes:g}m", "--lead-in", "1s"]
    tmp = tempfile.mkdtemp(prefix="reptempo-audio-")
    plan_file = os.path.join(tmp, "plan.txt")
    with open(plan_file, "w") as f:
        f.write("\n".join(f"{o:.6f}" for o in plan_offsets(args, env)) + "\n")
    reports = [measure(n, c, args, plan_file, tmp, env) for n, c in (("reptempo", "monotonic"), ("naive", "naive"))]
    print(json.dumps(reports, indent=2))
    print(f"plan: cadence 170/min for {opts.minutes:g} min, live through the rig")
    print("| timer | cues matched | max abs error | p99 | mean | drift | max error, same-sound cues |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in reports:
        print(f"| {r['timer']} | {r['matched']}/{r['cues']} | {r['max_abs_error_ms']:.3f} ms | "
              f"{r['p99_abs_error_ms']:.3f} ms | {r['mean_error_ms']:+.3f} ms | {r['drift_ms_per_min']:+.3f} ms/min | "
              f"{r['max_abs_error_samples']} samples |")


if __name__ == "__main__":
    main()
