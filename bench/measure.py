#!/usr/bin/env python3
"""Times hagen and its peers side by side and judges the targets of SPEC section 7.

Called by bench/run once everything is installed, built and generated. Every round runs each
command once, in an order rotated from round to round, so that a burst of load on the machine
falls on all tools alike rather than on whichever ran last. Each run goes through
/usr/bin/time -v, which gives the peak resident memory; the wall time is taken around it.
Prints a Markdown table of medians, spread and peak memory, the ratios against each target
with pass or fail, and the scaling factors; writes the same to --report. Python 3.11 stdlib.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

MIB = 1024 * 1024


class Command:
    """One thing to time: a label, the argv, the exit code it must end with, and for a build
    the folder its packages go to. Each run of a build writes a new folder under it (`OUT` in
    the argv), as a first build or a CI job does; the folders are removed after the timing.
    Removing a package just before the next build would time the file system's handling of
    thousands of just-deleted files (ext4 skips recently freed inodes), not hagen."""

    def __init__(self, label, argv, expect=0, out=None):
        self.label = label
        self.argv = [str(a) for a in argv]
        self.expect = expect
        self.out = out
        self.seconds = []
        self.rss = []

    def run_once(self):
        argv = self.argv
        if self.out is not None:
            target = self.out / f"run-{len(self.seconds)}"
            argv = [str(target) if a == "OUT" else a for a in argv]
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-v", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        elapsed = time.perf_counter() - started
        if done.returncode != self.expect:
            sys.exit(f"bench: `{' '.join(self.argv)}` exited {done.returncode}, not {self.expect}:\n{done.stderr[-2000:]}")
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if not found:
            sys.exit(f"bench: no peak memory from /usr/bin/time for `{' '.join(self.argv)}`")
        self.seconds.append(elapsed)
        self.rss.append(int(found.group(1)) * 1024)

    def median(self):
        return statistics.median(self.seconds)

    def spread(self):
        """Half the distance between the quartiles, as a share of the median (robust to the
        odd slow run); with fewer than four runs, half the range."""
        runs = sorted(self.seconds)
        if len(runs) >= 4:
            q = statistics.quantiles(runs, n=4)
            return (q[2] - q[0]) / 2 / self.median()
        return (runs[-1] - runs[0]) / 2 / self.median()


def interleave(commands, rounds):
    for r in range(rounds):
        shift = r % len(commands)
        for command in commands[shift:] + commands[:shift]:
            command.run_once()
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr)


def fmt_time(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hagen", type=Path, required=True)
    parser.add_argument("--parse-only", type=Path, required=True)
    parser.add_argument("--write-only", type=Path, required=True)
    parser.add_argument("--package", type=Path, required=True, help="write-only's archive of the 1,000-group package")
    parser.add_argument("--check-jsonschema", type=Path, required=True)
    parser.add_argument("--schema", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, help="bench/generate.py's output")
    parser.add_argument("--out", type=Path, required=True, help="scratch folder for builds")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args()

    hagen, data = args.hagen, args.data

    def hagen_set(scale):
        d = data / str(scale)
        return {
            "check": Command(f"hagen check, {scale}-group file", [hagen, "check", d / "cluster.yaml"]),
            "fleet": Command(f"hagen check, folder of {scale} files", [hagen, "check", d / "fleet"]),
            "build": Command(
                f"hagen build, {scale}-group file",
                [hagen, "build", d / "cluster.yaml", "--out", "OUT"],
                out=args.out / str(scale),
            ),
            "parse": Command(f"parse-only, {scale}-group file", [args.parse_only, d / "cluster.yaml"]),
        }

    def peers(scale):
        d = data / str(scale)
        return {
            "crm": Command(f"crm_verify -x, {scale}-group CIB", ["crm_verify", "-x", d / "cluster.cib.xml"]),
            "schema": Command(
                f"check-jsonschema, {scale}-group file",
                [args.check_jsonschema, "--schemafile", args.schema, d / "cluster.yaml"],
            ),
        }

    # The peers run at 1/10 and 1x only: crm_verify takes minutes on 10,000 groups (its
    # scheduler grows faster than linearly), check-jsonschema about 40 s.
    small = hagen_set(100) | peers(100)
    one = hagen_set(1000) | peers(1000)
    # The same build into memory (tmpfs), to tell hagen's own work from the disk's: the
    # package of 1,000 groups is 2,007 files, and creating them is most of a build's time
    # on a busy or slow file system.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        memory = shm / f"hagen-bench-{os.getpid()}"
        one["build-tmpfs"] = Command(
            "hagen build, 1000-group file, into tmpfs",
            [hagen, "build", data / "1000" / "cluster.yaml", "--out", "OUT"],
            out=memory,
        )
    # The disk's share of a build: the same package written by hagen's writer with nothing
    # computed. When this alone is over twice the check, no build can be within 2x.
    one["write"] = Command(
        "write-only, the 1000-group package",
        [args.write_only, args.package, "OUT"],
        out=args.out / "write",
    )
    # A consultant's rebuild: the same folder every time, so each build also removes the
    # package of the one before (and meets the file system's just-deleted files).
    one["rebuild"] = Command(
        "hagen build, 1000-group file, over its previous package",
        [hagen, "build", data / "1000" / "cluster.yaml", "--out", args.out / "rebuild"],
    )
    big = hagen_set(10000)
    # Every scenario of `hagen simulate --depth 2` (4 servers: 4 single and 6 pair failures,
    # 4 returns, 3 moves per group) at 1,000 groups and at 4x the groups.
    simulate = {
        scale: Command(
            f"hagen simulate --depth 2, {scale}-group file",
            [hagen, "simulate", data / str(scale) / "cluster.yaml", "--depth", "2"],
        )
        for scale in (1000, 4000)
    }
    everything = [*small.values(), *one.values(), *big.values(), *simulate.values()]

    print(f"bench: {args.rounds} interleaved rounds of {len(everything)} commands", file=sys.stderr)
    try:
        interleave(everything, args.rounds)
    finally:
        for c in everything:
            if c.out is not None:
                shutil.rmtree(c.out, ignore_errors=True)
        shutil.rmtree(args.out / "rebuild", ignore_errors=True)

    lines = []
    out = lines.append
    out("| command | median | spread (± IQR/2) | peak RSS |")
    out("|---|---:|---:|---:|")
    for c in everything:
        out(f"| {c.label} | {fmt_time(c.median())} | {c.spread() * 100:.0f}% | {max(c.rss) / MIB:.1f} MiB |")
    out("")

    targets = [
        ("check is >= 10x faster than crm_verify -x", one["crm"].median() / one["check"].median(), ">=", 10),
        ("check is >= 30x faster than check-jsonschema", one["schema"].median() / one["check"].median(), ">=", 30),
        ("check <= 1.5x parse-only", one["check"].median() / one["parse"].median(), "<=", 1.5),
        ("build <= 2x check", one["build"].median() / one["check"].median(), "<=", 2),
        ("10x input (10,000-group file) <= 11x time", big["check"].median() / one["check"].median(), "<=", 11),
        ("10x input (10,000-file folder) <= 11x time", big["fleet"].median() / one["fleet"].median(), "<=", 11),
        (
            "peak RSS <= 64 MiB (check, folder, build at 1,000)",
            max(max(one[k].rss) for k in ("check", "fleet", "build")) / MIB,
            "<=",
            64,
        ),
    ]
    out("| SPEC section 7 target (1,000 groups / 1,000 files) | measured | result |")
    out("|---|---:|---|")
    met = 0
    for name, value, op, bound in targets:
        ok = value >= bound if op == ">=" else value <= bound
        met += ok
        unit = " MiB" if "MiB" in name else "x"
        out(f"| {name} | {value:.2f}{unit} | {'pass' if ok else 'FAIL'} |")
    if "build-tmpfs" in one:
        ratio = one["build-tmpfs"].median() / one["check"].median()
        out(f"| (for reference) build into tmpfs / check: hagen's work without the disk | {ratio:.2f}x | - |")
    ratio = one["write"].median() / one["check"].median()
    out(f"| (for reference) write-only / check: the disk's share of a build alone | {ratio:.2f}x | - |")
    ratio = one["rebuild"].median() / one["check"].median()
    out(f"| (for reference) rebuild over the previous package / check | {ratio:.2f}x | - |")

    out("")
    ratio = simulate[4000].median() / simulate[1000].median()
    out("| hagen simulate --depth 2 (bench/README.md) | measured | result |")
    out("|---|---:|---|")
    ok = simulate[1000].median() < 1.0
    met += ok
    out(f"| 1,000 groups x 4 servers (3,015 scenarios) under 1 s | {fmt_time(simulate[1000].median())} | {'pass' if ok else 'FAIL'} |")
    ok = ratio <= 5.0
    met += ok
    out(f"| 4x the groups (and the moves): time ratio ~4, at most 5 | {ratio:.2f}x | {'pass' if ok else 'FAIL'} |")
    judged = len(targets) + 2

    out("")
    out("| scaling (time ratio) | 1x / 0.1x | 10x / 1x |")
    out("|---|---:|---:|")
    for key, what in (("check", "hagen check, one file"), ("fleet", "hagen check, folder"), ("build", "hagen build"), ("parse", "parse-only")):
        out(
            f"| {what} | {one[key].median() / small[key].median():.2f} | {big[key].median() / one[key].median():.2f} |"
        )
    out("")
    out(f"{met} of {judged} targets met; {args.rounds} rounds; {os.cpu_count()} cores.")

    text = "\n".join(lines) + "\n"
    print(text)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
