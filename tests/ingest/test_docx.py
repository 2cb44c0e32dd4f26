"""The .docx reader: document order, tables, Word automatic numbering, and hostile packages."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

import pipeline.ingest.docx as docx_reader
from pipeline.errors import PlanscopeError, ReadError
from pipeline.ingest import read
from pipeline.ingest.docx import read_docx

from ..conftest import ANSHAN_TABLE_ROWS, SEED

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "docx"
TYPED = DATA / "changzhou_edu_2022_typed.docx"
AUTONUM = DATA / "changzhou_edu_2022_autonum.docx"
TABLE = DATA / "task_table.docx"
CN = "一二三四五六七八九"


def cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ((CN[tens - 1] if tens > 1 else "") + "十" if tens else "") + (CN[ones - 1] if ones else "")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _to_bytes(doc: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_typed_and_autonum_give_identical_text() -> None:
    typed, autonum = read(TYPED), read(AUTONUM)
    assert typed.format == autonum.format == "docx"
    assert typed.encoding is None
    assert autonum.text == typed.text


def test_docx_text_equals_normalised_txt() -> None:
    txt = read(ROOT / "corpus" / "changzhou_edu_2022.txt").text
    assert read(TYPED).text == txt
    assert read(AUTONUM).text == txt


def test_docx_autonum_restores_all_33_markers_at_line_starts() -> None:
    # python-docx alone loses them: the paragraph text of the fixture carries no marker.
    assert not any(p.text.startswith("（一）") for p in docx.Document(str(AUTONUM)).paragraphs)
    lines = read(AUTONUM).text.split("\n")
    found = [m.group(0) for ln in lines if (m := re.match(r"（[一二三四五六七八九十]+）", ln))]
    assert found == [f"（{cn(i)}）" for i in range(1, 34)]
    assert "（九）增加学位资源供给。加快实施“更强的保障”提升工程" in lines[lines.index("二、全面提升更高能级的保障水平") + 1]


def test_docx_table_rows_follow_heading_in_order() -> None:
    lines = read(TABLE).text.split("\n")
    assert lines[0] == "立山区政府2023年重点工作任务分解和责任分工方案"
    start = lines.index("一、经济社会发展的主要预期目标")
    # Cells joined by " | "; the sample's ASCII commas come back full-width from normalisation, and
    # item 7's two empty unit cells lose their trailing space to the per-line strip.
    assert lines[start + 1 :] == ["序号 | 工作任务 | 牵头单位 | 责任单位", *ANSHAN_TABLE_ROWS]


def test_docx_merged_cells_appear_once_per_row_and_pipes_are_escaped() -> None:
    doc = docx.Document()
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "教育|卫生"
    table.cell(0, 2).text = "区教育局"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "第一段"
    table.cell(1, 1).add_paragraph("第二段")
    table.cell(1, 2).text = "区卫健局"
    assert read_docx(_to_bytes(doc)).text.split("\n") == ["教育｜卫生 | 区教育局", "1 | 第一段 第二段 | 区卫健局"]


def test_docx_numbering_via_style_with_levels_and_restart() -> None:
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.findall(qn("w:abstractNum"))[-1].addnext(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%3"/></w:lvl>'
        "</w:abstractNum>"
    ))
    first = int(numbering.add_num(90).numId)
    restart = numbering.add_num(90)
    restart.append(parse_xml(f'<w:lvlOverride {nsdecls("w")} w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride>'))
    styles = doc.styles.element
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Plan1"><w:name w:val="Plan 1"/>'
        f'<w:pPr><w:numPr><w:numId w:val="{first}"/></w:numPr></w:pPr></w:style>'
    ))
    styles.append(parse_xml(  # level 2 inherits the list from Plan1 through basedOn
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Plan2"><w:name w:val="Plan 2"/>'
        '<w:basedOn w:val="Plan1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
    ))

    def para(text: str, style: str | None = None, num: int | None = None, ilvl: int = 0) -> None:
        p = doc.add_paragraph(text)
        if style:
            p._p.get_or_add_pPr().get_or_add_pStyle().val = style
        if num is not None:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = ilvl
            num_pr.get_or_add_numId().val = num

    para("总体要求", "Plan1")
    para("目标", "Plan2")
    para("细项", num=first, ilvl=2)
    para("细项", num=first, ilvl=2)
    para("任务", "Plan2")
    para("细项", num=first, ilvl=2)
    para("重点任务", "Plan1")
    para("任务", "Plan2")
    para("未编号")
    para("另起", num=int(restart.numId))
    assert read_docx(_to_bytes(doc)).text.split("\n") == [
        "一、总体要求", "1.1目标", "①细项", "②细项", "1.2任务", "①细项",
        "二、重点任务", "2.1任务", "未编号", "九、另起",
    ]


@pytest.mark.parametrize("n, fmt, expected", [
    (11, "chineseCounting", "十一"), (20, "chineseCounting", "二十"), (33, "chineseCounting", "三十三"),
    (105, "chineseCountingThousand", "一百零五"), (3, "ideographTraditional", "丙"),
    (28, "lowerLetter", "bb"), (14, "upperRoman", "XIV"), (4, "lowerRoman", "iv"),
])
def test_docx_number_formats(n: int, fmt: str, expected: str) -> None:
    assert docx_reader._format(n, fmt) == expected


def test_docx_metadata_comes_from_core_properties() -> None:
    meta = read(TABLE).metadata
    assert meta["title"] == "立山区政府2023年重点工作任务分解和责任分工方案"
    assert meta["author"] == "鞍山市立山区人民政府"
    assert meta["created"].startswith("2024-01-01")


def test_docx_not_a_zip_raises_naming_the_file() -> None:
    blob = "（一）加强党的政治建设。".encode("utf-8")
    with pytest.raises(PlanscopeError, match="gongzuo_yaodian.docx"):
        read(blob, name="gongzuo_yaodian.docx")
    with pytest.raises(ReadError, match="gongzuo_yaodian.docx"):
        read_docx(blob, source="gongzuo_yaodian.docx")


def test_docx_damaged_package_raises_naming_the_file() -> None:
    members = _members(TYPED)
    del members["word/document.xml"]
    with pytest.raises(ReadError, match="broken.docx"):
        read_docx(_zip(members), source="broken.docx")


@pytest.mark.parametrize("part", ["word/numbering.xml", "word/document.xml"])
@pytest.mark.parametrize("padding", [0, 4096])
def test_docx_external_entity_does_not_leak(tmp_path: Path, part: str, padding: int) -> None:
    members = _members(AUTONUM)
    xml = members[part].decode("utf-8")
    root = re.search(r"<w:(numbering|document)\b", xml)
    assert root is not None
    # A long comment pushes the DTD past the reader's cheap prolog check, so the parsers themselves are tested.
    prolog = f"<!--{' ' * padding}-->" if padding else ""
    doctype = f'<!DOCTYPE w:{root.group(1)} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    xml = xml[: root.start()] + prolog + doctype + xml[root.start() :]
    xml = xml.replace("<w:t>加强党的政治建设。", "<w:t>&xxe;加强党的政治建设。", 1)
    path = tmp_path / "xxe.docx"
    path.write_bytes(_zip({**members, part: xml.encode("utf-8")}))
    secret = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split("\n")[0]
    if padding and part == "word/document.xml":
        # python-docx parses document.xml with resolve_entities=False: the reference is dropped, not expanded.
        text = read(path).text
        assert "（一）加强党的政治建设。" in text
    else:
        with pytest.raises(ReadError, match=r"xxe.docx.*(DTD|entit)") as info:
            read(path)
        text = str(info.value)
    for leak in (secret, secret.replace(":", "："), ":0:0:", "：0：0：", "/bin/"):
        assert leak not in text


def test_docx_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    members = _members(TYPED)
    bomb = _zip({**members, "word/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(ReadError, match=r"bomb.docx.*zip bomb"):
        read_docx(bomb, source="bomb.docx")
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED", 100_000)
    with pytest.raises(ReadError, match=r"typed.docx.*zip bomb"):
        read_docx(TYPED.read_bytes(), source="typed.docx")


# -- drafts with tracked changes ---------------------------------------------------------------------

_WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLD_PARAGRAPH = "（八之一）做好教育系统统战工作。（牵头负责：统战与群工处）"


def _draft(path: Path) -> Path:
    """The seed as a draft whose accepted text is the seed: 98所 changed to 101所 in （九）, an old
    paragraph deleted before 二、, and （十） inserted whole, all with changes tracked by 市教育局办公室."""
    import docx
    from docx.oxml import parse_xml

    def rev(kind: str, text: str) -> str:
        tag = "w:delText" if kind == "del" else "w:t"
        return (f'<w:{kind} xmlns:w="{_WNS}" w:id="{abs(hash(text)) % 10000}" w:author="市教育局办公室" '
                f'w:date="2022-02-10T09:00:00Z"><w:r><{tag} xml:space="preserve">{text}</{tag}></w:r></w:{kind}>')

    doc = docx.Document()
    for line in (ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines()):
        if not line:
            continue
        if line.startswith("二、"):
            p = doc.add_paragraph()
            p._p.append(parse_xml(rev("del", OLD_PARAGRAPH)))
            ppr = p._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:rPr xmlns:w="{_WNS}"><w:del w:id="9001" w:author="市教育局办公室" '
                                 'w:date="2022-02-10T09:00:00Z"/></w:rPr>'))
        if line.startswith("（九）"):
            before, after = line.split("101所", 1)
            p = doc.add_paragraph(before)
            p._p.append(parse_xml(rev("del", "98所")))
            p._p.append(parse_xml(rev("ins", "101所")))
            p.add_run(after)
        elif line.startswith("（十）"):
            p = doc.add_paragraph()
            p._p.append(parse_xml(rev("ins", line)))
        else:
            doc.add_paragraph(line)
    doc.save(path)
    return path


def test_docx_draft_read_with_changes_accepted(tmp_path: Path) -> None:
    raw = read(_draft(tmp_path / "draft.docx"))
    assert [ln for ln in raw.text.splitlines() if ln] == [ln for ln in read(SEED).text.splitlines() if ln]
    assert "98所" not in raw.text and "八之一" not in raw.text
    assert raw.warnings == ("tracked_changes: 2 insertion(s), 2 deletion(s) not accepted in the file; "
                            "the text is read with all of them accepted",)


def test_docx_draft_change_list(tmp_path: Path) -> None:
    from pipeline.ingest.docx import tracked_changes

    changes = tracked_changes(_draft(tmp_path / "draft.docx").read_bytes())
    assert [(c.kind, c.text[:8]) for c in changes] == [
        ("del", OLD_PARAGRAPH[:8]), ("del", "98所"), ("ins", "101所"), ("ins", "（十）提升教育装")]
    assert {c.author for c in changes} == {"市教育局办公室"}
    assert changes[1].paragraph == changes[2].paragraph > changes[0].paragraph


def test_docx_without_revisions_has_no_warning() -> None:
    assert read(DATA / "changzhou_edu_2022_typed.docx").warnings == ()
