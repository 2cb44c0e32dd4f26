"""Hostile and broken input: nothing crashes, nothing is lost, nothing gets in.

One folder mixes good plans with empty, junk, renamed, damaged, encrypted, oversized, zip-bomb, XXE and
injection files. The run must give one documents.csv row per file with a message a researcher can act
on, leak nothing, neutralise spreadsheet formulas, and leave the good files' tables exactly as a clean
run over the good files alone.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF

from pipeline.api import read_text
from pipeline.batch import process_task
from pipeline.cli import main
from pipeline.ingest import display_path
from pipeline.model import DocResult

from .conftest import CORPUS, DATA, ROOT, TABLES, assert_same_tables, read_tables

AUTONUM = DATA / "docx" / "changzhou_edu_2022_autonum.docx"
GOOD = {
    "good_seed.txt": CORPUS / "changzhou_edu_2022.txt",
    "good_wuhu.txt": CORPUS / "samples" / "wuhu_edu_2024.txt",
    "good_tasks.docx": DATA / "docx" / "task_table.docx",
    "good_page.html": DATA / "html" / "changzhou_edu_2022_gbk.html",
}
MAX_SIZE_MB = 0.5
# Written with GBK-encoded names, as unpacked from a Windows zip; the long one is 244 bytes on disk and
# 364 once decoded to UTF-8, too long for DIR/text/<doc_id>.txt unless the doc_id is cut.
GBK_NAMES = ["工作要点.txt", "关于印发" + "工作要点" * 29 + ".txt"]
# file name -> (status, what the error message must say)
EXPECTED: dict[str, tuple[str, str]] = {
    "empty.txt": ("error", "the file is empty"),
    "blank.txt": ("error", "the file is empty"),
    "junk.txt": ("error", "cannot decode the text"),
    "image.pdf": ("error", "a PNG image"),
    "old_word.doc": ("error", "old Word"),
    "not_zip.docx": ("error", "not a zip package"),
    "truncated.pdf": ("error", "damaged or truncated"),
    "encrypted.pdf": ("error", "encrypted/password-protected"),
    "scanned.pdf": ("error", "no text layer"),
    "oversize.txt": ("error", f"over the {MAX_SIZE_MB:g} MB limit"),
    "bomb.docx": ("error", "zip bomb"),
    "xxe.docx": ("error", "external-entity"),
    "xxe_deep.docx": ("ok", ""),  # DTD past the cheap check: python-docx drops the entity unresolved
    "xxe_page.html": ("ok", ""),
    "inject_page.html": ("ok", ""),
    "inject.txt": ("ok", ""),
    "=1+2.txt": ("ok", ""),  # a file name that is a formula
    **{name: ("ok", "") for name in GBK_NAMES},
    **{name: ("ok", "") for name in GOOD},
}
PASSWD = re.compile(r"root[:：]x[:：]0[:：]0")
# A message for researchers, not a traceback or our own bug report.
TECHNICAL = re.compile(r"Traceback|internal error|\b\w+(?:Error|Exception)\b")
INJECTED = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)"]


# -- building the files ---------------------------------------------------------------------------


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(members: dict[str, bytes], *, zeros: tuple[str, int] | None = None, declare: int | None = None) -> bytes:
    """A zip of ``members``; member ``zeros[0]``, if given, is added or replaced by ``zeros[1]`` MiB of zeros.

    The zeros are deflated chunk by chunk with full flushes, so every chunk compresses to the same bytes
    and a 2 GiB member costs milliseconds to build. ``declare`` makes that member lie about its size.
    """
    entries: list[tuple[str, bytes, int, int]] = []  # name, deflated, crc, size
    for name, data in members.items():
        if zeros and name == zeros[0]:
            continue
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((name, c.compress(data) + c.flush(), zlib.crc32(data), len(data)))
    if zeros:
        name, mib = zeros
        c, mb, crc = zlib.compressobj(9, zlib.DEFLATED, -15), bytes(1 << 20), 0
        chunk = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
        for _ in range(mib):
            crc = zlib.crc32(mb, crc)
        entries.append((name, chunk * mib + c.flush(), crc, mib << 20))
    out, central = io.BytesIO(), io.BytesIO()
    for name, blob, crc, size in entries:
        size = declare if declare is not None and zeros and name == zeros[0] else size
        fields = (20, 0, 8, 0, 0, crc, len(blob), size, len(name.encode()))
        central.write(struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIH", *fields)
                      + struct.pack("<HHHHII", 0, 0, 0, 0, 0, out.tell()) + name.encode())
        out.write(struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIH", *fields) + b"\0\0" + name.encode() + blob)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central.getvalue()), start, 0))
    return out.getvalue()


def _xxe_docx(padding: int) -> bytes:
    members = _members(AUTONUM)
    xml = members["word/document.xml"].decode("utf-8")
    root = re.search(r"<w:document\b", xml)
    assert root is not None
    prolog = f"<!--{' ' * padding}-->" if padding else ""
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    xml = xml[: root.start()] + prolog + doctype + xml[root.start() :]
    xml = xml.replace("<w:t>加强党的政治建设。", "<w:t>&xxe;加强党的政治建设。", 1)
    return _zip({**members, "word/document.xml": xml.encode("utf-8")})


def _xxe_html() -> str:
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        "<html><head><meta charset='utf-8'></head><body><div class='content'><p>2023年工作要点</p>"
        "<p>一、加强党的建设&xxe;</p><p>（一）加强政治建设。全年培训干部200人。</p></div></body></html>"
    )


def _pdf(encrypted: bool) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    if encrypted:
        pdf.set_font("helvetica", size=12)
        pdf.cell(text="work plan")
        pdf.set_encryption(owner_password="owner", user_password="secret")
    else:
        pdf.rect(20, 20, 120, 80, style="F")  # a drawing, no text: what a scan looks like to us
    return bytes(pdf.output())


def _inject_txt() -> str:
    return (
        "2023年工作要点\n一、加强党的建设\n"
        "（一）<script>alert(1)</script>加强政治建设<img src=x onerror=\"alert(1)\">。"
        f"全年培训干部200人。（牵头负责：{INJECTED[0]}）\n"
        + "".join(f"{INJECTED[i]}\n" for i in range(4))
        + f"（二）出台《{INJECTED[0]}》。\n1.{INJECTED[3]}\n"
    )


def _inject_html() -> str:
    rows = "".join(f"<tr><td>{i}</td><td>{p}</td><td>{p}</td></tr>" for i, p in enumerate(INJECTED, 1))
    return (
        '<html><head><meta charset="utf-8"><title>2023年工作要点</title></head><body><div class="content">'
        "<p>2023年工作要点</p><p>一、加强党的建设</p>"
        '<p>（一）<script>alert(1)</script>加强政治建设。<img src=x onerror="alert(1)">全年培训干部200人。</p>'
        f"<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>{rows}</table></div></body></html>"
    )


def build_hostile(folder: Path) -> None:
    """Every broken and malicious file of :data:`EXPECTED`, small."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = GOOD["good_seed.txt"].read_bytes()
    pdf = (DATA / "pdf" / "changzhou_edu_2022.pdf").read_bytes()
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\r\n    \n",
        "junk.txt": random.Random(20240501).randbytes(4096),
        "image.pdf": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(300),
        "old_word.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(2).randbytes(600),
        "not_zip.docx": "（一）加强党的政治建设。".encode(),
        "truncated.pdf": pdf[: len(pdf) // 2],
        "encrypted.pdf": _pdf(encrypted=True),
        "scanned.pdf": _pdf(encrypted=False),
        "oversize.txt": seed * (int(0.6 * 2**20) // len(seed) + 1),
        "bomb.docx": _zip(_members(AUTONUM), zeros=("word/media/padding.bin", 256)),
        "xxe.docx": _xxe_docx(padding=0),
        "xxe_deep.docx": _xxe_docx(padding=4096),
        "xxe_page.html": _xxe_html().encode("utf-8"),
        "inject_page.html": _inject_html().encode("utf-8"),
        "inject.txt": _inject_txt().encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    shutil.copy(GOOD["good_wuhu.txt"], folder / "=1+2.txt")
    for name in GBK_NAMES:
        shutil.copy(GOOD["good_wuhu.txt"], folder / os.fsdecode(name.encode("gb18030")))


def copy_good(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, src in GOOD.items():
        shutil.copy(src, folder / name)


# -- the mixed run --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(folder, output of the mixed run, output of a clean run over the good files alone)."""
    base = tmp_path_factory.mktemp("hostile")
    mixed, clean = base / "mixed", base / "clean"
    build_hostile(mixed)
    copy_good(mixed)
    copy_good(clean)
    assert all(p.stat().st_size < MAX_SIZE_MB * 2**20 for p in clean.iterdir())
    common = ["--quiet", "--jobs", "2", "--max-size", str(MAX_SIZE_MB)]
    assert main(["extract", str(mixed), "-o", str(base / "out"), *common]) == 0
    assert main(["extract", str(clean), "-o", str(base / "clean_out"), *common]) == 0
    return mixed, base / "out", base / "clean_out"


def test_hostile_one_row_per_file_with_the_right_status(runs: tuple[Path, Path, Path]) -> None:
    folder, out, _ = runs
    docs = read_tables(out)["documents"]
    assert len(docs) == len(list(folder.iterdir())) == len(EXPECTED)
    assert sorted(Path(s).name for s in docs["source"]) == sorted(display_path(p.name) for p in folder.iterdir())
    status = {Path(s).name: st for s, st in zip(docs["source"], docs["status"])}
    assert status == {name: st for name, (st, _) in EXPECTED.items()}


def test_hostile_errors_name_the_file_and_the_problem(runs: tuple[Path, Path, Path]) -> None:
    _, out, _ = runs
    docs = read_tables(out)["documents"]
    for source, status, error in zip(docs["source"], docs["status"], docs["error"]):
        name = Path(source).name
        if status == "ok":
            assert error == "", name
            continue
        assert name in error and EXPECTED[name][1] in error, error
        assert not TECHNICAL.search(error), error


def test_hostile_good_tables_equal_a_clean_run(runs: tuple[Path, Path, Path]) -> None:
    _, out, clean_out = runs
    mixed, clean = read_tables(out), read_tables(clean_out)
    good_ids = set(clean["documents"]["doc_id"])
    assert len(good_ids) == len(GOOD) and set(clean["documents"]["status"]) == {"ok"}
    assert all(len(clean[name]) > 0 for name in TABLES)
    good = {name: df[df["doc_id"].isin(good_ids)].reset_index(drop=True) for name, df in mixed.items()}
    assert_same_tables(good, clean)


def test_hostile_resume_gives_the_same_tables(runs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    folder, out, _ = runs
    again = tmp_path / "out"
    shutil.copytree(out, again)
    args = ["extract", str(folder), "-o", str(again), "--quiet", "--jobs", "2", "--max-size", str(MAX_SIZE_MB)]
    assert main([*args, "--resume"]) == 0
    first, second = read_tables(out), read_tables(again)
    for name in TABLES:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_hostile_external_entities_leak_nothing(runs: tuple[Path, Path, Path]) -> None:
    _, out, _ = runs
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {"xxe_deep.txt.gz", "xxe_page.txt.gz"} <= {p.name for p in files}
    for path in files:
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
        assert not PASSWD.search(text), path
    texts = {doc_id: read_text(out, doc_id) for doc_id in ("xxe_deep", "xxe_page")}
    assert "（一）加强党的政治建设。" in texts["xxe_deep"] and "一、加强党的建设" in texts["xxe_page"]


def test_hostile_a_failing_writer_gives_an_error_row() -> None:
    def finish(result: DocResult) -> DocResult:
        if result.status == "ok":
            raise OSError(28, "No space left on device")
        return result

    res = process_task((str(GOOD["good_wuhu.txt"]), "wuhu", 2**20, None, finish))
    assert res.status == "error" and "wuhu_edu_2024.txt: could not write its results" in res.error
    assert "No space left on device" in res.error


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_hostile_formulas_and_scripts_are_neutralised(runs: tuple[Path, Path, Path]) -> None:
    _, out, _ = runs
    cells: list[str] = []
    for name in TABLES:
        with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    live = [c for c in cells if c.startswith(("=", "+", "-", "@")) and not _is_number(c)]
    assert live == []
    # The payloads did reach the tables (so the check above is not vacuous), defused by a leading quote.
    for payload in ("'=cmd", "'+1", "'-1", "'@SUM"):
        assert any(c.startswith(payload) for c in cells), payload
    assert not any("<script" in c or "onerror" in c for c in cells)


# -- bounded memory and time ----------------------------------------------------------------------

MEMORY_LIMIT = 1536 * 2**20
_CJK = "".join(ch for ch in "的是在了不和有大这主人上为们地个用工时要动国产以我到他会作来分生对于学下级就年阶义发成部民可出能方进"
               "同行面说种过度而多子后自社加小机也经力线本电高量长党得实家定深法表着水理化争现所起政好战无农使性前等"
               "反体合斗路图把结里正新开论之物从当些还天资事队批如应形想制心样干都向变关点育重其思与间内去因件日利相")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


# One item of 1.5 MB whose only clause never ends: numbers, titles and deadlines by the ten thousand.
_LONG_ITEM = ["加强管理", "新增学位3000个", "推进改革", "《关于加快发展的意见》", "年底前", "力争", "其中小学3所",
              "“532”", "2023年6月底前"]


def test_hostile_bomb_and_huge_file_run_in_bounded_memory_and_time(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    members = _members(AUTONUM)
    # A real 2 GiB member (refused from its declared size), and a document.xml that claims 4 KiB but
    # inflates to 2 GiB (zipfile stops at the declared size and the CRC check fails).
    (folder / "bomb.docx").write_bytes(_zip(members, zeros=("word/media/padding.bin", 2048)))
    (folder / "liar.docx").write_bytes(_zip(members, zeros=("word/document.xml", 2048), declare=4096))
    rng = random.Random(5)
    (folder / "huge.txt").write_text("".join(rng.choices(_CJK, k=1_500_000)), encoding="utf-8")  # 4.5 MB, one line
    long_item = "2023年工作要点\n一、" + "".join(rng.choices(_LONG_ITEM, k=100_000))
    (folder / "long_item.txt").write_text(long_item, encoding="utf-8")
    shutil.copy(GOOD["good_wuhu.txt"], folder / "good_wuhu.txt")
    out = tmp_path / "out"
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "--quiet", "--jobs", "2",
         "--max-size", "10", "--timeout", "30"],
        cwd=ROOT, preexec_fn=_limit_memory, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert time.perf_counter() - started < 60
    docs = read_tables(out)["documents"].set_index("doc_id")
    assert sorted(docs.index) == ["bomb", "good_wuhu", "huge", "liar", "long_item"]
    assert docs.loc["good_wuhu", "status"] == "ok"
    assert docs.loc["bomb", "status"] == "error" and "zip bomb" in docs.loc["bomb", "error"]
    assert docs.loc["liar", "status"] == "error"
    assert re.search(r"liar\.docx: damaged \.docx, word/document\.xml is corrupt", docs.loc["liar", "error"])
    huge = docs.loc["huge"]
    assert (huge["status"], huge["n_items"]) == ("ok", "0") or "huge.txt" in huge["error"]
    # Extraction is near-linear in the item's length: this finished in seconds, not at the time limit.
    assert (docs.loc["long_item", "status"], docs.loc["long_item", "n_items"]) == ("ok", "1")
