"""Whole-process time of `clinisim --help` and `clinisim run -q`, warm.

Usage: python benchmarks/startup_speed.py [--runs 7] [--case migraine]

Each command runs once untimed (the warm-up fills the caches: the ONNX export of
the embedding model, cached embeddings, the parsed knowledge base and the record
store), then ``--runs`` times; the script prints the minimum, median and maximum
wall time of each. It uses a temporary data dir and the normal cache dir.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _time(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--case", default="migraine")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "CLINISIM_DATA_DIR": data}
        clinisim = [sys.executable, "-m", "clinisim"]
        commands = {
            "clinisim --help": [*clinisim, "--help"],
            f"clinisim run -q --case {args.case}": [*clinisim, "run", "-q", "--case", args.case],
        }
        print(f"whole-process wall time, warm, {args.runs} runs each")
        for name, command in commands.items():
            times = _time(command, env, args.runs)
            print(
                f"  {name}: median {statistics.median(times):.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f})"
            )


if __name__ == "__main__":
    main()
