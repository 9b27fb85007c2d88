#!/usr/bin/env python3
"""Makes reptempo's cue sounds: mono, 48 kHz, 16-bit WAV files in this folder.

    python3 sounds/make.py            # tones (Python standard library only)
    python3 sounds/make.py --voice    # and the spoken words, counts and exercise names
                                      # (espeak-ng, sox)

Every sound starts at its first sample: no leading silence, a 1 ms fade-in that starts
above zero, so that a cue's onset is the cue's sample. Each ends with a short fade to
exact zero, so that the silence between cues is digital silence.
"""

import argparse
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import tomllib
import wave

RATE = 48_000
# The guidance added for spoken sessions (numbers past twenty, the set and rest words,
# exercise names) is speech only: 16 kHz keeps it a third of the size, and the player
# resamples every sound to the output rate anyway.
SPEECH_RATE = 16_000
HERE = os.path.dirname(os.path.abspath(__file__))


OUT = HERE


def write(name, samples, rate=RATE):
    """Writes float samples in [-1, 1] after the fades, as 16-bit PCM."""
    n = len(samples)
    fade_in, fade_out = rate // 1000, 5 * rate // 1000
    out = []
    for i, x in enumerate(samples):
        gain = 1.0
        if i < fade_in:
            gain = (i + 1) / fade_in          # starts above zero: the onset is sample 0
        if i >= n - fade_out:
            gain *= (n - 1 - i) / fade_out    # ends at exactly zero
        out.append(max(-32767, min(32767, round(x * gain * 32767))))
    if out[0] == 0:
        out[0] = 1
    with wave.open(os.path.join(OUT, name + ".wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{len(out)}h", *out))


def chirp(f0, f1, ms, amp, decay=0.0):
    """A sweep from f0 to f1 Hz (exponential in pitch), cosine phase so the first sample
    is the peak; `decay` is an exponential envelope rate per second."""
    n = RATE * ms // 1000
    phase, out = 0.0, []
    for i in range(n):
        t = i / RATE
        f = f0 * (f1 / f0) ** (i / n)
        env = math.exp(-decay * t)
        out.append(amp * env * (0.8 * math.cos(phase) + 0.2 * math.cos(2 * phase)))
        phase += 2 * math.pi * f / RATE
    return out


def tone(freqs, ms, amp, decay=0.0):
    n = RATE * ms // 1000
    return [amp * math.exp(-decay * i / RATE) * sum(math.cos(2 * math.pi * f * i / RATE) for f in freqs) / len(freqs)
            for i in range(n)]


