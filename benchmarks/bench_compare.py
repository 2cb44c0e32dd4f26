"""Compare benchmark: ``python benchmarks/bench_compare.py [--items 300] [--runs 5]``.

Two synthetic plans of ``--items`` items each are built from real corpus items: every item is a real
item's sentences, recombined with a sentence of another item and with its numbers perturbed, so
repeats are near-duplicates (the hard case for an aligner). The second plan drops, adds, modifies and
moves items with a known answer, so the run also prints alignment accuracy. Timed: ``compare()`` only
(parsing and extraction are done before), with jieba's one-off dictionary load reported apart, and the
token cache cleared before every run so no run profits from the previous one. Target: < 1 s.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import process_file
from pipeline.compare import compare
from pipeline.compare.align import body, is_heading, tokens
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    old_text, new_text, truth = make_plans(args.items)
    old = extract(parse(old_text, doc_id="synthetic_2023"))
    new = extract(parse(new_text, doc_id="synthetic_2024"))
    leaves_old = [it.item_id for it in old.items if not is_heading(old, it)]
    leaves_new = [it.item_id for it in new.items if not is_heading(new, it)]
    chars = sum(len(body(old, it)) for it in old.items) + sum(len(body(new, it)) for it in new.items)
    print(f"plans: {len(leaves_old)} + {len(leaves_new)} items, {chars} characters of item text")

    start = time.perf_counter()
    tokens("预热")
    print(f"jieba dictionary load (once per process): {time.perf_counter() - start:.2f} s")
    times = []
    for _ in range(args.runs):
        tokens.cache_clear()
        start = time.perf_counter()
        cmp = compare([old, new])
        times.append(time.perf_counter() - start)
    print(f"compare() over {args.runs} runs: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s (target < 1 s)")

    got = {a.old_item_id: a.new_item_id for a in cmp.alignments if a.old_item_id in set(leaves_old)}
    want = {leaves_old[i]: (None if j is None else leaves_new[j]) for i, j in truth.items()}
    right = sum(got.get(k) == v for k, v in want.items())
    print(f"alignment accuracy on the synthetic pair: {right}/{len(want)} old items "
          f"({right / len(want):.1%}) have the right partner or are rightly dropped")


if __name__ == "__main__":
    main()
