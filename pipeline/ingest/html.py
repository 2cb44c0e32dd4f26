"""HTML reader for government web pages: the article text, without the site chrome, plus 信息公开 metadata."""
from __future__ import annotations

import codecs
import re
import warnings

from bs4 import BeautifulSoup, NavigableString, Tag

from ..model import RawText
from .encoding import decode_reporting

_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_CHAR = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_DROP_TAGS = ["script", "style", "noscript", "iframe", "button", "nav", "footer", "aside",
              "template", "svg", "object", "embed", "select", "textarea", "input"]
_CHROME = re.compile(
    r"nav|menu|crumb|位置|location|position|share|分享|related|相关|footer|版权|copyright"
    r"|print|打印|关闭|字体|toolbar|sidebar"
)
# Only whole lines made of these words are chrome; the same words inside a sentence are content.
_CHROME_LINE = re.compile(
    r"^(?:[\s【】\[\]()（）|｜:：>»]|打印(?:本页|此页)?|关闭(?:本页|窗口)?|字[体号]|大|中|小|默认"
    r"|收藏|返回顶部|分享到|微信|微博|QQ(?:空间)?|当前位置)+$"
)
_CONTAINERS = ["zoom", "TRS_Editor", "xxgk_content", "article-content", "pages_content", "main-text",
               "Custom_UnionStyle", "article", "view", "con", "content"]
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "tbody", "thead", "tfoot", "caption", "section", "article", "main", "header",
          "blockquote", "pre", "center", "address", "figure", "figcaption", "hr", "td", "th"}
_META_LABELS = {
    "信息名称": "title", "标题": "title", "索引号": "index_no", "发布机构": "issuer", "发文机关": "issuer",
    "发文机构": "issuer", "发文单位": "issuer", "文件编号": "doc_number", "文号": "doc_number",
    "发文字号": "doc_number", "生成日期": "date", "发文日期": "date", "发布日期": "date",
    "成文日期": "date", "主题分类": "category",
}
_LABEL_ALT = "|".join(r"\s*".join(label) for label in sorted(_META_LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"^\s*({_LABEL_ALT})\s*(?:[:：]\s*(.*?)|)\s*$", re.S)
_PAIR = re.compile(rf"(?:^|(?<=\s))({_LABEL_ALT})\s*[:：]\s*")
_VALUE_END = re.compile(r"\s+[\u4e00-\u9fff][\u4e00-\u9fff\s]{0,8}[:：]")
_META_TAGS = {"articletitle": "title", "pubdate": "date", "contentsource": "issuer"}
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S | re.I)
_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)
_CELL_SEP = "\x01"  # stands for " | " until the end, so that space collapsing keeps empty cells
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "x-gb18030", "euc-cn"}


