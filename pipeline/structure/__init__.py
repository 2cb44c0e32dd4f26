"""Text -> hierarchy of numbered items, plus document metadata (title, issuer, year, number).

One module per job: :mod:`.cover` (cover letter, attachment list, signature, web footer),
:mod:`.markers` (marker kinds and which candidates are believed), :mod:`.tables` (flattened task tables
read back into rows with named cells), :mod:`.items` (the tree and headings), :mod:`.metadata` and
:mod:`.audit` (warnings for what looks unread).
"""
from __future__ import annotations

import re
from operator import attrgetter
from pathlib import Path

from .. import shortcuts
from ..model import Document, RawText
from ..numerals import CN_NUMERAL_CHARS
from .audit import audit
from .cover import attachment_list_lines, body_start
from .items import build_items
from .markers import BOUNDARY, CUT, SKIP, Marker, contents_lines, continuous, inline_markers, match_marker, value_of
from .metadata import read_metadata
from .tables import cell_rows, pipe_rows
from .text import lines

# 附件1 alone on its line (its title on the next), or 附件1：title / 附件1 title on one short line
# A lone 附件 (the single attachment of a letter) or a lone 文号 line: another document starts here
_BOUNDARY_LINE = re.compile(r"(?:[\u4e00-\u9fff]{1,12}[〔\[]\d{4}[〕\]]\d{1,4}号|附件)\s*$")
_START = attrgetter("start")  # markers sort by where they start
_ATTACHMENT = re.compile(r"附件\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})(?:[：:]\s*|\s+|$)(?=.{0,60}$)")
# An attachment's heading that a one-line crawl ran into the text: 附件1大数据产业发展专项实施方案一、前景与基础…
# (its number, a plan's title, then the attachment's own first marker; 附件：1.… is the list of attachments)
_INLINE_ATTACHMENT = re.compile(r"附件\s?(?P<n>\d{1,2})(?![\d.．、，。：:\-])\s*[^。；！？\n附]{4,60}?"
                                r"(?:方案|计划|规划|办法|细则|要点|清单|分工表|分解表)\s*(?=一、|（一）|第一)")


def parse(raw: RawText | str, *, doc_id: str = "", source: str = "") -> Document:
    """Split a plan's normalised text into its numbered items and read its metadata.

    >>> doc = parse("2022年工作要点\\n一、加强党建\\n（一）加强政治建设。内容。")
    >>> [(it.item_id, it.label) for it in doc.items]
    [('1', '一、'), ('1.1', '（一）')]
    """
    if isinstance(raw, str):
        raw = RawText(text=raw, format="txt", source=source)
    text = raw.text
    doc = Document(
        doc_id=doc_id or Path(raw.source or source or "document").stem,
        text=text,
        source=raw.source or source,
        format=raw.format,
        encoding=raw.encoding,
        metadata=dict(raw.metadata),
        warnings=list(raw.warnings),  # what the reader could not read
    )
    doc.body_start = body_start(text)
    markers, candidates = find_markers(text, doc.body_start)
    repeat = _repeated_from(text, markers)
    if repeat is not None:  # a crawl that saved the page body twice: the copy is no items
        markers = [m for m in markers if m.start < repeat] + [Marker(CUT, 0, repeat, repeat, "")]
        doc.warnings.append(f"repeated_text: the body repeats from character {repeat}")
        candidates = [c for c in candidates if c < repeat]
    doc.items = build_items(text, markers)
    first = doc.items[0].start if doc.items else len(text)
    if first > doc.body_start:
        doc.preamble = (doc.body_start, first)
    read_metadata(doc)
    doc.warnings.extend(audit(doc, len(candidates)))
    return doc


def find_markers(text: str, start: int) -> tuple[list[Marker], list[int]]:
    """The accepted markers of the text from ``start`` (with table headers as ``cut`` markers), and where
    the candidates considered stood.

    Line starts are where markers normally stand; where line breaks were lost (a crawl's one-line body,
    a chapter run on after a signature) they stand inside lines after sentence ends instead. Both kinds
    of candidate go into one sequence in document order, and the sequence decides (``continuous``):
    a marker is believed when its count goes on, whatever line it is on.
    """
    spans = lines(text, start)
    skip = contents_lines(text, spans) | attachment_list_lines(text, spans)
    rows = cell_rows(text, spans)
    piped = pipe_rows(text, spans, skip | set(rows))
    read = skip | rows.keys() | piped.keys()  # lines that the contents and tables read already
    candidates: list[Marker] = []
    for idx, (s, e) in enumerate(spans):
        if s == e and idx not in rows:  # a blank line holds no marker (a table row's number is its own line)
            continue
        if idx in read:
            if idx in rows:
                if rows[idx].kind != SKIP:
                    candidates.append(rows[idx])
            elif idx in piped:
                candidates.extend(piped[idx])
            continue
        att = _ATTACHMENT.match(text, s, e)
        if att:
            label = re.sub(r"[：:\s]+$", "", att.group(0))
            candidates.append(Marker("attachment", value_of(att.group("n")), s, att.end(), label, rank=-1))
            continue
        # (a boundary line ends with 号 or 附件, blanks after it aside)
        if (candidates and not (shortcuts.ENABLED and text[e - 1] not in "号件" and not text[e - 1].isspace())
                and _BOUNDARY_LINE.match(text[s:e].strip())):
            candidates.append(Marker(BOUNDARY, 0, s, s, ""))
            continue
        m = match_marker(text, s)
        if m and m.label_end < e:  # a bare marker with nothing after it is not an item
            m.listed = idx > 0 and text[spans[idx - 1][0] : spans[idx - 1][1]].rstrip().endswith(("：", ":"))
            candidates.append(m)
    structural = [m for m in candidates if m.kind != CUT]  # boundaries stay: they reset the counts
    # inline candidates outside table and skipped lines and outside the labels already found there
    # (（二）（二） written twice is one marker)
    claimed = sorted([spans[i] for i in read] + [(m.start, max(m.label_end, m.start + 1)) for m in candidates])
    inline = inline_markers(text, start, read=claimed)
    inline += [Marker("attachment", int(m["n"]), m.start(), m.end("n"), text[m.start() : m.end("n")], rank=-1)
               for m in _INLINE_ATTACHMENT.finditer(text, start) if m.start() > 0 and text[m.start() - 1] != "\n"]
    merged = sorted(structural + inline, key=_START)
    kept = continuous(merged, resync=True)
    cuts = [m for m in candidates if m.kind == CUT]
    return sorted(kept + cuts, key=_START), [m.start for m in merged]


def _repeated_from(text: str, markers: list[Marker]) -> int | None:
    """Where the plan's body starts over (the first item's opening text comes again), else None."""
    first = next((m for m in markers if m.kind not in (CUT, SKIP, BOUNDARY)), None)
    if first is None:
        return None
    probe = text[first.start : first.start + 300]  # long enough that shared boilerplate is no copy
    if len(probe) < 300:
        return None
    again = text.find(probe, first.start + 300)
    if again < 0:
        return None
    # The copy began earlier when the text before the first item (the cover letter, the preamble) came
    # again too: what stands before both, as far back as it is the same, is copied text (20 characters at
    # least, so that a shared 。 or closing phrase does not move the cut into the last item).
    same = 0
    while same < first.start and text[again - same - 1] == text[first.start - same - 1]:
        same += 1
    return again - same if same >= 20 else again


__all__ = ["CN_NUMERAL_CHARS", "parse", "find_markers"]
