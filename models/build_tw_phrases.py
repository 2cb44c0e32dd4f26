"""Rebuild models/tw_phrases.tsv: Taiwan vocabulary -> mainland vocabulary, for traditional copies.

Source: OpenCC's TWPhrasesRev table (shipped with opencc-python-reimplemented), both sides converted to
simplified characters. An entry is kept only when its Taiwan side is no mainland word: not a common word of jieba's
dictionary (frequency under 50) and absent from every document of a mainland crawl (the 866 government
documents of ../shared/corpus/wild; only this yes/no is used, no text is shipped). 最佳化 -> 优化 and
网际网路 -> 互联网 stay, while 效能, 资料, 建立, 智慧 or 线上 (线上线下, missing from jieba's old dictionary) are
ordinary words in a mainland plan written in traditional characters and must not change.

usage: python models/build_tw_phrases.py [MAINLAND_FOLDER]   (default ../shared/corpus/wild)
"""
from __future__ import annotations

import os
import sys
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
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild")
    crawl = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt")))
    if not crawl:
        raise SystemExit(f"{folder}: no mainland documents to check the phrases against")
    rows = []
    source = Path(opencc.__file__).parent / "dictionary" / "TWPhrasesRev.txt"
    for line in source.read_text(encoding="utf-8").splitlines():
        taiwan, mainland = line.split("\t")
        taiwan, mainland = cc.convert(taiwan), cc.convert(mainland.split()[0])
        if (taiwan != mainland and len(taiwan) >= 2 and freq.get(taiwan, 0) < MIN_MAINLAND_FREQ
                and taiwan not in crawl):
            rows.append(f"{taiwan}\t{mainland}")
    out = Path(__file__).with_name("tw_phrases.tsv")
    out.write_text("# taiwan\tmainland (built by build_tw_phrases.py; do not edit)\n" + "\n".join(sorted(set(rows))) + "\n",
                   encoding="utf-8")
    print(f"{len(rows)} phrases -> {out}")


if __name__ == "__main__":
    main()
