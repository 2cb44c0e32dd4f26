"""What the per-file limits cost (issue 12): ``python benchmarks/bench_faults.py [--plans 400] [FOLDER]``.

Measured in this one process, so the ratios hold on any machine:
- the same files run in-process (no limits) and through one limited worker (``run_limited``, jobs=1):
  the difference per file is the price of isolation (a pipe round trip, the parent's bookkeeping);
- the same with 2 workers;
- a worker killed on every 20th file: the cost of replacing a dead worker.
FOLDER defaults to plans generated from corpus/ (as in bench_batch.py).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_batch import make_corpus  # noqa: E402
from pipeline import batch  # noqa: E402
from pipeline.batch import expand_paths, failed_task, process_task, unique_ids  # noqa: E402
from pipeline.worker import run_limited  # noqa: E402


def _tasks(folder: Path) -> list[batch.Task]:
    files = expand_paths([folder])
    return [(str(f), i, batch.DEFAULT_MAX_BYTES, None, None) for f, i in zip(files, unique_ids(files))]


def _timed(label: str, n: int, fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall and CPU seconds (this process and its finished workers) of ``fn()``."""
    before, wall = os.times(), time.perf_counter()
    results = fn()
    wall = time.perf_counter() - wall
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    print(f"{label:<34} {wall:6.2f} s wall {1000 * wall / n:6.2f} ms/file | CPU {cpu:6.2f} s "
          f"{1000 * cpu / n:6.2f} ms/file ({len(results)} results)")
    return wall, cpu


_real = batch.process_file


def _killing(path: str, **kwargs):  # type: ignore[no-untyped-def]
    if int(Path(path).stem.rsplit("_", 1)[-1]) % 20 == 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return _real(path, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", help="plans to run (default: generated)")
    parser.add_argument("--plans", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.folder) if args.folder else Path(tmp) / "plans"
        if not args.folder:
            make_corpus(folder, args.plans)
        tasks = _tasks(folder)
        n = len(tasks)
        print(f"{n} files from {folder}")
        _, inproc = _timed("in-process, no limits", n, lambda: [process_task(t) for t in tasks])
        _, limited = _timed("1 limited worker", n, lambda: list(run_limited(
            process_task, tasks, jobs=1, timeout=120, max_mb=2048, failed=failed_task)))
        _timed("2 limited workers", n, lambda: list(run_limited(
            process_task, tasks, jobs=2, timeout=120, max_mb=2048, failed=failed_task)))
        print(f"isolation overhead: {1000 * (limited - inproc) / n:+.2f} ms CPU per file with 1 worker")
        if not args.folder:
            batch.process_file = _killing  # forked workers inherit it
            killed = n // 20 + 1
            _, cpu = _timed(f"1 worker, {killed} of them killed", n, lambda: list(run_limited(
                process_task, tasks, jobs=1, timeout=120, max_mb=2048, failed=failed_task)))
            batch.process_file = _real
            print(f"replacing a killed worker: {1000 * (cpu - limited) / killed:+.1f} ms CPU each "
                  "(less the work of the files it did not finish)")


if __name__ == "__main__":
    main()
