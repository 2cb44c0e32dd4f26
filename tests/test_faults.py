"""A batch that survives anything (issue 12): hard per-file limits, dead workers, concurrent runs, a bad cache.

Every fault is built at test time beside real plans from corpus/. Faults inside a worker come either from
a patched ``process_file`` (local workers are forked, so they see the patch) or from a ``finish`` step
(:class:`Fault`, importable, so it also reaches the fresh interpreters the Dask engine uses).
"""
from __future__ import annotations

import ctypes
import itertools
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import pipeline.batch as batch
from pipeline.batch import LOCK_NAME, expand_paths, run
from pipeline.cli import main
from pipeline.model import DocResult
from pipeline.resume import CACHE_NAME

from .conftest import CORPUS_DOCS, DATA, ROOT, SEED, TABLES, assert_same_tables, cache_entries, read_tables

SIGKILL, SIGSEGV = int(signal.SIGKILL), int(signal.SIGSEGV)
AUTONUM = DATA / "docx" / "changzhou_edu_2022_autonum.docx"


def _c_loop() -> None:
    # A loop inside C code: sum() never returns to the interpreter, so a SIGALRM handler would never run.
    sum(itertools.repeat(1, 10**14))


def _python_loop() -> None:
    while True:
        pass


def _grow() -> None:
    # Address space in 64 MB steps (calloc'd, so untouched pages cost no RAM even without a limit).
    chunks = [bytearray(64 * 2**20) for _ in range(1024)]
    del chunks


def _segfault() -> None:
    import faulthandler

    faulthandler.disable()  # pytest's handler would print the crash to the test log
    ctypes.string_at(0)


FAULTS = {
    "loop": _c_loop,
    "python_loop": _python_loop,
    "grow": _grow,
    "killed": lambda: os.kill(os.getpid(), signal.SIGKILL),
    "segfault": _segfault,
}


class Fault:
    """A ``finish`` step that commits ``FAULTS[kind]`` in the worker for the files named in ``faults``."""

    def __init__(self, faults: dict[str, str]) -> None:
        self.faults = faults

    def __call__(self, result: DocResult) -> DocResult:
        kind = self.faults.get(result.doc_id)
        if kind and result.status == "ok":  # not again on the error row that replaces it
            FAULTS[kind]()
        return result