def read_html(data: bytes, *, source: str = "<bytes>") -> RawText:
    """Read a web page: decode it, drop the site chrome, and return the main text, one line per block.

    Tables become one line per row with cells joined by `` | ``. The 信息公开 metadata block (索引号,
    发布机构, 文号, ...) goes into ``metadata`` (keys title, index_no, issuer, doc_number, date, category,
    page_title) and is left out of the text. No entity is resolved and nothing is fetched.
    """
    markup, encoding, problems = _decode(data, source)
    markup = _strip_doctype_subset(markup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 warns about XHTML parsed as HTML, which is what we want
        soup = BeautifulSoup(markup, "lxml")
    metadata: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        metadata["page_title"] = soup.title.get_text(" ", strip=True)
    for tag in soup.find_all("meta", attrs={"name": True, "content": True}):
        key = _META_TAGS.get(str(tag["name"]).lower())
        if key and str(tag["content"]).strip():
            metadata.setdefault(key, str(tag["content"]).strip())
    body = soup.body or soup
    for tag in body.find_all(_DROP_TAGS):
        tag.decompose()
    _drop_forms(body)
    for tag in body.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    for tag in body.find_all("header"):
        if not tag.find_parent(["article", "main"]):  # an article's own header holds its title
            tag.decompose()
    metadata.update(_take_metadata(body))
    _drop_chrome(body)
    lines = [ln.strip() for ln in _render(_main_container(body)).replace(_CELL_SEP, " | ").split("\n")]
    text = "\n".join(ln for ln in lines if ln and not _CHROME_LINE.match(ln))
    return RawText(text=text, format="html", source=source, encoding=encoding, metadata=metadata,
                   warnings=tuple(problems))


def _decode(data: bytes, source: str) -> tuple[str, str, list[str]]:
    if data.startswith(codecs.BOM_UTF8) or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_reporting(data, source=source)
    m = _CHARSET.search(data[:4096])
    if m:
        name = (m.group(1) or m.group(2)).decode("ascii").lower()
        try:
            # A page declaring gb2312 routinely uses characters only GBK/GB18030 have.
            enc = "gb18030" if name in _GB else codecs.lookup(name).name
            text = data.decode(enc, "replace")
        except LookupError:
            pass  # unknown declaration: read the bytes instead
        else:
            bad = text.count("\ufffd")
            if not bad:
                return text, enc, []
            if bad <= max(3, len(text) // 1000):  # the declaration is right, a few bytes are not
                return text, enc, [f"bad_bytes: {bad} undecodable byte sequence(s) replaced with \ufffd, read as {enc}"]
            # a wrong declaration: read the bytes instead
    if b"\x00" not in data:
        # Markup is mostly ASCII, which UTF-16 would interleave with NULs; decode() can mistake
        # even-length ASCII-heavy GBK for UTF-16, so settle the two common cases here.
        for enc in ("utf-8", "gb18030"):
            try:
                return data.decode(enc), enc, []
            except UnicodeDecodeError:
                continue
    return decode_reporting(data, source=source)


def _strip_doctype_subset(markup: str) -> str:
    """Remove an internal DTD subset and references to the entities it declares (XXE payloads)."""
    m = _DOCTYPE_SUBSET.search(markup[:65536])
    if not m:
        return markup
    names = re.findall(r"<!ENTITY\s+(?:%\s*)?([\w.:-]+)", m.group(1))
    markup = markup[: m.start()] + "<!DOCTYPE html>" + markup[m.end() :]
    for name in names:
        markup = markup.replace(f"&{name};", "")
    return markup


def _cjk(node: Tag) -> int:
    return len(_CJK_CHAR.findall(node.get_text()))


def _take_metadata(body: Tag) -> dict[str, str]:
    """Collect label/value pairs from the innermost elements that start with a metadata label, then remove them."""
    found: dict[str, str] = {}
    used: list[Tag] = []
    matched: set[int] = set()
    candidates = body.find_all(["td", "th", "li", "span", "p", "dt", "dd", "div", "label", "strong", "b", "em", "font"])
    for el in reversed(candidates):  # children before parents, so the innermost match wins
        text = el.get_text()
        if len(text) > 300 or any(id(d) in matched for d in el.find_all(True)):
            continue
        m = _LABEL_RE.match(text)
        if not m:
            continue
        matched.add(id(el))
        parts, pair_text = [el], text
        if not (m.group(2) or "").strip():  # label alone: the value is the next cell/element or the text after it
            value = ""
            for sib in el.next_siblings:
                if isinstance(sib, Tag):
                    if value.strip() or _LABEL_RE.match(sib.get_text()):
                        break
                    value += sib.get_text()
                    parts.append(sib)
                    break
                value += str(sib)
            pair_text = f"{m.group(1)}：{value}"
        pairs = _pairs(pair_text)
        if not pairs:  # a column header such as 标题 in a task table, not metadata
            continue
        found.update(pairs)  # walking backwards, so the first occurrence in the page wins
        used.extend(parts)
    if not used:
        return {}
    block = _common_ancestor(used)
    meta_len = sum(len(re.sub(r"\s", "", p.get_text())) for p in used)
    if block is not None and block is not body and meta_len >= 0.6 * len(re.sub(r"\s", "", block.get_text())):
        block.decompose()
    else:
        for part in used:
            part.decompose()
    return found


def _pairs(text: str) -> dict[str, str]:
    """``索引号：X 发布机构：Y 来源：Z`` -> {index_no: X, issuer: Y}; a value ends where another label starts."""
    out: dict[str, str] = {}
    for m in _PAIR.finditer(text):
        value = _VALUE_END.split(text[m.end() :], maxsplit=1)[0].strip()
        if value:
            out.setdefault(_META_LABELS[re.sub(r"\s", "", m.group(1))], value)
    return out


def _common_ancestor(tags: list[Tag]) -> Tag | None:
    chains = [[t, *t.parents] for t in tags]
    shared = set(map(id, chains[0])).intersection(*(set(map(id, c)) for c in chains[1:]))
    return next((t for t in chains[0] if id(t) in shared), None)


def _drop_chrome(body: Tag) -> None:
    total = _cjk(body)
    for tag in body.find_all(True):
        if tag.decomposed:
            continue
        marks = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        # Class names lie (id="printContent" often wraps the article): never drop most of the page.
        if _CHROME.search(marks.lower()) and _cjk(tag) < 0.5 * total:
            tag.decompose()


def _drop_forms(body: Tag) -> None:
    """Drop search boxes and log-in forms, but keep a form that holds the article: ASP.NET pages wrap
    the whole body in one ``<form runat="server">``."""
    total = _cjk(body)
    for form in body.find_all("form"):
        if form.decomposed:
            continue
        if total and _cjk(form) >= 0.5 * total:
            form.unwrap()
        else:
            form.decompose()


def _loose_text(node: Tag) -> int:
    """CJK characters a node holds outside its block children and links: paragraph text of its own."""
    n = 0
    for child in node.children:
        if isinstance(child, Tag):
            if child.name not in _BLOCK and child.name not in {"a", "table"}:
                n += _loose_text(child)
        elif type(child) is NavigableString and not _CHROME_LINE.match(child.strip() or "|"):
            n += len(_CJK_CHAR.findall(str(child)))  # "当前位置：" before a breadcrumb is not paragraph text
    return n


def _main_container(body: Tag) -> Tag:
    total = _cjk(body)
    for name in _CONTAINERS:
        hits = body.find_all(id=name) + body.find_all(class_=name)
        best = max(hits, key=_cjk, default=None)
        if best is not None and _cjk(best) >= max(20, 0.3 * total):
            return best
    # No known container: descend while one child holds most of the text that is not link text.
    # Pages with an unclosed <p><font> or <div> per paragraph nest each paragraph inside the one
    # before: a node with paragraph text of its own is content, and the text left out on the way
    # down is bounded against the start, not step by step (which would peel off one paragraph a level).
    node = body
    start = _text_weight(body)
    while True:
        own = _text_weight(node)
        children = [c for c in node.find_all(True, recursive=False) if c.name not in {"a", "br"}]
        best = max(children, key=_text_weight, default=None)
        if best is None or own == 0 or _text_weight(best) < 0.8 * max(own, start) or _loose_text(node) >= 2:
            return node
        table = best if best.name == "table" else best.find_parent("table")
        if table is not None and not _is_layout(table):  # a data table's rows are rendered together
            return node
        node = best


def _text_weight(node: Tag) -> int:
    return _cjk(node) - sum(_cjk(a) for a in node.find_all("a"))


def _render(node: Tag) -> str:
    if node.name == "table" and not _is_layout(node):
        return _table(node)
    out: list[str] = []
    _walk(node, out)
    s = "".join(out)
    # A source line break between two CJK characters is markup wrapping, not a space (Word's HTML).
    s = re.sub(r"[ \x00]{2,}", lambda m: "\x00" if "\x00" in m.group() else " ", s)
    s = re.sub(f"(?<=[{_CJK}])\x00(?=[{_CJK}])", "", s)
    return s.replace("\x00", " ")


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            if child.name == "br":
                out.append("\n")
            elif child.name == "table" and not _is_layout(child):
                out.append("\n" + _table(child) + "\n")
            elif child.name in {"ul", "ol", "dl", "div", "table"} and _is_link_list(child):
                continue
            elif child.name in _BLOCK:
                out.append("\n")
                _walk(child, out)
                out.append("\n")
            else:
                _walk(child, out)
        elif type(child) is NavigableString:  # not comments, doctypes or CDATA
            out.append(re.sub(r"[ \t\r\n\f]+", lambda m: "\x00" if "\n" in m.group() else " ", str(child)))


def _is_link_list(tag: Tag) -> bool:
    links = tag.find_all("a")
    return len(links) >= 3 and sum(_cjk(a) for a in links) >= 0.6 * max(_cjk(tag), 1)


def _rows(table: Tag) -> list[list[Tag]]:
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return [tr.find_all(["td", "th"], recursive=False) for tr in rows]


def _is_layout(table: Tag) -> bool:
    """Old sites lay out whole pages with tables; only a grid of short cells is data."""
    rows = _rows(table)
    if table.find("table") or max((len(r) for r in rows), default=0) <= 1:
        return True
    return any(len(c.find_all(["p", "div", "br"])) >= 5 for r in rows for c in r)


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name) or "1").strip() or 1), 1000))
    except ValueError:
        return 1


