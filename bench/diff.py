#!/usr/bin/env python3
"""The `hagen diff` case of SPEC section 7: two 1,000-group cluster files (bench/generate.py's
workload) that differ by 10 changes (5 floating IP addresses, 5 failover policies reversed),
diffed with `--format json`; prints the changes found and the best wall time of 5 runs, and
fails above 1 s.

Usage: bench/diff.py [--hagen target/release/hagen] [--work DIR]. Python 3.11, stdlib only.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hagen", type=Path, default=HERE.parent / "target/release/hagen")
    parser.add_argument("--work", type=Path, default=None, help="folder for the workload")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="hagen-diff-bench-"))
    subprocess.run([sys.executable, HERE / "generate.py", "--out", work, "1000"], check=True)
    old = work / "1000" / "cluster.yaml"
    text = old.read_text()
    for i in range(5):
        group = f"g{i * 200:05d}"
        text, n = re.subn(
            rf"(  - name: {group}\n    failover: \[[^\]]*\]\n    ip: )[0-9.]+",
            lambda m, i=i: m.group(1) + f"10.250.0.{i + 1}",
            text,
        )
        assert n == 1, group
        group = f"g{i * 200 + 100:05d}"
        text, n = re.subn(
            rf"(  - name: {group}\n    failover: \[)([^\]]*)\]",
            lambda m: m.group(1) + ", ".join(reversed(m.group(2).split(", "))) + "]",
            text,
        )
        assert n == 1, group
    new_dir = work / "1000" / "new"
    new_dir.mkdir(exist_ok=True)
    new = new_dir / "cluster.yaml"
    new.write_text(text)
    best = None
    for _ in range(5):
        start = time.perf_counter()
        out = subprocess.run(
            [args.hagen, "diff", old, new, "--format", "json"], check=True, capture_output=True
        )
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    changes = json.loads(out.stdout)["changes"]
    print(f"diff 1,000 groups, {len(changes)} changes: {best * 1000:.0f} ms (best of 5)")
    kinds = sorted({c["kind"] for c in changes})
    print("kinds: " + ", ".join(kinds))
    if best >= 1.0:
        sys.exit("diff of two 1,000-group files took 1 s or more")


if __name__ == "__main__":
    main()
