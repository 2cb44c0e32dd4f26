"""The spaCy pipeline the extractors and views share: blank ``zh`` + jieba + a span-marking component.

The extractors themselves are pure regex functions over item text (fast, testable); this module puts
their results on a spaCy ``Doc`` as span groups (``doc.spans["quantities"]`` …) so that displaCy-style
views and any further spaCy component read one representation. Built once per process.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .model import Document
from .resources import load_jieba

SPAN_KEYS = ("quantities", "deadlines", "departments", "instruments")


@Language.component("planscope_spans")
def planscope_spans(doc: Doc) -> Doc:
    """Mark quantities, deadlines, departments and 《》 titles in raw text as span groups."""
    from .extract import (
        find_deadlines,
        find_departments,
        find_instruments,
        find_quantities,
    )

    text = doc.text
    year = doc.user_data.get("year")
    found = {
        "quantities": [(q.start, q.end, "QUANTITY") for q in find_quantities(text)],
        "deadlines": [(d.start, d.end, "DEADLINE") for d in find_deadlines(text, year=year)],
        "departments": [(d.start, d.end, d.role.upper()) for d in find_departments(text, full_text=text)],
        "instruments": [(i.start, i.end, "INSTRUMENT") for i in find_instruments(text)],
    }
    for key, spans in found.items():
        doc.spans[key] = _char_spans(doc, spans)
    return doc


def _char_spans(doc: Doc, spans: list[tuple[int, int, str]]) -> list[Span]:
    out = []
    for start, end, label in spans:
        # A span edge inside a jieba word would be lost with strict alignment; expand to whole tokens.
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline, built once per process (jieba's dictionary load costs ~1.4 s)."""
    load_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("planscope_spans")
    return nlp


def to_spacy(document: Document) -> Doc:
    """A spaCy Doc over ``document.text`` carrying the document's extractions as span groups.

    The extractions are taken from the model (not recomputed), so item context such as the plan year
    and table cells is kept.
    """
    nlp = get_nlp()
    doc = nlp.make_doc(document.text)
    groups: dict[str, list[tuple[int, int, str]]] = {k: [] for k in SPAN_KEYS}
    for it in document.items:
        groups["quantities"] += [(q.start, q.end, "QUANTITY") for q in it.quantities]
        groups["deadlines"] += [(d.start, d.end, "DEADLINE") for d in it.deadlines]
        groups["departments"] += [(d.start, d.end, d.role.upper()) for d in it.departments]
        groups["instruments"] += [(i.start, i.end, "INSTRUMENT") for i in it.instruments]
    for key, spans in groups.items():
        doc.spans[key] = _char_spans(doc, spans)
    return doc
