"""Build the HTML fixtures: government information-disclosure pages wrapping corpus plans.

Run: python tests/data/build_html.py [OUTPUT_DIR]   (default: tests/data/html)
"""
from __future__ import annotations

import re
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "corpus" / "changzhou_edu_2022.txt").read_text(encoding="utf-8")
ANSHAN = (ROOT / "corpus" / "samples" / "anshan_lishan_gov_tasks_2023.txt").read_text(encoding="utf-8")
OUT = Path(__file__).parent / "html"

UTF8_META = '<meta charset="utf-8">'
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'

CHANGZHOU_RELATED = [
    "常州市教育局2021年工作总结",
    "市教育局召开2022年全市教育工作会议",
    "常州市“十四五”教育发展规划",
    "关于做好2022年义务教育学校招生入学工作的通知",
    "常州市教育局2022年度部门预算公开",
]
ANSHAN_RELATED = [
    "立山区2022年政府工作报告",
    "立山区人民政府关于2022年重点工作完成情况的报告",
    "立山区优化营商环境若干措施",
    "立山区2023年国民经济和社会发展计划",
    "立山区召开2023年经济工作会议",
]


def _html(line: str) -> str:
    return escape(line, quote=False).replace("  ", "&nbsp;&nbsp;")


def _wrap_in_source(text: str, width: int = 60) -> str:
    """Break a long paragraph across source lines between two CJK characters, as Word's HTML export does."""
    for i in range(width, len(text) - 1):
        if "\u4e00" <= text[i - 1] <= "\u9fff" and "\u4e00" <= text[i] <= "\u9fff":
            return text[:i] + "\r\n" + text[i:]
    return text


def _paragraph(i: int, line: str) -> str:
    if not line.strip():
        return "<p>&nbsp;</p>"
    body = _html(line)
    if i < 3:
        return f'<p style="text-align: center;"><strong>{body}</strong></p>'
    if re.match(r"^[一二三四五六七八九十]+、", line):
        return f'<p style="text-indent: 2em;"><strong><span style="font-family: 黑体;">{body}</span></strong></p>'
    if i % 4 == 0:
        return f'<p>&nbsp;&nbsp;&nbsp;&nbsp;<span style="font-family: 仿宋_GB2312; font-size: 16pt;">{body}</span></p>'
    if i % 7 == 0:
        return f'<p style="text-indent: 2em; line-height: 2;">{_wrap_in_source(body)}</p>'
    return f"<p>&nbsp;&nbsp;{body}</p>"


def _page(
    *, site: str, related: list[str], charset_meta: str, page_title: str, crumb: str, metadata: str, title: str,
    content: str, content_class: str,
) -> str:
    links = "\n".join(
        f'        <li><a href="/xxgk/{20220100 + n}.html" target="_blank">{t}</a><span>2022-0{n + 1}-1{n}</span></li>'
        for n, t in enumerate(related)
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_meta}
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title}</title>
<meta name="SiteName" content="{site}">
<link rel="stylesheet" type="text/css" href="/images/style.css">
<style type="text/css">
  body {{ font-family: "微软雅黑"; }}
  .TRS_Editor p {{ line-height: 2; font-size: 16px; }}
</style>
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top">
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="{site}"></a></div>
  <form class="search" action="/search" method="get"><input type="text" name="q" value="请输入关键字"><button type="submit">搜索</button></form>
</div>
<div class="nav" id="menu">
  <ul>
    <li><a href="/">首页</a></li>
    <li><a href="/jggk/">机构概况</a></li>
    <li><a href="/xxgk/">信息公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/jyzx/">教育资讯</a></li>
  </ul>
</div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; {crumb}</div>
  <div class="xxgk-box">
{metadata}
  </div>
  <div class="article">
    <h1 class="article-title">{title}</h1>
    <div class="article-tools">
      <span id="fontsize">字体：【<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span>
    </div>
    <div class="article-body">
      <script type="text/javascript">var pageTitle = "{title}"; // 正文字号切换脚本</script>
      <div class="{content_class}">
{content}
      </div>
    </div>
    <div class="bdshare share">分享到：<a href="#" class="wx">微信</a> <a href="#" class="wb">微博</a></div>
    <div class="print-close">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
  </div>
  <div class="related">
    <h3>相关链接</h3>
    <ul>
{links}
    </ul>
  </div>
