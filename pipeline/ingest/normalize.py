"""Normalisation: small ``str -> str`` steps applied in an explicit order.

The normalised text keeps the official full-width punctuation of Chinese documents (``（一）``, ``：``,
``，``) because that is what the originals use and what web copies lost; digits and Latin letters are
ASCII; Kangxi-radical lookalikes from PDFs become ordinary characters.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .. import shortcuts


def _compiled_when_used(pattern: str) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled on its first use. Compiling a class of CJK characters costs import time (tens of
    microseconds, a large range far more), which patterns that most texts never need should not cost."""
    return lru_cache(maxsize=1)(lambda: re.compile(pattern))


_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CP1252_SPECIALS = "".join(
    bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
)
# A run that could be UTF-8 bytes shown as cp1252/latin-1: a lead byte (Ã..ô) and continuation bytes.
_MOJIBAKE_RUN = _compiled_when_used(f"(?:[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_SPECIALS}]+)+")
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,500})?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_SURROGATE = _compiled_when_used("[\ud800-\udfff]")


def fix_surrogates(text: str) -> str:
    """Join UTF-16 surrogate pairs and turn lone surrogates into U+FFFD.

    pdfminer maps glyphs of Identity-encoded fonts straight to code points, which can land in the
    surrogate range; text holding them cannot be written as UTF-8, so no later stage may see them.
    """
    if not _SURROGATE().search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/cp1252 (``ä¿¡æ¯`` -> ``信息``), run by run."""
    if not _MOJIBAKE_LEAD.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        try:
            raw = bytes(ord(ch) if ord(ch) < 0x100 else ch.encode("cp1252")[0] for ch in run)
            return raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE_RUN().sub(fix, text)


def strip_html_residue(text: str) -> str:
    """Remove stray tags (``<br>``, ``<span ...>``) and decode entities left in text copied from the web."""
    if "<" in text:
        text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
        text = _TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


# A structural marker as it starts a paragraph (一、 （一） 1. （1） ① 第一章/条/部分): what a lost paragraph
# break is most often followed by. The structure stage decides which of them are items.
_MARKER_AHEAD = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,3}[.．、](?![\d%])|[（(]\d{1,3}[）)]"
    r"|[①-⑳⑴-⒇⒈-⒛㈠-㈩]|第[一二三四五六七八九十百零〇\d]{1,4}[章节条部分篇])"
)
# The characters a _MARKER_AHEAD match can end with
_MARKER_ENDS = frozenset("、）).．章节条部分篇" + "".join(map(chr, [*range(0x2460, 0x249C), *range(0x3220, 0x322A)])))
_SENTENCE_CLOSE = "。！？；：”’」』）)"
# Parts of a letter that start their own line: the attachment heading, a table's 序号 header, the
# signature's date.
# A task table's 序号 header cell (also letter-spaced: 序　号)
_TABLE_HEADER = re.compile(r"(?:序|编)\s*号[\s|]")
_LETTER_PART_AHEAD = re.compile(r"附件\s*(?:[：:]|\d{1,2}(?:-\d{1,2})?\s|\d{1,2}$|(?=\s))|" + _TABLE_HEADER.pattern
                                + r"|\d{4}年\d{1,2}月\d{1,2}日(?=\s|$)")
# A run of blanks inside a line that holds an ideographic space or a no-break space: in crawled and copied
# text this is where a paragraph break (and its two-character U+3000 indent) used to be; also a run of
# plain spaces. The pattern matches a whole run of two or more blanks, or a lone ideographic/no-break
# space: the runs of "[ \u3000\u00a0]*[\u3000\u00a0][ \u3000\u00a0]*|[ ]{2,}", written with a blank first so
# that a search jumps from blank to blank instead of trying every position.
_INDENT_RUN = re.compile("[ \u3000\u00a0](?:[ \u3000\u00a0]+|(?<=[\u3000\u00a0]))")


# A signature glued to the text around it in a one-line crawl: …报告。人力资源社会保障部办公厅2022年11月30日更多…
# (The sentence end before it is matched, not looked behind for, so that a search jumps from one to the next.)
_GLUED_SIGNATURE = _compiled_when_used(
    r"(?P<after>[。）)])([\u4e00-\u9fff（）]{2,40}?(?:厅|局|委|委员会|办公室|人民政府|政府|部|办))"
    r"((?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日)(?!起|前|以|至|到|后|的)")
# Where such a signature can be: the last character of the organ's name and the date right after it.
# Found from a date's 年 (a literal a search jumps to), since sentence ends are everywhere.
_DATE_TAIL = re.compile(r"年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日")
_NAME_ENDS = "厅局委会室府部办"  # the last characters of the endings of _GLUED_SIGNATURE's names
_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
_NOT_AFTER_DATE = frozenset("起前以至到后的")
_GLUED_NAME_MAX = 44  # the name's 40 characters and its longest ending (人民政府)


def restore_paragraph_breaks(text: str) -> str:
    """Turn paragraph breaks that became blank runs back into line breaks.

    Crawls and web copies join paragraphs with their indent (``…制定本方案。　　一、总体要求　　（一）…``).
    A run becomes a line break when a structural marker comes right after it, or when it is an indent
    (two or more ideographic/no-break spaces) after a sentence end or a heading; letter-spaced words
    (``总　　则``, ``序　号``) stay as they are. A run of plain spaces needs the marker, since PDF text is
    full of them.
    """
    if "日" in text:
        # no signature starts more than a name's length before the first junction of a name and a date
        junction = _first_glued_junction(text) if shortcuts.ENABLED else _GLUED_NAME_MAX
        if junction >= 0:
            cut = max(0, junction - _GLUED_NAME_MAX)
            text = text[:cut] + _GLUED_SIGNATURE().sub(lambda m: f"{m.group('after')}\n{m.group(2)}\n{m.group(3)}\n",
                                                     text[cut:])
    if "\u3000" not in text and "\u00a0" not in text and "  " not in text:
        return text

    # after a task table's header (序号　　工作任务　　牵头单位…) a run between cells is a cell break
    header = _table_header_start(text)
    table_from = header if header >= 0 else len(text) + 1

    def letter_spaced(s: int, e: int) -> bool:
        """A run between single characters of one word (序　　号, 总　　则)."""
        def single(i: int, j: int) -> bool:  # text[i] a lone CJK character, j the index beyond it
            return "\u4e00" <= text[i] <= "\u9fff" and (j < 0 or j >= len(text) or text[j].isspace())
        return single(s - 1, s - 2) or (e < len(text) and single(e, e + 1))

    def ideographic(run: str) -> bool:
        return "\u3000" in run or "\u00a0" in run

    def fix(m: re.Match[str]) -> str:
        run, s, e = m.group(0), m.start(), m.end()
        if s == 0 or e == len(text) or text[s - 1] == "\n" or text[e] == "\n" or _after_marker(text, s):
            return run  # a marker's own padding (第一章　　总则, 一、　　总体要求) keeps it with its heading
        indent = ideographic(run)
        if text[s - 1] == "|" and indent:
            return "\n"  # a table's cells closed by " |", one per line before the crawl joined them
        if indent and table_from <= s and not letter_spaced(s, e):
            return "\n"  # after a 序号 header: the cells of a flattened table (not a letter-spaced 序　号)
        if _MARKER_AHEAD.match(text, e) or _LETTER_PART_AHEAD.match(text, e) or (len(run) >= 2 and indent
                                                                                  and _ends_paragraph(text, s)):
            return "\n"
        return run

    return _INDENT_RUN.sub(fix, text)


_HEADER_END = re.compile(r"号[\s|]")  # how a _TABLE_HEADER match ends


def _table_header_start(text: str) -> int:
    """Where ``_TABLE_HEADER`` first matches, else -1: found from the 号 it ends with (a literal, which a
    search jumps to far faster than to either of 序 and 编), then back over the blanks before it."""
    for end in _HEADER_END.finditer(text):  # never overlapping: 号 is no blank
        k = end.start()
        while k > 0 and text[k - 1].isspace():
            k -= 1
        if k > 0 and text[k - 1] in "序编":
            return k - 1
    return -1


def _first_glued_junction(text: str) -> int:
    """Where the first name ending of a ``_GLUED_SIGNATURE`` stands right before its date, else -1: the
    date's 年…月…日 (the classes of its days and months hold neither 月 nor 日, so it ends in one place
    only), four digits before it, a name's last character before them, and none of 起, 前… after it."""
    pos = 0
    while found := _DATE_TAIL.search(text, pos):
        at = found.start() - 5
        year = text[at + 1 : found.start()]
        if (at >= 0 and text[at] in _NAME_ENDS and (year.isdecimal() or not year.strip(_CN_YEAR_DIGITS))
                and text[found.end() : found.end() + 1] not in _NOT_AFTER_DATE):
            return at
        pos = found.start() + 1
    return -1


