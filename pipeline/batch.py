"""Many files -> one DocResult each, in input order; a bad file never stops the batch.

Every file runs in a worker process under a wall-clock and a memory limit (pipeline.worker), locally or
inside a Dask task; results come back in input order whatever the number of workers, so the tables are
the same for any ``jobs``.
"""
from __future__ import annotations

import glob
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from . import worker
from .errors import PlanscopeError
from .ingest import DEFAULT_MAX_BYTES, display_path, read, read_file
from .model import DocResult, Document
from .structure import parse
from .worker import DEFAULT_MAX_MEMORY_MB, run_limited

SUPPORTED_SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm", ".shtml", ".doc", ".wps", ".xlsx", ".xls", ".et", ".ofd"}
DEFAULT_TIMEOUT = 120.0
ENGINES = ("local", "dask")


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, from_list: str | os.PathLike[str] | None = None,
                 skip: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Files as given, folders searched recursively, globs expanded, plus the lines of ``from_list``.

    Inside folders only plan-like suffixes are taken (hidden files, ``gold/`` folders, planscope output
    folders and the folders in ``skip`` are skipped); a file named explicitly is always taken, so an
    unsupported one gets its error row. A path (or list line) that does not exist raises FileNotFoundError;
    a file reached twice is taken once. Relative lines of ``from_list`` are relative to the list's folder.
    """
    items = [str(p) for p in paths]
    if from_list is not None:
        base = Path(from_list).parent
        try:
            lines = Path(from_list).read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError:
            raise FileNotFoundError(f"{from_list}: the --from-list file does not exist") from None
        for n, line in enumerate(lines, start=1):
            line = line.strip()
            if line and not line.startswith("#"):
                path = line if Path(line).is_absolute() else str(base / line)
                if not Path(path).exists() and not _is_glob(line):
                    raise FileNotFoundError(f"{from_list}, line {n}: {path} does not exist "
                                            f"(relative lines are read from {base or '.'})")
                items.append(path)
    skipped = {os.path.realpath(p) for p in skip}
    files: list[tuple[Path, str]] = []  # (file, the key that tells a file reached twice)
    for item in items:
        path = Path(item)
        if not path.exists() and _is_glob(item):
            files.extend((Path(p), os.path.realpath(p)) for p in sorted(glob.glob(item, recursive=True))
                         if Path(p).is_file())
        elif path.is_dir():
            files.extend(_plans_in(path, skipped))
        elif path.exists():
            files.append((path, os.path.realpath(path)))
        else:
            raise FileNotFoundError(f"{display_path(item)}: no such file or folder")
    seen: set[str] = set()
    unique = []
    for f, key in files:
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _plans_in(root: Path, skipped: set[str]) -> list[tuple[Path, str]]:
    """The plan-like files under ``root`` in path order, with their real paths.

    Hidden entries, ``gold/`` folders and the folders in ``skipped`` are not entered; a folder holding
    planscope's own output (DIR/text/*.txt, report pages) is not a plan folder: when ``root`` itself is
    one, only its text/ is left out. Links to folders are not followed (a link back up would loop).
    Not only regular files: a FIFO or a looping symlink named like a plan gets its error row.
    """
    real_root = os.path.realpath(root)
    found: list[tuple[tuple[str, ...], bool]] = []  # (parts below root, is a symlink)
    todo: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while todo:
        folder, rel = todo.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # unreadable: skipped, as a walk does
            continue
        output = any(_is_output_marker(Path(e.path)) for e in entries if e.name in _OUTPUT_MARKERS)
        if output and rel:
            continue
        if not rel and (output or real_root in skipped):
            entries = [e for e in entries if e.name != "text"]  # export.TEXT_DIR
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not e.is_symlink() and e.name != "gold" and os.path.realpath(e.path) not in skipped:
                    todo.append((e.path, (*rel, e.name)))
            elif os.path.splitext(e.name)[1].lower() in SUPPORTED_SUFFIXES:
                found.append(((*rel, e.name), e.is_symlink()))
    found.sort()
    return [(root.joinpath(*parts), os.path.realpath(root.joinpath(*parts)) if link
             else os.path.join(real_root, *parts)) for parts, link in found]


_CACHE_DIR = ".planscope-cache"  # resume.CACHE_NAME
_OUTPUT_SIGNS = {"datapackage.json": '"planscope-tables"', "index.html": 'content="planscope report"'}
_OUTPUT_MARKERS = frozenset({_CACHE_DIR, *_OUTPUT_SIGNS})


def _is_output_marker(f: Path) -> bool:
    """A file or folder that only planscope writes: its folder holds output, not plans."""
    if f.name == _CACHE_DIR:
        return f.is_dir()
    sign = _OUTPUT_SIGNS.get(f.name)
    if sign is None:
        return False
    try:
        with open(f, encoding="utf-8", errors="replace") as fh:
            return sign in fh.read(4096)
    except OSError:
        return False


def _is_glob(item: str) -> bool:
    return any(ch in item for ch in "*?[")


MAX_ID_BYTES = 200  # DIR/text/<doc_id>.txt must fit the usual 255-byte limit on file names


def unique_ids(files: list[Path]) -> list[str]:
    """doc_id is the file name without extension, made unique within a run (``plan``, ``plan_2``).

    A name longer than :data:`MAX_ID_BYTES` in UTF-8 (a GBK name grows by half once decoded) is cut there.
    """
    seen: dict[str, int] = {}
    ids = []
    for f in files:
        base = display_path(f.stem).encode("utf-8")[:MAX_ID_BYTES].decode("utf-8", "ignore")
        n = seen.get(base, 0) + 1
        seen[base] = n
        ids.append(base if n == 1 else f"{base}_{n}")
    return ids


def process_file(path: str | os.PathLike[str], *, doc_id: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None) -> Document:
    """Read, structure and extract one plan (given its bytes ``data``, if read already); raises
    PlanscopeError for bad input."""
    from .extract import extract

    if data is None:
        raw = read(path, max_bytes=max_bytes)
    else:
        raw = read(data, name=Path(path).name, label=display_path(path), max_bytes=max_bytes)
    return extract(parse(raw, doc_id=doc_id or Path(path).stem))


def read_plans(paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES,
               timeout: float | None = DEFAULT_TIMEOUT, max_memory: float | None = DEFAULT_MAX_MEMORY_MB
               ) -> list[Document]:
    """Plans to compare, in the order given; the first that cannot be used raises a PlanscopeError naming it.

    Unlike :func:`run`, one bad plan stops the call: a comparison with a plan missing means nothing.
    Each plan is read in a worker process under the same limits as a batch.
    """
    files = [Path(p) for p in paths]
    for f in files:
        if f.is_dir():
            raise PlanscopeError(f"{display_path(f)}: is a folder; compare takes plan files, oldest first")
    tasks: list[Task] = [(str(f), i, max_bytes, None, None) for f, i in zip(files, unique_ids(files))]
    docs = []
    for result in run_limited(process_task, tasks, jobs=1, timeout=timeout, max_mb=max_memory, failed=failed_task):
        if result.document is None:
            raise PlanscopeError(" ".join(result.error.split()))
        if not result.document.items:
            raise PlanscopeError(f"{result.source}: no numbered items found (一、 / （一） / 1. …); is this a work plan?")
        docs.append(result.document)
    return docs


# (path, doc_id, max_bytes, unused, finish): the time limit is enforced by the parent, not in the task
Task = tuple[str, str, int, "float | None", "Callable[[DocResult], DocResult] | None"]


def process_task(task: Task) -> DocResult:
    """One unit of batch work: never raises, always returns the file's DocResult.

    ``finish`` (the task's last element) runs in the worker on the result, e.g. to render output rows
    there instead of in the single writing process.
    """
    path, doc_id, max_bytes, _, finish = task
    # --resume keys its record by the bytes the reader read: read again later, an edited file would
    # be stored under its new bytes
    result = _process(path, doc_id, max_bytes, getattr(finish, "content_key", None))
    result.extra["path"] = path  # the path as on disk, when ``source`` shows a decoded GBK name
    if finish is None:
        return result
    try:
        return finish(result)
    except MemoryError:
        failed = DocResult(source=result.source, doc_id=doc_id, status="error",
                           error=_memory_message(result.source, worker.memory_limit_mb))
        return finish(failed)
    except Exception as exc:  # e.g. the output disk is full: the file gets its error row, the run goes on
        failed = DocResult(source=result.source, doc_id=doc_id, status="error",
                           error=f"{result.source}: could not write its results ({type(exc).__name__}: {exc})")
        return finish(failed)


def _memory_message(shown: str, limit_mb: float | None) -> str:
    limit = f"the {limit_mb:g} MB memory limit" if limit_mb else "the available memory"
    return (f"{shown}: needed more than {limit} and was stopped; raise it with --max-memory "
            "if the file is a genuine plan")


def _process(path: str, doc_id: str, max_bytes: int,
             content_key: Callable[[bytes], str] | None = None) -> DocResult:
    shown = display_path(path)  # the file is opened by ``path``; results and messages name ``shown``
    extra: dict[str, object] = {}
    try:
        data = read_file(path, max_bytes=max_bytes)
        if content_key is not None:
            extra["content_key"] = content_key(data)
        doc = process_file(path, doc_id=doc_id, max_bytes=max_bytes, data=data)
        del data
    except PlanscopeError as exc:
        return DocResult(source=shown, doc_id=doc_id, status="error", error=str(exc))
    except MemoryError:
        return DocResult(source=shown, doc_id=doc_id, status="error",
                         error=_memory_message(shown, worker.memory_limit_mb))
    except RecursionError:
        return DocResult(source=shown, doc_id=doc_id, status="error",
                         error=f"{shown}: the file is nested too deeply to process")
    except Exception as exc:  # our bug: report it against the file and go on
        return DocResult(source=shown, doc_id=doc_id, status="error",
                         error=f"{shown}: internal error ({type(exc).__name__}: {exc}); please report it")
    return DocResult(source=shown, doc_id=doc_id, status="ok", document=doc, extra=extra)


def failed_task(task: Task, kind: str, details: object) -> DocResult:
    """The error row of a file whose worker was stopped (``timeout``, ``memory``) or died (``died``)."""
    path, doc_id = task[0], task[1]
    shown = display_path(path)
    if kind == "timeout":
        error = (f"{shown}: processing took longer than {details} s and was stopped; "
                 "raise the limit with --timeout if the file is a genuine plan")
    elif kind == "memory":
        error = _memory_message(shown, float(details) if isinstance(details, (int, float)) else None)
    elif kind == "died":
        error = f"{shown}: the worker processing it {details}; the file was skipped"
    else:
        error = f"{shown}: internal error ({details}); please report it"
    return DocResult(source=shown, doc_id=doc_id, status="error", error=error, extra={"path": path})


class _Limited:
    """A Dask task: run a few files, one by one, in this Dask worker's own limited child process."""

    def __init__(self, timeout: float | None, max_memory: float | None) -> None:
        self.timeout, self.max_memory = timeout, max_memory

    def __call__(self, chunk: list[Task]) -> list[DocResult]:
        return worker.run_chunk(process_task, chunk, timeout=self.timeout, max_mb=self.max_memory, failed=failed_task)


_DASK_CHUNK_MAX = 64  # files per Dask task at most


def _dask(tasks: list[Task], jobs: int, scheduler: str | None, limited: _Limited) -> Iterator[DocResult]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise PlanscopeError("the Dask engine needs dask[distributed]: pip install 'planscope[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # Threads, not processes: a Dask worker here only hands files to its own limited child process and
        # passes the results on, so worker processes would add their start-up and a second copy of every
        # result (and their event loops' CPU, taken from the children on a small machine).
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=False, dashboard_address=None)
        client = Client(cluster)
    try:
        workers = max(jobs, len(client.scheduler_info().get("workers", ())))
        # A Dask task costs milliseconds of scheduling and transfer, and its worker's child waits between
        # tasks: dozens of files per task make that a few per cent of the time, while every worker still
        # gets several tasks to balance long files.
        size = max(1, min(_DASK_CHUNK_MAX, len(tasks) // (8 * workers)))
        chunks = (tasks[i : i + size] for i in range(0, len(tasks), size))
        window = 4 * workers  # bounded number of results in flight keeps memory flat
        futures = deque(client.submit(limited, c, pure=False) for c in islice(chunks, window))
        while futures:
            fut = futures.popleft()
            results = fut.result()
            fut.release()
            chunk = next(chunks, None)
            if chunk is not None:  # the next chunk starts before the caller writes these results
                futures.append(client.submit(limited, chunk, pure=False))
            yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


LOCK_NAME = ".planscope.lock"


@contextmanager
def output_lock(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold ``DIR/.planscope.lock`` for the duration of a run; a second run into DIR is refused at once.

    The lock is an flock on the open file, so it goes away with the process however it ends; the file
    itself is removed when the run ends, leaving the folder as the run wrote it.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield out
        return
    path = out / LOCK_NAME
    while True:
        fh = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise PlanscopeError(f"{display_path(out)}: another planscope run is writing into this folder "
                                 f"(pid {holder}); wait for it to finish or choose another output folder (-o)"
                                 ) from None
        try:  # the run before us may have removed the file between our open and our lock
            if os.stat(path).st_ino == os.fstat(fh.fileno()).st_ino:
                break
        except FileNotFoundError:
            pass
        fh.close()
    try:
        fh.truncate(0)
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield out
    finally:
        try:
            path.unlink()
        except OSError:
            pass
        fh.close()


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: float | None = DEFAULT_MAX_MEMORY_MB,
    from_list: str | os.PathLike[str] | None = None,
    skip: Iterable[str | os.PathLike[str]] = (),
    reuse: Callable[[Path, str], DocResult | None] | None = None,
    finish: Callable[[DocResult], DocResult] | None = None,
    expanded: bool = False,
) -> Iterator[DocResult]:
    """Yield one DocResult per input file, in input order; errors become ``status="error"`` results.

    ``expanded``: ``paths`` are already the files :func:`expand_paths` gave (the CLI counts them first;
    walking a folder again costs a few stat calls per file).

    ``reuse(path, doc_id)`` may return a stored result for a file already done (``--resume``); only the
    other files are processed. ``finish`` runs on each fresh result inside the worker. Folders in
    ``skip`` (the output folder) are not searched for plans. Each file runs in a worker process stopped
    after ``timeout`` seconds or past ``max_memory`` MB (None or 0: no limit).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    files = [p if isinstance(p, Path) else Path(p) for p in paths] if expanded else expand_paths(
        paths, from_list=from_list, skip=skip)
    ids = unique_ids(files)
    stored: list[DocResult | None] = [reuse(f, i) if reuse else None for f, i in zip(files, ids)]
    for res in stored:  # a stored result names its file as given; show it as the fresh results do
        if res is not None:
            res.source = display_path(res.source)
            if res.document is not None:
                res.document.source = res.source
    tasks: list[Task] = [(str(f), i, max_bytes, timeout, finish) for f, i, s in zip(files, ids, stored) if s is None]
    jobs = max(1, jobs)
    if engine == "dask":
        fresh = _dask(tasks, jobs, scheduler, _Limited(timeout, max_memory))
    else:
        fresh = run_limited(process_task, tasks, jobs=jobs, timeout=timeout, max_mb=max_memory, failed=failed_task)
    for s in stored:
        yield s if s is not None else next(fresh)
    for _ in fresh:  # pragma: no cover - lengths always agree; drain so the pool shuts down cleanly
        pass
