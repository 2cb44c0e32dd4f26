"""Plans read back from the tables of an earlier ``planscope extract`` (``documents.csv``, ``items.csv``, …
and ``text/<doc_id>.txt``), so that a corpus extracted once can be compared without reading it again.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from ..export import ZH_HEADERS
from ..model import Deadline, Department, DocResult, Document, Instrument, Item, Quantity

_ENGLISH = {zh: en for en, zh in ZH_HEADERS.items()}
_FORMULA = ("'=", "'+", "'-", "'@", "'\t", "'\r", "'\uff1d", "'\uff0b", "'\uff0d", "'\uff20")


def is_extract_folder(path: str | Path) -> bool:
    """True for a folder written by ``planscope extract``: documents.csv, items.csv and text/."""
    p = Path(path)
    return (p / "documents.csv").is_file() and (p / "items.csv").is_file() and (p / "text").is_dir()


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [_ENGLISH.get(h, h) for h in next(reader, [])]
        # export writes a leading ' before text a spreadsheet would run; the text itself did not have it
        return [{h: (v[1:] if v.startswith(_FORMULA) else v) for h, v in zip(header, row)} for row in reader]


def _num(v: str) -> float | None:
    return float(v) if v not in ("", "nan", "NaN") else None


def _int(v: str) -> int | None:
    return int(float(v)) if v not in ("", "nan", "NaN", "<NA>") else None


def read_extract(folder: str | Path) -> list[DocResult]:
    """One DocResult per documents.csv row; a document whose text file is missing is an error result."""
    folder = Path(folder)
    by_doc: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for table in ("items", "quantities", "deadlines", "departments", "instruments"):
        for row in _rows(folder / f"{table}.csv"):
            by_doc[row["doc_id"]][table].append(row)
    out = []
    for row in _rows(folder / "documents.csv"):
        doc_id, source = row["doc_id"], row.get("source", "")
        if row.get("status", "ok") != "ok":
            out.append(DocResult(source, doc_id, "error", row.get("error", "") or f"{source}: not read by extract"))
            continue
        text_file = folder / "text" / f"{doc_id}.txt"
        if not text_file.is_file():
            out.append(DocResult(source, doc_id, "error", f"{text_file}: missing; run planscope extract again"))
            continue
        text = text_file.read_text(encoding="utf-8")
        tables = by_doc[doc_id]
        items = []
        for r in tables["items"]:
            start, end = int(r["start"]), int(r["end"])
            at = text.find(r["heading"], start, end) if r["heading"] else -1
            h_start = at if at >= 0 else start + len(r["label"])
            items.append(Item(r["item_id"], r["parent_id"] or None, int(r["level"]), r["label"], "", start, end,
                              h_start, h_start + len(r["heading"]) if at >= 0 else h_start))
        by_item = {it.item_id: it for it in items}
        for r in tables["quantities"]:
            it = by_item.get(r["item_id"])
            if it is None:
                continue
            total = r.get("part_of", "")
            part = next((k for k, q in enumerate(it.quantities) if text[q.start : q.end] == total), None) if total else None
            it.quantities.append(Quantity(int(r["start"]), int(r["end"]), float(r["value"]), r["unit"],
                                          _num(r.get("value_max", "")), r.get("qualifier", ""), r.get("subject", ""),
                                          part))
        for r in tables["deadlines"]:
            if r["item_id"] in by_item:
                by_item[r["item_id"]].deadlines.append(Deadline(int(r["start"]), int(r["end"]), r["date"] or None,
                                                                r["granularity"], r.get("recurring") == "True"))
        for r in tables["departments"]:
            if r["item_id"] in by_item:
                by_item[r["item_id"]].departments.append(Department(int(r["start"]), int(r["end"]), r["department"],
                                                                    r["role"]))
        for r in tables["instruments"]:
            if r["item_id"] in by_item:
                by_item[r["item_id"]].instruments.append(Instrument(int(r["start"]), int(r["end"]), r["title"],
                                                                    r["action"], r.get("issued") == "True"))
        doc = Document(doc_id, text, source=source, format=row.get("format", ""), title=row.get("title", ""),
                       issuer=row.get("issuer", ""), year=_int(row.get("year", "")),
                       doc_number=row.get("doc_number", ""), items=items)
        out.append(DocResult(source, doc_id, "ok", document=doc))
    return out
