"""The worker pool's scheduling, on real plans from corpus/: who runs when, and in which process."""
from __future__ import annotations

import os
import time

import pytest

from pipeline import worker
from pipeline.batch import failed_task, process_task

from .conftest import CORPUS_DOCS


def _task(path: object) -> tuple[str, str, int, None, None]:
    return (str(path), "plan", 50 * 2**20, None, None)


def _extracted_by(path: object) -> tuple[int, int, int]:
    """(pid, scheduling policy, items) of the worker that extracted the plan."""
    result = process_task(_task(path))
    assert result.document is not None
    return os.getpid(), os.sched_getscheduler(0), len(result.document.items)


def _finished_at(path: object) -> float:
    """When the plan was done; "slow" stands for a file that takes two seconds."""
    if path == "slow":
        time.sleep(2)
        return time.monotonic()
    assert process_task(_task(path)).document is not None
    return time.monotonic()


@pytest.mark.skipif(not hasattr(os, "SCHED_BATCH"), reason="Linux scheduling policies")
def test_worker_parent_yields_to_workers_that_keep_the_callers_policy() -> None:
    assert os.sched_getscheduler(0) == os.SCHED_OTHER
    during, seen = set(), []
    for pid, policy, items in worker.run_limited(_extracted_by, CORPUS_DOCS, jobs=2, timeout=60, max_mb=None,
                                                 failed=failed_task):
        during.add(os.sched_getscheduler(0))
        seen.append((policy, items))
    assert during == {os.SCHED_BATCH}  # woken by a result, the parent does not preempt a busy worker
    assert {policy for policy, _ in seen} == {os.SCHED_OTHER}
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # given back when the run ends
    assert len(seen) == len(CORPUS_DOCS) and all(items > 0 for _, items in seen)


def test_worker_is_not_renewed_for_the_last_few_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "RECYCLE_AFTER", 8)  # read when a worker is made, in this process
    plans = (CORPUS_DOCS * 2)[:18]

    def pids(n: int) -> list[int]:
        return [pid for pid, _, _ in worker.run_limited(_extracted_by, plans[:n], jobs=1, timeout=60, max_mb=None,
                                                        failed=failed_task)]

    assert len(set(pids(9))) == 1  # one file past its lifetime: a fresh worker would cost more than it saves
    renewed = pids(18)
    assert len(set(renewed)) == 2 and len(set(renewed[:8])) == 1  # renewed after 8, the last 10 in one worker


def test_worker_a_slow_file_does_not_hold_back_the_other_worker() -> None:
    short = [p for p in CORPUS_DOCS if p.stat().st_size < 20_000]  # the excerpts: a few ms each
    plans = ["slow", *(short * 10)[:50]]
    done = list(worker.run_limited(_finished_at, plans, jobs=2, timeout=60, max_mb=None, failed=failed_task))
    before_slow = sum(t < done[0] for t in done[1:])
    # The other worker goes on past the slow file, up to WINDOW files per worker; the AHEAD files queued
    # behind the slow one wait for it. With 4 files per worker, as before, it stopped after 8.
    assert before_slow == len(plans) - worker.AHEAD, before_slow
