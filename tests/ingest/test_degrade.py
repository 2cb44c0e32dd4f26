"""Readers degrade loudly: they recover what a tolerant reading can, and say in warnings what they could not.

Every damaged input here is built at test time from the seed (or from the committed PDF fixture).
"""
from __future__ import annotations

import re
from html import escape

import pytest

from pipeline.errors import ReadError
from pipeline.ingest import read
from pipeline.structure import parse

from ..conftest import DATA, SEED

SEED_LINES = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
SEED_ITEMS = 39


def _page(body: str) -> bytes:
    return (
        '<html><head><meta charset="utf-8"><title>常州市教育局</title></head><body>'
        '<div class="nav"><a href="/">首页</a> <a href="/jg">机构设置</a> <a href="/gk">信息公开</a></div>'
        f"{body}"
        '<div class="footer">版权所有：常州市教育局</div></body></html>'
    ).encode("utf-8")


def _outline(doc):  # type: ignore[no-untyped-def]
    return [(it.item_id, it.label, doc.heading(it)) for it in doc.items]


SEED_OUTLINE = _outline(parse(read(SEED)))


@pytest.mark.parametrize(
    "paragraph",
    [
        "<p><font face='仿宋_GB2312'>{}",  # unclosed <font> inside each <p>: each paragraph nests in the last
        "<div style='text-indent:2em'>{}",  # unclosed <div> per paragraph
        "<div><font size='3'>{}",
    ],
)
def test_html_unclosed_tags_per_paragraph_keep_every_item(paragraph: str) -> None:
    page = _page("".join(paragraph.format(escape(line)) for line in SEED_LINES))
    doc = parse(read(page, name="plan.html"))
    assert _outline(doc) == SEED_OUTLINE
    assert doc.text.splitlines()[:3] == ["附件", "中共常州市委教育工委 常州市教育局", "2022年工作要点"]
    assert "版权所有" not in doc.text and "机构设置" not in doc.text


def test_html_body_inside_aspnet_form_is_read() -> None:
    body = "".join(f"<p>{escape(line)}</p>" for line in SEED_LINES)
    page = _page(
        '<form name="aspnetForm" method="post" action="./ShowArticle.aspx?id=1024" id="aspnetForm">'
        '<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg==" />'
        f'<div id="wrapper">{body}</div></form>'
    )
    doc = parse(read(page, name="ShowArticle.aspx.html"))
    assert _outline(doc) == SEED_OUTLINE


def test_html_search_form_still_dropped() -> None:
    body = "".join(f"<p>{escape(line)}</p>" for line in SEED_LINES)
    page = _page(f'<form action="/search"><span>站内搜索</span><input name="q"></form><div>{body}</div>')
    text = read(page, name="plan.html").text
    assert "站内搜索" not in text
    assert "（三十）实施教育公益服务行动" in text


def _with_stray_byte(data: bytes) -> bytes:
    # after the first line break that follows byte 2000, so no character is cut in two
    at = data.index(b"\n" if b"\n" in data[2000:] else b"</p>", 2000) + 1
    return data[:at] + b"\xff" + data[at:]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_txt_stray_byte_decoded_with_replacement_and_warning(encoding: str) -> None:
    data = _with_stray_byte(SEED.read_text(encoding="utf-8").encode(encoding))
    raw = read(data, name="plan.txt")
    assert raw.encoding == encoding
    assert raw.text.count("\ufffd") == 1
    assert raw.warnings == (f"bad_bytes: 1 undecodable byte sequence(s) replaced with \ufffd, read as {encoding}",)
    doc = parse(raw)
    assert doc.warnings == list(raw.warnings)
    assert [h for _, _, h in _outline(doc)] == [h for _, _, h in SEED_OUTLINE]


def test_txt_clean_file_has_no_warnings() -> None:
    assert read(SEED).warnings == ()
    assert parse(read(SEED)).warnings == []


def test_txt_mostly_undecodable_still_rejected() -> None:
    data = bytes(range(0x80, 0x100)) * 40  # no encoding gives text
    with pytest.raises(ReadError, match="plan.txt: cannot decode"):
        read(data, name="plan.txt")


