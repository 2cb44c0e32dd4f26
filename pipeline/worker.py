"""Killable worker processes under hard limits: a wall-clock limit the parent enforces by killing the
worker, and an address-space limit (RLIMIT_AS) set inside it.

Both stop what SIGALRM cannot: a loop inside C code (a regex, a parser) or a worker that grows until the
kernel kills it. A worker that dies or is killed is replaced and its task gets a failure naming the cause;
workers are reused across tasks, so a batch pays one process start per worker, not per file.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

DEFAULT_MAX_MEMORY_MB = 2048
RECYCLE_AFTER = 500  # tasks per worker before a fresh one takes over (slow leaks never reach the limit)
FRESH_RECYCLE_AFTER = 5000  # the same for a fresh interpreter, which takes ~0.15 s to start (a fork ~1 ms)

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


def _send(conn: Connection, obj: Any) -> None:
    # plain pickle: Connection.send builds a ForkingPickler (for fds and sockets, never sent here) per call
    conn.send_bytes(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))


def _recv(conn: Connection) -> Any:
    return pickle.loads(conn.recv_bytes())


def _serve(conn: Connection, fn: Callable[[Any], Any], max_mb: float | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    if _caller_policy is not None:  # forked from a parent that yields to its workers: not this one
        _set_policy(_caller_policy)
    _die_with_parent()
    limited = False
    while True:
        try:
            task = _recv(conn)
        except (EOFError, OSError):
            return
        if task is None:
            from .regex_cache import save

            save()  # patterns compiled as tasks ran (not at import), for the next run's workers
            return
        if not limited:  # after the first task is unpickled: the modules it needs are loaded, and free
            limit_memory(max_mb)
            limited = True
        try:
            result = fn(task)
        except MemoryError:
            _send(conn, ("memory", None))
            return  # a worker that hit its limit may hold a fragmented heap: let a fresh one go on
        except BaseException as exc:  # fn is meant never to raise; report it rather than die silently
            _send(conn, ("raised", f"{type(exc).__name__}: {exc}"))
            continue
        try:
            _send(conn, ("ok", result))
        except MemoryError:
            _send(conn, ("memory", None))
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
    """One child process that runs ``fn`` on its tasks one at a time, in the order they were sent.

    Up to ``AHEAD`` tasks are sent before the first is answered (``queue``, oldest first: the one running),
    so the child goes from one task to the next without waiting for the parent.

    With a multiprocessing context the child is forked (cheap, inherits the loaded pipeline); with
    ``ctx=None`` it is a fresh interpreter, which works where multiprocessing may not start children
    (a Dask worker is a daemonic process).
    """

    def __init__(self, ctx: Any, fn: Callable[[Any], Any], max_mb: float | None) -> None:
        self.queue: deque[tuple[int, Any]] = deque()  # (index, task) sent and not yet answered
        self.deadline = float("inf")  # when the running task (queue[0]) runs out of time
        self.timeout: float | None = None
        self.sent = 0
        self.lifetime = RECYCLE_AFTER if ctx is not None else FRESH_RECYCLE_AFTER  # tasks before it is replaced
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
        _send(self.conn, (fn, max_mb))
        self.waitables = [self.conn]  # the socket reads as closed when the child dies

    def start(self, index: int, task: Any, timeout: float | None) -> None:
        """Send a task; it runs once those sent before it are done."""
        _send(self.conn, task)
        self.queue.append((index, task))
        self.sent += 1
        self.timeout = timeout
        if len(self.queue) == 1:
            self._started()

    def spent(self, left: int) -> bool:
        """Past its lifetime: to be replaced once idle, unless only a few files are ``left`` (a fresh worker,
        cold and copying the pages it writes to, would cost the run's last moments more than it saves)."""
        return self.sent >= self.lifetime and left > self.lifetime // 4

    def _started(self) -> None:
        self.deadline = time.monotonic() + self.timeout if self.timeout and self.queue else float("inf")

    def collect(self) -> tuple[int, Any, str, Any]:
        """The running task's outcome once the pipe or process is ready: (index, task, kind, value)."""
        index, task = self.queue.popleft()
        try:
            kind, value = _recv(self.conn)
        except (EOFError, OSError):
            self.proc.join(5)
            return index, task, "died", describe_exit(self.proc.exitcode)
        self._started()  # the child went on to the next task as it sent this result
        return index, task, kind, value

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def close(self) -> None:
        try:
            _send(self.conn, None)
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
    fn, max_mb = _recv(conn)
    _serve(conn, fn, max_mb)


# (task, kind, details) -> the task's result; details: the limit in s for timeout, in MB for memory,
# how the worker ended for died, the exception for raised
Failure = Callable[[Any, str, Any], Any]


def run_limited(fn: Callable[[Any], Any], tasks: Sequence[Any], *, jobs: int, timeout: float | None,
                max_mb: float | None, failed: Failure, context: str | None = None) -> Iterator[Any]:
    """``fn(task)`` for every task, each in a worker process under the limits, yielded in task order.

    A task whose worker runs past ``timeout``, hits the memory limit or dies yields
    ``failed(task, kind, details)`` with kind ``timeout``, ``memory`` or ``died``; the worker is replaced
    and the tasks sent to it after that one run again in another.
    """
    if not tasks:
        return
    if context is None:
        context = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(context)
    with _yielding_to_workers():
        workers = [Worker(ctx, fn, max_mb) for _ in range(max(1, min(jobs, len(tasks))))]
        try:
            yield from _drive(workers, lambda: Worker(ctx, fn, max_mb), tasks, timeout, max_mb, failed)
        finally:
            for w in workers:
                w.kill() if w.queue else w.close()


# The scheduling policy of the caller of run_limited while it yields to its workers; forked workers go
# back to it. None: not yielding (or not on Linux).
_caller_policy: int | None = None


def _set_policy(policy: int) -> None:
    try:
        os.sched_setscheduler(0, policy, os.sched_param(0))
    except OSError:  # refused (a sandbox): the run goes on as scheduled
        pass


@contextmanager
def _yielding_to_workers() -> Iterator[None]:
    """Run the parent as SCHED_BATCH meanwhile: a result arriving then does not preempt a busy worker to
    wake the parent, which collects several at its next turn (workers hold AHEAD files, so none waits).
    With as many workers as cores, the parent's wake-ups per file had cost ~5% of a run's wall time."""
    global _caller_policy
    if not hasattr(os, "SCHED_BATCH") or _caller_policy is not None or os.sched_getscheduler(0) != os.SCHED_OTHER:
        yield  # elsewhere, nested, or a policy the caller chose (real-time, idle): left alone
        return
    _caller_policy = os.SCHED_OTHER
    _set_policy(os.SCHED_BATCH)
    try:
        yield
    finally:
        _caller_policy = None
        _set_policy(os.SCHED_OTHER)


class _Ready:
    """Which of the busy workers' pipes and processes are ready, waiting at most ``timeout`` seconds.

    One poll object is kept while the busy workers stay the same: multiprocessing's wait() builds, fills
    and closes a selector on every call, and the parent waits once per result.
    """

    def __init__(self) -> None:
        self.poll = select.poll() if hasattr(select, "poll") else None
        self.watched: list[Worker] = []
        self.objects: dict[int, Any] = {}  # fd -> the waitable it stands for

    def __call__(self, busy: list[Worker], timeout: float | None) -> set[Any]:
        if self.poll is None:  # no poll(2) (Windows): wait() knows the platform's way
            return set(wait([x for w in busy for x in w.waitables], timeout))
        if busy != self.watched:
            for fd in self.objects:
                self.poll.unregister(fd)
            self.objects = {x if isinstance(x, int) else x.fileno(): x for w in busy for x in w.waitables}
            for fd in self.objects:
                self.poll.register(fd, select.POLLIN)
            self.watched = list(busy)
        events = self.poll.poll(None if timeout is None else math.ceil(timeout * 1000))
        return {self.objects[fd] for fd, _ in events}


# Tasks a worker holds at once: it starts the next as soon as it has sent a result, instead of sleeping
# until the parent has read it and answered (a wake-up per file cost ~10% of the worker's CPU time), and
# it has work for the while a parent that yields to it (SCHED_BATCH) takes to come round.
AHEAD = 8
# How far past the oldest unfinished file tasks are handed out, per worker: the results that wait for a
# slow file stay few, while the other workers go on (at 4 a 70 ms file left the other worker idle for most
# of that time, costing 4% of the crawl's wall time on 2 workers).
WINDOW = 32


def _drive(workers: list[Worker], make: Callable[[], Worker], tasks: Sequence[Any], timeout: float | None,
           max_mb: float | None, failed: Failure) -> Iterator[Any]:
    """Run ``tasks`` on ``workers`` (replaced in place by ``make()`` when they die or are stopped)."""
    pending = deque(enumerate(tasks))
    waiting = _Ready()
    ready: dict[int, Any] = {}
    window = WINDOW * len(workers)
    following = 0
    while following < len(tasks):
        # Workers get their next tasks before the caller is handed a result: the caller's work on it
        # (writing tables) then runs while the workers read the next files.
        for i, w in enumerate(workers):
            if not w.queue and pending and (w.spent(len(pending)) or not w.proc.is_alive()):
                w.close()
                w = workers[i] = make()
            while (len(w.queue) < AHEAD and pending and not w.spent(len(pending))
                   and pending[0][0] < following + window):
                index, task = pending.popleft()
                try:
                    w.start(index, task, timeout)
                except OSError:  # it died: an idle one is replaced, a busy one's death is collected below
                    pending.appendleft((index, task))
                    if w.queue:
                        break
                    w.kill()
                    w = workers[i] = make()
        if following in ready:
            yield ready.pop(following)
            following += 1
            continue
        busy = [w for w in workers if w.queue]
        soonest = min(w.deadline for w in busy)
        got = waiting(busy, None if soonest == float("inf") else max(0.0, soonest - time.monotonic()))
        now = time.monotonic()
        for i, w in enumerate(workers):
            if not w.queue:
                continue
            if not got.isdisjoint(w.waitables):  # a result, or the process ended (collect tells which)
                index, task, kind, value = w.collect()
            elif now >= w.deadline:
                (index, task), kind, value = w.queue.popleft(), "timeout", f"{timeout:g}"
            else:
                continue
            if kind == "ok":
                ready[index] = value
                continue
            if kind == "memory":
                value = max_mb
            ready[index] = failed(task, kind, value)
            if kind != "raised":  # the worker is gone or stuck: what it still held runs elsewhere
                pending = deque(sorted([*w.queue, *pending], key=lambda p: p[0]))
                w.queue.clear()
                w.kill()
                workers[i] = make()


_local = threading.local()


def run_chunk(fn: Callable[[Any], Any], tasks: Sequence[Any], *, timeout: float | None, max_mb: float | None,
              failed: Failure) -> list[Any]:
    """``fn(task)`` for every task in this thread's own worker process (kept for the next call), under the
    limits, as a list in task order.

    For engines that hand us a few tasks at a time (a Dask task runs this). The worker is a fresh
    interpreter: forking the engine's threaded, daemonic process is unsafe or refused.
    """
    worker: Worker | None = getattr(_local, "worker", None)
    workers = [worker if worker is not None else Worker(None, fn, max_mb)]  # _drive replaces a dead one
    _local.worker = None
    try:
        results = list(_drive(workers, lambda: Worker(None, fn, max_mb), tasks, timeout, max_mb, failed))
    except BaseException:
        workers[0].kill()
        raise
    _local.worker = workers[0]
    return results