def _after_marker(text: str, s: int) -> bool:
    """Whether the phrase before ``s`` is a bare marker (第一章, 第一条, 一、, （一）, 1.)."""
    if shortcuts.ENABLED and text[s - 1 : s] not in _MARKER_ENDS:
        return False  # no marker ends at s
    k = s
    while k > 0 and k > s - 8 and not text[k - 1].isspace() and text[k - 1] not in "。！？；：":
        k -= 1
    found = _MARKER_AHEAD.match(text, k)
    return found is not None and found.end() == s


def _ends_paragraph(text: str, s: int) -> bool:
    """Whether an indent run at ``s`` closes a paragraph or a heading: it follows a sentence end, or a
    short heading that starts with a marker or 附件N (``一、总体要求　　坚持…``). A run between names on one line
    (``中共常州市委教育工委　　常州市教育局``) or inside a letter-spaced word (``总　　则``) is no break."""
    if text[s - 1] in _SENTENCE_CLOSE:
        return True
    k = s  # back to the start of the phrase: a blank or a sentence end (not the ） of its own （一）)
    while k > 0 and k > s - 40 and not text[k - 1].isspace() and text[k - 1] not in "。！？；":
        k -= 1
    if not (k == 0 or text[k - 1].isspace() or text[k - 1] in "。！？；"):
        return False
    if _MARKER_AHEAD.match(text, k) or text.startswith("附件", k):
        return True
    j = k  # or a heading set off from its marker by a run of its own (一、　　总体要求　　坚持…)
    while j > 0 and text[j - 1] in " \u3000\u00a0":
        j -= 1
    return j < k and s - k >= 2 and _after_marker(text, j)  # not a letter-spaced 总　　则


