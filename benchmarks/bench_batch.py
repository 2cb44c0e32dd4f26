"""Batch benchmark: ``python benchmarks/bench_batch.py [--plans 1000] [--runs 5] [--memory-plans 3000] [--readme]``.

Everything is a whole process measured in the same run, so the ratios hold on any machine; each figure is
the median of ``--runs`` runs after a warm-up run, and the commands of one input take turns, so that a
machine whose speed drifts shifts them alike.
- CPU time (the process and all its workers) of ``planscope extract --jobs 1`` against plain ``jieba.lcut``
  of the same texts in one process (the floor of any jieba pipeline; extraction itself never calls jieba),
  on a mix of ``--plans`` generated plans and on ../shared/corpus/wild when it lies beside the checkout;
- wall-clock speed-up of 2 workers over 1 on both;
- the Dask engine on a LocalCluster against the local pool, after the cluster's start-up (a one-file Dask run);
- the start-up of ``planscope extract`` on one file, and what ``import pipeline`` loads;
- the output's size against the input's, and the cost of ``--resume``'s cache;
- peak memory of the process tree over ``--memory-plans`` plans.
The generated mix is made from the corpus/ documents with their numbers perturbed, so no two plans are
identical. ``--readme`` rewrites the figures in README.md between the ``bench_batch`` markers.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "corpus" / "changzhou_edu_2022.txt", *sorted((ROOT / "corpus" / "samples").glob("*.txt"))]
WILD = ROOT.parent / "shared" / "corpus" / "wild"
README = ROOT / "README.md"
MARKERS = ("<!-- bench_batch:start -->", "<!-- bench_batch:end -->")


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
    total, pids = 0, [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
        for c in children:
            pids += [int(g) for g in Path(f"/proc/{c}/task/{c}/children").read_text().split()]
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


class Run:
    """One whole process: wall seconds, CPU seconds of it and its children, peak RSS of the tree (kB)."""

    def __init__(self, cmd: list[str], *, sample_memory: bool = False) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.peak_kb = 0
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                self.peak_kb = max(self.peak_kb, _rss_tree_kb(proc.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        _, err = proc.communicate()
        self.wall = time.perf_counter() - start
        stop.set()
        if sample_memory:
            sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")


def interleaved(runs: int, makers: dict[str, Callable[[int], list[str]]]) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, after a warm-up of each, the commands taking turns
    (in a rotating order): a machine whose speed drifts over minutes then shifts all of them alike, and
    their ratios hold."""
    for make in makers.values():
        Run(make(-1))
    names = list(makers)
    done: dict[str, list[Run]] = {name: [] for name in names}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            done[name].append(Run(makers[name](i)))
    return {name: (statistics.median(r.wall for r in rs), statistics.median(r.cpu for r in rs))
            for name, rs in done.items()}


JIEBA = """
import sys, jieba
from pathlib import Path
jieba.setLogLevel(60)
for p in sorted(Path(sys.argv[1]).glob('*.txt')):
    jieba.lcut(p.read_text(encoding='utf-8'))
"""

# The machine's own ceiling for two processes: a CPU loop of the same total work in 1 process or split over 2
# (forked), taking turns with the runs it is compared with. On a virtual machine whose two cores share a
# physical one, or a host busy elsewhere, it falls well below 2.
LOOP = """
import os, sys
procs, n = int(sys.argv[1]), int(sys.argv[2])
def work(k):
    s = 0
    for i in range(k):
        s += i * i
kids = [pid for pid in (os.fork() for _ in range(procs - 1)) if pid] if procs > 1 else []
if procs > 1 and len(kids) < procs - 1:  # a child: its share, then out
    work(n // procs)
    os._exit(0)
work(n // procs if procs > 1 else n)
for pid in kids:
    os.waitpid(pid, 0)
"""


def loop_size(seconds: float) -> int:
    """Iterations of LOOP's loop that take about ``seconds`` on one core of this machine."""
    n, s = 3_000_000, 0
    start = time.perf_counter()
    for i in range(n):  # the same loop as LOOP's, timed in this process
        s += i * i
    return int(n * seconds / max(time.perf_counter() - start, 1e-3))


IMPORTS = """
import sys, pipeline, pipeline.cli, pipeline.batch, pipeline.export
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'sklearn', 'pandas', 'jieba', 'spacy', 'dask'})
print(','.join(heavy) or 'none')
"""


