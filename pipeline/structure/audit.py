"""Warnings for a document that looks partly unread, so that no plan comes out ``ok`` with nothing in it
unnoticed. Each warning is a short code, then ``: `` and details (see ``Document.warnings``)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..model import DocResult, Document

WARNING_CODES = {
    "no_items": "no numbered items found (the count of candidate markers says whether the text had any)",
    "body_outside_items": "most of the body text lies outside any item",
    "rejected_markers": "many candidate markers were rejected as out of sequence",
    "broken_font_text": "the text looks like broken font extraction ((cid:N), replacement characters)",
    "repeated_text": "the body is repeated (a crawl that saved the page twice); the copy was left out",
}
# Unreadable glyphs: (cid:N) as pdfminer writes an unmapped glyph (in either punctuation), the
# replacement character, private-use code points. Counted one kind at a time: each pattern then starts
# with a character a search can jump to, and no glyph of one kind overlaps one of another. A (cid:N) is
# found from its "cid" (a literal prefix, which a search skips to much faster than to one of two brackets)
# and its bracket looked behind for: one match per glyph all the same.
_CID = re.compile(r"cid(?:(?<=（cid)：\d+）|(?<=\(cid):\d+\))")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def audit(doc: Document, candidates: int) -> list[str]:
    """Warnings for ``doc`` after parsing; ``candidates`` is how many markers were considered."""
    out = []
    end = doc.items[-1].end if doc.items and any(w.startswith("repeated_text") for w in doc.warnings) else len(doc.text)
    body = end - doc.body_start
    covered = sum(it.end - it.start for it in doc.items)  # item spans never overlap
    if not doc.items:
        # said even for a page without any marker (a target list): a batch user must see that no item
        # came out, and the count tells a page of prose from markers that were all rejected
        where = f"; the text after character {doc.body_start} only" if doc.body_start else ""
        out.append(f"no_items: {candidates} candidate markers, none in sequence{where}")
    elif doc.items and body >= 1000 and covered < 0.5 * body:
        out.append(f"body_outside_items: {100 - round(100 * covered / body)}% of {body} characters")
    rejected = candidates - len(doc.items)
    if rejected >= 5 and rejected > 0.3 * candidates:
        out.append(f"rejected_markers: {rejected} of {candidates}")
    broken = len(_CID.findall(doc.text)) + doc.text.count("\ufffd") + len(_PRIVATE_USE.findall(doc.text))
    if broken >= 5:
        out.append(f"broken_font_text: {broken} unreadable glyphs")
    return out


def summarize(results: Iterable[DocResult]) -> dict[str, object]:
    """Counts over a batch: documents, errors, documents without items, and documents per warning code,
    with the documents that carry each code (``planscope audit``)."""
    counts: Counter[str] = Counter()
    by_code: dict[str, list[str]] = {}
    for res in results:
        counts["documents"] += 1
        if res.status != "ok" or res.document is None:
            counts["errors"] += 1
            by_code.setdefault("error", []).append(f"{res.source}: {res.error}")
            continue
        doc = res.document
        counts["items"] += len(doc.items)
        if not doc.items:
            counts["no items at all"] += 1
        if not doc.warnings:
            counts["without warnings"] += 1
        for warning in doc.warnings:
            code = warning.split(":", 1)[0]
            counts[code] += 1
            by_code.setdefault(code, []).append(f"{res.source}: {warning}")
    return {"counts": dict(counts), "documents": by_code}


def format_summary(summary: dict[str, object], *, list_documents: bool = False) -> str:
    counts: dict[str, int] = summary["counts"]  # type: ignore[assignment]
    lines = [f"{name:24} {counts.get(name, 0):6}" for name in
             ("documents", "errors", "items", "no items at all", "without warnings", *WARNING_CODES)]
    if list_documents:
        for code, docs in summary["documents"].items():  # type: ignore[attr-defined]
            lines.append(f"\n{code} — {WARNING_CODES.get(code, 'could not be read')}:")
            lines.extend(f"  {d}" for d in docs)
    return "\n".join(lines)
