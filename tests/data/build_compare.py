"""Build the comparison fixtures from the seed plan: a hand-edited 2023 draft and a 2024 variant of it.

Every edit is listed below and recorded by hand in ``compare/expected_edits.yaml``; everything else is
copied verbatim. Items are renumbered after the edits, so almost every label differs from the seed's.

Run: python tests/data/build_compare.py
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "changzhou_edu_2022.txt"
OUT = Path(__file__).parent / "compare"

_DIGITS = "一二三四五六七八九"
_LABEL = re.compile(r"^（[一二三四五六七八九十]+）")

NEW_SCIENCE = (
    "（新）加强科学教育。实施中小学科学教育提升行动，建设一批科学教育特色学校，配齐配强科学教师，"
    "新建青少年科创实验室15个。用好科技馆、博物馆、高校和企业等社会资源，开展“科学家进校园”活动，"
    "组织青少年科技创新大赛和科普研学活动，激发学生好奇心、想象力和探求欲。（牵头负责：基础教育处）"
)
NEW_DIGITAL = (
    "（新）推进教育数字化转型。实施国家教育数字化战略行动，建设常州智慧教育平台，推动优质数字教育资源"
    "共建共享。开展人工智能助推教师队伍建设行动，培育数字化应用标杆校30所。健全教育数据安全管理制度，"
    "提升师生数字素养与技能。（牵头负责：基础教育处）"
)


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (``十三``, ``二十``, ``三十三``)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + ("" if ones == 0 else _DIGITS[ones - 1])


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


def _line_index(lines: list[str], label: str) -> int:
    found = [i for i, line in enumerate(lines) if line.startswith(label)]
    assert len(found) == 1, label
    return found[0]


def _renumber(lines: list[str]) -> list[str]:
    out, n = [], 0
    for line in lines:
        if line.startswith("（新）") or _LABEL.match(line):
            n += 1
            line = f"（{cn_numeral(n)}）" + _LABEL.sub("", line.removeprefix("（新）"))
        out.append(line)
    return out


def draft_2023(seed: str) -> str:
    """The seed turned into a plausible 2023 draft (edits E1–E13 of expected_edits.yaml)."""
    text = _replace(seed, "2022年工作要点", "2023年工作要点")
    text = _replace(text, "2022年是新时代新征程中具有特殊重要意义的一年，迎接学习贯彻党的二十大，是贯穿今年党和国家全局工作的主线",
                    "2023年是全面贯彻落实党的二十大精神的开局之年，学习宣传贯彻党的二十大精神，是当前和今后一个时期的首要政治任务")
    # Targets, heading rewordings, lead department (edits inside items that stay in place).
    text = _replace(text, "新建、改扩建学校101所，其中幼儿园37所、小学35所", "新建、改扩建学校120所，其中幼儿园46所、小学45所")
    text = _replace(text, "力争全市72%以上学校", "力争全市80%以上学校")
    text = _replace(text, "推动创建省级“高质量平安校园建设县（市、区）”。（牵头负责：政策法规处）",
                    "推动创建省级“高质量平安校园建设县（市、区）”。（牵头负责：安全稳定工作处）")
    text = _replace(text, "（十五）推进义务教育优质均衡。", "（十五）推动义务教育优质均衡发展。")
    text = _replace(text, "建设常州市优质融合资源中心25所", "建设常州市优质融合资源中心30所")
    text = _replace(text, "遴选30名左右五年制高职产业教授", "遴选20名左右五年制高职产业教授")
    text = _replace(text, "引领职教，力争研究成果在常落地2-3项。", "引领职教。")
    text = _replace(text, "建好学校心理辅导室，", "建好学校心理辅导室，新增省级心理健康教育特色学校10所，")
    text = _replace(text, "新增省级名师20人", "新增省级名师25人")
    text = _replace(text, "（二十九）激发教师成长活力。", "（二十九）深化教师管理改革。")
    text = _replace(text, "探索教师弹性工作制", "试行教师弹性工作制")

    lines = text.split("\n")
    # Drop （二） and （八）.
    for label in ("（二）", "（八）"):
        del lines[_line_index(lines, label)]
    # Move （十三） from section 二 to the end of section 三 (after （二十一）, before section 四).
    moved = lines.pop(_line_index(lines, "（十三）"))
    lines.insert(_line_index(lines, "四、"), moved)
    # Two new items: one at the end of section 四, one at the end of the plan.
    lines.insert(_line_index(lines, "五、"), NEW_SCIENCE)
    last = max(i for i, line in enumerate(lines) if line.strip())
    lines.insert(last + 1, NEW_DIGITAL)
    return "\n".join(_renumber(lines))


def variant_2024(draft: str) -> str:
    """The 2023 draft as a 2024 plan with one more target change (72% -> 80% -> 85%)."""
    text = _replace(draft, "2023年工作要点", "2024年工作要点")
    text = _replace(text, "2023年是全面贯彻落实党的二十大精神的开局之年", "2024年是实施“十四五”规划的关键一年")
    return _replace(text, "力争全市80%以上学校", "力争全市85%以上学校")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    draft = draft_2023(SEED.read_text(encoding="utf-8"))
    (OUT / "changzhou_edu_2023_draft.txt").write_text(draft, encoding="utf-8")
    (OUT / "changzhou_edu_2024_variant.txt").write_text(variant_2024(draft), encoding="utf-8")


if __name__ == "__main__":
    main()
