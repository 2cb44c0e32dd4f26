"""``--resume``: results stored per file content hash, so a re-run skips what is done and redoes edits.

An entry is keyed by the file's bytes and a fingerprint of the pipeline's own code and models, so a code
change (with or without a version bump) redoes everything; an entry that does not read back as a
Document (truncated, edited, from another layout) is redone, never fatal. The cache is only read and
written when ``--resume`` is asked for.

Storing must stay cheap (under 5% of a run): entries are records appended to pack files, one pack per
worker process, since a file per entry cost a file creation and a rename each; and a Document is pickled,
since turning it into JSON walked every field in Python. Reading it back goes through an unpickler that
builds nothing but the model's own classes, so an edited cache cannot run code.
"""
from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__, model
from .model import DocResult, Document
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


@lru_cache(maxsize=1)
def _code_hash() -> Any:
    return hashlib.sha256(code_fingerprint().encode())


class ResultStore:
    """Finished documents in ``DIR/.planscope-cache/*.pack``. A record is a line ``<key> <code> <size>\n``
    and ``size`` bytes of pickled Document. Each process appends to a pack of its own, flushed after every
    record, so a worker killed mid-run keeps what it finished; a torn last record is skipped when read."""

    def __init__(self, out_dir: str | Path) -> None:
        self.root = Path(out_dir) / CACHE_NAME
        self.root.mkdir(parents=True, exist_ok=True)
        self._index: dict[str, tuple[Path, int, int]] | None = None  # key -> (pack, offset, size), at first get

    def __reduce__(self) -> tuple[Callable[[str], ResultStore], tuple[str]]:
        return _store_at, (str(self.root.parent),)  # sent to a worker with every task: without the index

    @staticmethod
    def key(path: str | Path) -> str:
        h = _code_hash().copy()  # a copy: a new OpenSSL hash object costs more than the file's bytes
        fd = os.open(path, os.O_RDONLY)
        try:  # read whole in the size fstat gives, as the reader did: a fixed buffer costs an mmap a call
            want = os.fstat(fd).st_size + 1
            while chunk := os.read(fd, want):
                h.update(chunk)
                want = 1 << 20
        finally:
            os.close(fd)
        return h.hexdigest()

    def get(self, path: Path, doc_id: str) -> DocResult | None:
        """The stored result for ``path`` if its content was processed before by this code, else None."""
        try:
            if not path.is_file():  # a FIFO or device is never hashed (reading it would not end)
                return None
            if self._index is None:
                self._index = self._read_index()
            if not self._index:
                return None  # a first run: no file needs hashing here
            where = self._index.get(self.key(path))
            if where is None:
                return None
            pack, offset, size = where
            with open(pack, "rb") as fh:
                fh.seek(offset)
                doc = _ModelUnpickler(io.BytesIO(fh.read(size))).load()
            if not isinstance(doc, Document) or not isinstance(doc.text, str) or not isinstance(doc.items, list):
                return None
        except Exception:  # unreadable, malformed or refused: the file is simply processed again
            return None
        doc.doc_id, doc.source = doc_id, str(path)
        return DocResult(source=str(path), doc_id=doc_id, status="ok", document=doc, extra={"resumed": True})

    def _read_index(self) -> dict[str, tuple[Path, int, int]]:
        index: dict[str, tuple[Path, int, int]] = {}
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
                        index[head[0].decode("ascii", "replace")] = (pack, offset, size)
                    fh.seek(offset + size)
        return index

    def put(self, result: DocResult) -> None:
        """Store an ok result (errors are retried on the next run)."""
        if result.status != "ok" or result.document is None or result.extra.get("resumed"):
            return
        try:
            key = self.key(result.extra.get("path", result.source))
        except OSError:
            return
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _REDUCERS
        pickler.dump(result.document)
        data = buf.getvalue()
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


_MODEL_CLASSES = frozenset({"Document", "Item", "Quantity", "Deadline", "Department", "Instrument"})


def _reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    # A model object pickles as its class and its field values, rebuilt by calling the class: the
    # dataclass default (a __getstate__ that lists the fields on every call) took twice as long.
    values = attrgetter(*(f.name for f in fields(cls)))
    return lambda obj: (cls, values(obj))


_REDUCERS = {**copyreg.dispatch_table, **{getattr(model, name): _reducer(getattr(model, name)) for name in _MODEL_CLASSES}}


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles the model's dataclasses and nothing else: no other global can be named by a record."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "pipeline.model" and name in _MODEL_CLASSES:
            return getattr(model, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a stored document")


class Storing:
    """A worker-side ``finish`` step that stores each fresh result, then hands it to ``then``."""

    def __init__(self, store: ResultStore, then: Callable[[DocResult], DocResult]) -> None:
        self.store, self.then = store, then

    def __call__(self, result: DocResult) -> DocResult:
        self.store.put(result)
        return self.then(result)
