"""Properties over arbitrary input: no stage raises on any text, and every span indexes the text it came from.

Two kinds of text: anything Unicode (``st.text()``), and text stitched together from the pieces plans are
made of (markers, numbers, units, 《titles》, department annotations, deadlines, table rows, newlines)
mixed with random characters, which reaches far deeper into the parsers. Each bug hypothesis found is
kept as an ``@example``.
"""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.errors import PlanscopeError
from pipeline.extract import extract, find_deadlines, find_departments, find_instruments, find_quantities
from pipeline.ingest import read
from pipeline.ingest.encoding import decode
from pipeline.ingest.normalize import normalize
from pipeline.model import Document
from pipeline.numerals import CN_NUMERAL_CHARS
from pipeline.structure import parse

FRAGMENTS = [
    # markers, at every level and in both widths
    "一、", "十二、", "（一）", "(二)", "（三十三）", "1.", "2．", "3、", "（1）", "(2)", "1）", "①", "⑳", "第一部分",
    "第二章", "一是", "附件1", "附件2：", "（三）（三）", "\n", "\n\n", "\r\n", " ", "　",
    # text and numbers
    "加强党的建设", "增加学位资源供给", "。", "，", "；", "：", "、", "新增学位3.3万个", "72%以上", "3-5所",
    "2—3项", "二十", "新增两所", "1.2亿元", "提高3个百分点", "不少于", "力争", "约", "左右", "其中幼儿园37所、小学35所",
    "十九大", "“532”发展战略", "“1+N”", "12345", "第六批", "建团100周年", "常政办发〔2021〕133号", "指数达85",
    # departments
    "（牵头负责：组织处）", "（牵头负责：办公室、审计室）", "（责任科室：组干科、机关党委）", "牵头单位：区发改局；配合单位：区财政局",
    "（市教育局牵头，市财政局配合）", "体育、卫生与艺术教育处", "【牵头单位】", "责任单位：", "首位单位为牵头单位", "（牵头）",
    # deadlines
    "年底前", "6月底前", "上半年", "第三季度", "2022年9月", "2023—2025年", "每学期", "长期坚持", "“十四五”期间",
    "2023年3月28日", "今年", "明年", "年中",
    # instruments
    "《关于加快发展的意见》", "出台", "制定", "修订", "印发", "《", "》", "〔", "〕",
    # tables
    "序号 | 工作任务 | 牵头单位 | 责任单位", "1 | ", " | ", "|", "序号\n工作任务\n牵头单位\n", "长期",
    # cover letters, html residue
    "现将《工作要点》印发给你们", "（此件公开发布）", "2022年2月10日", "<br>", "<span>", "&amp;", "&#12354;",
    # digits that are not ASCII
    "３", "٣", "²", "⑴", "㈠", "Ⅲ", "二〇二三年",
]
plan_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 10**7).map(str), st.text(max_size=4)), max_size=50
).map("".join)
any_text = st.one_of(st.text(), plan_text)
PROPERTY = settings(max_examples=150, deadline=None)


def _check_span(text: str, start: int, end: int) -> str:
    assert 0 <= start <= end <= len(text), (start, end, len(text))
    return text[start:end]


# Characters the normalised text never holds: they become ordinary spaces/newlines or disappear.
GONE = set("\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff\u3000\u00a0\u2028\u2029")


# PDFs whose fonts map glyphs straight to code points can yield lone UTF-16 surrogates.
with_surrogates = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])))


@PROPERTY
@given(st.one_of(any_text, with_surrogates))
@example("计划\ud800一、加强\udcb9党建\ud83d\ude00")  # lone surrogates cannot be written as UTF-8
def test_normalize_never_raises(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str) and not GONE & set(out)
    out.encode("utf-8")  # the exported text and tables are UTF-8


@PROPERTY
@given(st.binary())
def test_decode_raises_only_planscope_errors(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except PlanscopeError:
        return
    assert isinstance(text, str) and encoding


@PROPERTY
@given(st.one_of(st.binary(), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_read_bytes_raises_only_planscope_errors(data: bytes) -> None:
    try:
        raw = read(data, name="x.txt")
    except PlanscopeError:
        return
    assert raw.text.strip() and not GONE & set(raw.text)


def _check_items(doc: Document) -> None:
    text = doc.text
    for it in doc.items:
        span = _check_span(text, it.start, it.end)
        assert span.startswith(it.label), (it.label, span[:20])
        assert it.start <= it.heading_start <= it.heading_end <= it.end
        for start, end in it.cells.values():
            _check_span(text, start, end)
    if doc.preamble:
        _check_span(text, *doc.preamble)


@PROPERTY
@given(any_text)
@example("1 | ")  # the trimmed item end fell before the heading start
def test_parse_items_index_their_text(text: str) -> None:
    _check_items(parse(text))


@PROPERTY
@given(any_text)
def test_quantities_are_number_spans(text: str) -> None:
    for q in find_quantities(text):
        span = _check_span(text, q.start, q.end)
        assert span and (span[0].isdigit() or span[0] in CN_NUMERAL_CHARS), span


@PROPERTY
@given(any_text)
def test_deadlines_are_spans(text: str) -> None:
    for d in find_deadlines(text, year=2023):
        assert _check_span(text, d.start, d.end)


@PROPERTY
@given(any_text)
def test_departments_index_their_names(text: str) -> None:
    for d in find_departments(text, full_text=text):
        assert _check_span(text, d.start, d.end) == d.name and d.role in ("lead", "co")


@PROPERTY
@given(any_text)
def test_instruments_index_their_titles(text: str) -> None:
    for ins in find_instruments(text):
        assert _check_span(text, ins.start, ins.end) == ins.title


@PROPERTY
@given(plan_text)
@example("序号\n工作任务\n牵头单位\n²")  # a task table whose first row number is a superscript digit
def test_whole_pipeline_spans_lie_inside_their_item(text: str) -> None:
    doc = extract(parse(normalize(text)))
    _check_items(doc)
    for it in doc.items:
        spans = [(q.start, q.end) for q in it.quantities] + [(d.start, d.end) for d in it.deadlines]
        spans += [(d.start, d.end) for d in it.departments] + [(i.start, i.end) for i in it.instruments]
        for start, end in spans:
            _check_span(doc.text, start, end)
            assert it.start <= start <= end <= it.end
