"""Extraction over a Document: every stage is a pure function of one item's text."""
from __future__ import annotations

from ..model import Document
from .deadlines import find_deadlines, is_progress_report
from .departments import declares_first_listed_lead, find_departments, lead_marker, lift_section_annotations
from .instruments import find_instruments
from .quantities import find_quantities


def extract(doc: Document) -> Document:
    """Fill every item of ``doc`` with its quantities, deadlines, departments and instruments."""
    first_leads = declares_first_listed_lead(doc.text)
    report = is_progress_report(doc.text, doc.title)
    mark = lead_marker(doc.text)
    for it in doc.items:
        # Table rows start at their 序号 cell; other items skip their marker so 1. is not a number.
        start = it.start if it.cells else it.start + len(it.label)
        text = doc.text[start : it.end]
        it.quantities = find_quantities(text, offset=start)
        it.deadlines = find_deadlines(text, year=doc.year, offset=start, report=report)
        it.departments = find_departments(text, offset=start, cells=it.cells, full_text=doc.text,
                                          first_listed_leads=first_leads, lead_mark=mark)
        it.instruments = find_instruments(text, offset=start)
    lift_section_annotations(doc)
    if doc.preamble:  # targets before the numbered tasks, or in a text without any
        start, end = doc.preamble
        doc.quantities = find_quantities(doc.text[start:end], offset=start)
        if not doc.items:
            # A preamble names the plan's own year (2023年是…) and the page's dates: only a page without
            # items has its deadlines there, and the plan year alone is still none of them.
            found = find_deadlines(doc.text[start:end], year=doc.year, offset=start, report=report)
            doc.deadlines = [d for d in found if not (d.granularity == "year" and d.date == f"{doc.year}-12-31")]
    return doc


__all__ = ["extract", "find_quantities", "find_deadlines", "find_departments", "find_instruments"]

from .._stage import make_callable  # noqa: E402

make_callable(__name__)  # pipeline.extract(...) is the API function
