"""Document metadata researchers group by: title, issuers in full, the year the plan is for, 文号."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .. import shortcuts
from ..model import Document
from ..numerals import cn_to_int
from .markers import match_marker
from .text import DATE, ORG_END, YEAR
from .text import lines as line_spans

_TITLE_WORDS = re.compile(r"(要点|计划|方案|任务|安排|清单|报告|分工|分解|举措|目标|重点工作|任务表|分解表|办法|细则)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,4}号")
_DOC_NUMBER_TAIL = re.compile(r"〔\d{4}〕\d{1,4}号")  # _DOC_NUMBER after its issuer's characters


# Labels and page furniture in front of a title line: 信息名称：…, a breadcrumb (当前位置：首页 › … › title).
_TITLE_LABEL = re.compile(r"^(?:(?:信息名称|文件名称|标\s*题|名\s*称)\s*[：:]|附件\s*[：:]?\s*(?:\d{1,2}\s*[.．、]?)?)\s*")
_BREADCRUMB = re.compile(r"(?:当前位置|您当前的位置|您的位置|所在位置)\s*[：:].*(?:›|>>|>|»)\s*")
_CHROME = re.compile(r"Copyright|©|版权所有|https?://|www\.|发布时间|发布日期|更新时间|浏览次数|访问次数|字体|索\s*引\s*号"
                     r"|当前位置|您当前的位置|首页|打印|关闭|分享")
_NPC_SESSION = re.compile(r"第?([十]?[一二三四五六七八九十])届全国人[民大]+(?:代表大会)?第?([一二三四五六七八九十])次会议")
_YEAR_RANGE = re.compile(r"(20\d{2})\s*(?:年\s*)?[-—–~～至到]\s*(20\d{2})\s*(?:年|[）)])")  # （2020-2022） too
_PUBLISHED = re.compile(r"(?:成文日期|发布日期|发布时间|生成日期|印发日期)\s*[：:]?\s*(20\d{2})")
_TRAILING_DATE = re.compile(r"\s*\d{4}-\d{2}-\d{2}.*$")  # tried at every position: only where a - stands
_NOTICE = re.compile(r"(?:关于)?印发(?:《([^》]+)》|([^，。；：\n]+?))的通知")
_CITED_TITLE = re.compile(r"《([^《》]{4,80})》")
_LEADING_DATE = re.compile(rf"^(?:{DATE})\s*(?:[（(]此件[^）)]{{0,12}}[）)])?\s*(?=\S)")


def clean_title(line: str) -> str:
    """A title line without its label, breadcrumb, trailing date or table chrome (``| |||``), and
    without a ``《`` or ``》`` left unbalanced by the cut."""
    line = _BREADCRUMB.sub("", _TITLE_LABEL.sub("", line.strip()))
    line = _LEADING_DATE.sub("", line)  # the signature's date a crawl ran into the title (2023年2月11日河北省…方案)
    if not shortcuts.ENABLED or "-" in line:
        line = _TRAILING_DATE.sub("", line)
    line = line.strip(" |")
    if line.count("《") > line.count("》"):
        line = line.replace("《", "", line.count("《") - line.count("》"))
    elif line.count("》") > line.count("《"):
        line = line[::-1].replace("》", "", line.count("》") - line.count("《"))[::-1]
    return line.strip()


def _is_title(line: str) -> bool:
    return 0 < len(line) <= 80 and "通知" not in line and line[-1] not in "。；，" and bool(_TITLE_WORDS.search(line))


def read_metadata(doc: Document) -> None:
    """Fill title, issuer, year and 文号 of ``doc`` from its head, cover letter, signature and metadata."""
    text = doc.text
    found: list[tuple[list[str], str] | None] = []

    def signed() -> tuple[list[str], str] | None:  # the first signature block, looked for once if at all
        if not found:
            found.append(_signature_at(text))
        return found[0]

    head_end = doc.items[0].start if doc.items else min(len(text), 3000)
    body_lines = [ln for ln in (text[s:e].strip() for s, e in line_spans(text, doc.body_start, head_end)) if ln]
    title, issuers = _title(doc, body_lines)
    doc.title = re.sub(r"\s*\n\s*", "", title).replace("  ", " ")  # a title wrapped over two lines is one
    if not issuers:
        notice = re.match(r"\s*(.{2,60}?)关于(?:印发|转发)", text[:200])
        signature = signed()
        issuers = ((signature[0] if signature else []) or _title_prefix(doc.title)
                   or (_names(notice.group(1)) if notice else []))
    if not issuers:
        meta = doc.metadata.get("issuer") or _labelled(text[:3000], "发布机构")
        if meta:
            issuers = [meta]
    doc.issuer = "；".join(issuers)
    number = doc.metadata.get("doc_number") or ""
    if not number:
        # the document's own number stands alone in the head; one in brackets or after 》 is a cited one
        for s, e in _doc_numbers(text, max(head_end, doc.body_start) + 1):
            if text[max(0, s - 1) : s] not in ("（", "》", "(") and "印发" not in text[s:e]:
                number = text[s:e]
                break
    doc.doc_number = number
    doc.year = _year(doc, signed)


def _title(doc: Document, body_lines: list[str]) -> tuple[str, list[str]]:
    """The plan's own title and, when the lines around it name them, its issuers.

    In order: a title-like line of the head (要点, 方案, 分解表…; a header ``发文机关：标题`` gives both), the
    title of the first attachment when the plan is the attachment of a cover letter, the page's own
    metadata, the title a cover letter names (关于印发…的通知), and last the first line that is no page
    furniture (a crawl file's first line is its title).
    """
    text = doc.text
    title, issuers, at = "", [], -1
    before = ""  # the paragraph before the title's, where a title wrapped over two starts
    for i, raw in enumerate(body_lines[:40]):
        parts = raw.split("  ")  # a running header: 期号  发文机关：标题  页码
        for p, part in enumerate(parts):
            cand = clean_title(part)
            # a title wrapped over two lines that a crawl joined: …2023年重点工作  任务分解和责任分工方案
            # (not the signature's date and the title after it: 河北省人民政府办公厅  2023年2月11日…方案)
            if (p + 1 < len(parts) and not _LEADING_DATE.match(parts[p + 1].strip())
                    and _continues_title(cand, clean_title(parts[p + 1]))):
                cand += clean_title(parts[p + 1])
            head, colon, tail = cand.partition("：")
            if colon and ORG_END.search(head) and _is_title(tail):
                return tail, [head]
            if _is_title(cand) and len(cand) <= 60:
                title, at = cand, i
                break
            before = cand
        if title:
            break
    if 0 <= at < len(body_lines) - 1 and _continues_title(title, clean_title(body_lines[at + 1])):
        title += clean_title(body_lines[at + 1])
    if before and f"《{before}{title}》" in text:  # 河北省县域特色产业集群“领跑者”  企业培育行动方案, as cited
        return before + title, issuers
    if at > 0:
        prev = clean_title(body_lines[at - 1])
        if len(prev) <= 30 and "。" not in prev and YEAR.search(prev) and not YEAR.search(title):
            title = prev + title
        elif len(prev) <= 40 and all(ORG_END.search(p) for p in prev.split()):
            issuers = prev.split()
    if title:
        return title, issuers
    first = doc.items[0] if doc.items else None
    if first is not None and first.kind == "attachment" and _is_title(doc.heading(first)):
        return doc.heading(first), issuers
    if re.search(r"[\u4e00-\u9fff]", doc.metadata.get("title", "")):  # not a file's internal id (CF8856E7…)
        return doc.metadata["title"], issuers
    # the letter's own notice, not one cited inside a title (根据《…办公厅印发<关于…的意见>的通知》)
    notice = next((m for m in _NOTICE.finditer(text, 0, 3000)
                   if text.rfind("《", 0, m.start()) <= text.rfind("》", 0, m.start())), None)
    if notice and notice.group(1):
        return _unspaced(notice.group(1)), issuers
    if notice:  # the letter cites it in full further on: 关于印发2024年立法工作计划的通知 … 《河北省人民政府2024年立法
        # 工作计划》, 印发关于…有关工作实施方案的通知 … 《关于…有关工作的实施方案》
        named = notice.group(2).replace("的", "")
        for cited in _CITED_TITLE.finditer(text, notice.end(), notice.end() + 1000):
            if cited.group(1).replace("的", "").endswith(named):
                return _unspaced(cited.group(1)), issuers
        return notice.group(2), issuers
    for raw in text[: min(len(text), 1500)].split("\n")[:8]:
        cand = clean_title(raw)
        # not page furniture, not a sentence, not the letter's salutation (各区县人民政府：)
        if (6 <= len(cand) <= 100 and not _CHROME.search(raw) and not re.search("[。；！？]", cand)
                and not cand.endswith("：") and not match_marker(cand, 0)):
            return cand, issuers
    return "", issuers


def _unspaced(title: str) -> str:
    """A cited title without the blanks a page's line wrap left between two characters (…为导向 分配政策…)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", title)


def _continues_title(title: str, nxt: str) -> bool:
    """A continuation of a title wrapped onto two lines (…2023年重点工作 / 任务分解和责任分工方案), not a
    repeat of the title as web pages print it above the text."""
    return (bool(title) and 0 < len(nxt) <= 30 and "。" not in nxt and bool(_TITLE_WORDS.search(nxt))
            and not match_marker(nxt, 0) and not YEAR.search(nxt) and nxt not in title)


def _doc_numbers(text: str, end: int) -> Iterator[tuple[int, int]]:
    """The spans of ``_DOC_NUMBER.finditer(text[:end])``, found from the 〔 of each (a character a search
    jumps to, where every CJK character would start a try of _DOC_NUMBER): the issuer is the run of one to
    ten CJK characters right before it, from the previous number's end on."""
    done = 0
    for tail in _DOC_NUMBER_TAIL.finditer(text, 0, end):
        s = tail.start()
        while s > max(done, tail.start() - 10) and "\u4e00" <= text[s - 1] <= "\u9fff":
            s -= 1
        if s < tail.start():
            yield s, tail.end()
            done = tail.end()


# A signature's date stands at the start of its line, or of a paragraph a crawl ran into the line (set off
# by two spaces), or right after the names (…河北省分行2022年12月30日（此件主动公开）); what follows is the
# end, a note or the attached plan's title, never a deadline's or a sentence's continuation (…日前, …日印发).
_SIGNED_ON = re.compile(rf"(?:{DATE}|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}})(?![\d前起后以之至到止—\-~～，、,。；印发出召举开在由对])")
# Where one organ's name ends and the next begins in names a crawl ran together
# (河北省人力资源和社会保障厅河北省民政厅): an organ's ending, then a party, state or place prefix, or a
# ministry (发展改革委财政部) unless the ending is a party committee's (省委组织部 is one organ). 河北省人民
# 政府办公厅 stays one: 办公厅 has neither.
_ENDINGS = r"委员会|联合会|协会|工会|工委|局|厅|处|办公室|政府|部|院|中心|署|支行|分行"  # not 银行: 中国农业银行某省分行 is one
_NAME_JOIN = re.compile(rf"(?:{_ENDINGS}|委)(?=中共|中国|国家|共青团|[\u4e00-\u9fff]{{1,4}}?(?:省|市|自治区))"
                        rf"|(?:{_ENDINGS}|(?<![省市县区党])委)(?=[\u4e00-\u9fff]{{2,6}}部(?![门分]))")
_NOT_A_NAME = re.compile(r"指南|方案|办法|通知|意见|规定|细则|要点|条例|名单|标准|清单|目录|纲要|表")  # a document's title before the names
_SIGNER_ENDS = ("银行", "支行", "分行", "公司", "集团")  # besides ORG_END's: 中国铁路北京局集团有限公司 signs too


def _signature_at(text: str) -> tuple[list[str], str] | None:
    """(issuers, date) of the first signature block in ``text``. The issuers of a signature are the
    organ names right above its date (落款), several for a joint document: on lines of their own, set
    off by spaces on one line, or run together by a crawl. The cover letter's signature comes first; it
    gives the full official name (立山区人民政府), which a title prefix (立山区政府2023年…) or a web page's
    发布机构 often shortens."""
    # paragraphs: lines, and the paragraphs a crawl ran into one line, set off by two spaces
    paras = [p.strip() for p in re.split(r"\n|[ \u3000]{2,}", text)]
    paras = [p for p in paras if p]
    for i, para in enumerate(paras):
        for date in _SIGNED_ON.finditer(para):
            head = para[: date.start()]
            run = re.search(r"[\u4e00-\u9fff]*$", head).group(0)  # type: ignore[union-attr]  # after 联系电话：0311-…
            # the run must begin a sentence or follow a number, an e-mail or a web address (联系电话：0311-…);
            # after a comma or a closing quote it is the rest of a sentence or a title (…发展规划科技部)
            before = head[: len(head) - len(run)][-1:]
            names = split_names(run, tail=True) if not before or before in "。！？；）)" or before.isascii() else []
            if head and not names:
                continue
            if not head:  # names on the lines above: every one of them a name
                for j in range(i - 1, max(-1, i - 20), -1):  # a joint plan of up to twenty organs
                    parts = paras[j].split()
                    tail: list[str] = []  # the organ names closing the line
                    while parts and split_names(parts[-1]):
                        tail[:0] = split_names(parts.pop())
                    names[:0] = tail
                    if parts or not tail:
                        break
            if names:
                return names, para[date.start() :]
            break  # a date that starts a paragraph under no names: this paragraph holds no signature
    return None


def split_names(text: str, *, tail: bool = False) -> list[str]:
    """The organ names ``text`` consists of, one or several run together, or [] if it is not only names;
    with ``tail``, the names that end it (…118号河北省人力资源和社会保障厅工伤保险处河北省人力资源和社会保障厅)."""
    if not text or len(text) > 200 or re.search(r"[。，；：、（）《》\s]", text):
        return []
    cuts = [0, *(m.end() for m in _NAME_JOIN.finditer(text)), len(text)]
    names = [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
    good = [len(n) <= 40 and (bool(ORG_END.search(n)) or n.endswith(_SIGNER_ENDS)) and not _NOT_A_NAME.search(n)
            for n in names]
    if tail:
        return names[len(good) - good[::-1].index(False):] if False in good else names
    return names if all(good) else []


def _names(text: str) -> list[str]:
    """Organ names listed before 关于 (科技部 财政部 发展改革委, 省委办公厅、省政府办公厅)."""
    parts = [p for p in re.split(r"[\s、，]+", text) if p]
    return parts if parts and all(ORG_END.search(p) for p in parts) else []


def _title_prefix(title: str) -> list[str]:
    """The issuers named at the head of the title (芜湖市教育局2024年工作要点, 河北省人民政府办公厅关于…,
    河北省人力资源和社会保障厅河北省民政厅…关于…)."""
    prefix = re.match(r"(.+?)(?:关于|转发|印发|\d{4}年)", title)
    parts = [split_names(p) for p in re.split(r"[\s、]+", prefix.group(1).strip())] if prefix else []
    return [name for names in parts for name in names] if parts and all(parts) else []


def _year(doc: Document, signed: Callable[[], tuple[list[str], str] | None]) -> int | None:
    """The year the plan is for: the start of a range in the title (（2023—2025年）), a year in the title,
    the session of the National People's Congress a government report goes to, the preamble's
    ``20XX年是…``, the date under the signature, then the page's publication date and the 文号's year."""
    text = doc.text
    span = _YEAR_RANGE.search(doc.title)
    if span:
        return int(span.group(1))
    year = YEAR.search(doc.title)
    if year:
        return int(year.group(1))
    npc = None if shortcuts.ENABLED and "届全国人" not in text[:5000] else _NPC_SESSION.search(text[:5000])
    if npc:
        term, session = cn_to_int(npc.group(1)), cn_to_int(npc.group(2))
        if term >= 5:  # from the 5th NPC (1978) on, one term is five years and holds one session a year
            return 1978 + 5 * (term - 5) + session - 1
    if doc.preamble:
        year = re.search(r"(20\d{2})\s*年(?:是|全|，|工作)", text[doc.preamble[0] : doc.preamble[1]])
        if year:
            return int(year.group(1))
    signature = signed()
    if signature:  # the document's own date, under its signature: 2022年11月30日, 二〇〇三年十月二十四日
        digits = re.match(r"(\d{4})|([〇○零一二三四五六七八九]{4})", signature[1])
        if digits:
            return int(digits.group(1)) if digits.group(1) else cn_to_int(digits.group(2).replace("○", "〇"))
    published = _PUBLISHED.search(text[:3000])  # the web page's date, which a repost makes later
    if published:
        return int(published.group(1))
    date = doc.metadata.get("date", "") or doc.metadata.get("created", "")
    found = re.search(r"(20\d{2}|19\d{2})", date)
    if found:
        return int(found.group(1))
    number = _DOC_NUMBER.search(doc.doc_number or "")
    if number:  # 冀政发〔2015〕12号
        return int(re.search(r"〔(\d{4})〕", number.group(0)).group(1))  # type: ignore[union-attr]
    # A year near the head that names the plan's own year (2023年工作要点, 2023年是…), not a target (到2025年)
    head = re.search(r"(?<![到至于])(20\d{2})\s*年(?!\d{1,2}月\d{1,2}日(?:起|以后|前))", text[: min(len(text), 600)])
    return int(head.group(1)) if head else None


def _labelled(text: str, label: str) -> str:
    m = re.search(label + r"\s*[：:]\s*(\S+)", text)
    return m.group(1) if m else ""
