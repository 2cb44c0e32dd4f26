"""``--resume``: a re-run skips the files already done and redoes edits.

A record holds what the run wrote for one file: its rows in every table, as the CSV bytes the worker
rendered, the bytes of its text file and, when other formats are asked for, its typed rows. Storing it
costs a hash of the file, a pickle of a few byte strings and one write, not a walk over the Document
(pickling one took about as long as extracting its deadlines). A record is found by a hash of the file's
bytes and of the pipeline's own code and models, so a code change (with or without a version bump) redoes
everything, and it is used for the same path, document id and output options (``--headers``,
``--plain-text``, other formats, the alias table) only: a renamed or moved file is read again. A record
that does not read back as one (truncated, edited, from another layout) is redone, never fatal; reading it
builds nothing but strings, numbers and dates, so an edited cache cannot run code.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__
from .ingest import read_file
from .model import DocResult
from .resources import MODELS, load_aliases
from .tables import EXTRACT_TABLES

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


@lru_cache(maxsize=1)
def _code_hash() -> Any:
    return hashlib.sha256(code_fingerprint().encode())


class ResultStore:
    """Finished files in ``DIR/.planscope-cache/*.pack``. A record is a line ``<key> <code> <size>\n`` and
    ``size`` bytes of pickled record. Each process appends to a pack of its own, a record in one write, so a
    worker killed mid-run keeps what it finished; a torn last record is skipped when read."""

    def __init__(self, out_dir: str | Path) -> None:
        self.root = Path(out_dir) / CACHE_NAME
        self.root.mkdir(parents=True, exist_ok=True)
        self._index: dict[str, list[tuple[Path, int, int]]] | None = None  # key -> [(pack, offset, size)]

    def __reduce__(self) -> tuple[Callable[[str], ResultStore], tuple[str]]:
        return _store_at, (str(self.root.parent),)  # sent to a worker with every task: without the index

    @staticmethod
    def content_key(data: bytes) -> str:
        """The key of a file with these bytes."""
        h = _code_hash().copy()  # a copy: a new OpenSSL hash object costs more than the file's bytes
        h.update(data)
        return h.hexdigest()

    @classmethod
    def key(cls, path: str | Path) -> str:
        """The key of the file at ``path`` as it is now; a FIFO or device is refused, never read."""
        return cls.content_key(read_file(path, max_bytes=sys.maxsize))  # the run's --max-size applies later

    def get(self, path: Path, doc_id: str, options: tuple[Any, ...]) -> DocResult | None:
        """The stored result for ``path`` if this code wrote it for the same bytes, path, document id and
        output ``options``, else None."""
        try:
            if self._index is None:
                self._index = self._read_index()
            if not self._index:
                return None  # a first run: no file needs hashing (or even a stat) here
            for pack, offset, size in reversed(self._index.get(self.key(path), ())):  # the newest first
                with open(pack, "rb") as fh:
                    fh.seek(offset)
                    record = _RecordUnpickler(io.BytesIO(fh.read(size))).load()
                if _usable(record) and (record["path"], record["doc_id"], record["options"]) == (
                        str(path), doc_id, options):
                    return DocResult(source=str(path), doc_id=doc_id, status="ok", extra={
                        "csv": record["csv"], "counts": record["counts"], "rows": record.get("rows"),
                        "text_file": record.get("text_file"), "resumed": True})
        except Exception:  # unreadable, malformed or refused: the file is simply processed again
            return None
        return None

    def _read_index(self) -> dict[str, list[tuple[Path, int, int]]]:
        index: dict[str, list[tuple[Path, int, int]]] = {}
        code = code_fingerprint()
        for pack in sorted(self.root.glob("*.pack")):
            with open(pack, "rb") as fh:
                end = fh.seek(0, os.SEEK_END)
                fh.seek(0)
                while True:
                    head = fh.readline().split()
                    if len(head) != 3 or not head[2].isdigit():
                        break  # the end, or a torn or foreign record: nothing after it can be trusted
                    size, offset = int(head[2]), fh.tell()
                    if offset + size > end:
                        break
                    if head[1].decode("ascii", "replace") == code:
                        index.setdefault(head[0].decode("ascii", "replace"), []).append((pack, offset, size))
                    fh.seek(offset + size)
        return index

    def put(self, result: DocResult, options: tuple[Any, ...]) -> None:
        """Store an ok result as the writer's finisher left it (errors are retried on the next run)."""
        if result.status != "ok" or "csv" not in result.extra or result.extra.get("resumed"):
            return
        path = result.extra.get("path", result.source)
        key = result.extra.pop("content_key", None)  # of the bytes the reader read (see batch.process_task)
        if key is None:
            try:
                key = self.key(path)
            except OSError:
                return
        data = pickle.dumps({
            "path": str(path), "doc_id": result.doc_id, "options": options, "csv": result.extra["csv"],
            "counts": result.extra["counts"], "rows": result.extra.get("rows"),
            "text_file": result.extra.get("text_file")}, pickle.HIGHEST_PROTOCOL)
        # one unbuffered write per record: on disk as soon as it is done, in a single system call
        self._pack().write(f"{key} {code_fingerprint()} {len(data)}\n".encode() + data)

    def _pack(self) -> BinaryIO:
        # one pack per process and cache folder; a forked worker opens its own (the pid tells them apart)
        mine = (str(self.root), os.getpid())
        pack = _PACKS.get(mine)
        if pack is None or pack.closed:
            self.root.mkdir(parents=True, exist_ok=True)  # a worker's store may outlive a run's folder
            fd, _ = tempfile.mkstemp(dir=self.root, prefix=f"{os.getpid()}-", suffix=".pack")
            pack = _PACKS[mine] = os.fdopen(fd, "ab", buffering=0)
        return pack


_PACKS: dict[tuple[str, int], BinaryIO] = {}  # this process's open pack per cache folder
_STORES: dict[str, ResultStore] = {}  # a worker's store per output folder, rebuilt once, not per task


def _store_at(out_dir: str) -> ResultStore:
    store = _STORES.get(out_dir)
    if store is None:
        store = _STORES[out_dir] = ResultStore(out_dir)
    return store


def _usable(record: Any) -> bool:
    """A record as put() writes it: anything else (another layout, an edit) is not used."""
    if not isinstance(record, dict) or not {"path", "doc_id", "options", "csv", "counts"} <= record.keys():
        return False
    csv, counts, text = record["csv"], record["counts"], record.get("text_file")
    return (isinstance(csv, dict) and set(csv) == set(EXTRACT_TABLES)
            and all(isinstance(v, bytes) for v in csv.values())
            and isinstance(counts, dict) and set(counts) == set(EXTRACT_TABLES)
            and all(isinstance(v, int) for v in counts.values())
            and (text is None or (isinstance(text, tuple) and len(text) == 2 and isinstance(text[0], str)
                                  and "/" not in text[0] and isinstance(text[1], bytes)))
            and (record.get("rows") is None or isinstance(record["rows"], dict)))


class _RecordUnpickler(pickle.Unpickler):
    """Unpickles strings, numbers, containers and dates (the typed rows) and nothing else: no other global
    can be named by a record."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("datetime", "date"):
            return date
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a stored result")


def _aliases_signature(table: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(table.items())).encode()).hexdigest()


class Storing:
    """The worker-side ``finish`` step of ``extract --resume``: ``then`` (the writer's finisher, asked to
    keep its text file's bytes) renders the result, which is stored and handed on without those bytes.
    :meth:`reuse` is the parent-side lookup, for the same output options."""

    def __init__(self, store: ResultStore, then: Any) -> None:
        self.store, self.then = store, then
        # what shapes the rows besides the file and the code: canonical department names come from the
        # alias table, which a user's --aliases file extends
        self.options = (*then.options, _aliases_signature(load_aliases()))

    def __call__(self, result: DocResult) -> DocResult:
        result = self.then(result)
        self.store.put(result, self.options)
        result.extra.pop("text_file", None)  # written by the worker already: not sent to the writer
        return result

    def content_key(self, data: bytes) -> str:
        return self.store.content_key(data)

    def reuse(self, path: Path, doc_id: str) -> DocResult | None:
        return self.store.get(path, doc_id, self.options)
