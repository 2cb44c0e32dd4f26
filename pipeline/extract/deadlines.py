"""Deadlines: time expressions that bound or schedule an item's work, resolved to ISO end dates.

Two steps. :func:`_find` locates candidate spans with regular expressions and drops the ones that are
not deadlines (years inside 《titles》, ``2021年以来``, publication dates, ``2024年度学习计划``);
:func:`_resolve` turns one span as written into ``(date, granularity, recurring)``. The date is the
last day of the period the expression names (``上半年`` -> 06-30, ``第三季度`` -> 09-30); relative
phrases (``年底前``, ``6月底前``) take the plan's year.

Decisions where the contract is silent:

- Holidays and seasons are deadlines. Fixed-date holidays resolve against the plan year (``国庆节前`` ->
  09-30, ``七一前`` -> 06-30, ``元旦前`` -> 12-31); lunar holidays (``春节前``, ``年前`` = before the Spring
  Festival, ``中秋节前``), flood seasons (``汛期前``) and school terms (``开学前``) depend on a calendar or a
  region the plan does not give, so their date is null. ``X前`` has granularity ``day``, a season named
  as a period (``暑期``, ``寒假期间``) ``month``.
- With a known plan year, an explicit period that ended before it is history, not a deadline
  (``2022年，…`` or ``截至2022年底`` in a 2023 report).
- A quarter, half or month used as an attribute (``第三季度经济运行分析会``, ``上半年工作总结``) is not one.
- A recurring limit (``每月23日前``, ``每年6月底前``, ``每季度末``) is recurring; a frequency without a limit
  (``每年新增学位5000个``, ``每季度召开一次``, ``按年度推进``) bounds no work and is not a deadline. Ongoing
  phrases (``持续推进``, ``常态化开展``) count when they fill a table cell or close a clause inside one.
"""
from __future__ import annotations

import calendar
import re
from bisect import insort
from collections.abc import Iterator
from datetime import date

from ..model import Deadline
from ..numerals import cn_to_int
from .. import shortcuts
from ..spans import overlaps

# -- building blocks --------------------------------------------------------------------------

# (written out, not 二[〇零○]: each class of several CJK characters costs ~50 us to compile, and these
# blocks recur in most patterns)
_CN_YEAR = r"(?:二〇|二零|二○|一九)[〇零○一二三四五六七八九]{2}"
_YEAR = rf"(?:(?<![\d.])(?:19|20)\d{{2}}|{_CN_YEAR})[ ]?年"
_REL_YEAR = r"(?:今年|本年度?|明年)"
# Arabic month: not the tail of a longer number (2023 -> "23月", 13月 -> "3月").
_MONTH = r"(?:(?<![\d.．])(?:1[0-2]|0?[1-9])|(?<![一二三四五六七八九十百千万两几数第每个零〇])(?:十[一二]?|[一二三四五六七八九]))[ ]?月"
_DAY = r"(?:(?<!\d)(?:[12]\d|3[01]|0?[1-9])|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])[ ]?[日号]"
_MONTH_TAIL = rf"(?:份)?(?:{_DAY}|底|末|上旬|中旬|下旬|初)?"
_QUARTER = r"(?:第?[一二三四1-4]季度(?:末|底)?|前[一二三]季度)"
_HALF = r"[上下]半年"
_CONN = r"[ ]?(?:—{1,2}|–|-|－|~|～|〜|至|到)[ ]?"
_PREFIX = r"(?:截至|截止到|截止|(?<!达)(?<!得)(?<!做)(?<!收)到|至)?"
# 前 but not 前后 (2025年前后 is "around 2025": the year alone is the deadline).
_SUFFIX = r"(?:之前|以前|前(?!后)|为止|止)?"
# 年中 after a year must end the phrase (2023年中央… is not mid-2023).
_MID = r"中(?=前|[，。；、,;）)\s]|$)"

# A year followed by what the item schedules inside it.
_YEAR_TAIL = rf"(?:{_QUARTER}|{_HALF}|{_MONTH}{_MONTH_TAIL}|全年|年?(?:底|末|内)|度(?:内|底|末)|{_MID})"
_STANDALONE_YEAR_WORD = (
    r"(?<![\d一二三四五六七八九十百千两几数多半青少老成童幼壮中晚历周新跨同上去前往当今本明每全学度])"
    r"年(?:底|末|内)"
)
# Standalone 年中 only where a phrase starts (年中开展…, 力争年中), never inside 青年中心 or 今年中考.
_STANDALONE_MID = r"(?:(?<![\u4e00-\u9fff])|(?<=[于在到至争保]))年中(?!心|期|考|央|学|小|专)"