def test_html_stray_byte_under_declared_charset_warns() -> None:
    body = "".join(f"<p>{escape(line)}</p>" for line in SEED_LINES)
    page = _with_stray_byte(_page(body).replace(b'charset="utf-8"', b'charset="gb2312"').decode("utf-8")
                            .encode("gb18030"))
    raw = read(page, name="plan.html")
    assert raw.encoding == "gb18030"
    assert [w.split(":")[0] for w in raw.warnings] == ["bad_bytes"]
    assert len(parse(raw).items) == SEED_ITEMS


# -- PDF fonts without a Unicode map ---------------------------------------------------------------

PDF = (DATA / "pdf" / "changzhou_edu_2022.pdf").read_bytes()


def _obj(pdf: bytes, num: bytes) -> bytes:
    return re.search(rb"\n" + num + rb" 0 obj\s*(<<.*?>>)\s*endobj", pdf, re.S).group(1)


def _break_font_on_page(pdf: bytes, page: int) -> bytes:
    """Append an incremental update giving one page a copy of the font with neither its ToUnicode map
    nor the embedded font program, as some converters' PDFs have: the text layer is ``(cid:N)``."""
    font_num = re.search(rb"(\d+) 0 obj\s*<<[^>]*?/Subtype /Type0", pdf).group(1)
    font = _obj(pdf, font_num)
    desc_num = re.search(rb"/DescendantFonts \[(\d+) 0 R\]", font).group(1)
    descendant = _obj(pdf, desc_num)
    fd_num = re.search(rb"/FontDescriptor (\d+) 0 R", descendant).group(1)
    res_num = re.findall(rb"/Resources (\d+) 0 R", pdf)[page - 1]
    size = int(re.findall(rb"/Size (\d+)", pdf)[-1])
    prev = re.findall(rb"startxref\s+(\d+)", pdf)[-1]
    f, d, fd = (b"%d 0 R" % n for n in (size, size + 1, size + 2))
    objects = {
        int(res_num): _obj(pdf, res_num).replace(font_num + b" 0 R", f),
        size: re.sub(rb"/ToUnicode \d+ 0 R\s*", b"", font).replace(desc_num + b" 0 R", d),
        size + 1: descendant.replace(fd_num + b" 0 R", fd),
        size + 2: re.sub(rb"/FontFile2 \d+ 0 R\s*", b"", _obj(pdf, fd_num)),
    }
    out = bytearray(pdf)
    offsets = {}
    for num, body in objects.items():
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += b"trailer\n<< /Size %d /Root 2 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n" % (size + 3, prev, xref)
    return bytes(out)


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ingest import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)


@pytest.mark.usefixtures("no_ocr")
def test_pdf_page_with_unmapped_font_treated_as_missing_text() -> None:
    pdf = _break_font_on_page(PDF, 2)
    raw = read(pdf, name="plan.pdf")
    assert "cid" not in raw.text
    assert raw.metadata["pages_undecodable"] == "2"
    assert raw.warnings == ("pages_undecodable: 2 (fonts without a Unicode map; their text is left out, "
                            "install planscope[ocr] to OCR them)",)
    whole = read(PDF, name="plan.pdf")
    assert whole.warnings == ()
    # page 1 (the title and the first items) and the pages after 2 are read as before
    assert raw.text.splitlines()[:3] == whole.text.splitlines()[:3]
    assert raw.text.splitlines()[-1] == whole.text.splitlines()[-1]
    assert len(raw.text) < len(whole.text)


@pytest.mark.usefixtures("no_ocr")
def test_pdf_all_fonts_unmapped_is_an_error() -> None:
    # same lengths, so the xref offsets stay right: no Unicode map, no embedded font program
    broken = PDF.replace(b"/ToUnicode", b"/ToUnicodX").replace(b"/FontFile2", b"/FontFileX")
    with pytest.raises(ReadError, match=r"plan.pdf: the PDF's text cannot be decoded .* run OCR"):
        read(broken, name="plan.pdf")


def test_html_breadcrumb_text_around_the_article_still_left_out() -> None:
    """The stop for paragraph text of its own does not take a wrapper's "当前位置：" for content."""
    body = "".join(f"<p>{escape(line)}</p>" for line in SEED_LINES)
    page = (f'<html><head><meta charset="utf-8"></head><body><div id="wrap">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="/tzgg/">通知公告</a><div class="main-body">{body}</div></div></body></html>').encode("utf-8")
    doc = parse(read(page, name="plan.html"))
    assert doc.text.splitlines()[0] == "附件"
    assert "通知公告" not in doc.text
    assert _outline(doc) == SEED_OUTLINE
