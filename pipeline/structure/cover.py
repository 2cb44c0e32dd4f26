"""What surrounds the plan proper: the cover letter (印发通知) before it, its list of attachments, the
signature after the last item, and the web page's footer. None of these are items, and their names and
dates are not departments or deadlines."""
from __future__ import annotations

import re

from .markers import match_marker
from .text import DATE, ORG_END, later_lines_backwards, lines

_NOTICE = re.compile(r"印发给你们|现将.{0,80}?印发|现印发|现予印发|印发给各|请认真贯彻|请结合实际")
COVER_END = re.compile(rf"^(?:（此件[^）]{{0,12}}）|附件[：:]?|{DATE}|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}|\d{{6,8}})$")
_SIGNATURE = re.compile(rf"^(?:（此件[^）]{{0,12}}）(?:（联系[^）]{{0,40}}）)?|(?:{DATE})(?:印发)?|抄送[：:].*|.{{2,30}}(?:办公室|办公厅)\s*(?:{DATE})印发)$")
# The attachment list of a cover letter: 附件：1.… then 2.… on the following lines.
_ATTACHMENT_LIST = re.compile(r"附件[：:]\s*(?:\d{1,2}[.．、]|[一二三四五六七八九十]、)?")
# Web page furniture after the text: share buttons, related links, the site's footer.
_FOOTER = re.compile(r"^(?:分享到|【?打印|【?关闭|相关阅读|相关链接|相关文件|上一篇|下一篇|扫一扫|主办单位|主办：|承办单位"
                     r"|网站标识码|版权所有|Copyright|.{0,40}ICP备|.{0,30}公网安备|联系我们|网站地图)")


def body_start(text: str) -> int:
    """Where the plan proper starts: after a cover letter (印发通知 … date, 此件公开发布, 附件), else 0.

    A web copy that lost the letter's signature and date still repeats the title the letter names
    (现将《…》印发) as the plan's first line; the plan starts there.
    """
    notice = _NOTICE.search(text[:6000])
    if not notice:
        return 0
    body = 0
    in_run = False
    for s, e in lines(text, notice.end(), notice.end() + 4000):  # a cover letter is short
        line = text[s:e].strip()
        if not line:
            continue
        if COVER_END.match(line):
            body = e + 1
            in_run = True
        elif in_run:
            break
    # The plan repeats the title its letter names (现将《…》印发) as its first line, or glued to the
    # letter's last sentence in a crawl (…认真贯彻执行。某某管理办法第一章…): it starts there, even when a
    # signature and date come only after the plan.
    titles = re.findall(r"《([^》]{4,60})》", text[: notice.end() + 200]) + re.findall(r"关于印发(.{4,60}?)的通知", text[:notice.start()])
    for title in dict.fromkeys(t.strip() for t in titles):
        found = _title_line(text, title, notice.end())
        if found >= 0 and (not body or found < body):
            return found
    return min(body, len(text))


def _title_line(text: str, title: str, pos: int) -> int:
    """Where ``title`` first stands as the plan's heading from ``pos`` on, else -1: after a sentence end, a
    line break or a space, and before a blank, 第, 一, （ or the end of the text. (A search for the literal
    title, not a pattern compiled for each document's title.)"""
    at = text.find(title, pos)
    while at >= 0:
        after = at + len(title)
        if at > 0 and text[at - 1] in "。\n " and (after == len(text) or text[after].isspace() or text[after] in "第一（"):
            return at
        at = text.find(title, at + 1)
    return -1


def attachment_list_lines(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Line indexes of a cover letter's list of attachments (附件：1.… / 2.… / 3.…): never items."""
    skip: set[int] = set()
    for i, (s, e) in enumerate(spans):
        m = _ATTACHMENT_LIST.match(text, s)
        if not m or m.end() >= e:
            continue
        skip.add(i)
        for j in range(i + 1, min(len(spans), i + 30)):
            js, je = spans[j]
            line = text[js:je].strip()
            if not line:
                continue
            found = match_marker(line, 0)
            if not found or found.kind not in ("arabic", "cn_dun", "paren_arabic") or len(line) > 80:
                break
            skip.add(j)
    return skip


# Furniture that a one-line crawl glues to the end of a line
_GLUED_FOOTER = re.compile(r"更多信息请关注|扫一扫在手机|【打印本页】|【关闭窗口】")


def footer_start(text: str, start: int, end: int) -> int:
    """Where a web page's footer begins within ``text[start:end]`` (the last item's span), else ``end``."""
    for s, e in lines(text, start, end)[1:]:
        if _FOOTER.match(text, s, e) or _FOOTER.match(text[s:e].strip()):
            return s
    glued = _GLUED_FOOTER.search(text, start, end)
    return glued.start() if glued else end


def signature_start(text: str, start: int, end: int) -> int:
    """Where a signature block closing the item's span begins (issuer lines, a date, 此件公开发布, 抄送…),
    else ``end``: the signature is not part of the last item, nor are its names departments or its date
    a deadline. A closing paragraph before it (各单位要…) stays with the item; it cannot be told from
    the item's own last paragraph."""
    cut, dated, named = end, False, False
    for s, e in later_lines_backwards(text, start, end):  # never the marker's own line
        line = text[s:e].strip()
        if not line:
            continue
        issuer = (len(line) <= 40 and not re.search(r"[。，；：！？、（]", line)
                  and all(ORG_END.search(p) for p in line.split()))
        if not (issuer or _SIGNATURE.match(line)):
            break
        dated = dated or bool(re.match(DATE, line))
        named = named or issuer
        cut = s
    return cut if dated and named else end