# Dotted dates of task-table cells (2023.12, 2023.06.30前); never a decimal amount (2023.12亿元).
_DOTTED = r"(?<![\d.．])(?:19|20)\d{2}[.．/](?:1[0-2]|0?[1-9])(?:[.．/](?:[12]\d|3[01]|0?[1-9]))?(?![\d.．/])"
_DOTTED_DAY = re.compile(r"(?:19|20)\d{2}[.．/]\d{1,2}[.．/]\d{1,2}")
_DOTTED_END = r"(?=$|[\s|，。；、,;:：）)】\]]|完成|启动|开工|建成|上报|报送)"
# Holidays and seasons. Fixed-date holidays resolve (国庆节前 -> 09-30); lunar holidays, 年前 (= before the
# Spring Festival), flood seasons and school terms depend on a calendar or a region the plan does not give.
_FIXED_HOLIDAYS = {"元旦": (12, 31), "五一": (4, 30), "劳动节": (4, 30), "七一": (6, 30), "建党节": (6, 30),
                   "八一": (7, 31), "建军节": (7, 31), "国庆": (9, 30), "国庆节": (9, 30)}
_FIXED_HOLIDAYS.update({"五一劳动节": (4, 30), "七一建党节": (6, 30), "八一建军节": (7, 31)})
_HOLIDAY = (
    r"(?<![\d一二三四五六七八九十百第])"
    r"(?:元旦|五一|七一|八一|(?:五一)?劳动节|(?:七一)?建党节|(?:八一)?建军节|国庆节?|元旦春节|两节|春节"
    r"|元宵节?|清明节?|端午节?|中秋节?|(?:主|入)?汛期?|(?:春季|秋季|新学期)?开学)"
    r"(?:之前|以前|前夕|前)(?![后期列沿端景提述款])"
)
_LUNAR_NEW_YEAR = r"(?:(?<![\u4e00-\u9fff])|(?<=[于在争保须要必并]))年(?:之前|以前|前)(?![后期列沿端景提述款\d一二三两几])"
# School holidays schedule work when a preposition leads them in (利用暑期) or a time word follows.
_VACATION = (
    r"(?:(?<![\u4e00-\u9fff])|(?<=[于在用趁]))(?:寒暑假|暑期|暑假|寒假)(?:期间|之前|以前|前|内)?"
    r"|(?:寒暑假|暑期|暑假|寒假)(?:期间|之前|以前|前|内)"
)
_VACATION_WORDS = ("寒暑假", "暑期", "暑假", "寒假")

