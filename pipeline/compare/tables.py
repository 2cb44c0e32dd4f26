"""Plans read back from the tables of an earlier ``planscope extract`` (``documents.csv``, ``items.csv``, …
and ``text/<doc_id>.txt.gz``), so that a corpus extracted once can be compared without reading it again.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..model import Deadline, Department, DocResult, Document, Instrument, Item, Quantity


def is_extract_folder(path: str | Path) -> bool:
    """True for a folder written by ``planscope extract``: documents.csv, items.csv and text/."""
    p = Path(path)
    return (p / "documents.csv").is_file() and (p / "items.csv").is_file() and (p / "text").is_dir()


def _rows(df: Any) -> list[dict[str, Any]]:
    """Records of a typed frame with None for every null (pd.NA, NaN, NaT)."""
    import pandas as pd

    return [{k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


def read_extract(folder: str | Path) -> list[DocResult]:
    """One DocResult per documents row, read through the declared schema (``read_tables``: keys as text,
    types as written); a document whose text file is missing is an error result."""
    from ..export import read_tables, read_text, text_name

    folder = Path(folder)
    tables = read_tables(folder)
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in ("items", "quantities", "deadlines", "departments", "instruments"):
        for row in _rows(tables[table]):
            by_doc[row["doc_id"]][table].append(row)
    out = []
    for row in _rows(tables["documents"]):
        doc_id, source = row["doc_id"], row.get("source") or ""
        if row.get("status", "ok") != "ok":
            out.append(DocResult(source, doc_id, "error", row.get("error") or f"{source}: not read by extract"))
            continue
        try:
            text = read_text(folder, doc_id)
        except FileNotFoundError:
            out.append(DocResult(source, doc_id, "error", f"{folder / 'text' / text_name(doc_id)}: missing; "
                                 "run planscope extract again"))
            continue
        rows = by_doc[doc_id]
        items = []
        for r in rows["items"]:
            start, end = int(r["start"]), int(r["end"])
            at = text.find(r["heading"], start, end) if r["heading"] else -1
            h_start = at if at >= 0 else start + len(r["label"])
            items.append(Item(r["item_id"], r["parent_id"] or None, int(r["level"]), r["label"], "", start, end,
                              h_start, h_start + len(r["heading"]) if at >= 0 else h_start))
        by_item = {it.item_id: it for it in items}
        loose_q: list[Quantity] = []
        for r in rows["quantities"]:
            it = by_item.get(r["item_id"])
            into = it.quantities if it is not None else loose_q
            total = r.get("part_of") or ""  # the total's quantity_id, item_id#n
            part = int(total.rsplit("#", 1)[1]) - 1 if "#" in total else None
            into.append(Quantity(int(r["start"]), int(r["end"]), float(r["value"]), r["unit"], r.get("value_max"),
                                 r.get("qualifier") or "", r.get("subject") or "", part))
        for r in rows["deadlines"]:
            if r["item_id"] in by_item:
                date = r.get("date")
                by_item[r["item_id"]].deadlines.append(Deadline(int(r["start"]), int(r["end"]),
                                                                date.strftime("%Y-%m-%d") if date is not None else None,
                                                                r["granularity"], bool(r.get("recurring"))))
        for r in rows["departments"]:
            if r["item_id"] in by_item:
                by_item[r["item_id"]].departments.append(Department(int(r["start"]), int(r["end"]), r["department"],
                                                                    r["role"]))
        for r in rows["instruments"]:
            if r["item_id"] in by_item:
                by_item[r["item_id"]].instruments.append(Instrument(int(r["start"]), int(r["end"]), r["title"],
                                                                    r["action"], bool(r.get("issued"))))
        year = row.get("year")
        doc = Document(doc_id, text, source=source, format=row.get("format") or "", title=row.get("title") or "",
                       issuer=(row.get("issuer") or "").replace(";", "；"), year=int(year) if year is not None else None,
                       doc_number=row.get("doc_number") or "", items=items, quantities=loose_q)
        out.append(DocResult(source, doc_id, "ok", document=doc))
    return out