def unify_characters(text: str) -> str:
    """Kangxi radicals and compatibility ideographs -> ordinary characters; full-width ASCII -> ASCII."""
    # str.translate looks every character of a CJK text up in the table, which is slow; a text holds only
    # a few distinct characters of the table, and no replacement is itself in the table, so replacing
    # each of them throughout in turn gives the same text.
    table = _char_table()
    found = _table_chars().search(text)
    while found:
        ch = found.group()
        text = text.replace(ch, table[ord(ch)])
        found = _table_chars().search(text, found.start())  # nothing of the table is left before it
    return text


@lru_cache(maxsize=1)
def _table_chars() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_char_table())) + "]")


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EF4)) + list(range(0xF900, 0xFADA)):
        mapped = unicodedata.normalize("NFKC", chr(cp))
        if mapped != chr(cp) and len(mapped) == 1:
            table[cp] = mapped
    for cp in range(0xFF10, 0xFF1A):  # full-width digits
        table[cp] = chr(cp - 0xFEE0)
    for cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # full-width letters
        table[cp] = chr(cp - 0xFEE0)
    table[0xFF05] = "%"
    table[0xFF0B] = "+"
    table[0xFF1D] = "="
    table[0xFF1C] = "<"
    table[0xFF1E] = ">"
    table[0xFF0F] = "/"
    table[0xFF0D] = "-"  # full-width hyphen-minus of ranges and periods: 2－3家, （2020－2022年）
    table[0xFE6A] = "%"
    for zw in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        table[ord(zw)] = ""
    for sp in ("\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000"):
        table[ord(sp)] = " "
    table[ord("\r")] = "\n"
    table[ord("\u2028")] = "\n"
    table[ord("\u2029")] = "\n"
    table[ord("\t")] = " "
    return table


# A colon not after a digit or not before one; a comma not after a digit or not before three. The sign
# comes first in each pattern so that a search jumps from sign to sign instead of trying every position.
_ASCII_COLON = re.compile(r":(?:(?<!\d:)|(?!\d))")
_ASCII_COMMA = re.compile(r",(?:(?<!\d,)|(?!\d{3}))")
_ASCII_EXCLAMATION = _compiled_when_used(f"!(?<=[{_CJK}]!)")  # after a CJK character
_ASCII_QUESTION = _compiled_when_used(f"\\?(?<=[{_CJK}]\\?)")


