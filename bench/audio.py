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
    python3 bench/audio.py --wakeups        # wake-ups, CPU and key latency (about 6 minutes)
    python3 bench/audio.py --wakeups --bin /tmp/reptempo-old   # another build, for a before/after

`--wakeups` plays the cadence plan live through the rig with `--plain` and reads, for
every thread of the process, the voluntary and nonvoluntary context switches
(/proc/PID/task/*/status: each is the thread having been woken) and the CPU time
(utime + stime of /proc/PID/stat), while running and while paused (a `--script` pause).
While running it also samples the sound server's view of the stream 40 times (`pactl
list sink-inputs`: Buffer Latency + Sink Latency). That is how long a sample handed to
the server now waits before it is played, which is how late a key's effect is heard: a
command takes effect at the next sample to render, and everything queued before that
sample plays first. The same is measured for `--no-audio`, and for the peer timr-tui
(its default screen, running) when it is on the PATH or in /tmp/timr/bin.

Build first: cargo build --release. Needs the rig's packages (rig/start installs them).
"""

import argparse
import glob
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

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


TICK = os.sysconf("SC_CLK_TCK")


def threads(pid):
    """Context switches of each thread, summed by thread name."""
    by_name = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            name = open(os.path.join(task, "comm")).read().strip()
            n = sum(int(line.split()[1]) for line in open(os.path.join(task, "status"))
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")))
        except OSError:
            continue
        by_name[name] = by_name.get(name, 0) + n
    return by_name


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def snapshot(pid):
    return threads(pid), cpu_seconds(pid), time.monotonic()


def rates(a, b):
    """Wake-ups a second (total and by thread) and % of a core between two snapshots.
    Threads that ended in between count what they did up to their last snapshot."""
    (wa, ca, ta), (wb, cb, tb) = a, b
    secs = tb - ta
    by = {k: (wb.get(k, 0) - wa.get(k, 0)) / secs for k in set(wa) | set(wb)}
    by = {k: max(v, 0) for k, v in by.items()}
    return {"wakeups_per_s": round(sum(by.values()), 1),
            "by_thread": {k: round(v, 1) for k, v in sorted(by.items(), key=lambda kv: -kv[1]) if v},
            "cpu_percent": round(100 * (cb - ca) / secs, 3), "seconds": round(secs, 1)}


def server_latency_ms(env):
    """Buffer Latency + Sink Latency of the one stream playing, as the server says."""
    out = subprocess.run(["pactl", "list", "sink-inputs"], capture_output=True, text=True, env=env).stdout
    buf = re.search(r"Buffer Latency: (\d+) usec", out)
    sink = re.search(r"Sink Latency: (\d+) usec", out)
    playing = "Corked: no" in out
    if not (buf and sink):
        return None, playing
    return (int(buf.group(1)) + int(sink.group(1))) / 1000, playing


def wake_run(binary, extra, env, secs):
    """Runs the cadence plan, paused by script at 10 + secs seconds; measures both."""
    pause_at = 10 + secs
    args = [binary, "start", "cadence", "--duration", "10m", "--plain", "--no-log", "--no-bell",
            "--script", f"{pause_at}s:pause", *extra]
    proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    time.sleep(5)
    a = snapshot(proc.pid)
    time.sleep(secs)
    b = snapshot(proc.pid)
    latencies = [server_latency_ms(env)[0] for _ in range(40)]
    latencies = [x for x in latencies if x is not None]
    # Paused at pause_at; the last sound rings out, then the stream sleeps.
    time.sleep(max(0, t0 + pause_at + 5 - time.monotonic()))
    c = snapshot(proc.pid)
    time.sleep(secs)
    d = snapshot(proc.pid)
    playing = server_latency_ms(env)[1]
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    result = {"running": rates(a, b), "paused": rates(c, d), "stream_playing_while_paused": playing}
    if latencies:
        latencies.sort()
        result["key_latency_ms"] = {"mean": round(sum(latencies) / len(latencies), 1),
                                    "p90": latencies[int(0.9 * (len(latencies) - 1))],
                                    "max": latencies[-1], "samples": len(latencies)}
    return result


def timr_run(env, secs):
    """The peer: timr-tui's default screen in a pseudo-terminal, running."""
    binary = shutil.which("timr-tui") or "/tmp/timr/bin/timr-tui"
    if not os.path.exists(binary):
        return None
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execv(binary, [binary])
    end = time.monotonic() + 3
    while time.monotonic() < end:
        try:
            os.read(fd, 65536)
        except OSError:
            break
    a = snapshot(pid)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            os.read(fd, 65536)  # a terminal reads what is drawn
        except OSError:
            break
    b = snapshot(pid)
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)
    return {"running": rates(a, b)}


def wakeups(opts):
    env = rig_env()
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores")
    runs = {"reptempo, sound": wake_run(opts.bin, [], env, opts.seconds),
            "reptempo, --no-audio": wake_run(opts.bin, ["--no-audio"], env, opts.seconds)}
    peer = timr_run(env, opts.seconds)
    if peer is None:
        print("SKIPPED: timr-tui is not installed (cargo install timr-tui --version 1.9.0 --locked)")
    else:
        runs["timr-tui 1.9.0 (default screen)"] = peer
    print(json.dumps(runs, indent=2))
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| run | wake-ups/s running | paused | CPU running | paused | key heard after (mean / p90 / max) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in runs.items():
        p = r.get("paused", {})
        k = r.get("key_latency_ms")
        key = f"{k['mean']} / {k['p90']} / {k['max']} ms" if k else "-"
        print(f"| {name} | {r['running']['wakeups_per_s']} | {p.get('wakeups_per_s', '-')} | "
              f"{r['running']['cpu_percent']} % | {p.get('cpu_percent', '-')} % | {key} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--wakeups", action="store_true", help="wake-ups, CPU and key latency instead")
    ap.add_argument("--seconds", type=float, default=60, help="each --wakeups measurement")
    ap.add_argument("--bin", default=BIN)
    opts = ap.parse_args()
    if not os.path.exists(opts.bin):
        sys.exit("build first: cargo build --release")
    if opts.wakeups:
        wakeups(opts)
        return
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