def _table(table: Tag) -> str:
    """One line per row, cells on the table's grid: a ``rowspan`` cell's text is repeated in every row it
    covers (a lead unit merged down over its tasks belongs to each), a ``colspan`` cell takes its columns
    with the text in the first; a row that is one cell across the table stays a plain line."""
    lines = []
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered) from rowspans above
    for row in _rows(table):
        grid: list[str] = []
        col = 0
        texts = [(" ".join(ln.strip() for ln in _render(c).split("\n") if ln.strip()).replace("|", "｜"), c)
                 for c in row]
        for text, cell in texts:
            while col in below:
                grid.append(below[col][0])
                col += 1
            rows, cols = _span(cell, "rowspan"), _span(cell, "colspan")
            for k in range(cols):
                grid.append(text if k == 0 else "")
                if rows > 1:
                    below[col + k] = (text if k == 0 else "", rows)
            col += cols
        while col in below:
            grid.append(below[col][0])
            col += 1
        below = {c: (t, n - 1) for c, (t, n) in below.items() if n - 1 > 0}
        # the cells this row placed under a rowspan were counted for this row: keep only the rest
        while grid and not grid[-1] and len(grid) > 1 and len(row) == 1:
            grid.pop()
        if any(grid):
            lines.append(_CELL_SEP.join(grid))
    return "\n".join(lines)
