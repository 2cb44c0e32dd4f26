"""Who issued a plan, as far as comparing goes: plans of one issuer form a series; other pairs are flagged.

The issuer's place (``芜湖``, ``立山``, ``蔡甸``: the most specific 省/市/区/县 name in the issuer) and body
(``教育局``) decide. A plan whose metadata names no issuer belongs to another plan's issuer when that
issuer's place occurs in its text; two plans that both name none cannot be told apart.
"""
from __future__ import annotations

import re

from ..model import Document

_PLACE = re.compile(r"([\u4e00-\u9fff]{2,}?)(?:自治区|自治州|省|市|区|县|盟|旗)")
_PARTS = re.compile(r"[；;、/，,\s]+")
_PARTY = re.compile(r"^中共|^中国共产党")
_TITLE_LEAD = re.compile(r"^.*(?:\d{4}年|：|:)")


def _elements(doc: Document) -> list[str]:
    return [p for p in (_PARTY.sub("", e) for e in _PARTS.split(doc.issuer or "")) if p]


def places(doc: Document) -> list[str]:
    """The place names of the issuer, outermost first: ``['鞍山', '立山']`` for ``鞍山市立山区人民政府``."""
    out: list[str] = []
    for element in _elements(doc):
        found = _PLACE.findall(element)
        out = found if len(found) > len(out) else out
    if not out:  # no place in the issuer (``市教育局``): the title's (``2019年常州市教育工作要点``), past its year
        out = _PLACE.findall(_TITLE_LEAD.sub("", doc.title or ""))
    return out


def _bodies(doc: Document) -> set[str]:
    """Bigrams of what the issuer is without its place: 教育局 -> {教育, 育局}."""
    grams: set[str] = set()
    for element in _elements(doc):
        rest = _PLACE.sub("", element)
        grams.update(rest[k : k + 2] for k in range(len(rest) - 1))
    return grams


def same_issuer(a: Document, b: Document) -> bool | None:
    """True / False when the two plans' issuers can be told apart or equated; None when neither says."""
    pa, pb = places(a), places(b)
    if pa and pb:
        if pa[-1] != pb[-1]:
            return False
        ba, bb = _bodies(a), _bodies(b)
        return bool(ba & bb) if ba and bb else True
    if pa or pb:
        place, other = (pa[-1], b) if pa else (pb[-1], a)
        return place in other.text
    return None


def issuer_name(doc: Document) -> str:
    """The issuer as written, else its place, else ``""``."""
    return doc.issuer or "".join(places(doc))
