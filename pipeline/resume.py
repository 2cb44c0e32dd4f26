"""``--resume``: results stored per file content hash, so a re-run skips what is done and redoes edits."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import __version__
from .model import DocResult, document_from_dict, document_to_dict


class ResultStore:
    """Finished documents under ``DIR/.planscope-cache/<sha256>.json``, keyed by file bytes and version."""

    def __init__(self, out_dir: str | Path) -> None:
        self.root = Path(out_dir) / ".planscope-cache"
        self.root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(path: Path) -> str:
        h = hashlib.sha256(__version__.encode())
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def get(self, path: Path, doc_id: str) -> DocResult | None:
        """The stored result for ``path`` if its content was processed before, else None."""
        try:
            entry = self.root / f"{self.key(path)}.json"
            data = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        doc = document_from_dict(data["document"])
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
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"document": document_to_dict(result.document)}, fh, ensure_ascii=False)
        os.replace(tmp, self.root / f"{key}.json")
