"""Word (.docx) reader: body paragraphs and tables in document order, automatic numbering restored.

python-docx's ``paragraph.text`` drops the markers Word generates from ``w:numPr`` (``（一）``, ``1.``), and
those markers are exactly what the structure stage splits on, so this reader renders them itself from
``word/numbering.xml`` and ``word/styles.xml``.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..errors import ReadError
from ..model import RawText

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # deflate tops out near 1000:1; Word XML compresses 5-20:1
MAX_MEMBERS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _T, _TAB, _BR, _CR = (_W + t for t in ("p", "tbl", "t", "tab", "br", "cr"))
_VAL = _W + "val"
# Deleted text, properties, and text boxes (Word stores each one twice, in mc:Choice and mc:Fallback).
_SKIP = {_W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "txbxContent",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


@dataclass(frozen=True, slots=True)
class TrackedChange:
    """One revision Word tracks in a draft: ``kind`` is ins / del (moves count as both)."""

    kind: str
    text: str
    author: str
    date: str
    paragraph: int  # 0-based index of the body paragraph or table it is in


def read_docx(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read a .docx: one line per paragraph, one ``a | b | c`` line per table row, numbering restored.

    A draft with tracked changes is read as if they were all accepted (insertions kept, deletions left
    out, a paragraph whose mark was deleted joined to the next); a ``tracked_changes`` warning counts
    them, and :func:`tracked_changes` lists them.

    Raises :class:`~pipeline.errors.ReadError` naming ``source`` for a damaged package, a zip bomb, or
    XML that declares a DTD (which Word never writes; it is how external-entity attacks start).
    """
    zf, doc = _open(data, source)
    with zf:
        styles = _parse_related(zf, doc.part, _RT_STYLES, source)
        numbering = _Numbering(_parse_related(zf, doc.part, _RT_NUMBERING, source), styles)
    lines: list[str] = []
    joined = False  # the previous paragraph's mark was deleted: this one continues it
    for el in _blocks(doc.element.body):
        text = _block_text(el, numbering, doc)
        if joined and lines:
            lines[-1] += text
        else:
            lines.append(text)
        joined = el.tag == _P and el.find(f"{_W}pPr/{_W}rPr/{_W}del") is not None
    changes = _changes(doc.element.body)
    warnings = ()
    if changes:
        ins = sum(c.kind == "ins" for c in changes)
        warnings = (f"tracked_changes: {ins} insertion(s), {len(changes) - ins} deletion(s) not accepted in the "
                    "file; the text is read with all of them accepted",)
    return RawText(text="\n".join(lines), format="docx", source=source, encoding=None,
                   metadata=_core_metadata(doc), warnings=warnings)


def tracked_changes(data: bytes, *, source: str = "<bytes>") -> list[TrackedChange]:
    """The insertions and deletions a draft .docx tracks, in document order (the drafting comparison)."""
    zf, doc = _open(data, source)
    zf.close()
    return _changes(doc.element.body)


def _open(data: bytes, source: str) -> tuple[zipfile.ZipFile, Any]:
    """The package (checked against zip bombs and DTDs) and python-docx's document; the caller closes it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ReadError(f"{source}: not a valid .docx (zip) package ({exc}); re-save it from Word") from None
    try:
        check_package(zf, source)
        from docx import Document

        try:
            return zf, Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises KeyError/ValueError/... on damaged packages
            raise ReadError(f"{source}: damaged .docx ({type(exc).__name__}: {exc})") from None
    except BaseException:
        zf.close()
        raise


_REVISIONS = {_W + "ins": "ins", _W + "del": "del", _W + "moveTo": "ins", _W + "moveFrom": "del"}


def _changes(body: Any) -> list[TrackedChange]:
    out = []
    for i, block in enumerate(_blocks(body)):
        for el in block.iter(*_REVISIONS):
            if el.getparent() is not None and el.getparent().tag == _W + "rPr":
                continue  # a paragraph mark's revision: no text of its own
            text = "".join(t.text or "" for t in el.iter(_T, _W + "delText"))
            if text:
                out.append(TrackedChange(_REVISIONS[el.tag], text, el.get(_W + "author", ""),
                                         el.get(_W + "date", ""), i))
    return out


def check_package(zf: zipfile.ZipFile, source: str, writer: str = "Word") -> None:
    """Refuse zip bombs and XML parts with a DTD in an Office/OFD package (``writer`` never writes one)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"{source}: {len(infos)} zip members; refusing it as a possible zip bomb")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise ReadError(
                f"{source}: {info.filename} expands to {info.file_size / 1e6:.1f} MB "
                f"(ratio {ratio:.0f}:1, {total / 1e6:.1f} MB in total); refusing it as a possible zip bomb"
            )
        # zipfile stops at the declared size (CRC error), so the checks above bound what we inflate.
        if info.filename.endswith((".xml", ".rels")):
            if b"<!DOCTYPE" in _read_member(zf, info, source, 2048):
                raise ReadError(f"{source}: {info.filename} declares a DTD, which {writer} never writes; "
                                "refusing it as a possible XML external-entity attack")