_PATTERNS: list[re.Pattern[str]] = [
    # ranges: 2023—2025年, 2023年至2025年, 3—5月, 2023年3月至6月 (one deadline: the end of the last part)
    re.compile(rf"{_PREFIX}(?<![\d.])(?:19|20)\d{{2}}[ ]?年?{_CONN}(?:19|20)\d{{2}}[ ]?年(?:底|末)?{_SUFFIX}"),
    re.compile(rf"{_PREFIX}(?:{_YEAR})?(?:{_MONTH}|(?<![\d.])(?:1[0-2]|0?[1-9])){_CONN}(?:{_YEAR})?{_MONTH}"
               rf"(?:份)?(?:底|末)?{_SUFFIX}"),
    # day or month to a later day, month or year end: 2020年1月1日至12月31日, 2020年9月至2020年底, 3月15日至4月15日
    re.compile(rf"{_PREFIX}(?:{_YEAR})?{_MONTH}(?:{_DAY})?起?{_CONN}"
               rf"(?:(?:{_YEAR})?{_MONTH}(?:份)?(?:{_DAY}|底|末)?|{_YEAR}(?:底|末)){_SUFFIX}"),
    # dotted dates of table cells: 2023.12, 2023.6-2023.12
    re.compile(rf"{_PREFIX}{_DOTTED}(?:{_CONN}{_DOTTED})?{_SUFFIX}{_DOTTED_END}"),
    # an explicit year with an optional part of it
    re.compile(rf"{_PREFIX}{_YEAR}{_YEAR_TAIL}?{_SUFFIX}"),
    re.compile(rf"{_PREFIX}{_REL_YEAR}(?:年?(?:底|末|内)|年中|内|{_QUARTER}|{_HALF}|{_MONTH}{_MONTH_TAIL})?{_SUFFIX}"),
    # parts of the plan year written without it
    re.compile(rf"{_PREFIX}{_STANDALONE_YEAR_WORD}{_SUFFIX}"),
    re.compile(rf"{_PREFIX}{_STANDALONE_MID}{_SUFFIX}"),
    re.compile(r"(?<!安)全年(?!级|龄|段|制)"),
    re.compile(rf"{_PREFIX}(?<![每\d一二三四五六七八九十])(?:{_QUARTER}|{_HALF}){_SUFFIX}"),
    re.compile(rf"{_PREFIX}{_MONTH}{_MONTH_TAIL}{_SUFFIX}"),
    # five-year-plan periods: “十四五”期间, 十四五末
    re.compile(r"“?十[一二三四五六]五”?(?:规划)?(?:期间|时期|末期?)"),
    # recurring: 每学期, 每季度, 每月23日前, 每年6月底前
    re.compile(rf"每(?:[两二三四六]个?|个)?(?:学期|学年|季度|半年|半月|年度?|月|周|旬)"
               rf"(?:{_MONTH}{_MONTH_TAIL}|{_DAY}|年?底|年?末)?{_SUFFIX}"),
    # 按年度推进, 按季度报送, 分年度实施
    # (not 分年度目标任务: a breakdown by year, not a schedule)
    re.compile(r"(?:(?:按|(?<![划区部充过])分)(?:年度|季度|学期|学年)|按(?:月度?|周|旬)(?!期|刊))"
               r"(?!目标|任务|指标|计划|预算|数据|报表|报告)"),
    re.compile(r"长期坚持"),
    re.compile(_HOLIDAY),
    re.compile(_LUNAR_NEW_YEAR),
    re.compile(_VACATION),
]
# A cheap pre-check per pattern: each group of characters must meet the text at least once, or the pattern
# cannot match and its scan is skipped (most items have no range, holiday or dotted date).
_CONNECTORS = "—–-－~～〜至到"
_NEEDS: list[tuple[str, ...]] = [
    ("年", _CONNECTORS), ("月", _CONNECTORS), ("月", _CONNECTORS), (".．/",), ("年",), ("年",), ("年",), ("年",),
    ("年",), ("季半",), ("月",), ("五",), ("每",), ("按分",), ("长",), ("前",), ("前",), ("暑寒",),
]
assert len(_NEEDS) == len(_PATTERNS)
_ONGOING_NEEDS = "长持常"  # every ongoing phrase (长期, 持续, 常态化, 常年) holds one of these
_NEED_GROUPS = sorted({group for needs in _NEEDS for group in needs} | {_ONGOING_NEEDS})
_NEEDED = "".join(sorted(set("".join(_NEED_GROUPS))))
# The pre-check as bits: one per group, so a text's groups are one integer and a pattern's test one ``&``.
_GROUP_BIT = {group: 1 << i for i, group in enumerate(_NEED_GROUPS)}
_CHAR_BITS = {ch: sum(bit for group, bit in _GROUP_BIT.items() if ch in group) for ch in _NEEDED}
_NEEDED_CHAR = re.compile(f"[{re.escape(_NEEDED)}]")
_ALL_GROUPS = sum(_GROUP_BIT.values())
_ONGOING_BIT = _GROUP_BIT[_ONGOING_NEEDS]
# Where a match of each pattern can start: at one of its first characters, or at the optional 截至/截止/到/至
# before them. The overlapping scan tries a pattern only there, not at every position of the text. A guard
# after the characters drops the ones that cannot start a match where they stand (the digits inside a number,
# the 年 of 青年, the 中 of 中心, a 到 before a word), so the pattern is tried at fewer places while the scan
# stays one pass in C.
_AT = "截到至"
_DIGITS = "0123456789"
_CN_NUMERALS = "一二三四五六七八九十"
_IN_NUMBER = r"(?<![\d.]\d)"  # a digit continuing a number (the 0 of 2023, the 5 of 1.5) starts no year or month


def _only_before(chars: str, following: str) -> str:
    """A guard: each of ``chars`` starts a match only when one of ``following`` comes next."""
    return f"(?!(?<=[{re.escape(chars)}])[^{re.escape(following)}])"


def _starts(chars: str, *guards: str, prefixed: bool = True, after_prefix: str = "") -> re.Pattern[str]:
    """A match starts at one of ``chars`` (where ``guards`` let it) or, when the pattern has the optional
    prefix, at a 截 before 至/止 or a 到/至 (before one of ``after_prefix`` when given)."""
    if not prefixed:
        return re.compile(f"[{re.escape(chars)}]" + "".join(guards))
    # (a guard is a character class to compile: one of many CJK characters costs ~50 us at import)
    prefix_guards = _only_before("截", "至止") + (_only_before("到至", after_prefix) if after_prefix else "")
    return re.compile(f"[{_AT}{re.escape(chars)}]{prefix_guards}" + "".join(guards))


_YEAR_START = _only_before("12", "90")  # 19xx, 20xx
# a year, a month, or (in a range) a bare number before the connector: 2023年, 12月, 十二月, 3 月, 3—5月
_DATE_STARTS = (_IN_NUMBER, _only_before(_DIGITS, _DIGITS + " 月" + _CONNECTORS),
                _only_before(_CN_NUMERALS, "〇零○九一二 月"))
