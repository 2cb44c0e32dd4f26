"""Score comparisons against hand-made gold alignments (``corpus/gold/compare/*.json``).

A gold file names two plans and says, by reading, which items carried over (``carry_overs``: groups
of old and new label paths such as ``一、/（四）``; a merge lists several old items, any of which is a
right partner), which pairs are acceptable but not required (``acceptable``), which items cannot be
judged because the excerpt is cut inside them (``unknown``) and every target change
(``target_changes``: item paths and spans as written). Scores:

- carry-overs found: gold groups the tool paired (any old of the group with any new of it);
- false pairs: pairs the tool made that no gold group or acceptable pair covers;
- target changes found / spurious: rows of ``target_changes`` equal to a gold change (same spans,
  items resolved as below), and rows that are not, leaving out the listings (``added`` / ``removed``)
  of targets of items the tool found new or dropped, or of a pair the gold calls acceptable only.

The structure parser may not find every gold item. A gold path that does not parse is resolved to its
nearest parsed ancestor for target changes (the target's text lives there); carry-overs whose items do
not parse are counted apart as ``unparsed``, so the scores cover what parses, and say so.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document


def _norm_path(path: str) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFKC", p).strip() for p in path.split("/"))


def label_paths(doc: Document) -> dict[tuple[str, ...], str]:
    """{label path (NFKC), item_id}: ``("一、", "(四)")`` for the item （四） under 一、; the first item wins."""
    from ..evaluate import item_paths

    out: dict[tuple[str, ...], str] = {}
    for item_id, path in item_paths(doc, lambda label: unicodedata.normalize("NFKC", label).strip()).items():
        out.setdefault(path, item_id)
    return out


@dataclass(slots=True)
class PairScore:
    """The scores of one gold pair of plans."""

    name: str
    carry_overs: int = 0
    found: int = 0
    unparsed: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    false_pairs: list[str] = field(default_factory=list)
    target_changes: int = 0
    targets_found: int = 0
    targets_missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    refused: str = ""


class _Resolver:
    def __init__(self, doc: Document) -> None:
        self.paths = label_paths(doc)
        self.labels = {v: "/".join(k) for k, v in self.paths.items()}

    def exact(self, path: str) -> str | None:
        return self.paths.get(_norm_path(path))

    def nearest(self, path: str | None) -> str | None:
        if path is None:
            return None
        parts = _norm_path(path)
        for k in range(len(parts), 0, -1):
            if parts[:k] in self.paths:
                return self.paths[parts[:k]]
        return None


def score_pair(gold: dict[str, Any], old: Document, new: Document, name: str = "") -> PairScore:
    """Compare ``old`` with ``new`` and score the result against one gold file's content."""
    from . import compare

    score = PairScore(name)
    try:
        cmp = compare([old, new])
    except ValueError as exc:
        score.refused = str(exc)
        return score
    pair = cmp.pairs[0]
    old_doc, new_doc = cmp.documents
    ro, rn = _Resolver(old_doc), _Resolver(new_doc)
    predicted = {(a.old_item_id, a.new_item_id) for a in pair.alignments if a.old_item_id and a.new_item_id}
    covered: set[tuple[str, str]] = set()
    for group in gold.get("carry_overs", []):
        olds = [ro.exact(p) for p in group["old"]]
        news = [rn.exact(p) for p in group["new"]]
        ok_old, ok_new = [x for x in olds if x], [x for x in news if x]
        cover = {(a, b) for a in ok_old for b in ok_new}
        covered |= cover
        desc = f"{'+'.join(group['old'])} -> {'+'.join(group['new'])}"
        if not ok_old or not ok_new:
            score.unparsed.append(desc)
            covered |= {(a, b) for a in (ok_old or [ro.nearest(p) for p in group["old"]])
                        for b in (ok_new or [rn.nearest(p) for p in group["new"]]) if a and b}
            continue
        score.carry_overs += 1
        if cover & predicted:
            score.found += 1
        else:
            score.missed.append(desc)
    acceptable: set[tuple[str, str]] = set()
    for group in gold.get("acceptable", []):
        acceptable |= {(a, b) for a in map(ro.exact, group["old"]) for b in map(rn.exact, group["new"])
                       if a and b}
    covered |= acceptable
    unknown_old = {ro.exact(p) for p in gold.get("unknown", {}).get("old", [])}
    unknown_new = {rn.exact(p) for p in gold.get("unknown", {}).get("new", [])}
    for a, b in sorted(predicted - covered, key=str):
        if a not in unknown_old and b not in unknown_new:
            score.false_pairs.append(f"{ro.labels.get(a, a)} -> {rn.labels.get(b, b)}")

    def key(old_item: str | None, new_item: str | None, old_text: str, new_text: str) -> tuple[Any, ...]:
        return (old_item if old_text else None, new_item if new_text else None, old_text, new_text)

    rows = {}
    for t in pair.targets:
        if t.change.change in ("added", "removed") and (
                t.item_status != "matched" or (t.change.old_item_id, t.change.new_item_id) in acceptable):
            continue  # listings of a new or dropped item's targets, or of an unjudged pair's, claim no change
        c = t.change
        rows[key(c.old_item_id, c.new_item_id, t.old_text, t.new_text)] = t
    gold_keys = set()
    for g in gold.get("target_changes", []):
        score.target_changes += 1
        k = key(ro.nearest(g.get("old_item")), rn.nearest(g.get("new_item")), g.get("old") or "", g.get("new") or "")
        gold_keys.add(k)
        if k in rows:
            score.targets_found += 1
        else:
            score.targets_missed.append(f"{g.get('old_item')} {g.get('old')} -> {g.get('new_item')} {g.get('new')}")
    for k, t in rows.items():
        if k not in gold_keys and t.change.old_item_id not in unknown_old and t.change.new_item_id not in unknown_new:
            score.spurious.append(f"{t.change.subject}: {t.old_text or '—'} -> {t.new_text or '—'} ({t.change.change})")
    return score


