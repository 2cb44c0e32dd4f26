"""A thin spaCy adapter over the pipeline's own results: blank ``zh`` + jieba + a span-marking component.

The extractors are pure functions over item text (fast, testable). This module only puts what the
pipeline found — items parsed by ``structure``, then ``extract`` with the plan year and table cells —
on a spaCy ``Doc`` as span groups (``doc.spans["quantities"]`` …), so displaCy-style views and any
further spaCy component read the same spans as the exported tables, character for character. Tokens
are split where a span starts or ends inside a jieba word, so no span edge moves. Built once per process.
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
    """Run the pipeline on the Doc's text and mark its extractions as span groups (``user_data["year"]``
    overrides the plan year read from the text)."""
    from .extract import extract
    from .structure import parse

    document = parse(doc.text)
    if doc.user_data.get("year") is not None:
        document.year = int(doc.user_data["year"])
    marked = _marked(doc, extract(document))
    marked.user_data.update(doc.user_data)
    return marked


def pipeline_spans(document: Document) -> dict[str, list[tuple[int, int, str]]]:
    """The pipeline's extractions as ``(start, end, label)`` character spans per span group."""
    groups: dict[str, list[tuple[int, int, str]]] = {k: [] for k in SPAN_KEYS}
    for it in document.items:
        groups["quantities"] += [(q.start, q.end, "QUANTITY") for q in it.quantities]
        groups["deadlines"] += [(d.start, d.end, "DEADLINE") for d in it.deadlines]
        groups["departments"] += [(d.start, d.end, d.role.upper()) for d in it.departments]
        groups["instruments"] += [(i.start, i.end, "INSTRUMENT") for i in it.instruments]
    return groups


def _marked(doc: Doc, document: Document) -> Doc:
    groups = pipeline_spans(document)
    cuts = {p for spans in groups.values() for s, e, _ in spans for p in (s, e)}
    doc = _split_at(doc, cuts)
    for key, spans in groups.items():
        doc.spans[key] = [_span(doc, s, e, label) for s, e, label in spans]
    return doc


def _span(doc: Doc, start: int, end: int, label: str) -> Span:
    span = doc.char_span(start, end, label=label)
    assert span is not None, (start, end)  # tokens were split at every edge
    return span


def _split_at(doc: Doc, cuts: set[int]) -> Doc:
    """The same text with tokens split at every character offset in ``cuts`` (a jieba word may hold one)."""
    if _aligned(doc, cuts):
        return doc
    words: list[str] = []
    spaces: list[bool] = []
    for tok in doc:
        start = tok.idx
        inner = sorted(c - start for c in cuts if start < c < start + len(tok.text))
        for a, b in zip([0, *inner], [*inner, len(tok.text)]):
            words.append(tok.text[a:b])
            spaces.append(False)
        spaces[-1] = bool(tok.whitespace_)
    return Doc(doc.vocab, words=words, spaces=spaces)


def _aligned(doc: Doc, cuts: set[int]) -> bool:
    edges = {t.idx for t in doc} | {t.idx + len(t.text) for t in doc}
    return cuts <= edges | {0, len(doc.text)}


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
    and table cells is kept; the spans are exactly the model's.
    """
    return _marked(get_nlp().make_doc(document.text), document)