_STARTS: list[re.Pattern[str]] = [
    _starts("12", _IN_NUMBER, _YEAR_START, after_prefix="12"),  # year ranges
    _starts(_DIGITS + _CN_NUMERALS, *_DATE_STARTS),  # month ranges (an optional year first)
    _starts(_DIGITS + _CN_NUMERALS, *_DATE_STARTS),
    _starts("12", _IN_NUMBER, _YEAR_START, after_prefix="12"),  # dotted dates
    _starts("12二一", _IN_NUMBER, _YEAR_START, _only_before("二", "〇零○"), _only_before("一", "九")),  # a year
    _starts("今本明", _only_before("今本明", "年")),  # 今年, 本年度, 明年
    _starts("年", _only_before("年", "底末内"), after_prefix="年"),  # 年底, 年末, 年内
    _starts("年", _only_before("年", "中"), after_prefix="年"),  # 年中
    _starts("全", _only_before("全", "年"), prefixed=False),  # 全年
    _starts("第前上下一二三四1234"),  # quarters and halves
    _starts(_DIGITS + _CN_NUMERALS, *_DATE_STARTS),  # months
    _starts("“十", prefixed=False),  # five-year-plan periods
    _starts("每", prefixed=False),  # recurring
    _starts("按分", _only_before("按分", "年季学月周旬"), prefixed=False),  # schedules
    _starts("长", _only_before("长", "期"), prefixed=False),  # 长期坚持
    # holidays and seasons: 元旦, 元宵, 五一, 劳动节, 建党节, 国庆, 两节, 春节, 清明, 端午, 中秋, 汛期, 汛前, 开学, …
    _starts("元五七八劳建国两春清端中主入汛秋新开", _only_before("元五七八劳建国两春清端中主入汛秋新开",
                                                                 "旦宵一动党军庆节季明午秋汛期之以前学"), prefixed=False),
    _starts("年", _only_before("年", "之以前"), prefixed=False),  # 年前
    _starts("寒暑", prefixed=False),  # school holidays
]
assert len(_STARTS) == len(_PATTERNS)
# (pattern, bits of the groups every match meets, where a match can start)
_SCANS = [(pattern, sum(_GROUP_BIT[group] for group in needs), starts)
          for pattern, needs, starts in zip(_PATTERNS, _NEEDS, _STARTS)]

# A table cell (or a line of a flattened table) holding only one of these is an ongoing deadline; inside a
# cell of a task table (between | or tabs) it may also close a clause (2023年底前完成，持续推进).
_ONGOING = re.compile(r"(?:长期|持续|常态化|常年)(?:坚持|推进|开展|实施|执行|落实|抓好)?|长期有效")
_CELL = re.compile(r"[^|\t\n]+")
# A line that is an ongoing phrase alone (blanks around it): the cells of a text without | or tabs
_ONGOING_LINE = re.compile(rf"(?m)^[^\S\n]*({_ONGOING.pattern})[^\S\n]*$")
_CLAUSE = re.compile(r"[^，,；;。并]+")

# What may follow a span and turns it into a starting point, a history, a name or a description.
# 从2019年秋季学期起, 从2020年春季学期开始: a start
_NOT_AFTER = re.compile(r"以来|来|(?:(?:春|秋)季?(?:学期|学年))?(?:起(?!草|步|航|飞|诉)|开始)|至今")
_NOT_AFTER_YEAR = re.compile(r"是|为|版|度(?!内|底|末)|应届|往届|届|级(?!以上)")  # 2018年应届毕业生, 2023届: a cohort
# 2023年重点工作任务分解方案, 2024年常州教育工作要点: a year that names a plan rather than schedules work.
# The same for a year that names a section or a table column (四、2026年部分工作任务, 2022年预期目标,
# 2025年工作回顾) or an event the item uses (以2023年全国科普日活动为载体): the phrase after it is a noun
# phrase that ends the line, cell or clause, with no verb scheduling work in between.
_TITLE_AFTER = re.compile(
    r"(?:(?!完成|制定|出台|印发|编制|修订|启动|实现|建成|开展|推进|研制|实施|落实|做好|抓好|举办|召开|组织|新建|新增"
    r"|力争|确保|争取|全面|基本|达到|形成|建立|打造|创建)[^，。；：！？,;:\n\d|]){0,16}?"
    r"(?:要点|方案|计划|清单|报告|规划|意见|办法|细则|分解表|任务表|台账|一览表"
    r"|(?:工作|主要|预期|发展|年度)?(?:任务|目标(?:值)?|指标)(?=[\s|，。；、,;）)]|$|完成|进展)"
    r"|工作回顾|回顾|总体要求|政策取向|(?:重点|主要)工作(?=[\s|，。；、,;）)]|$)|(?:进度|工作|时间)安排(?=[\s|，。；、,;）)]|$)"
    r"|(?:日|周|月)?活动(?=[\s|，。；、,;）)]|$|为|中)|宣传[日周月]|科普日|纪念日|大会|会议|论坛|博览会|运动会|大赛|竞赛|评选"
    r"|(?:冬|夏)?奥(?:运)?会|亚运会|峰会|展会|赛事)"
)
_PUBLISHED_AFTER = re.compile(r"[ ]?(?:印发|发布|公布|施行|颁布|出台)的")
_YEAR_RUN = re.compile(r"[ \t|]*(?:19|20)\d{2}年")
_YEAR_RUN_BEFORE = re.compile(r"(?:19|20)\d{2}年[ \t|]*$")
_PAST_BEFORE = re.compile(r"(?:去年|上年|前年|往年|当年|同年)$")
_DONE_OR_ATTRIBUTE_BEFORE = re.compile(
    r"(?:已经?|曾)(?:于|在)?$|(?:毕业|出生|入职|入学|参保|参加工作|登记|注册|成立|发生|认定)(?:时间|日期|年份)?(?:为|在|是|于)$")