def _patch_process_file(monkeypatch: pytest.MonkeyPatch, faults: dict[str, str]) -> None:
    real = batch.process_file

    def faulty(path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        kind = faults.get(Path(path).stem)
        if kind:
            FAULTS[kind]()
        return real(path, **kwargs)

    monkeypatch.setattr(batch, "process_file", faulty)


def _seed_copy(path: Path) -> None:
    # The seed plan with its own last line, so that its bytes (and its cache entry) are its own.
    path.write_text(SEED.read_text(encoding="utf-8") + f"\n（{path.stem}）\n", encoding="utf-8")


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    """A folder of the real corpus plans."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for doc in CORPUS_DOCS:
        shutil.copy(doc, folder / doc.name)
    return folder


def _extract(*args: str) -> int:
    return main(["extract", *args, "--quiet"])


def _docs(out: Path) -> dict[str, dict[str, str]]:
    return read_tables(out)["documents"].set_index("doc_id").to_dict("index")


def _good_tables_equal(out: Path, clean: Path) -> None:
    """The good plans' rows in ``out`` equal a run over the good plans alone."""
    mixed, alone = read_tables(out), read_tables(clean)
    ids = set(alone["documents"]["doc_id"])
    assert set(alone["documents"]["status"]) == {"ok"} and all(len(alone[n]) for n in TABLES)
    assert_same_tables({n: df[df["doc_id"].isin(ids)].reset_index(drop=True) for n, df in mixed.items()}, alone)


@pytest.fixture()
def clean(plans: Path, tmp_path: Path) -> Path:
    out = tmp_path / "clean"
    assert _extract(str(plans), "-o", str(out), "--jobs", "1") == 0
    return out


def self_referencing_pdf() -> bytes:
    """A one-object page tree whose /Kids point back to itself, with a valid xref table and trailer."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_faults_self_referencing_pdf_among_good_plans(plans: Path, clean: Path, tmp_path: Path) -> None:
    (plans / "loop_tree.pdf").write_bytes(self_referencing_pdf())
    out = tmp_path / "out"
    assert _extract(str(plans), "-o", str(out), "--jobs", "2", "--timeout", "30") == 0
    docs = _docs(out)
    assert len(docs) == len(CORPUS_DOCS) + 1
    assert [d for d, row in docs.items() if row["status"] == "error"] == ["loop_tree"]
    assert "loop_tree.pdf: the PDF is damaged" in docs["loop_tree"]["error"]
    _good_tables_equal(out, clean)


@pytest.mark.parametrize("jobs", [1, 2])
def test_faults_loops_are_stopped_at_the_time_limit(plans: Path, clean: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    _seed_copy(plans / "loop.txt")
    _seed_copy(plans / "python_loop.txt")
    _patch_process_file(monkeypatch, {"loop": "loop", "python_loop": "python_loop"})
    out = tmp_path / "out"
    assert _extract(str(plans), "-o", str(out), "--jobs", str(jobs), "--timeout", "2") == 0
    docs = _docs(out)
    assert list(docs) == [f.stem for f in expand_paths([plans])]
    for name in ("loop", "python_loop"):
        assert docs[name]["status"] == "error"
        assert f"{name}.txt: processing took longer than 2 s and was stopped" in docs[name]["error"]
    _good_tables_equal(out, clean)


@pytest.mark.parametrize("jobs", [1, 2])
def test_faults_a_dead_worker_costs_only_its_file(plans: Path, clean: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], jobs: int) -> None:
    _seed_copy(plans / "killed.txt")
    _seed_copy(plans / "segfault.txt")
    _patch_process_file(monkeypatch, {"killed": "killed", "segfault": "segfault"})
    out = tmp_path / "out"
    assert _extract(str(plans), "-o", str(out), "--jobs", str(jobs), "--resume") == 0
    docs = _docs(out)
    assert list(docs) == [f.stem for f in expand_paths([plans])]  # each file once, in input order
    assert docs["killed"]["status"] == docs["segfault"]["status"] == "error"
    assert "killed.txt: the worker processing it crashed with signal 9 (SIGKILL" in docs["killed"]["error"]
    assert "segfault.txt: the worker processing it crashed with signal 11 (SIGSEGV)" in docs["segfault"]["error"]
    assert sum(row["status"] == "ok" for row in docs.values()) == len(CORPUS_DOCS)
    _good_tables_equal(out, clean)
    # The crashes were not stored: --resume redoes exactly those two files, and the tables are complete.
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["extract", str(plans), "-o", str(out), "--jobs", str(jobs), "--resume"]) == 0
    assert f"{len(CORPUS_DOCS) + 2} ok ({len(CORPUS_DOCS)} resumed), 0 error(s)" in capsys.readouterr().err
    uninterrupted = tmp_path / "uninterrupted"
    assert _extract(str(plans), "-o", str(uninterrupted), "--jobs", "1") == 0
    assert_same_tables(read_tables(out), read_tables(uninterrupted))


def test_faults_memory_is_bounded_by_the_limit(plans: Path, clean: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _seed_copy(plans / "grow.txt")
    _patch_process_file(monkeypatch, {"grow": "grow"})
    out = tmp_path / "out"
    assert _extract(str(plans), "-o", str(out), "--jobs", "2", "--max-memory", "256") == 0
    docs = _docs(out)
    assert docs["grow"]["status"] == "error"
    assert "grow.txt: needed more than the 256 MB memory limit and was stopped" in docs["grow"]["error"]
    _good_tables_equal(out, clean)


def _letters_docx(path: Path) -> None:
    """The auto-numbered seed docx, its lists restarted at 2,000,000,000 in lowerLetter format: every
    marker is then ~77 million letters (Word counts a..z, aa..zz, …), many GB for a 47 KB file."""
    with zipfile.ZipFile(AUTONUM) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/numbering.xml":
                text = re.sub(r'<w:start w:val="\d+"/>', '<w:start w:val="2000000000"/>', data.decode())
                data = re.sub(r'<w:numFmt w:val="[^"]+"/>', '<w:numFmt w:val="lowerLetter"/>', text).encode()
            zout.writestr(info, data)


def test_faults_a_real_memory_hog_stays_under_the_limit(plans: Path, clean: Path, tmp_path: Path) -> None:
    _letters_docx(plans / "letters.docx")
    out = tmp_path / "out"
    # A fresh interpreter runs the CLI, so that its children's peak RSS is this run's alone.
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run([sys.executable, '-m', 'pipeline', *sys.argv[1:]], check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", probe, "extract", str(plans), "-o", str(out), "--quiet",
                           "--jobs", "2", "--max-memory", "400"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    peak_mb = int(proc.stdout.split()[-1]) / 1024
    docs = _docs(out)
    assert "letters.docx: needed more than the 400 MB memory limit and was stopped" in docs["letters"]["error"]
    assert peak_mb < 400 + 200  # the limit plus the loaded pipeline, not the many GB the file asks for
    _good_tables_equal(out, clean)


def test_faults_run_killed_mid_way_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    texts = [doc.read_text(encoding="utf-8") for doc in CORPUS_DOCS]
    for i in range(300):  # distinct bytes, so that each file has its own cache entry
        (folder / f"plan_{i:03d}.txt").write_text(f"{texts[i % len(texts)]}\n（第{i}份）\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "--quiet",
                             "--jobs", "2", "--resume"], cwd=ROOT, stderr=subprocess.DEVNULL)
    while proc.poll() is None and len(cache_entries(out)) < 20:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)  # the parent only: its workers must go with it
    assert proc.wait() == -SIGKILL
    assert 20 <= len(cache_entries(out)) < 300
    # Once the workers are gone the folder is free again (they held the lock through the parent's file).
    for _ in range(500):
        code = _extract(str(folder), "-o", str(out), "--jobs", "2", "--resume")
        if code != 2:
            break
        time.sleep(0.02)
    assert code == 0
    uninterrupted = tmp_path / "uninterrupted"
    assert _extract(str(folder), "-o", str(uninterrupted), "--jobs", "2") == 0
    assert_same_tables(read_tables(out), read_tables(uninterrupted))


def test_faults_a_second_run_into_the_same_folder_refuses(plans: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pipeline.batch import output_lock\n"
         "with output_lock(sys.argv[1]):\n    print('held', flush=True); sys.stdin.read()", str(out)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        capsys.readouterr()
        assert _extract(str(plans), "-o", str(out)) == 2
        err = capsys.readouterr().err
        assert f"{out}: another planscope run is writing into this folder (pid {holder.pid})" in err
        assert not (out / "documents.csv").exists()
        assert main(["compare", str(SEED), str(CORPUS_DOCS[0]), "-o", str(out), "--quiet"]) == 2
    finally:
        holder.communicate("")
    assert _extract(str(plans), "-o", str(out), "--jobs", "1") == 0
    assert len(_docs(out)) == len(CORPUS_DOCS)
    assert not (out / LOCK_NAME).exists()


def test_faults_corrupt_cache_entries_are_redone(plans: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _extract(str(plans), "-o", str(out), "--jobs", "2", "--resume") == 0
    first = read_tables(out)
    entries = cache_entries(out)
    assert len(entries) == len(CORPUS_DOCS)
    head = [h for h, _ in entries]
    cut = head[0] + entries[0][1][: len(entries[0][1]) // 2]  # cut mid-write (a killed worker's last record)
    marker = tmp_path / "ran"

    class RunsCode:  # a record that creates a file when unpickled by a plain pickle.load
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return open, (str(marker), "w")

    payload = pickle.dumps(RunsCode())
    refused = head[1].rsplit(b" ", 1)[0] + b" %d\n" % len(payload) + payload
    payload = pickle.dumps(["not", "a", "document"])
    foreign = head[2].rsplit(b" ", 1)[0] + b" %d\n" % len(payload) + payload
    for pack in (out / CACHE_NAME).glob("*.pack"):
        pack.unlink()
    (out / CACHE_NAME / "edited.pack").write_bytes(b"".join([refused, foreign, *(h + p for h, p in entries[3:]), cut]))
    capsys.readouterr()
    assert main(["extract", str(plans), "-o", str(out), "--jobs", "2", "--resume"]) == 0
    assert f"{len(CORPUS_DOCS)} ok ({len(CORPUS_DOCS) - 3} resumed), 0 error(s)" in capsys.readouterr().err
    assert not marker.exists()  # the cache builds the model's classes only
    assert_same_tables(first, read_tables(out))


def test_faults_cache_only_with_resume_and_only_for_the_same_code(plans: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import pipeline.resume as resume

    out = tmp_path / "out"
    assert _extract(str(plans), "-o", str(out), "--jobs", "1") == 0
    assert not (out / CACHE_NAME).exists()
    assert _extract(str(plans), "-o", str(out), "--jobs", "1", "--resume") == 0
    fingerprint = resume.code_fingerprint()
    assert len(fingerprint) == 64
    monkeypatch.setattr(resume, "code_fingerprint", lambda: "0" * 64)  # as after an edit of the pipeline
    capsys.readouterr()
    assert main(["extract", str(plans), "-o", str(out), "--jobs", "1", "--resume"]) == 0
    assert f"{len(CORPUS_DOCS)} ok (0 resumed)" in capsys.readouterr().err


def test_faults_only_regular_files_are_read(plans: Path, clean: Path, tmp_path: Path) -> None:
    os.mkfifo(plans / "pipe.txt")
    os.symlink("loop.txt", plans / "loop.txt")
    os.symlink("..", plans / "parent")  # a folder link back up: walked once, not forever
    out = tmp_path / "out"
    assert _extract(str(plans), "/dev/zero", "-o", str(out), "--jobs", "2", "--timeout", "30") == 0
    docs = _docs(out)
    assert len(docs) == len(CORPUS_DOCS) + 3
    assert "pipe.txt: is a named pipe (FIFO), not a plan file" in docs["pipe"]["error"]
    assert "loop.txt: cannot open the file (Too many levels of symbolic links)" in docs["loop"]["error"]
    assert "/dev/zero: is a device, not a plan file" in docs["zero"]["error"]
    _good_tables_equal(out, clean)


def test_faults_limits_hold_on_the_dask_engine(plans: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    for name in ("loop", "grow", "killed"):
        _seed_copy(plans / f"{name}.txt")
    faults = Fault({"loop": "loop", "grow": "grow", "killed": "killed"})
    results = list(run([plans], engine="dask", jobs=2, timeout=5, max_memory=256, finish=faults))
    assert [r.doc_id for r in results] == [f.stem for f in expand_paths([plans])]
    by_id = {r.doc_id: r for r in results}
    assert "loop.txt: processing took longer than 5 s" in by_id["loop"].error
    assert "grow.txt: needed more than the 256 MB memory limit" in by_id["grow"].error
    assert "killed.txt: the worker processing it crashed with signal 9 (SIGKILL" in by_id["killed"].error
    assert [r.status for r in results if r.doc_id not in faults.faults] == ["ok"] * len(CORPUS_DOCS)
