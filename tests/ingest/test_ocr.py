"""Scanned pages: OCR with the ``ocr`` extra (models inside the wheel), a warning naming the pages without it."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ReadError
from pipeline.ingest import ocr, read
from pipeline.structure import parse

from ..conftest import DATA, SEED
from . import builder

build_scan = builder("build_scan")
PRINTED = DATA / "pdf" / "changzhou_edu_2022.pdf"
MAX_CER = 0.01  # stated rate: at most 1 character in 100 of a scanned page may come out wrong


@pytest.fixture(scope="module")
def part_scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The printed seed with page 2 replaced by its scan (150 dpi greyscale JPEG), the rest text."""
    pytest.importorskip("pypdfium2")
    path = tmp_path_factory.mktemp("scan") / "part.pdf"
    return build_scan.build(path, keep_text=tuple(n for n in range(1, 16) if n != 2))


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` over the part where the two texts differ, relative to
    ``reference``'s length (the common beginning and end are the pages read from the text layer)."""
    i = 0
    while i < min(len(reference), len(hypothesis)) and reference[i] == hypothesis[i]:
        i += 1
    j = 0
    while j < min(len(reference), len(hypothesis)) - i and reference[-1 - j] == hypothesis[-1 - j]:
        j += 1
    return _edit_distance(reference[i : len(reference) - j], hypothesis[i : len(hypothesis) - j]) / len(reference)


def test_cer_counts_substitutions_insertions_deletions() -> None:
    assert _edit_distance("加强党的政治建设", "加强党的政治建设") == 0
    assert _edit_distance("加强党的政治建设", "加强党旳政治建没") == 2
    assert _edit_distance("增加学位3.3万个", "增加学位33万个") == 1


def test_scanned_page_without_the_extra_is_named(part_scanned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    raw = read(part_scanned)
    assert raw.metadata["pages_without_text"] == "2"
    assert raw.warnings == ("pages_without_text: 2 (scanned images; not read, install planscope[ocr] to OCR them)",)
    assert parse(raw).warnings == list(raw.warnings)
    assert len(raw.text) < len(read(PRINTED).text)


def test_fully_scanned_without_the_extra_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pypdfium2")
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = build_scan.build(tmp_path / "scan.pdf", pages=[1, 2])
    with pytest.raises(ReadError, match=r"scan.pdf: the PDF has no text layer .*pip install 'planscope\[ocr\]'"):
        read(path)


@pytest.mark.skipif(not ocr.available(), reason="needs the ocr extra (pip install 'planscope[ocr]')")
def test_scanned_page_ocred_within_the_stated_error_rate(part_scanned: Path) -> None:
    raw = read(part_scanned)
    assert raw.metadata["ocr_pages"] == "2"
    assert raw.warnings == ("ocr_pages: 2 (text recognised by OCR; check what matters)",)
    printed = read(PRINTED).text
    page = cer(printed, raw.text) * len(printed)
    assert page / (22 * 28) <= MAX_CER  # errors over the scanned page's ~22 lines of 28 characters
    doc = parse(raw)
    assert [(it.item_id, it.label) for it in doc.items] == [(it.item_id, it.label) for it in parse(read(SEED)).items]


def test_ocr_boxes_become_lines_in_page_points() -> None:
    """Recognised boxes (pixels at ocr.SCALE) on one baseline join; an OCRed 一12一 is a page number again."""
    s = ocr.SCALE
    box = lambda x0, x1, y0, y1: [[x0 * s, y0 * s], [x1 * s, y0 * s], [x1 * s, y1 * s], [x0 * s, y1 * s]]  # noqa: E731
    result = [
        [box(110, 430, 100, 116), "（九）增加学位资源供给。加快实施", 0.99],
        [box(78, 430, 129, 145), "“更强的保障”提升工程，持续推进", 0.98],
        [box(450, 520, 101, 115), "学位资源", 0.95],
        [box(280, 320, 780, 794), "—12一", 0.9],
    ]
    lines = ocr._lines(result)
    assert [ln.text for ln in lines] == ["（九）增加学位资源供给。加快实施 学位资源", "“更强的保障”提升工程，持续推进", "— 12 —"]
    assert (lines[0].x0, lines[0].x1) == (110, 520)
    assert 14 <= lines[1].size <= 16
