#!/usr/bin/env python3
"""Full-screen display benchmark: start-up to first frame, peak memory, CPU and wake-ups
while a session runs and while it is paused. Runs reptempo in a pseudo-terminal
(80 x 24), reading the process's own CPU time, context switches and peak resident
memory from /proc.

    python3 bench/tui.py                          # hsr week 10, 10 minutes (about 12 in all)
    python3 bench/tui.py --preset cadence --minutes 5
    python3 bench/tui.py --minutes 1              # a quick look
    python3 bench/tui.py --bin /tmp/reptempo-old  # another build, for a before/after

CPU is utime + stime of /proc/PID/stat. Wake-ups are the voluntary and nonvoluntary
context switches of every thread (/proc/PID/task/*/status) over the same time: each time
the process leaves the CPU it was woken to run, so this counts how often it runs at all.
The baseline for start-up is `reptempo --version` in the same run (the cost of starting
the process at all). Build first: cargo build --release.
"""

import argparse
import fcntl
import glob
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "reptempo")
TICK = os.sysconf("SC_CLK_TCK")
# What each preset runs, and a word its first frame shows.
SESSIONS = {
    "hsr": (["start", "hsr", "--week", "10", "--no-audio", "--no-log"], b"Bilateral"),
    "cadence": (["start", "cadence", "--no-audio", "--no-log"], b"Running"),
}


def spawn(binary, args):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["XDG_CONFIG_HOME"] = "/nonexistent"
        os.environ.pop("PULSE_SERVER", None)
        os.execv(binary, [binary, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def read_until(fd, needle, timeout):
    out, end = b"", time.monotonic() + timeout
    while needle not in out and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return needle in out


def drain(fd):
    while select.select([fd], [], [], 0)[0]:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def switches(pid):
    """Voluntary and nonvoluntary context switches of all the process's threads. A
    voluntary one is the process going to sleep (it had woken, done its work, and
    waits again); a nonvoluntary one is the scheduler taking the CPU away, which grows
    with the machine's load."""
    counts = [0, 0]
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            for line in open(status):
                if line.startswith("voluntary_ctxt_switches:"):
                    counts[0] += int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches:"):
                    counts[1] += int(line.split()[1])
        except FileNotFoundError:
            pass  # a thread that ended meanwhile
    return counts


def sample(pid):
    return cpu_seconds(pid), switches(pid), time.monotonic()


def peak_rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop(pid, fd):
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)


def first_frame_ms(binary, args, needle):
    t0 = time.monotonic()
    pid, fd = spawn(binary, args)
    ok = read_until(fd, needle, 5)
    ms = (time.monotonic() - t0) * 1000
    stop(pid, fd)
    return ms if ok else float("nan")


def report(what, a, b):
    (c0, w0, t0), (c1, w1, t1) = a, b
    secs = t1 - t0
    vol, nonvol = w1[0] - w0[0], w1[1] - w0[1]
    print(f"{what}: CPU {c1 - c0:.2f} s in {secs:.0f} s = {100 * (c1 - c0) / secs:.3f} % of one core; "
          f"wake-ups {vol + nonvol} = {(vol + nonvol) / secs:.2f} /s "
          f"({vol / secs:.2f} voluntary + {nonvol / secs:.2f} nonvoluntary)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=sorted(SESSIONS), default="hsr")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--bin", default=BIN)
    opts = ap.parse_args()
    if not os.path.exists(opts.bin):
        sys.exit("build first: cargo build --release")
    session, needle = SESSIONS[opts.preset]
    starts = [first_frame_ms(opts.bin, session, needle) for _ in range(20)]
    base = [first_frame_ms(opts.bin, ["--version"], b"reptempo") for _ in range(20)]
    print(f"start-up to first frame: median {statistics.median(starts):.1f} ms, "
          f"max {max(starts):.1f} ms (20 runs); `--version` median {statistics.median(base):.1f} ms")

    pid, fd = spawn(opts.bin, session)
    read_until(fd, needle, 5)
    running = sample(pid)
    end = running[2] + opts.minutes * 60
    while time.monotonic() < end:
        drain(fd)          # a terminal reads what is drawn
        time.sleep(0.2)
    ran = sample(pid)
    os.write(fd, b" ")     # pause
    time.sleep(1)
    drain(fd)
    paused = sample(pid)
    while time.monotonic() < paused[2] + 60:
        drain(fd)
        time.sleep(0.5)
    still = sample(pid)
    rss = peak_rss_mb(pid)
    stop(pid, fd)
    report(f"running ({' '.join(session[1:])}, first {opts.minutes:g} min)", running, ran)
    report("paused (60 s)", paused, still)
    print(f"peak resident memory: {rss:.1f} MB")


if __name__ == "__main__":
    main()
