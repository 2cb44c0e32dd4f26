"""``--resume``: results stored per file content hash, so a re-run skips what is done and redoes edits.

An entry is keyed by the file's bytes and a fingerprint of the pipeline's own code and models, so a code
change (with or without a version bump) redoes everything; an entry that does not read back as a
Document (truncated, edited, from another layout) is redone, never fatal. The cache is only read and
written when ``--resume`` is asked for: storing every result costs 7–10% of a run (bench_batch.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from . import __version__
from .model import DocResult, document_from_dict, document_to_dict
from .resources import MODELS

CACHE_NAME = ".planscope-cache"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the version, every pipeline source file and every shipped model file."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    sources = [(f.relative_to(package), f) for f in sorted(package.rglob("*.py"))]
    if MODELS.is_dir():
        sources += [(f.relative_to(MODELS), f) for f in sorted(MODELS.rglob("*")) if f.is_file()]
    for name, f in sources:
        h.update(f"{name}\0".encode())
        h.update(f.read_bytes())
    return h.hexdigest()


class ResultStore:
    """Finished documents under ``DIR/.planscope-cache/<sha256>.json``, keyed by file bytes and code."""

    def __init__(self, out_dir: str | Path) -> None:
        self.root = Path(out_dir) / CACHE_NAME
        self.root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(path: Path) -> str:
        h = hashlib.sha256(code_fingerprint().encode())
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def get(self, path: Path, doc_id: str) -> DocResult | None:
        """The stored result for ``path`` if its content was processed before by this code, else None."""
        try:
            if not path.is_file():  # a FIFO or device is never hashed (reading it would not end)
                return None
            entry = self.root / f"{self.key(path)}.json"
            if not entry.is_file():
                return None
            data = json.loads(entry.read_text(encoding="utf-8"))
            if data.get("code") != code_fingerprint():
                return None
            doc = document_from_dict(data["document"])
            if not isinstance(doc.text, str) or not isinstance(doc.items, list):
                return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # unreadable or malformed: the file is simply processed again
        doc.doc_id, doc.source = doc_id, str(path)
        return DocResult(source=str(path), doc_id=doc_id, status="ok", document=doc, extra={"resumed": True})

    def put(self, result: DocResult) -> None:
        """Store an ok result (errors are retried on the next run)."""
        if result.status != "ok" or result.document is None or result.extra.get("resumed"):
            return
        try:
            key = self.key(Path(result.extra.get("path", result.source)))
        except OSError:
            return
        # Two inputs with the same bytes share a key; each writer needs its own temporary file.
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=key[:16], suffix=".tmp")
        entry = json.dumps({"code": code_fingerprint(), "document": document_to_dict(result.document)},
                           ensure_ascii=False, check_circular=False)  # one string, one write: json.dump
        with os.fdopen(fd, "w", encoding="utf-8") as fh:                   # writes it in small pieces
            fh.write(entry)
        os.replace(tmp, self.root / f"{key}.json")


class Storing:
    """A worker-side ``finish`` step that stores each fresh result, then hands it to ``then``."""

    def __init__(self, store: ResultStore, then: Callable[[DocResult], DocResult]) -> None:
        self.store, self.then = store, then

    def __call__(self, result: DocResult) -> DocResult:
        self.store.put(result)
        return self.then(result)
