"""Score the pipeline against hand-made gold annotations (precision / recall / F1 per field)."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import Document

FIELDS = ["title", "year", "issuer", "items", "lead_departments", "departments", "quantities", "quantity_subjects", "deadlines",
          "instruments", "instrument_actions"]


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[Hashable] = field(default_factory=list)
    spurious: list[Hashable] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> None:
        g, p = Counter(gold), Counter(predicted)
        both = g & p
        self.tp += sum(both.values())
        self.fn += sum((g - both).values())
        self.fp += sum((p - both).values())
        self.missed.extend((g - both).elements())
        self.spurious.extend((p - both).elements())


def _paths(doc: Document) -> dict[str, tuple[str, ...]]:
    by_id = {it.item_id: it for it in doc.items}
    out: dict[str, tuple[str, ...]] = {}
    for it in doc.items:
        path = [it.label]
        parent = it.parent_id
        while parent:
            path.append(by_id[parent].label)
            parent = by_id[parent].parent_id
        out[it.item_id] = tuple(reversed(path))
    return out


def _num(v: object) -> float | None:
    return None if v is None or v == "" else round(float(v), 4)  # type: ignore[arg-type]


def predicted_keys(doc: Document) -> dict[str, list[Hashable]]:
    """The comparable keys of everything the pipeline found in ``doc``, per field."""
    paths = _paths(doc)
    keys: dict[str, list[Hashable]] = {f: [] for f in FIELDS}
    keys["title"] = [doc.title] if doc.title else []
    keys["year"] = [doc.year] if doc.year else []
    keys["issuer"] = [name for name in doc.issuer.split("；") if name]
    for it in doc.items:
        p = paths[it.item_id]
        keys["items"].append((p, doc.heading(it)))
        for d in it.departments:
            keys["departments"].append((p, d.name, d.role))
            if d.role == "lead":
                keys["lead_departments"].append((p, d.name))
        for q in it.quantities:
            keys["quantities"].append((p, _num(q.value), q.unit))
            keys["quantity_subjects"].append((p, _num(q.value), q.unit, q.subject))
        for dl in it.deadlines:
            keys["deadlines"].append((p, dl.date, dl.granularity))
        for ins in it.instruments:
            keys["instruments"].append((p, ins.title, ins.issued))
            keys["instrument_actions"].append((p, ins.title, ins.action))
    return keys


def gold_keys(gold: dict[str, object]) -> dict[str, list[Hashable]]:
    """The same keys read from a gold JSON file."""
    keys: dict[str, list[Hashable]] = {f: [] for f in FIELDS}
    keys["title"] = [gold["title"]] if gold.get("title") else []
    keys["year"] = [gold["year"]] if gold.get("year") else []
    issuer = gold.get("issuer") or []
    keys["issuer"] = list(issuer) if isinstance(issuer, list) else [issuer]
    for it in gold["items"]:  # type: ignore[attr-defined]
        p = tuple(it["path"])
        keys["items"].append((p, it["heading"]))
        for name in it.get("lead", []):
            keys["departments"].append((p, name, "lead"))
            keys["lead_departments"].append((p, name))
        for name in it.get("co", []):
            keys["departments"].append((p, name, "co"))
        for q in it.get("quantities", []):
            keys["quantities"].append((p, _num(q["value"]), q.get("unit", "")))
            keys["quantity_subjects"].append((p, _num(q["value"]), q.get("unit", ""), q.get("subject", "")))
        for d in it.get("deadlines", []):
            keys["deadlines"].append((p, d.get("date"), d.get("granularity")))
        for ins in it.get("instruments", []):
            keys["instruments"].append((p, ins["title"], bool(ins.get("issued"))))
            keys["instrument_actions"].append((p, ins["title"], ins.get("action", "")))
    return keys


def evaluate(gold_dir: str | Path, corpus_dir: str | Path) -> dict[str, dict[str, Score]]:
    """Run the pipeline over every corpus document that has gold and score it.

    Returns ``{doc_id: {field: Score}}`` plus a ``"TOTAL"`` entry summing all documents.
    """
    from .batch import process_file

    gold_files = sorted(Path(gold_dir).glob("*.json"))
    corpus = {p.stem: p for p in Path(corpus_dir).rglob("*") if p.is_file() and "gold" not in p.parts}
    results: dict[str, dict[str, Score]] = {}
    total = {f: Score() for f in FIELDS}
    for gf in gold_files:
        gold = json.loads(gf.read_text(encoding="utf-8"))
        doc_id = gold.get("doc_id", gf.stem)
        if doc_id not in corpus:
            raise FileNotFoundError(f"{gf}: no document named {doc_id}.* in {corpus_dir}")
        doc = process_file(corpus[doc_id], doc_id=doc_id)
        g, p = gold_keys(gold), predicted_keys(doc)
        scores = {f: Score() for f in FIELDS}
        for f in FIELDS:
            scores[f].add(g[f], p[f])
            total[f].add(g[f], p[f])
        results[doc_id] = scores
    results["TOTAL"] = total
    return results


def format_report(results: dict[str, dict[str, Score]], *, misses: bool = True) -> str:
    """A plain-text table of P/R/F1 per field and document, then the misses."""
    lines = [f"{'document':34} {'field':17} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for doc_id, scores in results.items():
        for f, s in scores.items():
            lines.append(f"{doc_id:34} {f:17} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fp:4} {s.fn:4}")
    if misses:
        for doc_id, scores in results.items():
            if doc_id == "TOTAL":
                continue
            for f, s in scores.items():
                for m in s.missed:
                    lines.append(f"MISSED   {doc_id} {f}: {m}")
                for m in s.spurious:
                    lines.append(f"SPURIOUS {doc_id} {f}: {m}")
    return "\n".join(lines)
