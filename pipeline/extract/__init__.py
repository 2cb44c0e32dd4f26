"""Extraction stages over a Document (filled in by the extractors)."""
from __future__ import annotations

from ..model import Document


def extract(doc: Document) -> Document:
    """Run every extractor over every item of ``doc`` and return it."""
    return doc