</div>
<div class="footer" id="footer">
  <p>版权所有：{site}&nbsp;&nbsp;主办：{site}办公室</p>
  <p>网站标识码：3204000038&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/">苏ICP备05002154号-1</a></p>
</div>
<script type="text/javascript">
  var _hmt = _hmt || [];
  document.getElementById("footer").title = "欢迎访问{site}网站，本页面浏览次数统计中";
</script>
</body>
</html>
"""


def changzhou_page(charset_meta: str) -> str:
    title = "中共常州市委教育工委 常州市教育局关于印发2022年工作要点的通知"
    metadata = f"""    <table class="xxgk-info" width="100%" cellspacing="0" cellpadding="0">
      <tr><td class="label">信息名称：</td><td colspan="3">{title}</td></tr>
      <tr><td class="label">索 引 号：</td><td>014108590/2022-00012</td><td class="label">发布机构：</td><td>常州市教育局</td></tr>
      <tr><td class="label">文件编号：</td><td>常教工委〔2022〕5号</td><td class="label">生成日期：</td><td>2022-02-18</td></tr>
      <tr><td class="label">主题分类：</td><td>教育</td><td class="label">有 效 性：</td><td>有效</td></tr>
    </table>"""
    content = "\n".join(f"        {_paragraph(i, ln)}" for i, ln in enumerate(SEED.split("\n")))
    return _page(
        site="常州市教育局",
        related=CHANGZHOU_RELATED,
        content_class="TRS_Editor",
        charset_meta=charset_meta,
        page_title=f"{title}_常州市教育局",
        crumb='<a href="/xxgk/jhzj/">计划总结</a> &gt; 正文',
        metadata=metadata,
        title=title,
        content=content,
    )


def anshan_page() -> str:
    lines = [ln.strip() for ln in ANSHAN.split("\n") if ln.strip()]
    first = next(i for i, ln in enumerate(lines) if re.match(r"^\d+\.", ln))
    rows: list[list[str]] = []
    for ln in lines[first:]:
        m = re.match(r"^(\d+)\.(.*)$", ln)
        if m:
            rows.append([m.group(1), m.group(2), "", ""])
        elif ln.startswith("牵头单位"):
            rows[-1][2] = re.split("[:：]", ln, maxsplit=1)[1]
        elif ln.startswith("责任单位"):
            rows[-1][3] = re.split("[:：]", ln, maxsplit=1)[1]
    cell = '<td valign="middle"><p style="text-align: center;">{}</p></td>'
    table = ['        <table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%">']
    table.append("          <tr>" + "".join(f'<td><p><b>{h}</b></p></td>' for h in ("序号", "工作任务", "牵头单位", "责任单位")) + "</tr>")
    for row in rows:
        table.append("          <tr>" + "".join(cell.format(escape(c, quote=False) or "&nbsp;") for c in row) + "</tr>")
    table.append("        </table>")
    content = "\n".join([*(f"        <p>{_html(ln)}</p>" for ln in lines[:first]), *table])
    title = "立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知"
    metadata = f"""    <ul class="xxgk-list">
      <li><span>标　　题：</span>{title}</li>
      <li><span>索 引 号：</span>11210304MB1581234X/2023-00021</li>
      <li><span>发布机构：</span>立山区人民政府</li>
      <li><span>文　　号：</span>鞍立政发〔2023〕2号</li>
      <li><span>发文日期：</span>2023年03月28日</li>
      <li><span>主题分类：</span>综合政务</li>
    </ul>"""
    return _page(
        site="鞍山市立山区人民政府",
        related=ANSHAN_RELATED,
        content_class="pages_content",
        charset_meta=UTF8_META,
        page_title=f"{title}_鞍山市立山区人民政府",
        crumb='<a href="/xxgk/zfwj/">政府文件</a> &gt; 正文',
        metadata=metadata,
        title=title,
        content=content,
    )


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "changzhou_edu_2022.html").write_bytes(changzhou_page(UTF8_META).encode("utf-8"))
    (out / "changzhou_edu_2022_gbk.html").write_bytes(changzhou_page(GB2312_META).encode("gb18030"))
    (out / "anshan_lishan_gov_tasks_2023.html").write_bytes(anshan_page().encode("utf-8"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
