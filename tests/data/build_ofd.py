"""Build OFD (GB/T 33190) packages from the seed plan, laid out like a printed 公文, for the OFD reader's tests.

Used at test time (nothing committed): ``build(path, layout=...)``. Run directly to look at one:
``python tests/data/build_ofd.py OUT.ofd [layout]``.

The layout imitates the PDF fixture (tests/data/build_pdf.py): a 28-character block, lines broken
wherever the block is full, a two-character first-line indent, centred title lines. Each printed line
is one ``TextObject`` (``Boundary`` in mm, glyph positions in points scaled by ``CTM``, as OFD writers
converting from PDF do). Layouts:

- ``plain``: one page content per page;
- ``template``: the running header 常州市教育局文件 and the page number live in a template page that
  every page uses (as letterheads do), and every second line is split into two TextCodes;
- ``spread``: landscape pages holding two A4 columns side by side (a booklet spread), read left first.
"""
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "corpus" / "changzhou_edu_2022.txt").read_text(encoding="utf-8")
NS = "http://www.ofdspec.org/2016"
PT = 0.3528  # mm per point
SIZE = 16.0  # pt, 三号
CHARS = 28
PITCH = 10.2  # mm between baselines
LEFT, TOP, LINES = 26.0, 37.0, 22
WIDTH_MM = CHARS * SIZE * PT
HEADER = "常州市教育局文件"


def _wrap(text: str, indent: int) -> list[str]:
    lines, first = [], CHARS - indent
    while text:
        n = first if not lines else CHARS
        lines.append(text[:n])
        text = text[n:]
    return lines


def printed_lines() -> list[tuple[float, str]]:
    """(x offset in mm from the block's left edge, text) for every printed line of the seed."""
    out: list[tuple[float, str]] = []
    for i, para in enumerate(ln.strip() for ln in SEED.splitlines()):
        if not para:
            continue
        if 0 < i < 3:  # issuer and title centred; 附件 flush left
            out.append(((WIDTH_MM - len(para) * SIZE * PT) / 2, para))
            continue
        for j, line in enumerate(_wrap(para, 0 if i == 0 else 2)):
            out.append((2 * SIZE * PT if j == 0 and i else 0.0, line))
    return out


def _text_object(oid: int, x: float, y: float, text: str, split: bool = False) -> str:
    width = len(text) * SIZE * PT
    head = (f'<ofd:TextObject ID="{oid}" CTM="{PT} 0 0 {PT} 0 0" Boundary="{x:.3f} {y - 5.6:.3f} {width:.3f} 7" '
            f'Font="3" Size="{SIZE}">')
    parts = [text[: len(text) // 2], text[len(text) // 2 :]] if split and len(text) > 1 else [text]
    codes, pos = [], 0.0
    for part in parts:
        deltas = " ".join([str(SIZE)] * (len(part) - 1))
        codes.append(f'<ofd:TextCode X="{pos:g}" Y="{5.6 / PT:.3f}" DeltaX="{deltas}">{escape(part)}</ofd:TextCode>')
        pos += len(part) * SIZE
    return head + "".join(codes) + "</ofd:TextObject>"


def _page(objects: list[str], box: str, template: bool = False) -> str:
    tpl = '<ofd:Template TemplateID="100" ZOrder="Background"/>' if template else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>{box}'
            f'</ofd:PhysicalBox></ofd:Area>{tpl}<ofd:Content><ofd:Layer ID="2">{"".join(objects)}</ofd:Layer>'
            "</ofd:Content></ofd:Page>")


def build(path: Path, layout: str = "plain") -> Path:
    lines = printed_lines()
    pages = [lines[i : i + LINES] for i in range(0, len(lines), LINES)]
    parts: dict[str, str] = {}
    box = "0 0 210 297"
    oid = 10
    contents: list[list[str]] = []
    for n, page in enumerate(pages):
        objects = []
        for k, (dx, text) in enumerate(page):
            objects.append(_text_object(oid, LEFT + dx, TOP + k * PITCH + 5.6, text, layout == "template" and k % 2 == 1))
            oid += 1
        if layout != "template":
            number = f"— {n + 1} —"
            objects.append(_text_object(oid, 105 - len(number) * SIZE * PT / 4, 280, number))
            oid += 1
        contents.append(objects)
    if layout == "spread":  # two A4 pages side by side on one landscape page
        box = "0 0 420 297"
        shifted = []
        for i in range(0, len(contents), 2):
            right = [re.sub(r'Boundary="([\d.]+)', lambda m: f'Boundary="{float(m.group(1)) + 210:.3f}', o)
                     for o in (contents[i + 1] if i + 1 < len(contents) else [])]
            shifted.append(contents[i] + right)
        contents = shifted
    page_refs = []
    for n, objects in enumerate(contents):
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = _page(objects, box, layout == "template")
        page_refs.append(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
    template_ref = ""
    if layout == "template":
        header = _text_object(90, LEFT + (WIDTH_MM - len(HEADER) * SIZE * PT) / 2, 20, HEADER)
        parts["Doc_0/Tpls/Tpl_0/Content.xml"] = _page([header], box)
        template_ref = '<ofd:TemplatePage ID="100" BaseLoc="Tpls/Tpl_0/Content.xml" ZOrder="Background"/>'
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{oid}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>{box}</ofd:PhysicalBox></ofd:PageArea>"
        f'{template_ref}</ofd:CommonData><ofd:Pages>{"".join(page_refs)}</ofd:Pages></ofd:Document>'
    )
    parts["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" DocType="OFD" Version="1.1">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c5ad1e0a1b24f7e9c3d2e1f00000001</ofd:DocID>"
        "<ofd:Title>中共常州市委教育工委 常州市教育局2022年工作要点</ofd:Title><ofd:Author>常州市教育局</ofd:Author>"
        "<ofd:CreationDate>2022-02-18</ofd:CreationDate></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(zipfile.ZipInfo(name, (2022, 2, 18, 0, 0, 0)), xml)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "plain"))
