"""The one document model every stage reads and writes.

A :class:`Document` owns the normalised text. Everything found in it (items, quantities, deadlines,
departments, instruments) is a view: it carries ``start``/``end``, a half-open ``[start, end)`` interval
into ``Document.text``, so every exported value can be traced to its source span.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RawText:
    """What a reader returns: normalised text plus what it learned about the file."""

    text: str
    format: str
    source: str = ""
    encoding: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what the reader could not read cleanly; parse() copies them to Document.warnings


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    value: float
    unit: str
    value_max: float | None = None
    qualifier: str = ""
    subject: str = ""
    part_of: int | None = None  # index (within the item) of the total this quantity breaks down
    aspirational: bool = False  # 力争: a target the plan strives for, told apart from a binding one


@dataclass(frozen=True, slots=True)
class Deadline:
    start: int
    end: int
    date: str | None  # ISO end date, None when it cannot be resolved to one date
    granularity: str  # day / month / quarter / half / year / range / recurring / ongoing
    recurring: bool = False


@dataclass(frozen=True, slots=True)
class Department:
    start: int
    end: int
    name: str
    role: str  # "lead" or "co"


@dataclass(frozen=True, slots=True)
class Instrument:
    start: int
    end: int
    title: str
    action: str  # 出台 / 制定 / 修订 / 印发 / ... ; "" when merely cited
    issued: bool  # True when the item promises to issue it, False when it is cited or implemented


@dataclass(slots=True)
class Item:
    """One numbered item; ``start``/``end`` cover its own text, from its marker to the next marker."""

    item_id: str  # dotted path of positions, e.g. "2.4"
    parent_id: str | None
    level: int  # 1 = top
    label: str  # the marker as written, e.g. "（九）"
    kind: str  # marker kind, e.g. "cn_dun", "paren_cn", "arabic", "row"
    start: int
    end: int
    heading_start: int
    heading_end: int
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # table column -> span
    quantities: list[Quantity] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    doc_id: str
    text: str
    source: str = ""
    format: str = ""
    encoding: str | None = None
    title: str = ""
    issuer: str = ""
    year: int | None = None
    doc_number: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    preamble: tuple[int, int] | None = None  # span of the text before the first item of the plan body
    body_start: int = 0  # where the plan proper starts (after any cover letter)
    items: list[Item] = field(default_factory=list)
    # Targets and deadlines stated outside any item: a government report's 主要预期目标 paragraph before the
    # numbered tasks, or a page with no numbered items at all (exported with an empty item_id).
    quantities: list[Quantity] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    # What a stage could not read or suspects it read wrong ("no_items_but_markers", "body_outside_items",
    # "ocr_pages:3,4", ...): a short code, then ": " and details. Exported in documents.csv so that no
    # document comes out ``ok`` without saying what is missing.
    warnings: list[str] = field(default_factory=list)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def item_text(self, item: Item) -> str:
        return self.text[item.start : item.end].strip()

    def heading(self, item: Item) -> str:
        return self.text[item.heading_start : item.heading_end]

    def children(self, item_id: str | None) -> list[Item]:
        return [it for it in self.items if it.parent_id == item_id]

    def _counts(self) -> dict[str, int]:
        spans = ("quantities", "deadlines", "departments", "instruments")
        return {"items": len(self.items), **{k: sum(len(getattr(it, k)) for it in self.items) for k in spans}}

    def __repr__(self) -> str:
        # the generated repr would print the whole text and every item: one line is what a notebook needs
        counts = ", ".join(f"{n} {k}" for k, n in self._counts().items())
        return f"Document({self.doc_id!r}, {self.title!r}, {self.issuer!r}, {self.year}, {counts})"

    def _repr_html_(self) -> str:
        from html import escape

        rows = [("doc_id", self.doc_id), ("title", self.title), ("issuer", self.issuer), ("year", self.year),
                ("source", self.source), *self._counts().items(), ("warnings", "; ".join(self.warnings))]
        cells = "".join(f"<tr><th>{k}</th><td>{escape(str(v if v is not None else ''))}</td></tr>" for k, v in rows)
        return f"<table>{cells}</table>"


@dataclass(slots=True)
class DocResult:
    """Outcome of processing one input file; a batch yields exactly one per input."""

    source: str
    doc_id: str
    status: str  # "ok" or "error"
    error: str = ""
    document: Document | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ItemAlignment:
    old_doc: str
    new_doc: str
    old_item_id: str | None
    new_item_id: str | None
    status: str  # unchanged / modified / new / dropped
    similarity: float
    confidence: float = float("nan")  # 0..1, how sure the aligner is of the pair; NaN for new/dropped
    relation: str = ""  # "" one-to-one; "merge" another old item also went into this new one; "split" the reverse


@dataclass(frozen=True, slots=True)
class TargetChange:
    old_doc: str
    new_doc: str
    old_item_id: str | None
    new_item_id: str | None
    subject: str
    unit: str
    old_value: float | None
    new_value: float | None
    change: str