def full_width_punctuation(text: str) -> str:
    """Web copies write ``(一)`` and ``:`` where the original had ``（一）`` and ``：``; restore them.

    ASCII brackets and semicolons become full-width everywhere; colons and commas only where they are
    not part of a number (``09:33``, ``1,000``).
    """
    if not any(ch in text for ch in "():,;!?"):
        return text
    text = text.replace("(", "（").replace(")", "）").replace(";", "；")
    text = _ASCII_COLON.sub("：", text)
    text = _ASCII_COMMA.sub("，", text)
    if not shortcuts.ENABLED or "!" in text:
        text = _ASCII_EXCLAMATION().sub("！", text)
    if not shortcuts.ENABLED or "?" in text:
        text = _ASCII_QUESTION().sub("？", text)
    return text


# Frequent characters that exist only in traditional script; counting them detects a traditional
# document without running the (slow) converter over simplified text.
_TRADITIONAL_ONLY = frozenset(
    "黨國會發設進際務實體關題學將點這們為於與經動現當應業區還開過種數產見機環報導類結屬員幹領強計劃標準質"
    "議認識論項縣鄉鎮辦總統層職責條規範貫徹資輔師課網絡衛農醫療養護稅財濟價額億萬單雙舉勞歷屆邊連選檢"
    "驗證讀書鐘錢錄鍵築設傳術構廣營運費聯興滿權據錯離創韌險觀聽響顯變亂態藝廳圖積極緊難雖隊陸陽際戰鬥"
)


_CJK_CHAR = _compiled_when_used("[\u4e00-\u9fff]")
_TRADITIONAL_CHAR = re.compile(f"[{''.join(sorted(_TRADITIONAL_ONLY))}]")


def to_simplified(text: str) -> str:
    """Convert a traditional-character document to simplified; simplified text is left untouched."""
    sample = text[:20000]
    traditional = len(_TRADITIONAL_CHAR.findall(sample))
    if traditional < 3:  # simplified below, whatever the count of CJK characters: spare counting them
        return text
    cjk = len(_CJK_CHAR().findall(sample))
    if cjk < 4 or traditional < max(3, cjk * 0.01):
        return text
    text = _t2s().convert(text)
    # Character conversion leaves Taiwan vocabulary (最佳化, 网际网路); the phrase table gives the mainland
    # words, but only phrases that are no ordinary mainland word (a mainland plan in traditional
    # characters keeps its 效能), see models/build_tw_phrases.py.
    from ..resources import load_tw_phrases

    for taiwan, mainland in load_tw_phrases():
        if taiwan in text:
            text = text.replace(taiwan, mainland)
    return text


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("t2s")


_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
# Pinyin glossed after a character in a copy made for readers (发（fā）展, 意识形态（tài）): always with a tone mark.
_PINYIN_RUBY = _compiled_when_used(f"(?<=[{_CJK}])（[a-zü{_TONE_MARKS}]{{0,6}}[{_TONE_MARKS}][a-zü{_TONE_MARKS}]{{0,6}}）")


_TONE_MARK = _compiled_when_used(f"[{_TONE_MARKS}]")


def strip_pinyin_ruby(text: str) -> str:
    """Remove pinyin glosses in brackets after characters (``發（fā）展`` -> ``發展``)."""
    if not _TONE_MARK().search(text):
        return text
    return _PINYIN_RUBY().sub("", text)


def tidy_whitespace(text: str) -> str:
    """Strip each line, drop runs of blank lines, and remove spaces between CJK characters in indents."""
    # Joined back, the stripped lines hold a run of blank lines as three or more line breaks, which become
    # one blank line, and blank lines at either end as line breaks there, which go. A stripped line has no
    # spaces at its ends, so no run of spaces spans lines and one pass shortens them all.
    text = "\n".join([ln.strip() for ln in text.split("\n")]).strip("\n")
    return _SPACE_RUN.sub("  ", _BLANK_LINES.sub("\n\n", text))