def evaluate_compare(gold_dir: str | Path, root: str | Path = ".") -> list[PairScore]:
    """Score every gold file in ``gold_dir``; plan paths in the files are relative to ``root``."""
    from ..batch import process_file

    out = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        old = process_file(Path(root) / gold["old"])
        new = process_file(Path(root) / gold["new"], doc_id=None)
        if old.doc_id == new.doc_id:
            new.doc_id += "_new"
        out.append(score_pair(gold, old, new, path.stem))
    return out


def format_compare_report(scores: list[PairScore], *, misses: bool = True) -> str:
    """A plain-text table of the scores, totals last, then (optionally) every miss and false pair."""
    lines = [f"{'pair':32} {'carry-overs':>12} {'false':>6} {'unparsed':>9} {'targets':>9} {'spurious':>9}"]
    tot = PairScore("total")
    for s in scores:
        lines.append(f"{s.name:32} {s.found:>5}/{s.carry_overs:<6} {len(s.false_pairs):>6} {len(s.unparsed):>9} "
                     f"{s.targets_found:>4}/{s.target_changes:<4} {len(s.spurious):>9}"
                     + (f"  REFUSED: {s.refused}" if s.refused else ""))
        tot.found += s.found
        tot.carry_overs += s.carry_overs
        tot.false_pairs += s.false_pairs
        tot.unparsed += s.unparsed
        tot.targets_found += s.targets_found
        tot.target_changes += s.target_changes
        tot.spurious += s.spurious
    recall = tot.found / tot.carry_overs if tot.carry_overs else 1.0
    t_recall = tot.targets_found / tot.target_changes if tot.target_changes else 1.0
    lines.append(f"{'total':32} {tot.found:>5}/{tot.carry_overs:<6} {len(tot.false_pairs):>6} {len(tot.unparsed):>9} "
                 f"{tot.targets_found:>4}/{tot.target_changes:<4} {len(tot.spurious):>9}")
    lines.append(f"carry-overs found {recall:.3f}, false pairs {len(tot.false_pairs)}; target changes found "
                 f"{t_recall:.3f}, spurious {len(tot.spurious)}; refused {sum(bool(s.refused) for s in scores)}")
    if misses:
        for s in scores:
            for kind, entries in (("missed", s.missed), ("false pair", s.false_pairs), ("unparsed", s.unparsed),
                                  ("target missed", s.targets_missed), ("spurious target", s.spurious)):
                lines.extend(f"  {s.name}: {kind}: {e}" for e in entries)
    return "\n".join(lines)