# What zipfile raises for a member whose data does not match its header (bad CRC, cut-off or garbled deflate).
_DAMAGED_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)


def _read_member(zf: zipfile.ZipFile, member: zipfile.ZipInfo | str, source: str, size: int = -1) -> bytes:
    name = member.filename if isinstance(member, zipfile.ZipInfo) else member
    try:
        with zf.open(member) as fh:
            return fh.read(size)
    except _DAMAGED_MEMBER as exc:
        raise ReadError(f"{source}: damaged .docx, {name} is corrupt ({exc}); re-save it from Word") from None


def _parse_related(zf: zipfile.ZipFile, part: Any, reltype: str, source: str) -> Any | None:
    """Parse the raw bytes of a part related to the document with defusedxml (no DTDs, no entities)."""
    try:
        member = part.part_related_by(reltype).partname.membername
    except KeyError:
        return None
    try:
        return SafeET.fromstring(_read_member(zf, member, source), forbid_dtd=True)
    except DefusedXmlException:
        raise ReadError(f"{source}: {member} declares a DTD or entities, which Word never writes; "
                        "refusing it as a possible XML external-entity attack") from None
    except (ParseError, KeyError) as exc:
        raise ReadError(f"{source}: damaged .docx, {member} is unreadable ({exc})") from None


def _core_metadata(doc: Any) -> dict[str, str]:
    try:  # python-docx invents a default core part (title "Word Document") when there is none
        doc.part.package.part_related_by(_RT_CORE)
    except KeyError:
        return {}
    props = doc.core_properties
    found = {"title": props.title, "author": props.author,
             "created": props.created.isoformat() if props.created else ""}
    return {k: v.strip() for k, v in found.items() if v and v.strip()}


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, looking inside content controls and custom XML."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _W + "customXml":
            yield from _blocks(child)


def _block_text(el: Any, numbering: _Numbering, doc: Any) -> str:
    if el.tag == _P:
        return numbering.marker(el) + _run_text(el)
    from docx.table import Table

    rows = []
    for row in Table(el, doc._body).rows:
        if row._tr.find(f"{_W}trPr/{_W}del") is not None:
            continue  # a row deleted with changes tracked
        cells, last = [], None
        for cell in row.cells:  # a merged cell comes back once per grid column it spans
            if cell._tc is not last:
                cells.append(_cell_text(cell._tc, numbering, doc))
            last = cell._tc
        rows.append(" | ".join(cells))
    return "\n".join(rows)


def _cell_text(tc: Any, numbering: _Numbering, doc: Any) -> str:
    parts = (_block_text(el, numbering, doc) for el in _blocks(tc))
    text = " ".join(p for p in parts if p.strip())
    return text.replace("\n", " ").replace("|", "｜")


def _run_text(p: Any) -> str:
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == _T:  # unresolved entity references are child nodes; keep the text around them
                out.append((child.text or "") + "".join(sub.tail or "" for sub in child))
            elif tag == _TAB:
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif isinstance(tag, str) and tag not in _SKIP:
                walk(child)

    walk(p)
    return "".join(out)


# --- automatic numbering ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False  # w:isLgl: every placeholder rendered as decimal


@dataclass(slots=True)
class _Num:
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, _Level] = field(default_factory=dict)


def _val(el: Any, tag: str) -> str | None:
    found = el.find(_W + tag) if el is not None else None
    return found.get(_VAL) if found is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(el: Any) -> _Level:
    legal = el.find(_W + "isLgl")
    return _Level(start=_int(_val(el, "start"), 1), fmt=_val(el, "numFmt") or "decimal",
                  text=_val(el, "lvlText") or "",
                  legal=legal is not None and legal.get(_VAL) not in ("0", "false"))