# A part of the year used as an attribute names data or a report about that period, not a deadline:
# 第三季度经济运行分析会, 一季度GDP增速, 上半年工作总结.
_ATTRIBUTIVE_AFTER = re.compile(
    r"(?:的)?(?:全[市区县省国])?(?:经济|GDP|运行|形势|数据|统计|指标|工作总结|总结|考核结果|考评结果|完成情况|进展情况"
    r"|情况|报表|成绩|增速|增幅|增长率)"
)
_AMOUNT_AFTER = re.compile(r"的?[\u4e00-\u9fff]{0,6}?(?:额度|缴费|预算|资金|工资|收入|支出|金额|基数|数据|人数|总数|数量|标准)")
# What a span as written is: an explicit year alone (2023年), a range (2023年3月1日至6月30日), a full date.
_YEAR_ALONE = re.compile(_YEAR)
_RANGED = re.compile(r"(?<=.)(?:—|–|-|－|~|～|〜|至|到)")
_FULL_DATE = re.compile(rf"{_YEAR}.*[日号]$")
_OPEN = {"《": "》", "〔": "〕", "［": "］", "[": "]"}
_OPENERS = re.compile("[《〔［\\[]")
_BRACKET_STOPS = {opener: re.compile(f"[{re.escape(opener + close)}\n]") for opener, close in _OPEN.items()}

_FIVE_YEAR_END = {"十一": 2010, "十二": 2015, "十三": 2020, "十四": 2025, "十五": 2030, "十六": 2035}
_CN_DIGITS = "一二三四1234"


# A progress report (一季度进展情况报告) reports on periods, it does not set them: 一季度进展, 1-5月完成, 今年以来.
# (every alternative starts with a character, not a group, so a search scans for the first characters alone)
_PROGRESS_REPORT = re.compile(
    "|".join(f"{word}情况(?:的)?(?:报告|汇总|通报|表)" for word in ("进展", "推进", "完成", "落实", "执行", "进度"))
    + "|进展报告|进度报告|情况报告如下|汇报如下")
# In a progress report only a limit the report sets for what is left counts (拟于4月中旬, 年底前, 6月底).
_REPORT_LIMIT_BEFORE = re.compile(r"(?:于|在|将|拟|计划|力争|确保|争取)$")
# An indicator's formula cell (本年度新增数/上年度总数×100%) names the period its data covers.
_FORMULA = re.compile(r"[×÷]|[*/]\s*100")


# Titles of documents that report on a year gone by: 2020年政府信息公开工作年度报告, 2020年法治政府建设情况.
_REPORT_TITLE = re.compile(r"年度报告|工作总结|(?:政府信息公开|政务公开)工作报告|(?:建设|工作|实施|执行|落实|推进)情况(?:的?报告)?$")


def is_progress_report(text: str, title: str = "") -> bool:
    """Whether a document reports progress on a plan or on a year gone by (its periods are reporting
    periods, not deadlines)."""
    return bool(_PROGRESS_REPORT.search(title) or _REPORT_TITLE.search(title) or _PROGRESS_REPORT.search(text, 0, 800))


def find_deadlines(text: str, *, year: int | None, offset: int = 0, report: bool = False) -> list[Deadline]:
    """Find the deadlines in one item's text (or one table cell) and resolve them.

    ``year`` is the plan's year, used for relative phrases (``年底前``, ``6月底前``, ``上半年``); with
    ``year=None`` they keep their granularity but get no date. ``offset`` is added to every span so
    that ``full_text[d.start:d.end]`` is the expression as written.

    >>> [(d.date, d.granularity) for d in find_deadlines("确保6月底前完成，全年新增20所。", year=2022)]
    [('2022-06-30', 'month'), ('2022-12-31', 'year')]
    """
    out: list[Deadline] = []
    for start, end in _find(text):
        iso, granularity, recurring = _resolve(text[start:end], year)
        if year is not None and iso is not None and int(iso[:4]) < year:
            continue  # a period that ended before the plan's year is history (2022年，… in a 2023 report)
        if report and not recurring and granularity != "ongoing" and not _report_limit(text, start, end):
            continue
        if text.startswith(("本年", "今年", "当年"), start) and _in_formula(text, start, end):
            continue
        out.append(Deadline(start + offset, end + offset, iso, granularity, recurring))
    return out


