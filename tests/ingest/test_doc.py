"""Word 97-2003 .doc and WPS .wps files: text from the piece table, fields, tables, and what cannot be read."""
from __future__ import annotations

import stat
import struct
import sys
from pathlib import Path

import pytest

from pipeline.errors import PlanscopeError, ReadError
from pipeline.ingest import doc as doc_reader
from pipeline.ingest import read
from pipeline.structure import parse

from ..conftest import ANSHAN_TABLE_ROWS, CORPUS, DATA, SEED
from . import builder

build_doc = builder("build_doc")
SEED_LINES = [ln for ln in read(SEED).text.splitlines() if ln.strip()]


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    # the reader's own path is what these tests check, whether or not the machine has LibreOffice
    monkeypatch.setattr(doc_reader, "_libreoffice", lambda: None)


@pytest.mark.parametrize("name", ["plan.doc", "plan.wps"])
def test_doc_text_is_the_seed(tmp_path: Path, name: str) -> None:
    raw = read(build_doc.build_seed(tmp_path / name))
    assert raw.format == "doc" and raw.warnings == ()
    assert raw.text.splitlines() == SEED_LINES  # the field's result kept, its code dropped
    assert "HYPERLINK" not in raw.text
    outline = [(it.item_id, it.label) for it in parse(raw).items]
    assert outline == [(it.item_id, it.label) for it in parse(read(SEED)).items]


def test_doc_table_rows_like_the_docx_reader(tmp_path: Path) -> None:
    raw = read(build_doc.build_task_table(tmp_path / "tasks.doc"))
    assert raw.text.splitlines()[2:] == ["序号 | 工作任务 | 牵头单位 | 责任单位", *ANSHAN_TABLE_ROWS]
    text_doc = parse(read(CORPUS / "samples" / "anshan_lishan_gov_tasks_2023.txt"))
    doc = parse(raw)
    assert [(it.item_id, doc.heading(it)) for it in doc.items] == [(it.item_id, text_doc.heading(it)) for it in text_doc.items]
    assert doc.span(*doc.items[1].cells["牵头单位"]) == "区发改局"


def test_doc_cell_with_two_paragraphs_and_empty_cells() -> None:
    text = ("序号\x07工作任务\x07牵头单位\x07\x07"
            "1\x07推进老旧小区改造。\r完成12个小区。\x07区住建局\x07\x07"
            "2\x07新增城镇就业3000人。\x07\x07\x07"
            "以上任务年底前完成。\r")
    assert doc_reader._tables(text).splitlines() == [
        "序号 | 工作任务 | 牵头单位",
        "1 | 推进老旧小区改造。 完成12个小区。 | 区住建局",
        "2 | 新增城镇就业3000人。 | ",
        "以上任务年底前完成。",
    ]


def test_doc_automatic_numbering_without_libreoffice_warns(tmp_path: Path) -> None:
    raw = read(build_doc.build_seed(tmp_path / "plan.doc", lists=True))
    assert [w.split(":")[0] for w in raw.warnings] == ["doc_autonumbering"]
    assert "LibreOffice" in raw.warnings[0]
    assert parse(raw).warnings == list(raw.warnings)


def test_doc_automatic_numbering_read_through_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With LibreOffice, a .doc that numbers its items is converted to .docx and read by the docx reader,
    which restores the numbering. A stand-in for soffice checks the call and writes the converted file."""
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\n"
        "args = sys.argv[1:]\n"
        "assert '--headless' in args and args[args.index('--convert-to') + 1] == 'docx'\n"
        "out = args[args.index('--outdir') + 1]\n"
        f"shutil.copy({str(DATA / 'docx' / 'changzhou_edu_2022_autonum.docx')!r}, out + '/in.docx')\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(doc_reader, "_libreoffice", lambda: str(fake))
    raw = read(build_doc.build_seed(tmp_path / "plan.doc", lists=True))
    assert raw.format == "doc" and raw.warnings == ()
    assert len(parse(raw).items) == 39


def test_doc_encrypted_is_an_error(tmp_path: Path) -> None:
    path = build_doc.build_seed(tmp_path / "plan.doc", encrypted=True)
    with pytest.raises(ReadError, match="plan.doc: the .doc is encrypted/password-protected"):
        read(path)


def test_doc_word95_names_libreoffice(tmp_path: Path) -> None:
    streams = build_doc.word_streams(build_doc.seed_text())
    word = bytearray(streams["WordDocument"])
    struct.pack_into("<H", word, 2, 0x0065)  # nFib of Word 6/95
    path = tmp_path / "old.doc"
    path.write_bytes(build_doc.compound_file({**streams, "WordDocument": bytes(word)}))
    with pytest.raises(ReadError, match="old.doc: a Word 6/95 file .*install LibreOffice"):
        read(path)


def test_doc_truncated_is_an_error(tmp_path: Path) -> None:
    data = build_doc.build_seed(tmp_path / "plan.doc").read_bytes()
    with pytest.raises(PlanscopeError, match="plan.doc: .*damaged"):
        read(data[: len(data) // 2], name="plan.doc")


def test_ole_file_of_another_kind_is_unsupported(tmp_path: Path) -> None:
    data = build_doc.compound_file({"CONTENTS": "Microsoft Works 文档".encode("utf-16-le")})
    with pytest.raises(PlanscopeError, match="works.wps: unsupported format .*OLE"):
        read(data, name="works.wps")


def test_doc_found_in_folders(tmp_path: Path) -> None:
    from pipeline.batch import expand_paths

    for name in ("a.doc", "b.wps", "c.ofd", "d.xls", "e.et", "f.xlsx", "g.csv"):
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in expand_paths([tmp_path])) == ["a.doc", "b.wps", "c.ofd", "d.xls", "e.et", "f.xlsx"]
    assert expand_paths([tmp_path / "g.csv"]) == [tmp_path / "g.csv"]  # a CSV is read when named
