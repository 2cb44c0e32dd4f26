"""Build ``tests/data/fonts/wqy-microhei-gb2312.ttf``, the CJK font the PDF fixtures are printed with.

Usage: ``python tests/data/build_font.py [SOURCE]`` where SOURCE is WenQuanYi Micro Hei
(``wqy-microhei.ttc`` from Debian's ``fonts-wqy-microhei``; default: its installed path).

The tests must run on a machine with no CJK font installed, so a subset of the font ships with them:
ASCII, every character of GB 2312 (all of common simplified Chinese), the punctuation plans use, and the
characters of the corpus plan the PDF fixture is printed from. Licence: Apache-2.0 (see LICENSE.txt).
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
TARGET = ROOT / "tests" / "data" / "fonts" / "wqy-microhei-gb2312.ttf"
PUNCTUATION = "，。、；：？！“”‘’（）《》〔〕【】〈〉「」『』—–…·•％＋－＝／①②③④⑤⑥⑦⑧⑨⑩〇０１２３４５６７８９．～"


def charset() -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(PUNCTUATION)
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= set((ROOT / "corpus" / "changzhou_edu_2022.txt").read_text(encoding="utf-8-sig"))
    return {c for c in chars if c.isprintable()}


def build(source: Path = SOURCE) -> Path:
    opts = subset.Options()
    opts.font_number = 0  # the .ttc holds Micro Hei and Micro Hei Mono; take the proportional one
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.drop_tables += ["FFTM"]
    font = subset.load_font(str(source), opts, dontLoadGlyphNames=True)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in charset()))
    sub.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(TARGET), opts)
    return TARGET


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE))