def _report_limit(text: str, start: int, end: int) -> bool:
    """In a progress report: a limit set for the remaining work, not the period reported on."""
    span = text[start:end]
    if span.startswith(("截至", "截止")):
        return False  # 截至3月底，已完成…
    return span.endswith(("前", "底", "末")) or bool(_REPORT_LIMIT_BEFORE.search(text, max(0, start - 2), start))


def _in_formula(text: str, start: int, end: int) -> bool:
    line_start = max(text.rfind(ch, 0, start) for ch in "\n|\t") + 1
    line_end = min((i for i in (text.find(ch, end) for ch in "\n|\t") if i >= 0), default=len(text))
    return bool(_FORMULA.search(text, line_start, line_end))


# -- find ---------------------------------------------------------------------------------------


def _find(text: str) -> list[tuple[int, int]]:
    """Spans of deadline expressions in ``text``: longest first, never overlapping, in text order."""
    # The pre-check asks which groups of characters the text meets, once for all patterns (one scan for the
    # few characters the groups hold is much cheaper than building the set of all of the text's characters).
    met = _ALL_GROUPS
    if shortcuts.ENABLED:
        met = 0
        for ch in set(_NEEDED_CHAR.findall(text)):
            met |= _CHAR_BITS[ch]
        if not met:
            return []  # half the items of a crawled plan hold none of them
    masked: list[tuple[int, int]] | None = None  # read at the first match: most items have none
    candidates: set[tuple[int, int, bool]] = set()
    for pattern, needs, starts in _SCANS:
        if met & needs != needs:
            continue  # a group of characters every match holds is missing
        for m in _overlapping_matches(pattern, starts, text):
            s, e = m.span()
            if e > s:
                if masked is None:
                    masked = _masked(text)
                if not overlaps(s, e, masked):
                    candidates.add((s, e, _is_deadline(text, m)))
    if met & _ONGOING_BIT:
        candidates.update((s, e, True) for s, e in _ongoing_cells(text))
    # A rejected expression still claims its characters: the 3月28日 of a signature date
    # 2023年3月28日 must not come back as a deadline of its own.
    chosen: list[tuple[int, int, bool]] = []  # sorted and disjoint, so one bisection finds any overlap
    for s, e, keep in sorted(candidates, key=lambda c: (c[0] - c[1], c[0], not c[2])):
        if not overlaps(s, e, chosen):
            insort(chosen, (s, e, keep))
    return [(s, e) for s, e, keep in chosen if keep]


