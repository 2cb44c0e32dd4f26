"""Text files in every encoding researchers meet, and the normaliser's steps."""
from __future__ import annotations

import pytest

from pipeline.errors import EmptyDocument, EncodingError, PlanscopeError, UnsupportedFormat
from pipeline.ingest import read
from pipeline.ingest.encoding import decode
from pipeline.ingest.normalize import full_width_punctuation, normalize, repair_mojibake, unify_characters

from ..conftest import DATA, SEED


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("changzhou_edu_2022_gbk.txt", "gb18030"),
        ("changzhou_edu_2022_utf16.txt", "utf-16"),
        ("changzhou_edu_2022_bom.txt", "utf-8-sig"),
    ],
)
def test_txt_encodings_detected_from_bytes(name: str, encoding: str) -> None:
    raw = read(DATA / "txt" / name)
    assert raw.encoding == encoding
    assert raw.text == read(SEED).text


def test_txt_traditional_converted_to_simplified() -> None:
    trad = (DATA / "txt" / "changzhou_edu_2022_trad.txt").read_text(encoding="utf-8")
    assert "黨" in trad and "黨" not in read(SEED).text
    text = read(DATA / "txt" / "changzhou_edu_2022_trad.txt").text
    assert "加强党的政治建设" in text and "黨" not in text


def test_txt_mojibake_repaired() -> None:
    text = read(DATA / "txt" / "changzhou_edu_2022_mojibake.txt").text
    assert text.startswith("附件\n中共常州市委教育工委")
    assert "å" not in text


@pytest.mark.parametrize(
    "before, after",
    [
        ("(一)加强党建:全面推进", "（一）加强党建：全面推进"),
        ("发布时间:2024-03-28 09:33", "发布时间：2024-03-28 09:33"),
        ("投入1,000万元,新建学校", "投入1,000万元，新建学校"),
        ("⼯作要点，⽉底前", "工作要点，月底前"),
        ("２０２２年新增３所", "2022年新增3所"),
        ("加强<br/>党建&nbsp;工作", "加强\n党建 工作"),
    ],
)
def test_normalize_steps(before: str, after: str) -> None:
    assert normalize(before) == after


def test_normalize_keeps_decimals_and_ranges() -> None:
    assert full_width_punctuation("增长6.2%左右，3-5所") == "增长6.2%左右，3-5所"
    assert unify_characters("（一）：，") == "（一）：，"
    assert repair_mojibake("常州市教育局") == "常州市教育局"


def test_decode_rejects_binary_junk() -> None:
    junk = bytes(range(256)) * 40
    with pytest.raises(EncodingError, match="junk.txt"):
        decode(junk, source="junk.txt")


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.txt", "empty"),
        (b"  \n\t ", "blank.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.pdf", "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "plan.doc", "OLE"),
        (b"not a zip at all", "plan.docx", "not a zip"),
    ],
)
def test_read_bad_input_names_file_and_problem(data: bytes, name: str, message: str) -> None:
    with pytest.raises(PlanscopeError) as err:
        read(data, name=name)
    assert name in str(err.value) and message in str(err.value)
    assert isinstance(err.value, (EmptyDocument, UnsupportedFormat))


def test_decode_gbk_with_ascii_is_not_taken_for_utf16() -> None:
    text = "Hello world, 全年计划新建学校101所。ab"
    assert decode(text.encode("gb18030")) == (text, "gb18030")
    assert decode((text + "\n").encode("utf-16-le"))[0] == text + "\n"
