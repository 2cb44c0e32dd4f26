"""Rebuild models/tw_phrases.tsv: Taiwan vocabulary -> mainland vocabulary, for traditional copies.

Source: OpenCC's TWPhrasesRev table (shipped with opencc-python-reimplemented), both sides converted to
simplified characters. An entry is kept only when its Taiwan side is not itself a common mainland word
(jieba's dictionary frequency under 50): 最佳化 -> 优化 and 网际网路 -> 互联网 stay, while 效能, 资料, 建立 or
智慧 are ordinary words in a mainland plan written in traditional characters and must not change.

usage: python models/build_tw_phrases.py
"""
from __future__ import annotations

import os
from pathlib import Path

import jieba
import opencc

MIN_MAINLAND_FREQ = 50


def main() -> None:
    cc = opencc.OpenCC("t2s")
    freq: dict[str, int] = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, count, *_ = line.split()
            freq[word] = int(count)
    rows = []
    source = Path(opencc.__file__).parent / "dictionary" / "TWPhrasesRev.txt"
    for line in source.read_text(encoding="utf-8").splitlines():
        taiwan, mainland = line.split("\t")
        taiwan, mainland = cc.convert(taiwan), cc.convert(mainland.split()[0])
        if taiwan != mainland and len(taiwan) >= 2 and freq.get(taiwan, 0) < MIN_MAINLAND_FREQ:
            rows.append(f"{taiwan}\t{mainland}")
    out = Path(__file__).with_name("tw_phrases.tsv")
    out.write_text("# taiwan\tmainland (built by build_tw_phrases.py; do not edit)\n" + "\n".join(sorted(set(rows))) + "\n",
                   encoding="utf-8")
    print(f"{len(rows)} phrases -> {out}")


if __name__ == "__main__":
    main()
