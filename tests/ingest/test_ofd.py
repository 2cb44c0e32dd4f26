"""OFD (GB/T 33190): text in reading order from packages built from the seed, guards, and two real files."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import PlanscopeError, ReadError
from pipeline.ingest import read
from pipeline.structure import parse

from ..conftest import SEED
from . import builder

build_ofd = builder("build_ofd")
REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "formats"
SEED_LINES = [ln for ln in read(SEED).text.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def ofd_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ofd")
    for layout in ("plain", "template", "spread"):
        build_ofd.build(out / f"{layout}.ofd", layout)
    return out


@pytest.mark.parametrize("layout", ["plain", "template", "spread"])
def test_ofd_text_is_the_seed_paragraph_for_paragraph(ofd_dir: Path, layout: str) -> None:
    """Wrapped lines joined, page numbers and the template's running header gone, a paragraph that runs
    over a page (or from the left to the right half of a spread) joined."""
    raw = read(ofd_dir / f"{layout}.ofd")
    assert raw.format == "ofd"
    assert raw.text.splitlines() == SEED_LINES
    assert build_ofd.HEADER not in raw.text and "—" not in raw.text


def test_ofd_docinfo_metadata(ofd_dir: Path) -> None:
    meta = read(ofd_dir / "plain.ofd").metadata
    assert meta == {"title": "中共常州市委教育工委 常州市教育局2022年工作要点", "author": "常州市教育局",
                    "created": "2022-02-18"}


def _rewrite(src: Path, change: dict[str, bytes | None]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    zout.writestr(info.filename, change[info.filename])
            else:
                zout.writestr(info, zin.read(info))
        for name, data in change.items():
            if name not in zin.namelist() and data is not None:
                zout.writestr(name, data)
    return buf.getvalue()


def test_ofd_truncated_is_an_error(ofd_dir: Path) -> None:
    data = (ofd_dir / "plain.ofd").read_bytes()
    with pytest.raises(PlanscopeError, match="plan.ofd: .*damaged"):
        read(data[: len(data) // 2], name="plan.ofd")


def test_ofd_missing_page_part_named(ofd_dir: Path) -> None:
    data = _rewrite(ofd_dir / "plain.ofd", {"Doc_0/Pages/Page_1/Content.xml": None})
    with pytest.raises(ReadError, match=r"plan.ofd: damaged .ofd, the part Doc_0/Pages/Page_1/Content.xml is missing"):
        read(data, name="plan.ofd")


def test_ofd_external_entity_refused(ofd_dir: Path) -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:TextObject '
           b'Boundary="20 20 100 7" Size="5"><ofd:TextCode X="0" Y="5">&x;</ofd:TextCode></ofd:TextObject>'
           b"</ofd:Layer></ofd:Content></ofd:Page>")
    data = _rewrite(ofd_dir / "plain.ofd", {"Doc_0/Pages/Page_0/Content.xml": xxe})
    with pytest.raises(ReadError, match="plan.ofd: .*external-entity"):
        read(data, name="plan.ofd")


def test_ofd_zip_bomb_refused(ofd_dir: Path) -> None:
    data = _rewrite(ofd_dir / "plain.ofd", {"Doc_0/Res/big.xml": b" " * (20 * 1024 * 1024)})
    with pytest.raises(ReadError, match="plan.ofd: .*zip bomb"):
        read(data, name="plan.ofd")


def test_ofd_scan_without_text_layer(ofd_dir: Path) -> None:
    scan = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
            b'<ofd:Content><ofd:Layer ID="2"><ofd:ImageObject ID="5" ResourceID="9" Boundary="0 0 210 297" '
            b'CTM="210 0 0 297 0 0"/></ofd:Layer></ofd:Content></ofd:Page>')
    with zipfile.ZipFile(ofd_dir / "plain.ofd") as zf:
        pages: dict[str, bytes | None] = {n: scan for n in zf.namelist() if n.startswith("Doc_0/Pages/")}
    with pytest.raises(ReadError, match="plan.ofd: the OFD has no text layer"):
        read(_rewrite(ofd_dir / "plain.ofd", pages), name="plan.ofd")


def test_ofd_not_a_package_of_ofd() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(Exception, match="plan.ofd: unsupported format .*zip archive"):
        read(buf.getvalue(), name="plan.ofd")


needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="needs ../shared/corpus/formats")


@needs_real
def test_ofd_real_tender_section_equals_its_text_rendering() -> None:
    name = "72_supervision_outline_tender_section_2022"
    want = [ln for ln in (REAL / f"{name}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    doc = parse(read(REAL / f"{name}.ofd"))
    assert doc.text.splitlines() == want
    assert [it.label for it in doc.items][-10:] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"]


@needs_real
def test_ofd_real_licence_rules_read_from_the_template_and_joined() -> None:
    """Page 1 is a landscape spread whose text lives in a template: the seven rules, wrapped over fixed
    lines, come out one paragraph each and equal to the rendering's lines."""
    name = "71_mnr_exploration_licence_notes_2022"
    want = (REAL / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    doc = parse(read(REAL / f"{name}.ofd"))
    rules = [doc.item_text(it).splitlines()[0] for it in doc.items]
    assert [r[:2] for r in rules] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert rules == [ln for ln in want if ln[:2] in {r[:2] for r in rules}]
    assert "中华人民共和国自然资源部印制" in doc.text and "根据国家法律、法规规定，经审查合格，授予探矿权，特发此证。" in doc.text
