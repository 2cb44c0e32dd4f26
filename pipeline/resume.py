"""``--resume``: results stored per file content hash, so a re-run skips what is done and redoes edits."""
from __future__ import annotations

import hashlib
import json
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
            key = self.key(Path(result.source))
        except OSError:
            return
        tmp = self.root / f"{key}.tmp"
        tmp.write_text(json.dumps({"document": document_to_dict(result.document)}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(self.root / f"{key}.json")
