#!/usr/bin/env python3
"""Full-screen display benchmark: start-up to first frame, peak memory, CPU while a
session runs and while it is paused. Runs reptempo in a pseudo-terminal (80 x 24),
reading the process's own CPU time and peak resident memory from /proc.

    python3 bench/tui.py                 # 10-minute session (about 12 minutes in all)
    python3 bench/tui.py --minutes 1     # a quick look

The baseline for start-up is `reptempo --version` in the same run (the cost of starting
the process at all). Build first: cargo build --release.
"""

import argparse
import fcntl
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


def spawn(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["XDG_CONFIG_HOME"] = "/nonexistent"
        os.environ.pop("PULSE_SERVER", None)
        os.execv(BIN, [BIN, *args])
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


def peak_rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop(pid, fd):
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)


def first_frame_ms(args, needle):
    t0 = time.monotonic()
    pid, fd = spawn(args)
    ok = read_until(fd, needle, 5)
    ms = (time.monotonic() - t0) * 1000
    stop(pid, fd)
    return ms if ok else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    opts = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    session = ["start", "hsr", "--week", "10", "--no-audio", "--no-log"]
    starts = [first_frame_ms(session, b"Bilateral") for _ in range(20)]
    base = [first_frame_ms(["--version"], b"reptempo") for _ in range(20)]
    print(f"start-up to first frame: median {statistics.median(starts):.1f} ms, "
          f"max {max(starts):.1f} ms (20 runs); `--version` median {statistics.median(base):.1f} ms")

    pid, fd = spawn(session)
    read_until(fd, b"Bilateral", 5)
    c0, t0 = cpu_seconds(pid), time.monotonic()
    end = t0 + opts.minutes * 60
    while time.monotonic() < end:
        drain(fd)          # a terminal reads what is drawn
        time.sleep(0.2)
    c1, t1 = cpu_seconds(pid), time.monotonic()
    os.write(fd, b" ")     # pause
    time.sleep(1)
    drain(fd)
    c2, t2 = cpu_seconds(pid), time.monotonic()
    while time.monotonic() < t2 + 60:
        drain(fd)
        time.sleep(0.5)
    c3, t3 = cpu_seconds(pid), time.monotonic()
    rss = peak_rss_mb(pid)
    stop(pid, fd)
    print(f"CPU running (hsr week 10, first {opts.minutes:g} min): {c1 - c0:.2f} s in {t1 - t0:.0f} s "
          f"= {100 * (c1 - c0) / (t1 - t0):.3f} % of one core")
    print(f"CPU paused: {c3 - c2:.2f} s in {t3 - t2:.0f} s = {100 * (c3 - c2) / (t3 - t2):.3f} % of one core")
    print(f"peak resident memory: {rss:.1f} MB")


if __name__ == "__main__":
    main()
