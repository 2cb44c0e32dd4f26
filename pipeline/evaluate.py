"""Score the pipeline against hand-made gold annotations (precision / recall / F1 per field)."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
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


def _norm(text: str | None) -> str:
    """Compared form of gold and output text: NFKC (ASCII (一) equals （一）), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _label(label: str) -> str:
    return _norm(label).replace("．", ".").rstrip(".、")


def _heading(text: str | None) -> str:
    return _norm(text).rstrip("。.;；:：,，")


def item_paths(doc: Document, norm: Callable[[str], str] = _label) -> dict[str, tuple[str, ...]]:
    """{item_id: label path from the top down}, each label passed through ``norm``, in document order."""
    by_id = {it.item_id: it for it in doc.items}
    out: dict[str, tuple[str, ...]] = {}
    for it in doc.items:
        path = [norm(it.label)]
        parent = it.parent_id
        while parent:
            path.append(norm(by_id[parent].label))
            parent = by_id[parent].parent_id
        out[it.item_id] = tuple(reversed(path))
    return out


def _num(v: object) -> float | None:
    return None if v is None or v == "" else round(float(v), 4)  # type: ignore[arg-type]


def _keys(title: str | None, year: int | None, issuers: list[str]) -> dict[str, list[Hashable]]:
    """Empty keys for every field, with the document-level ones (title, year, issuers) filled in."""
    keys: dict[str, list[Hashable]] = {f: [] for f in FIELDS}
    keys["title"] = [_norm(title)] if title else []
    keys["year"] = [year] if year else []
    keys["issuer"] = [_norm(name) for name in issuers if name]
    return keys


def predicted_keys(doc: Document) -> dict[str, list[Hashable]]:
    """The comparable keys of everything the pipeline found in ``doc``, per field."""
    paths = item_paths(doc)
    keys = _keys(doc.title, doc.year, doc.issuer.split("；"))
    for it in doc.items:
        p = paths[it.item_id]
        keys["items"].append((p, _heading(doc.heading(it))))
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
    """The same keys read from a gold JSON file (corpus/gold's nested format)."""
    issuer = gold.get("issuer") or []
    keys = _keys(gold.get("title"), gold.get("year"), issuer if isinstance(issuer, list) else [issuer])  # type: ignore[arg-type]
    for it in gold["items"]:  # type: ignore[attr-defined]
        p = tuple(_label(x) for x in it["path"])
        keys["items"].append((p, _heading(it["heading"])))
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


def is_guide_format(gold: dict[str, object]) -> bool:
    """The flat format of the real-plan gold (``doc``, ``issuers``, item paths ``一、/1.``; see
    corpus/gold/README.md), as opposed to corpus/gold's nested one."""
    return "doc" in gold and "doc_id" not in gold


def guide_keys(gold: dict[str, object], doc: Document) -> tuple[dict[str, list[Hashable]], dict[str, list[Hashable]]]:
    """Gold and predicted keys for a gold file in the flat format.

    Its conventions: quantities and deadlines list their item by path (``""`` outside any item); an
    ``optional`` entry is neither required nor held against the tool; the fields of a last item cut off
    by the excerpt (``partial_last``) are not scored, nor its heading; deadlines compare by end date
    (or text, for a date-less one); instruments are the titles the plan promises to issue.
    """
    g = _keys(gold.get("title"), gold.get("year"), gold.get("issuers") or [])  # type: ignore[arg-type]
    items = list(gold.get("items") or [])  # type: ignore[call-overload]

    def path(text: str) -> tuple[str, ...]:
        return tuple(_label(x) for x in text.split("/")) if text else ()

    partial = path(items[-1]["path"]) if gold.get("partial_last") and items else None
    for it in items:
        p = path(it["path"])
        g["items"].append((p, None if p == partial else _heading(it["heading"])))
        if p == partial:
            continue
        for name in it.get("lead", []):
            g["departments"].append((p, _norm(name), "lead"))
            g["lead_departments"].append((p, _norm(name)))
        for name in it.get("co", []):
            g["departments"].append((p, _norm(name), "co"))
    optional: dict[str, Counter[Hashable]] = {"quantities": Counter(), "deadlines": Counter()}
    for q in gold.get("quantities") or []:  # type: ignore[attr-defined]
        key = (path(q["item"]), _num(q["value"]), _norm(q.get("unit")))
        if key[0] != partial or partial is None:
            (optional["quantities"].update([key]) if q.get("optional") else g["quantities"].append(key))
    for d in gold.get("deadlines") or []:  # type: ignore[attr-defined]
        key = (path(d["item"]), d.get("date") or _norm(d["text"]))
        if key[0] != partial or partial is None:
            (optional["deadlines"].update([key]) if d.get("optional") else g["deadlines"].append(key))
    g["instruments"] = [_norm(t) for t in gold.get("instruments_issued") or []]  # type: ignore[union-attr]

    paths = item_paths(doc)
    p_keys = _keys(doc.title, doc.year, doc.issuer.split("；"))
    loose_q = list(getattr(doc, "quantities", []) or [])
    loose_d = list(getattr(doc, "deadlines", []) or [])
    spans: list[tuple[tuple[str, ...], list, list]] = [((), loose_q, loose_d)]  # type: ignore[type-arg]
    for it in doc.items:
        p = paths[it.item_id]
        p_keys["items"].append((p, None if p == partial else _heading(doc.heading(it))))
        if p == partial:
            continue
        spans.append((p, it.quantities, it.deadlines))
        for dep in it.departments:
            p_keys["departments"].append((p, _norm(dep.name), dep.role))
            if dep.role == "lead":
                p_keys["lead_departments"].append((p, _norm(dep.name)))
        p_keys["instruments"].extend(_norm(ins.title) for ins in it.instruments if ins.issued)
    for p, quantities, deadlines in spans:
        for q in quantities:
            key = (p, _num(q.value), _norm(q.unit))
            if optional["quantities"][key] > 0 and p_keys["quantities"].count(key) >= g["quantities"].count(key):
                optional["quantities"][key] -= 1
                continue
            p_keys["quantities"].append(key)
        for dl in deadlines:
            key = (p, dl.date or _norm(doc.span(dl.start, dl.end)))
            if optional["deadlines"][key] > 0:
                optional["deadlines"][key] -= 1
                continue
            p_keys["deadlines"].append(key)
    for f in ("quantity_subjects", "instrument_actions"):
        g[f], p_keys[f] = [], []  # the flat format does not annotate these
    return g, p_keys


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
        doc_id = gold.get("doc_id") or gold.get("doc") or gf.stem
        if doc_id not in corpus:
            raise FileNotFoundError(f"{gf}: no document named {doc_id}.* in {corpus_dir}")
        doc = process_file(corpus[doc_id], doc_id=doc_id)
        g, p = guide_keys(gold, doc) if is_guide_format(gold) else (gold_keys(gold), predicted_keys(doc))
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
