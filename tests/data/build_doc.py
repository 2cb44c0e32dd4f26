"""Build Word 97-2003 binary files (.doc, and .wps, which WPS writes in the same format) for the tests.

Used at test time (nothing committed): ``build_seed(path)``, ``build_task_table(path)``. Nothing on this
machine writes .doc (no Word, no LibreOffice), so this writes the format itself from [MS-DOC] and
[MS-CFB]: a compound file (512-byte sectors; every stream padded past the 4096-byte mini-stream cutoff
so that only the FAT is needed) holding a WordDocument stream (FIB + text) and a 1Table stream (the
CLX piece table). The text is stored in UTF-16 pieces, written to the stream out of order as a
fast-saved file has them, so that a reader must follow the piece table. olefile, an independent
implementation of the container, checks the result in the tests.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "corpus" / "changzhou_edu_2022.txt").read_text(encoding="utf-8")

SECTOR = 512
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
TEXT_AT = 1024  # where the text starts in the WordDocument stream, after the FIB


def _fib(ccp_text: int, fc_clx: int, lcb_clx: int, lists: bool, encrypted: bool) -> bytes:
    fib = bytearray(TEXT_AT)
    flags = 0x0200 | (0x0100 if encrypted else 0)  # fWhichTblStm: the table stream is 1Table
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0, flags)  # wIdent, nFib, unused, lid zh-CN, pnNext
    struct.pack_into("<H", fib, 0x20, 14)  # csw, then fibRgW (28 bytes)
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw, then fibRgLw (88 bytes)
    struct.pack_into("<i", fib, 0x40 + 12, ccp_text)  # ccpText
    struct.pack_into("<H", fib, 0x98, 93)  # cbRgFcLcb: FibRgFcLcb97
    struct.pack_into("<II", fib, 0x9A + 8 * 33, fc_clx, lcb_clx)  # fcClx / lcbClx
    if lists:
        struct.pack_into("<II", fib, 0x9A + 8 * 73, 0, 40)  # fcPlfLst / lcbPlfLst: list definitions exist
    return bytes(fib)


def word_streams(text: str, *, lists: bool = False, encrypted: bool = False) -> dict[str, bytes]:
    """WordDocument and 1Table streams for ``text`` (Word's own separators: \\r, \\x07, \\x13-\\x15)."""
    cut = [0, len(text) // 3, 2 * len(text) // 3, len(text)]
    pieces = [text[cut[i] : cut[i + 1]] for i in range(3)]
    body = bytearray()
    fcs = [0, 0, 0]
    for i in (2, 0, 1):  # stored out of order; the piece table puts them back
        fcs[i] = TEXT_AT + len(body)
        body += pieces[i].encode("utf-16-le")
    plc = b"".join(struct.pack("<i", cp) for cp in cut)
    plc += b"".join(struct.pack("<HIH", 0, fc, 0) for fc in fcs)  # fc without 0x40000000: UTF-16
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = bytes(16) + clx  # the CLX need not be first in the table stream
    word = _fib(len(text), 16, len(clx), lists, encrypted) + bytes(body)
    return {"WordDocument": word, "1Table": table}


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An [MS-CFB] version 3 file holding ``streams`` under the root storage."""
    names = list(streams)
    data = [streams[n] + bytes(max(0, 4096 - len(streams[n]))) for n in names]
    data = [d + bytes(-len(d) % SECTOR) for d in data]
    starts, sector = [], 0
    for d in data:
        starts.append(sector)
        sector += len(d) // SECTOR
    dir_sector = sector
    n_entries = 1 + len(names)
    dir_sectors = -(-n_entries * 128 // SECTOR)
    fat_first = dir_sector + dir_sectors
    total = fat_first
    fat_sectors = 1
    while total + fat_sectors > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    fat = [FREE] * (fat_sectors * SECTOR // 4)
    for start, d in zip(starts, data):
        n = len(d) // SECTOR
        for k in range(n):
            fat[start + k] = start + k + 1 if k + 1 < n else END
    for k in range(dir_sectors):
        fat[dir_sector + k] = dir_sector + k + 1 if k + 1 < dir_sectors else END
    for k in range(fat_sectors):
        fat[fat_first + k] = FATSECT

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    # the root's children as a binary tree ordered by name length, then name: here a chain of right siblings
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    entries = [entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1 + order[0], END, 0)]
    siblings = {order[k]: (order[k + 1] if k + 1 < len(order) else None) for k in range(len(order))}
    for i, name in enumerate(names):
        nxt = siblings[i]
        entries.append(entry(name, 2, NOSTREAM, 1 + nxt if nxt is not None else NOSTREAM, NOSTREAM,
                             starts[i], max(4096, len(streams[name]))))  # smaller would mean the mini stream
    directory = b"".join(entries)
    free = bytes(64) + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + bytes(36 + 12)
    while len(directory) % SECTOR:
        directory += free
    difat = [fat_first + k for k in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, fat_sectors, dir_sector, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", *difat))
    return header + b"".join(data) + directory + struct.pack(f"<{len(fat)}I", *fat)


def seed_text() -> str:
    """The seed as Word stores it: paragraphs ending in \\r, one cross-reference field kept by its result."""
    paras = [ln.strip() for ln in SEED.splitlines() if ln.strip()]
    text = "\r".join(paras) + "\r"
    # Word stores a hyperlinked title as a field: code, separator, the result the reader shows
    return text.replace("《中国共产党普通高等学校基层组织工作条例》",
                        '\x13 HYPERLINK "http://www.moe.gov.cn/" \x14《中国共产党普通高等学校基层组织工作条例》\x15', 1)


def task_table_text() -> str:
    """The 立山 tasks as a Word table: cells end with \\x07, rows with one more \\x07."""
    sys.path.insert(0, str(Path(__file__).parent))
    from build_sheet import tasks  # the same seven task rows the spreadsheet fixtures hold

    rows = tasks()
    title = "立山区政府2023年重点工作任务分解和责任分工方案"
    text = f"{title}\r一、经济社会发展的主要预期目标\r"
    for row in [["序号", "工作任务", "牵头单位", "责任单位"], *rows]:
        text += "".join(cell + "\x07" for cell in row) + "\x07"
    return text + "\r"


def build(path: Path, text: str, **kw: bool) -> Path:
    path.write_bytes(compound_file(word_streams(text, **kw)))
    return path


def build_seed(path: Path, **kw: bool) -> Path:
    return build(path, seed_text(), **kw)


def build_task_table(path: Path) -> Path:
    return build(path, task_table_text())


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    print(build_seed(out / "changzhou_edu_2022.doc"), build_task_table(out / "task_table.doc"))
