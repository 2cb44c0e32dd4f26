"""Line spans and the few patterns every structure module shares."""
from __future__ import annotations

import re
from collections.abc import Iterator

SENTENCE_END = "。！？"
DATE = (r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
        r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日")
ORG_END = re.compile(r"(委员会|工委|委|局|厅|办公室|办|政府|部|院|中心|署|会|督查办)$")
YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")


def lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text[:end]`` from ``start`` on, without the line break."""
    spans = []
    pos = start
    for line in text[start:end].split("\n"):
        end = pos + len(line)
        spans.append((pos, end))
        pos = end + 1
    return spans


def later_lines_backwards(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``lines(text, start, end)`` without the first line, last line first: searched for from the end, for a
    caller that usually stops after a line or two."""
    while (nl := text.rfind("\n", start, end)) >= 0:
        yield nl + 1, end
        end = nl


def squeeze(text: str) -> str:
    """``text`` without any whitespace: letter-spaced headers (``序　号``, ``分 管 县领导``) compare as words."""
    return "".join(text.split())
