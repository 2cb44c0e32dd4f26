"""Many files -> one DocResult each; a bad file never stops the batch."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import PlanscopeError
from .ingest import DEFAULT_MAX_BYTES, read
from .model import DocResult, Document
from .structure import parse

SUPPORTED_SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm", ".shtml", ".doc", ".wps"}


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, folders searched recursively (sorted, hidden files and README/gold skipped)."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if (
                    f.is_file()
                    and f.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in rel)
                    and "gold" not in rel[:-1]
                ):
                    files.append(f)
        else:
            files.append(path)
    return files


def unique_ids(files: list[Path]) -> list[str]:
    """doc_id is the file name without extension, made unique within a run (``plan``, ``plan_2``)."""
    seen: dict[str, int] = {}
    ids = []
    for f in files:
        base = f.stem
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}_{n}")
    return ids


def process_file(path: str | os.PathLike[str], *, doc_id: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, structure and extract one plan; raises PlanscopeError for bad input."""
    raw = read(path, max_bytes=max_bytes)
    doc = parse(raw, doc_id=doc_id or Path(path).stem)
    from .extract import extract

    return extract(doc)


def run(paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[DocResult]:
    """Yield one DocResult per input file, in input order; errors become ``status="error"`` results."""
    files = expand_paths(paths)
    for f, doc_id in zip(files, unique_ids(files)):
        try:
            doc = process_file(f, doc_id=doc_id, max_bytes=max_bytes)
        except PlanscopeError as exc:
            yield DocResult(source=str(f), doc_id=doc_id, status="error", error=str(exc))
        except Exception as exc:  # our bug: report it against the file and go on
            yield DocResult(source=str(f), doc_id=doc_id, status="error",
                            error=f"{f}: internal error ({type(exc).__name__}: {exc}); please report it")
        else:
            yield DocResult(source=str(f), doc_id=doc_id, status="ok", document=doc)