def extract(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "--quiet", *extra]


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def chars_of(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8", errors="replace")) for p in folder.glob("*.txt"))


def measure(name: str, folder: Path, tmp: Path, runs: int, dask: bool) -> list[tuple[str, str]]:
    chars = chars_of(folder)
    n = len(list(folder.glob("*.txt")))
    out = tmp / f"out-{name}"
    makers: dict[str, Callable[[int], list[str]]] = {
        "jieba": lambda i: [sys.executable, "-c", JIEBA, str(folder)],
        "j1": lambda i: extract(folder, out / f"j1-{i}", "--jobs", "1"),
        "j2": lambda i: extract(folder, out / f"j2-{i}", "--jobs", "2"),
        "resume": lambda i: extract(folder, out / f"r-{i}", "--jobs", "1", "--resume"),
    }
    loop_n = loop_size(Run(extract(folder, out / "calibrate", "--jobs", "1")).wall)  # as long as one run
    makers["loop1"] = lambda i: [sys.executable, "-c", LOOP, "1", str(loop_n)]
    makers["loop2"] = lambda i: [sys.executable, "-c", LOOP, "2", str(loop_n)]
    if dask:
        makers["dask0"] = lambda i: extract(SOURCES[0], out / f"d0-{i}", "--jobs", "2", "--engine", "dask")
        makers["dask"] = lambda i: extract(folder, out / f"d-{i}", "--jobs", "2", "--engine", "dask")
    got = interleaved(runs, makers)
    (jw, jc), (w1, c1), (w2, c2), (wr, cr) = got["jieba"], got["j1"], got["j2"], got["resume"]
    (l1, _), (l2, _) = got["loop1"], got["loop2"]
    rows = [
        (f"{name}: {n:,} plans, {chars / 1e6:.2f} M characters", ""),
        ("  extract CPU, 1 worker / `jieba.lcut` CPU", f"{c1:.2f} s / {jc:.2f} s = **{c1 / jc:.2f}**"),
        ("  characters per CPU second", f"{chars / c1 / 1e6:.2f} M ({n / c1:.0f} plans/s)"),
        ("  wall, 1 worker / 2 workers", f"{w1:.2f} s / {w2:.2f} s = **{w1 / w2:.2f}×**"),
        ("  the machine's ceiling: a CPU loop in 1 process / split over 2, wall",
         f"{l1:.2f} s / {l2:.2f} s = {l1 / l2:.2f}× (2 workers reach {w1 / w2 / (l1 / l2):.0%} of it)"),
    ]
    if dask:
        (ws, _), (wd, _) = got["dask0"], got["dask"]
        rows.append(("  Dask LocalCluster (2 workers) after its start-up / local pool",
                     f"({wd:.2f} − {ws:.2f}) s / {w2:.2f} s = **{(wd - ws) / w2:.2f}**"))
    rows.append(("  `--resume` (writing its cache) / plain run, CPU", f"{cr:.2f} s / {c1:.2f} s = {cr / c1:.2f}"))
    insize, outsize = size(folder), size(out / "j1-0")
    rows.append(("  output / input size", f"{outsize / 1e6:.1f} MB / {insize / 1e6:.1f} MB = {outsize / insize:.2f}"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--memory-plans", type=int, default=3000)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-wild", action="store_true")
    ap.add_argument("--readme", action="store_true", help="write the figures into README.md")
    args = ap.parse_args()
    env_note = "" if os.environ.get("PYTHONDONTWRITEBYTECODE") is None else " (PYTHONDONTWRITEBYTECODE is set)"
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        mix = tmp / "mix"
        make_corpus(mix, args.plans)
        rows += measure("generated mix", mix, tmp, args.runs, not args.skip_dask)
        if WILD.is_dir() and not args.skip_wild:
            rows += measure("../shared/corpus/wild", WILD, tmp, args.runs, not args.skip_dask)
        start = interleaved(args.runs, {"one": lambda i: extract(SOURCES[0], tmp / f"one-{i}", "--jobs", "1"),
                                        "bare": lambda i: [sys.executable, "-c", "pass"]})
        (one, _), (bare, _) = start["one"], start["bare"]
        heavy = subprocess.run([sys.executable, "-c", IMPORTS], capture_output=True, text=True, check=True,
                               cwd=ROOT).stdout.strip()
        rows.append(("start-up: `planscope extract` on one plan (wall) / bare `python -c pass`",
                     f"{one:.2f} s / {bare:.2f} s{env_note}"))
        rows.append(("`import pipeline` (and its CLI, batch, export) loads", heavy))
        if args.memory_plans:
            huge = tmp / "huge"
            make_corpus(huge, args.memory_plans)
            r = Run(extract(huge, tmp / "om", "--jobs", "2"), sample_memory=True)
            rows.append((f"{args.memory_plans:,} plans, 2 workers: wall, peak memory of the process tree",
                         f"{r.wall:.1f} s, {r.peak_kb / 1024:.0f} MB"))
    table = [f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.runs} runs "
             "after a warm-up", "", "| measurement | result |", "| --- | --- |"]
    table += [f"| {name} | {value} |" for name, value in rows]
    print("\n".join(table))
    if args.readme:
        text = README.read_text(encoding="utf-8")
        start, end = text.index(MARKERS[0]) + len(MARKERS[0]), text.index(MARKERS[1])
        README.write_text(text[:start] + "\n" + "\n".join(table) + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