def _overlapping_matches(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The match of ``pattern`` at every position where it matches, overlapping ones included."""
    # Overlapping scan: a pattern whose optional prefix swallowed a range connector (至2025年) must
    # still be tried from the next position, so the range pattern and this one can compete.
    if shortcuts.ENABLED:
        # Every match starts at a character of ``starts``: try the pattern at those alone.
        return [m for start in starts.finditer(text) if (m := pattern.match(text, start.start()))]
    found = []
    pos = 0
    while pos < len(text):
        m = pattern.search(text, pos)
        if m is None:
            break
        found.append(m)
        pos = m.start() + 1
    return found


_RECURRING_LIMIT = re.compile(r"[\d一二三四五六七八九十]月|\d日|[底末前]")


def _is_deadline(text: str, m: re.Match[str]) -> bool:
    span = m.group()
    if span.startswith(("每", "按", "分")):
        # a limit in every period (每月23日前, 每年6月底前), not a frequency (每年新增, 每季度召开, 按年度推进)
        return _RECURRING_LIMIT.search(span) is not None
    if span.startswith("长期"):
        return True
    bounded = span.endswith(("前", "止", "前夕"))
    if not bounded and _NOT_AFTER.match(text, m.end()):
        return False
    if span.endswith("年") and span != "全年" and _NOT_AFTER_YEAR.match(text, m.end()):
        return False
    if _YEAR_ALONE.fullmatch(span) and (_TITLE_AFTER.match(text, m.end()) or _YEAR_RUN.match(text, m.end())
                                      or _YEAR_RUN_BEFORE.search(text, max(0, m.start() - 8), m.start())):
        return False  # 指标 2020年 2021年 2022年: the years of a table's columns
    if span in ("本年度", "本年", "今年", "当年") and (_TITLE_AFTER.match(text, m.end()) or _AMOUNT_AFTER.match(text, m.end())):
        return False  # 本年度缴费额度, 今年工作要点: the year qualifies an amount or a plan
    if _PAST_BEFORE.search(text[max(0, m.start() - 2) : m.start()]):
        return False
    if _DONE_OR_ATTRIBUTE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return False  # 已于2022年2月28日发布: done; 毕业时间为2022年1-12月: who qualifies, not a limit
    if not bounded and _ATTRIBUTIVE_AFTER.match(text, m.end()) \
            and _resolve(span, None)[1] in ("day", "month", "quarter", "half"):  # (the costly test last)
        return False
    has_bounds = bounded or span.startswith(("截至", "截止", "到", "至"))
    before = text[max(0, m.start() - 1) : m.start()]
    if not has_bounds and before not in ("于", "在") and not _whole_cell(text, m.start(), m.end()):
        # A full date standing alone (2023年3月28日, 2023.3.28) is a signature or publication date —
        # unless it fills a cell of a task table — and a dated document cited as 2021年7月印发的 is history.
        ranged = _RANGED.search(span)  # 2023年3月1日至6月30日 is a period
        if not ranged and (_FULL_DATE.search(span) or _DOTTED_DAY.fullmatch(span)):
            return False
        if _YEAR_ALONE.match(span) and _PUBLISHED_AFTER.match(text, m.end()):
            return False
    return True


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans inside 《titles》 and 〔document numbers〕; an unclosed 《 runs to the end of its line.

    A title wrapped over a line break (《关于…\n…的意见》) is masked whole when it closes within 80 characters.
    """
    spans = []
    i = 0
    while True:
        found = _OPENERS.search(text, i)  # jump to the next opening bracket instead of stepping through text
        if found is None:
            break
        i = found.start()
        opener = text[i]
        wrapped = opener == "《" and text.find("》", i, i + 82) > text.find("\n", i, i + 82) >= 0
        j = len(text)  # unclosed: to the end of the text, or of the line (below)
        depth = 0
        for stop in _BRACKET_STOPS[opener].finditer(text, i):  # its brackets and line breaks alone
            ch = stop.group()
            if ch == "\n":
                if not wrapped:
                    j = stop.start()
                    break
            elif ch == opener:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    j = stop.start()
                    break
        spans.append((i, j + 1))
        i = j + 1
    return spans


def _whole_cell(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` fills a cell of a task-table row (cells separated by | or tabs)."""
    i, j = start, end
    while i > 0 and text[i - 1] == " ":
        i -= 1
    while j < len(text) and text[j] == " ":
        j += 1
    before = text[i - 1] if i > 0 else ""
    after = text[j] if j < len(text) else ""
    if before not in ("", "|", "\t", "\n") or after not in ("", "|", "\t", "\n"):
        return False
    return before in ("|", "\t") or after in ("|", "\t")


def _ongoing_cells(text: str) -> Iterator[tuple[int, int]]:
    if shortcuts.ENABLED and "|" not in text and "\t" not in text:
        # No cell of a task table, whose clauses count too (_whole_cell needs a | or a tab): the cells
        # are the lines, and one pattern finds those that are an ongoing phrase.
        yield from (m.span(1) for m in _ONGOING_LINE.finditer(text))
        return
    for m in _CELL.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if _ONGOING.fullmatch(text, s, e):
            yield s, e
        elif _whole_cell(text, s, e):
            # a clause of a task-table cell: 2023年12月底前取得阶段性成效，持续推进
            for c in _CLAUSE.finditer(text, s, e):
                cs, ce = c.start(), c.end()
                while cs < ce and text[cs].isspace():
                    cs += 1
                while ce > cs and text[ce - 1].isspace():
                    ce -= 1
                if ce > cs and (cs, ce) != (s, e) and _ONGOING.fullmatch(text, cs, ce):
                    yield cs, ce


# -- resolve ------------------------------------------------------------------------------------


# The parts of a span _resolve reads (compiled once: it runs on every candidate).
_HOLIDAY_BEFORE = re.compile(r"(.+?)(?:之前|以前|前夕|前)")
# (the patterns of _PATTERNS: re's cache compiles each once)
_HOLIDAY_ALONE, _LUNAR_NEW_YEAR_ALONE = re.compile(_HOLIDAY), re.compile(_LUNAR_NEW_YEAR)
_DOTTED_PARTS = re.compile(
    r"(.*?)((?:19|20)\d{2})[.．/](\d{1,2})(?:[.．/](\d{1,2}))?(?:(—{1,2}|–|-|－|~|～|〜|至|到)"
    r"((?:19|20)\d{2})[.．/](\d{1,2})(?:[.．/](\d{1,2}))?)?(.*)")
_DOTTED_DATE = re.compile(_DOTTED)
_FIVE_YEAR_PLAN = re.compile(r"“?(十[一二三四五六])五")
_LEADING_PREFIX = re.compile(r"^(?:截至|截止到|截止|到|至)")
_TRAILING_SUFFIX = re.compile(r"(?:之前|以前|前|为止|止)$")
_RANGE_CONNECTOR = re.compile(r"—{1,2}|–|-|－|~|～|〜|至|到")
_YEAR_HEAD = re.compile(rf"((?:19|20)\d{{2}}|{_CN_YEAR})年")
_REL_YEAR_HEAD = re.compile(r"^(?:今年|本年度|本年)")
_YEAR_WORD_HEAD = re.compile(r"^年(?=底|末|中|内)")
_QUARTER_REST = re.compile(r"(?:第|前)?([一二三四1-4])季度(?:末|底)?")
_MONTH_REST = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})月份?(.*)")
_DAY_REST = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]")


def _resolve(span: str, year: int | None) -> tuple[str | None, str, bool]:
    """One deadline expression as written -> (ISO end date or None, granularity, recurring)."""
    s = span.replace(" ", "")
    if _ONGOING.fullmatch(s):
        return None, "ongoing", False
    if s.startswith(("每", "按", "分")):
        return None, "recurring", True
    if s.startswith(("暑期", "暑假")):  # the summer holiday ends with August; 寒假 follows the lunar calendar
        return (None if s.endswith("前") else _iso(year, 8, 31)), ("day" if s.endswith("前") else "month"), False
    if s.startswith(_VACATION_WORDS):
        return None, ("day" if s.endswith("前") else "month"), False
    holiday = _HOLIDAY_BEFORE.fullmatch(s)
    if holiday and (_HOLIDAY_ALONE.fullmatch(s) or _LUNAR_NEW_YEAR_ALONE.fullmatch(s)):
        fixed = _FIXED_HOLIDAYS.get(holiday.group(1))
        return (_iso(year, *fixed) if fixed else None), "day", False
    dotted = _DOTTED_PARTS.fullmatch(s)
    if dotted and _DOTTED_DATE.search(s):
        g = dotted.groups()
        y, mo, d = (g[5], g[6], g[7]) if g[5] else (g[1], g[2], g[3])
        s = f"{g[0]}{y}年{int(mo)}月" + (f"{int(d)}日" if d else "") + g[8]
    five = _FIVE_YEAR_PLAN.match(s)
    if five:
        return _iso(_FIVE_YEAR_END[five.group(1)], 12, 31), "year", False
    s = _LEADING_PREFIX.sub("", s)
    s = _TRAILING_SUFFIX.sub("", s) or s
    parts = _RANGE_CONNECTOR.split(s)
    if len(parts) == 2 and parts[0] and parts[1]:
        left, right = parts
        explicit = _YEAR_ALONE.match(left)
        if explicit and not _YEAR_ALONE.match(right):
            right = explicit.group() + right
        date_, granularity = _resolve_single(right, year)
        return date_, granularity, False
    date_, granularity = _resolve_single(s, year)
    return date_, granularity, False


def _resolve_single(s: str, year: int | None) -> tuple[str | None, str]:
    """A single (non-range, non-recurring) expression without prefix or suffix."""
    y: int | None = year
    m = _YEAR_HEAD.match(s)
    if m:
        y = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
        rest = s[m.end() :]
    elif s.startswith("明年"):
        y = year + 1 if year is not None else None
        rest = s[2:]
    elif s.startswith(("今年", "本年度", "本年")):
        rest = _REL_YEAR_HEAD.sub("", s)
    elif s.startswith("年"):
        rest = s[1:]
    else:
        rest = s
    rest = _YEAR_WORD_HEAD.sub("", rest)

    if rest in ("", "全年", "底", "末", "内", "度", "度内"):
        return _iso(y, 12, 31), "year"
    if rest == "中":
        return _iso(y, 6, 30), "month"
    if rest in ("上半年", "下半年"):
        return _iso(y, 6 if rest[0] == "上" else 12, 30 if rest[0] == "上" else 31), "half"
    q = _QUARTER_REST.fullmatch(rest)
    if q:
        n = _CN_DIGITS.index(q.group(1)) % 4 + 1
        return _iso(y, n * 3, None), "quarter"
    mm = _MONTH_REST.fullmatch(rest)
    if mm:
        month = _number(mm.group(1))
        tail = mm.group(2)
        day = _DAY_REST.fullmatch(tail)
        if day:
            return _iso(y, month, _number(day.group(1))), "day"
        if tail in ("上旬", "初"):
            return _iso(y, month, 10), "day"
        if tail == "中旬":
            return _iso(y, month, 20), "day"
        return _iso(y, month, None), "month"
    return None, "year"


def _number(text: str) -> int:
    return int(text) if text.isdigit() else cn_to_int(text)


def _iso(y: int | None, month: int, day: int | None) -> str | None:
    """ISO date, ``day=None`` meaning the month's last day; None when the year or the date is unknown."""
    if y is None or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(y, month)[1]
    if day is not None and not 1 <= day <= last:
        return None
    return date(y, month, day or last).isoformat()
