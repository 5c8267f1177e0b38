"""Start-up cost of nonmun commands: wall time (p50, max) and peak memory per command.

    .venv/bin/python bench/startup.py [--runs 7]

Anchors, measured in the same run: the bare interpreter (``python -c pass``) and
loading the Korean analyser alone (``Kiwi()``), the cost a Korean command paid
before its words were looked up in the index. Builds a demo hub in a temporary
folder first. Each command runs in a fresh process; peak RSS comes from
``os.wait4`` (the kernel's count for that process alone).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

NONMUN = [sys.executable, "-m", "nonmun"]
KOREAN = "강화학습을 위한 지식 증류"
KIWI_AS_NONMUN = "from kiwipiepy import Kiwi; Kiwi(load_multi_dict=False)"
SAMPLES = Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "samples"
PAGE = SAMPLES / "blog-listing-duemoo.txt"  # 12 posts, Korean


Command = list[str] | Callable[[int], list[str]]  # a command, or one per run


def measure(command: Command, runs: int) -> tuple[float, float, float]:
    """(p50 seconds, max seconds, max peak RSS in MB) over ``runs`` fresh processes."""
    times, peaks = [], []
    for run in range(runs):
        argv = command(run) if callable(command) else command
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(argv)}")
    return statistics.median(times), max(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        hub = str(Path(tmp) / "demo")
        subprocess.run([*NONMUN, "demo", hub], check=True, capture_output=True)

        def at_hub(*args: str) -> list[str]:
            return [*NONMUN, "--hub", hub, *args]

        def korean_import(run: int) -> list[str]:
            """A Korean page into a new empty hub (a page already in is not indexed again)."""
            empty = str(Path(tmp) / f"empty-{run}")
            subprocess.run([*NONMUN, "--hub", empty, "init"], check=True, capture_output=True)
            return [*NONMUN, "--hub", empty, "import", str(PAGE)]

        rows = {
            "python -c pass (anchor)": [sys.executable, "-c", "pass"],
            "Kiwi() alone (anchor)": [sys.executable, "-c", "from kiwipiepy import Kiwi; Kiwi()"],
            "Kiwi(load_multi_dict=False)": [sys.executable, "-c", KIWI_AS_NONMUN],
            "nonmun --help": [*NONMUN, "--help"],
            "nonmun --version": [*NONMUN, "--version"],
            "search knowledge distillation": at_hub("search", "knowledge", "distillation"),
            "search 트랜스포머": at_hub("search", "트랜스포머"),
            "search 강화학습을 위한 지식 증류": at_hub("search", *KOREAN.split()),
            "papers show 2010.01412": at_hub("papers", "show", "2010.01412"),
            "import a Korean page (12 posts)": korean_import,
        }
        results = {name: measure(cmd, runs) for name, cmd in rows.items()}
    floor = results["python -c pass (anchor)"][0]
    print(f"{'command':<36} {'p50 s':>7} {'max s':>7} {'peak MB':>8} {'p50/python':>10}")
    for name, (p50, worst, peak) in results.items():
        print(f"{name:<36} {p50:7.3f} {worst:7.3f} {peak:8.1f} {p50 / floor:10.1f}")


if __name__ == "__main__":
    main()
