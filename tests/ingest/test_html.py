"""Government web pages: the article text without site chrome, tables as rows, 信息公开 metadata."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.ingest import read
from pipeline.ingest.html import read_html

from ..conftest import ANSHAN_TABLE_ROWS, CORPUS, DATA, SEED

HTML = DATA / "html"
CHANGZHOU_PAGES = ["changzhou_edu_2022.html", "changzhou_edu_2022_gbk.html"]
CHROME_TEXT = [
    "首页", "机构概况", "当前位置", "搜索", "请输入关键字", "字体", "分享到", "微信", "微博", "打印", "关闭窗口",
    "相关链接", "常州市教育局2021年工作总结", "部门预算公开", "版权所有", "网站标识码", "ICP备", "欢迎访问",
    "正文字号切换脚本", "pageTitle", "_hmt",
]
META_LABELS = ["信息名称", "索引号", "索 引 号", "发布机构", "文件编号", "生成日期", "主题分类", "有 效 性"]


def _lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def _page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>测试页面</title></head><body>{body}</body></html>".encode()


@pytest.mark.parametrize("name, encoding", [(CHANGZHOU_PAGES[0], "utf-8"), (CHANGZHOU_PAGES[1], "gb18030")])
def test_html_page_text_equals_seed_text(name: str, encoding: str) -> None:
    raw = read(HTML / name)
    assert raw.format == "html" and raw.encoding == encoding
    assert _lines(raw.text) == _lines(read(SEED).text)


@pytest.mark.parametrize("name", CHANGZHOU_PAGES)
def test_html_chrome_and_scripts_absent(name: str) -> None:
    text = read(HTML / name).text
    leaked = [w for w in CHROME_TEXT if w in text]
    assert not leaked


@pytest.mark.parametrize("name", CHANGZHOU_PAGES)
def test_html_metadata_captured_and_kept_out_of_text(name: str) -> None:
    raw = read(HTML / name)
    title = "中共常州市委教育工委 常州市教育局关于印发2022年工作要点的通知"
    assert raw.metadata == {
        "title": title,
        "index_no": "014108590/2022-00012",
        "issuer": "常州市教育局",
        "doc_number": "常教工委〔2022〕5号",
        "date": "2022-02-18",
        "category": "教育",
        "page_title": f"{title}_常州市教育局",
    }
    assert not [label for label in META_LABELS if label in raw.text]
    assert "014108590" not in raw.text and "常教工委〔2022〕5号" not in raw.text


def test_html_task_table_rows_in_order() -> None:
    raw = read(HTML / "anshan_lishan_gov_tasks_2023.html")
    lines = _lines(raw.text)
    header = lines.index("序号 | 工作任务 | 牵头单位 | 责任单位")
    assert lines[header + 1 :] == ANSHAN_TABLE_ROWS
    sample = _lines(read(CORPUS / "samples" / "anshan_lishan_gov_tasks_2023.txt").text)
    assert lines[:header] == sample[: sample.index("1.努力实现地区生产总值增长6.2%左右。")]


def test_html_metadata_from_list_with_spaced_labels() -> None:
    raw = read(HTML / "anshan_lishan_gov_tasks_2023.html")
    assert raw.metadata["title"] == "立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知"
    assert raw.metadata["index_no"] == "11210304MB1581234X/2023-00021"
    assert raw.metadata["issuer"] == "立山区人民政府"
    assert raw.metadata["doc_number"] == "鞍立政发〔2023〕2号"
    assert raw.metadata["date"] == "2023年03月28日"
    assert raw.metadata["category"] == "综合政务"
    assert "标　　题" not in raw.text and "索 引 号" not in raw.text and "相关链接" not in raw.text


def test_html_xxe_leaks_nothing() -> None:
    page = (
        b'<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
        b'<!ENTITY remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n]>\n'
        b'<html><head><meta charset="utf-8"></head><body><div class="content">'
        + "<p>加强党的政治建设&xxe;。</p><p>筑牢校园安全防线&remote;。</p>".encode()
        + b"</div></body></html>"
    )
    raw = read(page, name="xxe.html")
    assert _lines(raw.text) == ["加强党的政治建设。", "筑牢校园安全防线。"]
    passwd = Path("/etc/passwd")
    if passwd.exists():
        for line in passwd.read_text(errors="replace").splitlines()[:5]:
            assert line not in raw.text
    assert "root:" not in raw.text and "ENTITY" not in raw.text


def test_html_script_inside_content_dropped() -> None:
    body = (
        '<div class="TRS_Editor"><p>（一）加强党的政治建设。</p><script>alert(1)</script>'
        "<p>（二）加强意识形态工作。<script>document.write('统计')</script></p>"
        "<style>p{color:red}</style><noscript>请启用脚本</noscript></div>"
    )
    raw = read_html(_page(body))
    assert _lines(raw.text) == ["（一）加强党的政治建设。", "（二）加强意识形态工作。"]


def test_html_gb2312_declaration_decoded_as_gb18030() -> None:
    # 镕 and 堃 are in GBK but not in GB2312: pages declaring gb2312 use them anyway.
    page = _page("<div class='content'><p>朱镕基同志、王堃同志出席会议并讲话。</p></div>",
                 head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    raw = read_html(page.decode("utf-8").encode("gb18030"))
    assert raw.encoding == "gb18030" and "朱镕基同志、王堃同志" in raw.text


def test_html_wrong_declaration_falls_back_to_bytes() -> None:
    page = _page("<div class='content'><p>全年计划新建、改扩建学校101所。</p></div>",
                 head='<meta charset="utf-8">').decode("utf-8").encode("gb18030")
    raw = read_html(page)
    assert raw.encoding == "gb18030" and "全年计划新建、改扩建学校101所。" in raw.text


def test_html_main_block_found_without_known_container() -> None:
    links = "".join(f"<li><a href='/n{i}'>教育新闻标题第{i}条动态消息</a></li>" for i in range(12))
    body = (
        f"<div class='wrap'><div class='left'><ul>{links}</ul></div>"
        "<div class='box'><div class='txt'><p>一、全面加强更高质量的教育党建</p>"
        "<p>（一）加强党的政治建设。深入理解和掌握新时代党的创新理论。</p>"
        "<p>（二）加强意识形态工作。巩固拓展教育系统党史学习教育成果。</p></div></div></div>"
    )
    raw = read_html(_page(body))
    assert _lines(raw.text) == [
        "一、全面加强更高质量的教育党建",
        "（一）加强党的政治建设。深入理解和掌握新时代党的创新理论。",
        "（二）加强意识形态工作。巩固拓展教育系统党史学习教育成果。",
    ]
    assert raw.metadata["page_title"] == "测试页面"


def test_html_pipe_inside_cell_replaced() -> None:
    body = "<div class='content'><table><tr><td>1</td><td>A|B 两项</td></tr><tr><td>2</td><td>C</td></tr></table></div>"
    assert _lines(read_html(_page(body)).text) == ["1 | A｜B 两项", "2 | C"]


def test_html_fixtures_rebuild_identically(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_html", DATA / "build_html.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for path in sorted(HTML.glob("*.html")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_html_metadata_pairs_on_one_line() -> None:
    body = (
        "<div class='content'><div class='info'>索引号：123/2022-1 发布机构：某市教育局 发布日期：2022-01-05"
        " 来源：本站</div><p>（一）加强党的政治建设。深入理解和掌握新时代党的创新理论。</p></div>"
    )
    raw = read_html(_page(body))
    assert raw.metadata == {
        "page_title": "测试页面", "index_no": "123/2022-1", "issuer": "某市教育局", "date": "2022-01-05",
    }
    assert _lines(raw.text) == ["（一）加强党的政治建设。深入理解和掌握新时代党的创新理论。"]


def test_html_layout_table_is_not_read_as_rows() -> None:
    paragraphs = "".join(f"<p>（{n}）加强党的政治建设，深入理解新时代党的创新理论。</p>" for n in "一二三四五六")
    body = (
        "<table width='1000'><tr><td width='200'><a href='/'>首页</a><br><a href='/a'>机构概况</a><br>"
        f"<a href='/b'>信息公开</a><br><a href='/c'>政务服务</a></td><td>{paragraphs}</td></tr>"
        "<tr><td colspan='2'>主办单位：某市人民政府</td></tr></table>"
    )
    lines = _lines(read_html(_page(body)).text)
    assert lines == [f"（{n}）加强党的政治建设，深入理解新时代党的创新理论。" for n in "一二三四五六"]


SPAN_TABLE = """<html><head><meta charset="utf-8"><title>任务分工</title></head><body><div class="content">
<p>立山区政府2023年重点工作任务分解和责任分工方案</p>
<table border="1">
<tr><td rowspan="2">序号</td><td rowspan="2">工作任务</td><td colspan="2">责任单位</td><td rowspan="2">完成时限</td></tr>
<tr><td>牵头单位</td><td>责任单位</td></tr>
<tr><td colspan="5">一、经济社会发展的主要预期目标</td></tr>
<tr><td>1</td><td>努力实现地区生产总值增长6.2%左右。</td><td rowspan="2">区发改局</td><td>立山经济开发区</td>
<td rowspan="3">2023年12月底前</td></tr>
<tr><td>2</td><td>规模上工业增加值增长5%左右。</td><td>立山经济开发区</td></tr>
<tr><td>3</td><td>固定资产投资增长15%左右。</td><td>区工信局</td><td></td></tr>
</table></div></body></html>"""


def test_html_rowspan_and_colspan_expanded_onto_the_grid() -> None:
    from pipeline.extract import extract
    from pipeline.structure import parse

    raw = read(SPAN_TABLE.encode("utf-8"), name="tasks.html")
    lines = raw.text.splitlines()
    assert lines[2:] == [
        "序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限",  # the second header row, completed by the rowspans
        "一、经济社会发展的主要预期目标",  # one cell across the table: a plain heading line
        "1 | 努力实现地区生产总值增长6.2%左右。 | 区发改局 | 立山经济开发区 | 2023年12月底前",
        "2 | 规模上工业增加值增长5%左右。 | 区发改局 | 立山经济开发区 | 2023年12月底前",
        "3 | 固定资产投资增长15%左右。 | 区工信局 |  | 2023年12月底前",
    ]
    doc = extract(parse(raw))
    second = doc.items[2]
    assert [(d.name, d.role) for d in second.departments] == [("区发改局", "lead"), ("立山经济开发区", "co")]
    assert [d.date for it in doc.items[1:] for d in it.deadlines] == ["2023-12-31"] * 3