# Written with a literal start ("\n\n\n+", not "\n{3,}"), so that a search jumps to it.
_BLANK_LINES = re.compile("\n\n\n+")  # three line breaks or more
_SPACE_RUN = re.compile("  +")  # two spaces or more


_OPEN_CLOSE = {"（": "）", "《": "》", "“": "”", "【": "】"}
_LINE_MARKER = re.compile(_MARKER_AHEAD.pattern + r"|附件|序号|\d{1,3}\s*\|")


def join_wrapped_lines(text: str) -> str:
    """Join the lines of a hard-wrapped text (a copy of a PDF page) back into paragraphs.

    A document counts as wrapped when many of its lines are about as long as the longest usual line
    (the wrap width) and most of those end inside a sentence. There, a line is joined to the next non-blank line when it is full-width
    or leaves a bracket open, or breaks a number (``小学1`` / ``.2万个``), and the next line does not start
    a marker. Other documents are returned unchanged: their lines are paragraphs. A break inside a number
    (``小学1`` / ``.2万个``) is joined in wrapped documents only; elsewhere it cannot be told from a line
    that ends with a number.
    """
    lines = text.split("\n")
    lengths = sorted(len(ln) for ln in lines if len(ln) >= 10 and "|" not in ln)
    if len(lengths) < 4:
        return text
    width = lengths[int(len(lengths) * 0.9) - 1]
    if width < 25:  # short lines are table cells or target lists, not a page's wrap width
        return text
    # Wrapped lines are about as long as each other; paragraphs and table cells are not.
    full = [ln for ln in lines if 0.85 * width <= len(ln) <= 1.1 * width and "|" not in ln]
    open_ended = [ln for ln in full if ln[-1] not in _SENTENCE_CLOSE]
    if len(full) < 0.4 * len(lengths) or len(open_ended) < max(3, 0.5 * len(full)):
        return text
    out: list[str] = []
    pending, blank = "", False
    for ln in lines:
        if pending and not ln:
            blank = True  # blank lines between the wrapped lines of one paragraph go if the lines join
            continue
        if pending and _joins(pending, ln, width):
            pending, blank = pending + ln, False
            continue
        if pending:
            out.extend([pending, ""] if blank else [pending])
            pending, blank = "", False
        if ln:
            pending = ln
        else:
            out.append(ln)
    if pending:
        out.append(pending)
    return "\n".join(out)


def _joins(line: str, nxt: str, width: int) -> bool:
    """Whether a wrapped ``line`` runs on into ``nxt``: not before a marker, never from a line with a
    column gap (a running header) or a table row; inside an open bracket, across a broken number, or
    from a full-width line that does not end a sentence."""
    if _LINE_MARKER.match(nxt) or "|" in line or "  " in line or line[-1] in _SENTENCE_CLOSE:
        return False
    depth = sum(line.count(o) - line.count(c) for o, c in _OPEN_CLOSE.items())
    broken_number = line[-1].isdigit() and nxt[0] in ".．%万亿"
    return depth > 0 or broken_number or len(line) >= 0.85 * width


STEPS: list[Callable[[str], str]] = [
    fix_surrogates,
    repair_mojibake,
    strip_html_residue,
    restore_paragraph_breaks,
    unify_characters,
    full_width_punctuation,
    strip_pinyin_ruby,
    to_simplified,
    tidy_whitespace,
    join_wrapped_lines,
]


# What fix_surrogates, repair_mojibake and strip_pinyin_ruby act on. No step before strip_pinyin_ruby makes
# any of these characters but the decoding of HTML entities (&aacute;), so a text that holds none of them
# and no "&" is spared the three steps: one search instead of three.
_REPAIRED = re.compile(f"[\ud800-\udfff\u00c2-\u00f4{_TONE_MARKS}]")
_SPARED = (fix_surrogates, repair_mojibake, strip_pinyin_ruby)
_PLAIN_STEPS = [step for step in STEPS if step not in _SPARED]


def normalize(text: str, steps: list[Callable[[str], str]] | None = None) -> str:
    """Apply the normalisation steps in order and return the normalised text."""
    text = text.replace("\r\n", "\n")
    if steps is None:
        plain = shortcuts.ENABLED and "&" not in text and not _REPAIRED.search(text)
        steps = _PLAIN_STEPS if plain else STEPS
    for step in steps:
        text = step(text)
    return text
