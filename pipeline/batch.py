"""Many files -> one DocResult each, in input order; a bad file never stops the batch.

Work runs in a pool of worker processes (each loads the pipeline once) or on a Dask cluster; results
come back in input order whatever the number of workers, so the tables are the same for any ``jobs``.
"""
from __future__ import annotations

import glob
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import PlanscopeError
from .ingest import DEFAULT_MAX_BYTES, display_path, read
from .model import DocResult, Document
from .structure import parse

SUPPORTED_SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm", ".shtml", ".doc", ".wps", ".xlsx", ".xls", ".et", ".ofd"}
DEFAULT_TIMEOUT = 120.0
ENGINES = ("local", "dask")


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, from_list: str | os.PathLike[str] | None = None
                 ) -> list[Path]:
    """Files as given, folders searched recursively, globs expanded, plus the lines of ``from_list``.

    Inside folders only plan-like suffixes are taken (hidden files and ``gold/`` folders are skipped);
    a file named explicitly is always taken, so an unsupported one gets its error row.
    """
    items = [str(p) for p in paths]
    if from_list is not None:
        base = Path(from_list).parent
        for line in Path(from_list).read_text(encoding="utf-8-sig").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                items.append(line if Path(line).is_absolute() else str(base / line))
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if not path.exists() and any(ch in item for ch in "*?["):
            files.extend(Path(p) for p in sorted(glob.glob(item, recursive=True)) if Path(p).is_file())
        elif path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if (f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                        and not any(part.startswith(".") for part in rel) and "gold" not in rel[:-1]):
                    files.append(f)
        else:
            files.append(path)
    return files


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
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, structure and extract one plan; raises PlanscopeError for bad input."""
    from .extract import extract

    raw = read(path, max_bytes=max_bytes)
    return extract(parse(raw, doc_id=doc_id or Path(path).stem))


def read_plans(paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES,
               timeout: float | None = DEFAULT_TIMEOUT) -> list[Document]:
    """Plans to compare, in the order given; the first that cannot be used raises a PlanscopeError naming it.

    Unlike :func:`run`, one bad plan stops the call: a comparison with a plan missing means nothing.
    """
    files = [Path(p) for p in paths]
    docs = []
    for f, doc_id in zip(files, unique_ids(files)):
        if f.is_dir():
            raise PlanscopeError(f"{display_path(f)}: is a folder; compare takes plan files, oldest first")
        result = _process(str(f), doc_id, max_bytes, timeout)
        if result.document is None:
            raise PlanscopeError(" ".join(result.error.split()))
        if not result.document.items:
            raise PlanscopeError(f"{result.source}: no numbered items found (一、 / （一） / 1. …); is this a work plan?")
        docs.append(result.document)
    return docs


class FileTimeout(PlanscopeError):
    pass


@contextmanager
def _time_limit(seconds: float | None, label: str) -> Iterator[None]:
    # SIGALRM only works in a process's main thread (pool workers, the CLI); Dask runs tasks in threads,
    # where the cluster's own task management has to bound a stuck file instead.
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise FileTimeout(f"{label}: processing took longer than {seconds:g} s and was stopped; "
                          "raise the limit with --timeout if the file is a genuine plan")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


Task = tuple[str, str, int, "float | None", "Callable[[DocResult], DocResult] | None"]


def process_task(task: Task) -> DocResult:
    """One unit of batch work: never raises, always returns the file's DocResult.

    ``finish`` (the task's last element) runs in the worker on the result, e.g. to render output rows
    there instead of in the single writing process.
    """
    path, doc_id, max_bytes, timeout, finish = task
    result = _process(path, doc_id, max_bytes, timeout)
    result.extra["path"] = path  # the path as on disk, when ``source`` shows a decoded GBK name
    if finish is None:
        return result
    try:
        return finish(result)
    except Exception as exc:  # e.g. the output disk is full: the file gets its error row, the run goes on
        failed = DocResult(source=result.source, doc_id=doc_id, status="error",
                           error=f"{result.source}: could not write its results ({type(exc).__name__}: {exc})")
        return finish(failed)


def _process(path: str, doc_id: str, max_bytes: int, timeout: float | None) -> DocResult:
    shown = display_path(path)  # the file is opened by ``path``; results and messages name ``shown``
    try:
        with _time_limit(timeout, shown):
            doc = process_file(path, doc_id=doc_id, max_bytes=max_bytes)
    except PlanscopeError as exc:
        return DocResult(source=shown, doc_id=doc_id, status="error", error=str(exc))
    except MemoryError:
        return DocResult(source=shown, doc_id=doc_id, status="error",
                         error=f"{shown}: ran out of memory while processing the file")
    except RecursionError:
        return DocResult(source=shown, doc_id=doc_id, status="error",
                         error=f"{shown}: the file is nested too deeply to process")
    except Exception as exc:  # our bug: report it against the file and go on
        return DocResult(source=shown, doc_id=doc_id, status="error",
                         error=f"{shown}: internal error ({type(exc).__name__}: {exc}); please report it")
    return DocResult(source=shown, doc_id=doc_id, status="ok", document=doc)


def _init_worker() -> None:
    import pipeline.extract  # noqa: F401  -- load patterns once per worker, not once per file

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool


def _local(tasks: list[Task], jobs: int) -> Iterator[DocResult]:
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield process_task(t)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, maxtasksperchild=500) as pool:
        chunk = max(1, min(16, len(tasks) // (jobs * 8)))
        yield from pool.imap(process_task, tasks, chunksize=chunk)


def _dask(tasks: list[Task], jobs: int, scheduler: str | None) -> Iterator[DocResult]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise PlanscopeError("the Dask engine needs dask[distributed]: pip install 'planscope[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        window = max(64, 16 * jobs)  # bounded number of results in flight keeps memory flat
        for i in range(0, len(tasks), window):
            futures = client.map(process_task, tasks[i : i + window], pure=False)
            for fut in futures:
                yield fut.result()
                fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = DEFAULT_TIMEOUT,
    from_list: str | os.PathLike[str] | None = None,
    reuse: Callable[[Path, str], DocResult | None] | None = None,
    finish: Callable[[DocResult], DocResult] | None = None,
) -> Iterator[DocResult]:
    """Yield one DocResult per input file, in input order; errors become ``status="error"`` results.

    ``reuse(path, doc_id)`` may return a stored result for a file already done (``--resume``); only the
    other files are processed. ``finish`` runs on each fresh result inside the worker.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    files = expand_paths(paths, from_list=from_list)
    ids = unique_ids(files)
    stored: list[DocResult | None] = [reuse(f, i) if reuse else None for f, i in zip(files, ids)]
    for res in stored:  # a stored result names its file as given; show it as the fresh results do
        if res is not None:
            res.source = display_path(res.source)
            if res.document is not None:
                res.document.source = res.source
    tasks: list[Task] = [(str(f), i, max_bytes, timeout, finish) for f, i, s in zip(files, ids, stored) if s is None]
    jobs = max(1, jobs)
    fresh = _dask(tasks, jobs, scheduler) if engine == "dask" else _local(tasks, jobs)
    for s in stored:
        yield s if s is not None else next(fresh)
    for _ in fresh:  # pragma: no cover - lengths always agree; drain so the pool shuts down cleanly
        pass
