"""Killable worker processes under hard limits: a wall-clock limit the parent enforces by killing the
worker, and an address-space limit (RLIMIT_AS) set inside it.

Both stop what SIGALRM cannot: a loop inside C code (a regex, a parser) or a worker that grows until the
kernel kills it. A worker that dies or is killed is replaced and its task gets a failure naming the cause;
workers are reused across tasks, so a batch pays one process start per worker, not per file.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

DEFAULT_MAX_MEMORY_MB = 2048
RECYCLE_AFTER = 500  # tasks per worker before a fresh one takes over (slow leaks never reach the limit)

# Set in a worker to the memory limit in MB, so that a MemoryError can be reported against it.
memory_limit_mb: float | None = None


def limit_memory(max_mb: float | None) -> None:
    """Cap this process's address space at its current size plus ``max_mb`` (the loaded pipeline is free)."""
    global memory_limit_mb
    if not max_mb:
        return
    import resource

    base = 0
    try:
        with open("/proc/self/statm") as fh:
            base = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        pass  # no /proc: the limit is then the whole address space
    limit = base + int(max_mb * 2**20)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and hard < limit:  # a lower limit set from outside stays in force
        limit = hard
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return
    memory_limit_mb = round((limit - base) / 2**20)


def _die_with_parent() -> None:
    # A worker stuck in a loop must not outlive a parent killed with -9 (Linux only; elsewhere the
    # worker exits when it next reads from its closed pipe).
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _serve(conn: Connection, fn: Callable[[Any], Any], max_mb: float | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    _die_with_parent()
    limited = False
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        if not limited:  # after the first task is unpickled: the modules it needs are loaded, and free
            limit_memory(max_mb)
            limited = True
        try:
            result = fn(task)
        except MemoryError:
            conn.send(("memory", None))
            return  # a worker that hit its limit may hold a fragmented heap: let a fresh one go on
        except BaseException as exc:  # fn is meant never to raise; report it rather than die silently
            conn.send(("raised", f"{type(exc).__name__}: {exc}"))
            continue
        try:
            conn.send(("ok", result))
        except MemoryError:
            conn.send(("memory", None))
            return


def describe_exit(exitcode: int | None) -> str:
    """Why a worker ended, in words: ``crashed with signal 11 (SIGSEGV)``, ``exited with code 3``."""
    if exitcode is None:
        return "stopped responding"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        hint = "; the system may have run out of memory" if -exitcode == signal.SIGKILL else ""
        return f"crashed with signal {-exitcode} ({name}{hint})"
    return f"exited with code {exitcode}"


class Worker:
    """One child process that runs ``fn`` on one task at a time.

    With a multiprocessing context the child is forked (cheap, inherits the loaded pipeline); with
    ``ctx=None`` it is a fresh interpreter, which works where multiprocessing may not start children
    (a Dask worker is a daemonic process).
    """

    def __init__(self, ctx: Any, fn: Callable[[Any], Any], max_mb: float | None) -> None:
        self.index: int | None = None  # the task it is running
        self.deadline = float("inf")
        self.done = 0
        if ctx is not None:
            self.conn, child = ctx.Pipe()
            self.proc: Any = ctx.Process(target=_serve, args=(child, fn, max_mb), daemon=True)
            self.proc.start()
            child.close()
            self.waitables = [self.conn, self.proc.sentinel]
            return
        import socket
        import subprocess

        mine, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
        self.proc = _Popen(subprocess.Popen(
            [sys.executable, "-c", f"from pipeline.worker import serve_fd; serve_fd({theirs.fileno()})"],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL))
        theirs.close()
        self.conn = Connection(mine.detach())
        self.conn.send((fn, max_mb))
        self.waitables = [self.conn]  # the socket reads as closed when the child dies

    def start(self, index: int, task: Any, timeout: float | None) -> None:
        self.conn.send(task)
        self.index = index
        self.deadline = time.monotonic() + timeout if timeout else float("inf")

    def collect(self) -> tuple[str, Any]:
        """The outcome of the running task once its pipe or process is ready: (kind, value)."""
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(5)
            return "died", describe_exit(self.proc.exitcode)
        self.done += 1
        return kind, value

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(2)
        self.kill()


class _Popen:
    """A subprocess.Popen seen through the few multiprocessing.Process methods Worker uses."""

    def __init__(self, popen: Any) -> None:
        self.popen = popen

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float) -> None:
        try:
            self.popen.wait(timeout)
        except Exception:  # subprocess.TimeoutExpired: the caller kills it next
            pass

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()