def notes(seq, ms, amp, gap_ms=0):
    out = []
    for f in seq:
        part = tone([f, 2 * f], ms, amp, decay=6.0)
        # A tiny ramp at each note's end, so notes join without clicks.
        for k in range(min(96, len(part))):
            part[-1 - k] *= k / 96
        out += part + [0.0] * (RATE * gap_ms // 1000)
    return out


TONES = {
    # Phase starts: told apart by pitch and shape; the eccentric one falls, the
    # concentric one rises.
    "down": lambda: chirp(988, 440, 220, 0.55, decay=3.0),
    "up": lambda: chirp(440, 988, 220, 0.55, decay=3.0),
    "hold": lambda: tone([587, 880], 320, 0.5, decay=1.5),
    "pause": lambda: tone([330], 110, 0.4, decay=12.0),
    # Inside a phase: soft and short.
    "tick": lambda: tone([1600], 14, 0.18, decay=250.0),
    # 3, 2 before the end of a hold or rest; 1 higher, as the last.
    "countdown": lambda: tone([880], 120, 0.45, decay=8.0),
    "countdown1": lambda: tone([1320], 160, 0.5, decay=6.0),
    # Cadence: a dry, woody click.
    "beat": lambda: tone([1200, 2400, 3100], 40, 0.55, decay=90.0),
    "switch": lambda: notes([660, 880], 120, 0.45),
    "set_done": lambda: notes([880, 660, 440], 110, 0.45),
    "session_done": lambda: notes([523, 659, 784], 130, 0.45) + notes([1047], 420, 0.45),
}

WORDS = {
    "word_down": "down", "word_up": "up", "word_hold": "hold", "word_rest": "rest",
    "word_switch": "switch sides", "word_last_set": "last set", "word_done": "done",
}
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen seventeen eighteen nineteen twenty").split()
# Counts up to 999 are composed from these (src/audio/voice.rs): "one hundred twenty three".
COUNTS = {n: NUMBER_WORDS[n - 1] for n in range(1, 21)} | {30: "thirty"}
SPEECH_COUNTS = {0: "zero", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
                 90: "ninety"}
# The words of the spoken guidance: "set 2 of 4, left", "rest, two minutes, next ...", and
# the eccentric-only return ("up on the other leg", or "on both legs" where the preset says so).
SPEECH_WORDS = {
    "word_hundred": "hundred", "word_set": "set", "word_of": "of", "word_left": "left",
    "word_right": "right", "word_minute": "minute", "word_minutes": "minutes",
    "word_second": "second", "word_seconds": "seconds", "word_next": "next",
    "word_exercise": "exercise", "word_up_other_leg": "up on the other leg",
    "word_up_both_legs": "up on both legs",
}
# Spoken faster (words a minute) so that they end before the tick 1 s into the return:
# a cue's words give way to a shorter word when they would run into the next cue.
FASTER = {"word_up_other_leg": 200, "word_up_both_legs": 200}


def exercise_names():
    """Every exercise name of the built-in presets, in file order, once each."""
    names = []
    folder = os.path.join(HERE, "..", "presets")
    for file in sorted(os.listdir(folder)):
        if file.endswith(".toml"):
            with open(os.path.join(folder, file), "rb") as f:
                for block in tomllib.load(f).get("block", []):
                    if block["exercise"] not in names:
                        names.append(block["exercise"])
    return names


def name_file(exercise):
    """`name_` and the name in lower case, runs of other characters as one `_`; the
    player finds a clip by the same rule (src/audio/sounds.rs)."""
    return "name_" + re.sub(r"[^a-z0-9]+", "_", exercise.lower()).strip("_")


def speak(text, engine, tmp, rate=RATE, speed=165):
    raw = os.path.join(tmp, "raw.wav")
    if engine == "festival":
        subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", raw],
                       input=text.encode(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", raw, text], check=True)
    out = os.path.join(tmp, "out.wav")
    # 48 kHz mono 16-bit; leading and trailing silence cut; a little louder.
    subprocess.run(["sox", raw, "-r", str(rate), "-c", "1", "-b", "16", out,
                    "silence", "1", "0.005", "0.5%", "reverse", "silence", "1", "0.005", "0.5%", "reverse",
                    "gain", "-n", "-4"], check=True)
    with wave.open(out, "rb") as w:
        frames = w.readframes(w.getnframes())
    samples = [s / 32768 for s in struct.unpack(f"<{len(frames) // 2}h", frames)]
    # Start where the voice is audible, so the fade-in does not start in near-silence.
    start = next((i for i, x in enumerate(samples) if abs(x) >= 0.01), 0)
    return samples[start:]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--voice", action="store_true", help="also make the spoken words and counts")
    ap.add_argument("--engine", choices=["espeak", "festival"], default="espeak")
    ap.add_argument("--out", default=HERE, help="where to write (default: this folder)")
    opts = ap.parse_args()
    global OUT
    OUT = opts.out
    os.makedirs(OUT, exist_ok=True)
    for name, make in TONES.items():
        write(name, make())
    if opts.voice:
        needed = ["sox"] + (["text2wave"] if opts.engine == "festival" else ["espeak-ng"])
        missing = [t for t in needed if not shutil.which(t)]
        if missing:
            sys.exit(f"make.py: --voice needs {', '.join(missing)} (apt-get install espeak-ng sox)")
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in WORDS.items():
                write(name, speak(text, opts.engine, tmp))
            for n, text in COUNTS.items():
                write(f"count_{n:02}", speak(text, opts.engine, tmp))
            speech = {f"count_{n:02}": text for n, text in SPEECH_COUNTS.items()} | SPEECH_WORDS
            speech |= {name_file(e): e for e in exercise_names()}
            for name, text in speech.items():
                speed = FASTER.get(name, 165)
                write(name, speak(text, opts.engine, tmp, SPEECH_RATE, speed), SPEECH_RATE)
    count = len(TONES) + (len(WORDS) + len(COUNTS) + len(speech) if opts.voice else 0)
    print(f"wrote {count} files in {OUT}")


if __name__ == "__main__":
    main()
