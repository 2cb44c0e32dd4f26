"""Compare benchmark: ``python benchmarks/bench_compare.py [--items 300] [--runs 5] [--memory 300,2000,10000]
[--corpus 2000]``.

Two synthetic plans of ``--items`` items each are built from real corpus items: every item is a real
item's sentences, recombined with a sentence of another item and with its numbers perturbed, so
repeats are near-duplicates (the hard case for an aligner). The second plan drops, adds, modifies and
moves items with a known answer, so the run also prints alignment accuracy. Timed (median of ``--runs``
after a warm-up): ``compare()`` in-process, and the whole ``planscope compare OLD NEW -o DIR`` process
including start-up, reading, extraction, tables and report (target < 1 s wall). ``--memory`` runs
``compare()`` on N-vs-N plans in a fresh process each and prints its peak RSS (target: linear, 10,000
items under 1 GB). ``--corpus N`` times a corpus comparison of N synthetic plans (N/5 issuers, five
yearly plans each) through :func:`pipeline.compare.corpus.compare_corpus`.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import tempfile
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import process_file
from pipeline.compare import compare
from pipeline.compare.align import body, is_heading
from pipeline.extract import extract
from pipeline.structure import parse

SOURCES = [ROOT / "corpus" / "changzhou_edu_2022.txt", *sorted((ROOT / "corpus" / "samples").glob("*.txt"))]
_SECTIONS = 10
_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens - 1] + "十")) + ("" if ones == 0 else _CN[ones - 1])


def _corpus_sentences() -> list[list[str]]:
    """Sentences of every real leaf item in the corpus (annotation kept on the last one)."""
    items = []
    for path in SOURCES:
        doc = process_file(path)
        for it in doc.items:
            if not is_heading(doc, it):
                parts = [s + "。" for s in body(doc, it).replace("\n", "").split("。") if s.strip()]
                if len(parts) >= 2:
                    items.append(parts)
    return items


def _perturb_numbers(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), text)


def _make_item(pool: list[list[str]], rng: random.Random) -> list[str]:
    base, other = rng.choice(pool), rng.choice(pool)
    keep = base[: max(2, rng.randint(2, len(base)))]
    mixed = keep[:-1] + [rng.choice(other[:-1] or other)] + keep[-1:]
    return [_perturb_numbers(s, rng) for s in mixed]


def _modify(sentences: list[str], rng: random.Random) -> list[str]:
    out = list(sentences)
    k = rng.randrange(len(out))
    edit = rng.choice(["numbers", "word", "drop", "add"])
    if edit == "numbers" and re.search(r"\d", "".join(out)):
        return [_perturb_numbers(s, rng) for s in out]
    if edit == "drop" and len(out) > 2:
        del out[k if k < len(out) - 1 else 0]
        return out
    if edit == "add":
        out.insert(max(1, len(out) - 1), "持续完善工作机制，强化督促检查，确保各项任务落地见效。")
        return out
    out[k] = out[k].replace("推进", "推动", 1).replace("加强", "强化", 1).replace("建设", "建成", 1) + "确保实效。"
    return out


def _render(title: str, sections: list[list[list[str]]]) -> str:
    lines = [title]
    for s, items in enumerate(sections, 1):
        lines.append(f"{_cn(s)}、第{_cn(s)}部分重点任务")
        lines += [f"{n}．" + "".join(sentences) for n, sentences in enumerate(items, 1)]
    return "\n".join(lines)


def make_plans(n_items: int, seed: int = 11) -> tuple[str, str, dict[int, int | None]]:
    """Old and new plan texts, and the truth: old leaf position -> new leaf position (None = dropped)."""
    rng = random.Random(seed)
    corpus = _corpus_sentences()
    # New items come from real items the old plan never uses, so "new" is unambiguous.
    pool, fresh = [c for k, c in enumerate(corpus) if k % 5], corpus[::5]
    old = [_make_item(pool, rng) for _ in range(n_items)]
    per = n_items // _SECTIONS
    new_slots: list[tuple[int | None, list[str]]] = []
    for i, sentences in enumerate(old):
        r = rng.random()
        if r < 0.05:
            continue  # dropped
        new_slots.append((i, _modify(sentences, rng) if r < 0.25 else sentences))
    for _ in range(n_items - len(new_slots)):  # new items, to keep the size
        new_slots.insert(rng.randrange(len(new_slots) + 1), (None, _make_item(fresh, rng)))
    for _ in range(n_items // 50):  # a few items move to another place (and section)
        a = rng.randrange(len(new_slots))
        new_slots.insert(rng.randrange(len(new_slots)), new_slots.pop(a))
    sections_old = [old[k * per : (k + 1) * per] for k in range(_SECTIONS)]
    sections_new = [[s for _, s in new_slots[k * per : (k + 1) * per]] for k in range(_SECTIONS)]
    truth: dict[int, int | None] = {i: None for i in range(n_items)}
    for j, (i, _) in enumerate(new_slots):
        if i is not None:
            truth[i] = j
    return _render("2023年工作要点", sections_old), _render("2024年工作要点", sections_new), truth


def _accuracy(old, new, cmp, truth) -> str:  # type: ignore[no-untyped-def]
    leaves_old = [it.item_id for it in old.items if not is_heading(old, it)]
    leaves_new = [it.item_id for it in new.items if not is_heading(new, it)]
    got = {a.old_item_id: a.new_item_id for a in cmp.alignments if a.old_item_id in set(leaves_old) and not a.relation}
    want = {leaves_old[i]: (None if j is None else leaves_new[j]) for i, j in truth.items()}
    right = sum(got.get(k) == v for k, v in want.items())
    return f"{right}/{len(want)} old items ({right / len(want):.1%}) have the right partner or are rightly dropped"


def _child_memory(n: int) -> None:
    old_text, new_text, _ = make_plans(n)
    old = extract(parse(old_text, doc_id="synthetic_2023"))
    new = extract(parse(new_text, doc_id="synthetic_2024"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    compare([old, new])
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{n} vs {n} items: compare() {took:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak / 1024:.0f} MiB "
          f"({before / 1024:.0f} MiB before compare)")


def _corpus(n_plans: int) -> None:
    from pipeline.compare.corpus import compare_corpus
    from pipeline.model import DocResult

    rng = random.Random(5)
    pool = _corpus_sentences()
    docs = []
    chars = "东南西北中安平和兴宁泰丰华阳清河山"
    for issuer in range(n_plans // 5):
        a, b = divmod(issuer, len(chars) ** 2)
        name = chars[a % len(chars)] + chars[b // len(chars)] + chars[b % len(chars)]  # a distinct 3-character city
        base = [_make_item(pool, rng) for _ in range(rng.randint(10, 40))]
        for year in range(2020, 2025):
            items = [(_modify(s, rng) if rng.random() < 0.2 else s) for s in base if rng.random() > 0.05]
            text = _render(f"{name}市教育局{year}年工作要点", [items[k::3] for k in range(3)])
            doc = extract(parse(text, doc_id=f"p{issuer}_{year}"))
            doc.issuer, doc.year = f"{name}市教育局", year
            docs.append(doc)
            base = items
    start, cpu = time.perf_counter(), time.process_time()
    found = compare_corpus(DocResult(d.doc_id, d.doc_id, "ok", document=d) for d in docs)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    pairs = sum(len(c.pairs) for c in found.comparisons)
    items = sum(len(d.items) for d in docs)
    print(f"corpus of {len(docs)} plans ({items} items): {len(found.comparisons)} series, {pairs} pairs compared "
          f"in {took:.1f} s wall, {cpu:.1f} s CPU ({cpu / max(pairs, 1) * 1000:.0f} ms CPU a pair), peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory", default="", help="comma list of item counts, e.g. 300,2000,10000")
    parser.add_argument("--corpus", type=int, default=0, help="plans in a synthetic corpus comparison")
    parser.add_argument("--child-memory", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        _child_memory(args.child_memory)
        return

    old_text, new_text, truth = make_plans(args.items)
    old = extract(parse(old_text, doc_id="synthetic_2023"))
    new = extract(parse(new_text, doc_id="synthetic_2024"))
    chars = sum(len(body(old, it)) for it in old.items) + sum(len(body(new, it)) for it in new.items)
    print(f"plans: {len(old.items)} + {len(new.items)} items, {chars} characters of item text")
    compare([old, new])  # warm-up
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        cmp = compare([old, new])
        times.append(time.perf_counter() - start)
    print(f"compare() in-process: median {statistics.median(times):.3f} s, min {min(times):.3f} s, "
          f"max {max(times):.3f} s over {args.runs} runs")
    print(f"alignment accuracy on the synthetic pair: {_accuracy(old, new, cmp, truth)}")

    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "plan_2023.txt", Path(tmp) / "plan_2024.txt"
        a.write_text(old_text, encoding="utf-8")
        b.write_text(new_text, encoding="utf-8")
        command = [sys.executable, "-m", "pipeline.cli", "compare", str(a), str(b), "-o", str(Path(tmp) / "out"),
                   "--quiet"]
        subprocess.run(command, check=True, cwd=ROOT)  # warm-up (disk cache)
        walls, cpus = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=ROOT)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"planscope compare {args.items} vs {args.items} items, whole process: wall median "
          f"{statistics.median(walls):.3f} s (min {min(walls):.3f} s), CPU median {statistics.median(cpus):.3f} s "
          f"(target < 1 s wall)")

    for n in [int(x) for x in args.memory.split(",") if x.strip()]:
        subprocess.run([sys.executable, __file__, "--child-memory", str(n)], check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    if args.corpus:
        _corpus(args.corpus)


if __name__ == "__main__":
    main()
