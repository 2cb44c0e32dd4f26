"""Batch benchmark (issue #5): run with ``python benchmarks/bench_batch.py [--plans 1000] [--memory-plans 10000]``.

Everything is measured as whole processes in the same run, so the ratios hold on any machine:
- planscope extract (1 worker) vs plain ``jieba.lcut`` over the same 400 texts (the floor of a jieba pipeline);
- plans/s and characters/s per worker; speed-up of 2 workers over 1 on ``--plans`` plans;
- peak memory (RSS of the process tree) over ``--memory-plans`` plans;
- the Dask engine's overhead against the local pool with the same workers.
The generated corpus is made from the corpus/ documents with their numbers perturbed, so no two plans
are identical.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "corpus" / "changzhou_edu_2022.txt", *sorted((ROOT / "corpus" / "samples").glob("*.txt"))]


def make_corpus(folder: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` plans derived from the corpus; returns the total number of characters."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        base = texts[i % len(texts)]
        text = re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(0, 9)), base)
        (folder / f"plan_{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def _rss_tree_kb(pid: int) -> int:
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
        for c in children:
            grand = Path(f"/proc/{c}/task/{c}/children").read_text().split()
            pids += [int(g) for g in grand]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB, whole process tree) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _rss_tree_kb(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    stop.set()
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return time.perf_counter() - start, peak


JIEBA = """
import sys, jieba
from pathlib import Path
jieba.setLogLevel(60)
for p in sorted(Path(sys.argv[1]).glob('*.txt')):
    jieba.lcut(p.read_text(encoding='utf-8'))
"""


def extract(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "--quiet", *extra]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--jieba-plans", type=int, default=400)
    ap.add_argument("--memory-plans", type=int, default=10000)
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        rows = []
        small = tmp / "small"
        chars_small = make_corpus(small, args.jieba_plans)
        t_jieba, _ = timed([sys.executable, "-c", JIEBA, str(small)])
        t_ps1, _ = timed(extract(small, tmp / "o0", "--jobs", "1"))
        rows.append(("jieba.lcut, %d plans (1 process)" % args.jieba_plans, f"{t_jieba:.2f} s"))
        rows.append(("planscope extract, same plans, 1 worker", f"{t_ps1:.2f} s"))
        rows.append(("ratio planscope / jieba", f"{t_ps1 / t_jieba:.2f}"))

        big = tmp / "big"
        chars_big = make_corpus(big, args.plans)
        t1, _ = timed(extract(big, tmp / "o1", "--jobs", "1"))
        t2, _ = timed(extract(big, tmp / "o2", "--jobs", "2"))
        rows.append((f"{args.plans} plans, 1 worker", f"{t1:.2f} s = {args.plans / t1:.0f} plans/s, "
                                                      f"{chars_big / t1 / 1e6:.2f} M chars/s"))
        rows.append((f"{args.plans} plans, 2 workers", f"{t2:.2f} s = {args.plans / t2 / 2:.0f} plans/s per worker"))
        rows.append(("speed-up 2 workers / 1", f"{t1 / t2:.2f}x"))
        if not args.skip_dask:
            td, _ = timed(extract(big, tmp / "od", "--jobs", "2", "--engine", "dask"))
            rows.append((f"{args.plans} plans, Dask LocalCluster 2 workers", f"{td:.2f} s "
                         f"(overhead vs local pool: {td - t2:+.2f} s, {td / t2:.2f}x)"))
        if args.memory_plans:
            huge = tmp / "huge"
            make_corpus(huge, args.memory_plans)
            tm, peak = timed(extract(huge, tmp / "om", "--jobs", "2"))
            rows.append((f"{args.memory_plans} plans, 2 workers", f"{tm:.1f} s, peak RSS {peak / 1024:.0f} MB"))
        del chars_small
    width = max(len(r[0]) for r in rows)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