class _Numbering:
    """Numbering definitions plus the running counters, advanced in document order."""

    def __init__(self, root: Any | None, styles: Any | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum -> numbering style it takes its levels from
        self.nums: dict[str, _Num] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id -> numId, ilvl, basedOn
        self.counts: dict[str, dict[int, int]] = {}
        self.started: set[tuple[str, int]] = set()
        for st in styles.iter(_W + "style") if styles is not None else ():
            num_pr = st.find(f"{_W}pPr/{_W}numPr")
            self.styles[st.get(_W + "styleId", "")] = (
                _val(num_pr, "numId"), _val(num_pr, "ilvl"), _val(st, "basedOn"))
        if root is None:
            return
        for an in root.iter(_W + "abstractNum"):
            aid = an.get(_W + "abstractNumId", "")
            self.abstract[aid] = {_int(lv.get(_W + "ilvl"), 0): _level(lv) for lv in an.iter(_W + "lvl")}
            link = _val(an, "numStyleLink")
            if link:
                self.style_links[aid] = link
        for num in root.iter(_W + "num"):
            entry = _Num(_val(num, "abstractNumId") or "")
            for ov in num.iter(_W + "lvlOverride"):
                ilvl = _int(ov.get(_W + "ilvl"), 0)
                if _val(ov, "startOverride") is not None:
                    entry.start_overrides[ilvl] = _int(_val(ov, "startOverride"), 1)
                lvl = ov.find(_W + "lvl")
                if lvl is not None:
                    entry.level_overrides[ilvl] = _level(lvl)
            self.nums[num.get(_W + "numId", "")] = entry

    def _style_num(self, style_id: str | None) -> tuple[str | None, str | None]:
        num_id = ilvl = None
        for _ in range(20):  # basedOn chains are short; the bound guards against cycles
            if style_id is None or style_id not in self.styles:
                break
            s_num, s_ilvl, style_id = self.styles[style_id]
            num_id, ilvl = num_id or s_num, ilvl or s_ilvl
            if num_id is not None:
                break
        return num_id, ilvl

    def _levels(self, num: _Num) -> tuple[str, dict[int, _Level]]:
        aid = num.abstract_id
        if aid in self.style_links:  # the list's levels live in a numbering style's own abstractNum
            linked, _ = self._style_num(self.style_links[aid])
            if linked in self.nums:
                aid = self.nums[linked].abstract_id
        return aid, {**self.abstract.get(aid, {}), **num.level_overrides}

    def marker(self, p: Any) -> str:
        """Advance the counters for paragraph ``p`` and return its rendered marker ("" if unnumbered)."""
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id, ilvl_s = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        if num_id is None or ilvl_s is None:
            s_num, s_ilvl = self._style_num(_val(ppr, "pStyle"))
            num_id, ilvl_s = num_id or s_num, ilvl_s or s_ilvl
        num = self.nums.get(num_id or "")
        if num is None:  # includes numId 0, which switches numbering off
            return ""
        ilvl = _int(ilvl_s, 0)
        aid, levels = self._levels(num)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counts = self.counts.setdefault(aid, {})
        if (num_id, ilvl) not in self.started and ilvl in num.start_overrides:
            counts[ilvl] = num.start_overrides[ilvl]
        elif ilvl in counts:
            counts[ilvl] += 1
        else:
            counts[ilvl] = level.start
        self.started.add((num_id or "", ilvl))
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if level.fmt == "bullet":
            return ""

        def placeholder(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            return _format(counts.get(k, lv.start), "decimal" if level.legal else lv.fmt)

        return re.sub(r"%([1-9])", placeholder, level.text)


_CN = "〇一二三四五六七八九"


def _cn_thousand(n: int) -> str:
    if n >= 10000:
        high, low = divmod(n, 10000)
        return _cn_thousand(high) + "万" + (("零" if low < 1000 else "") + _cn_thousand(low) if low else "")
    out, zero = "", False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, size)
        if digit:
            out += ("零" if zero else "") + _CN[digit] + unit
            zero = False
        elif out:
            zero = True
    return (out[1:] if out.startswith("一十") else out) or "〇"


def _cn_counting(n: int) -> str:
    return _cn_thousand(n) if n < 100 else "".join(_CN[int(d)] for d in str(n))


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += sym * count
    return out


def _letter(n: int) -> str:  # Word counts a..z, aa..zz, aaa..
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": str,
    "decimalHalfWidth": str,
    "chineseCounting": _cn_counting,
    "japaneseCounting": _cn_counting,
    "chineseCountingThousand": _cn_thousand,
    "taiwaneseCountingThousand": _cn_thousand,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
    "none": lambda n: "",
}


def _format(n: int, fmt: str) -> str:
    return _FORMATS.get(fmt, str)(n)