def serve_fd(fd: int) -> None:
    """Entry point of a fresh-interpreter worker: serve tasks over the socket ``fd``."""
    conn = Connection(fd)
    fn, max_mb = conn.recv()
    _serve(conn, fn, max_mb)


# (task, kind, details) -> the task's result; details: the limit in s for timeout, in MB for memory,
# how the worker ended for died, the exception for raised
Failure = Callable[[Any, str, Any], Any]


def run_limited(fn: Callable[[Any], Any], tasks: Sequence[Any], *, jobs: int, timeout: float | None,
                max_mb: float | None, failed: Failure, context: str | None = None) -> Iterator[Any]:
    """``fn(task)`` for every task, each in a worker process under the limits, yielded in task order.

    A task whose worker runs past ``timeout``, hits the memory limit or dies yields
    ``failed(task, kind, details)`` with kind ``timeout``, ``memory`` or ``died``; the worker is replaced.
    """
    if not tasks:
        return
    if context is None:
        context = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(context)
    workers = [Worker(ctx, fn, max_mb) for _ in range(max(1, min(jobs, len(tasks))))]
    pending = deque(enumerate(tasks))
    ready: dict[int, Any] = {}
    window = 4 * len(workers)  # results waiting for an earlier slow file stay few
    following = 0
    try:
        while following < len(tasks):
            # Idle workers get their next task before the caller is handed a result: the caller's work
            # on it (writing tables) then runs while the workers read the next files.
            for i, w in enumerate(workers):
                if w.index is None and pending and pending[0][0] < following + window:
                    if w.done >= RECYCLE_AFTER or not w.proc.is_alive():
                        w.close()
                        w = workers[i] = Worker(ctx, fn, max_mb)
                    index, task = pending.popleft()
                    try:
                        w.start(index, task, timeout)
                    except OSError:  # it died between tasks: a fresh one takes the task
                        w.kill()
                        w = workers[i] = Worker(ctx, fn, max_mb)
                        w.start(index, task, timeout)
            if following in ready:
                yield ready.pop(following)
                following += 1
                continue
            busy = [w for w in workers if w.index is not None]
            now = time.monotonic()
            soonest = min(w.deadline for w in busy)
            wait([x for w in busy for x in w.waitables],
                 timeout=None if soonest == float("inf") else max(0.0, soonest - now))
            for i, w in enumerate(workers):
                if w.index is None:
                    continue
                index = w.index
                if w.conn.poll() or not w.proc.is_alive():
                    kind, value = w.collect()
                elif time.monotonic() >= w.deadline:
                    kind, value = "timeout", f"{timeout:g}"
                else:
                    continue
                w.index = None
                if kind == "ok":
                    ready[index] = value
                    continue
                if kind == "memory":
                    value = max_mb
                ready[index] = failed(tasks[index], kind, value)
                if kind != "raised":
                    w.kill()
                    workers[i] = Worker(ctx, fn, max_mb)
    finally:
        for w in workers:
            w.close() if w.index is None else w.kill()


_local = threading.local()


def run_one(fn: Callable[[Any], Any], task: Any, *, timeout: float | None, max_mb: float | None,
            failed: Failure) -> Any:
    """``fn(task)`` in this thread's own worker process (kept for the next call), under the limits.

    For engines that hand us one task at a time (a Dask task runs this). The worker is a fresh
    interpreter: forking the engine's threaded, daemonic process is unsafe or refused.
    """
    worker: Worker | None = getattr(_local, "worker", None)
    if worker is None or not worker.proc.is_alive() or worker.done >= RECYCLE_AFTER:
        if worker is not None:
            worker.close()
        worker = _local.worker = Worker(None, fn, max_mb)
    try:
        worker.start(0, task, timeout)
    except OSError:
        worker.kill()
        _local.worker = None
        return failed(task, "died", describe_exit(worker.proc.exitcode))
    remaining = None if worker.deadline == float("inf") else max(0.0, worker.deadline - time.monotonic())
    wait(worker.waitables, timeout=remaining)
    worker.index = None
    if worker.conn.poll() or not worker.proc.is_alive():
        kind, value = worker.collect()
    else:
        kind, value = "timeout", f"{timeout:g}"
    if kind == "ok":
        return value
    if kind == "memory":
        value = max_mb
    if kind != "raised":
        worker.kill()
        _local.worker = None
    return failed(task, kind, value)
