"""Compare a whole corpus at once: group plans into series (issuer + genre), order each by year, compare
consecutive plans. A file that cannot be read is an error row of ``series.csv``; the run goes on.

>>> run = compare_corpus(results)                    # doctest: +SKIP
>>> run.rows[0]                                      # doctest: +SKIP
{'series': 1, 'issuer': '芜湖市教育局', 'genre': '工作要点', 'doc_id': 'wuhu_edu_2024', 'year': 2024, ...}
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..tables import TABLES
from ..model import Document, DocResult
from . import Comparison, compare
from .series import places

SERIES_COLUMNS = TABLES["series"].names
# Genres a researcher keeps apart: a 工作要点 series is not continued by a 行动方案.
_GENRES = [("政府工作报告", re.compile(r"政府工作报告")), ("工作要点", re.compile(r"工作要点")),
           ("任务分工", re.compile(r"重点工作任务|任务分[解工]|责任分工|分工方案")),
           ("行动方案", re.compile(r"行动方案|实施方案|行动计划")), ("工作计划", re.compile(r"工作计划"))]
# A signing body in the text when the metadata names no issuer: 重庆市沙坪坝区人民政府 -> 沙坪坝.
_BODY = re.compile(r"^\s*((?:[\u4e00-\u9fff]{2,6}?(?:省|市))?[\u4e00-\u9fff]{2,6}?(?:市|区|县))"
                   r"(?=人民政府|政府办|教育局|卫生健康委|发展和改革委|委员会)", re.MULTILINE)
_NOT_PLACE = re.compile(r"^[全本各我该和及在年与对]")


def genre(doc: Document) -> str:
    """The kind of plan from its title (or, without one, the start of its text); ``""`` if none fits."""
    probe = doc.title or doc.text[doc.body_start : doc.body_start + 300]
    for name, pattern in _GENRES:
        if pattern.search(probe):
            return name
    return ""


def issuer_key(doc: Document) -> str:
    """What groups plans by issuer: the issuer's most specific place and its body, or a signing body found
    in the text; ``""`` when nothing says."""
    found = places(doc)
    if found:
        body = re.sub(r"^中共|^中国共产党", "", doc.issuer or "")
        body = re.sub(r".*(?:自治区|省|市|区|县)", "", re.split(r"[；;、/，,\s]", body)[-1]) if doc.issuer else ""
        return found[-1] + (f"/{body}" if body else "")
    for m in _BODY.finditer(doc.text):
        parts = [p for p in re.findall(r"([\u4e00-\u9fff]{2,}?)(?:省|市|区|县)", m.group(1)) if not _NOT_PLACE.match(p)]
        if parts:
            return parts[-1]
    return ""


@dataclass(slots=True)
class CorpusComparison:
    """Every series of the corpus with its comparison, and one row per input file (``series.csv``)."""

    comparisons: list[Comparison] = field(default_factory=list)
    series_ids: list[int] = field(default_factory=list)  # the ``series`` number of each comparison
    rows: list[dict[str, object]] = field(default_factory=list)


def compare_corpus(results: Iterable[DocResult], **options: object) -> CorpusComparison:
    """Group readable plans by (issuer, genre) and plan title, order each group by year and compare
    consecutive plans.

    Plans whose issuer or genre (工作要点, 政府工作报告, ...) cannot be told stay alone (a series of one),
    as do plans without a year when their series has other plans (their place in it would be a guess). ``options`` go to :func:`compare`.
    """
    groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
    errors: list[DocResult] = []
    for res in results:
        if res.document is None:
            errors.append(res)
            continue
        doc = res.document
        key, kind = issuer_key(doc), genre(doc)
        # Without an issuer or a plan genre there is no series to place the document in.
        groups[(key if key and kind else f"?{doc.doc_id}", kind)].append(doc)
    series_groups: dict[tuple[str, str, int], list[Document]] = {}
    for (key, kind), docs in groups.items():
        for k, cluster in enumerate(_by_title(docs)):
            series_groups[(key, kind, k)] = cluster
    out = CorpusComparison()
    series_id = 0
    for (key, kind, _), docs in sorted(series_groups.items(), key=lambda kv: (kv[0][0].startswith("?"), kv[0])):
        dated = sorted((d for d in docs if d.year is not None), key=lambda d: (d.year, d.doc_id))
        runs = [dated] if len(dated) >= 2 else []
        alone = ([] if runs else dated) + [d for d in docs if d.year is None]
        for run in runs:
            series_id += 1
            try:
                cmp = compare(run, **options)  # type: ignore[arg-type]
            except ValueError as exc:  # e.g. two inputs with one doc_id: this series fails, the run goes on
                out.rows += [_row(series_id, key, kind, pos + 1, d, "", None, f"not compared: {exc}")
                             for pos, d in enumerate(run)]
                continue
            out.comparisons.append(cmp)
            out.series_ids.append(series_id)
            flags = {p.new_doc: p.same_issuer for p in cmp.pairs}
            for pos, d in enumerate(run):
                out.rows.append(_row(series_id, key, kind, pos + 1, d, run[pos - 1].doc_id if pos else "",
                                     flags.get(d.doc_id)))
        for d in alone:
            series_id += 1
            out.rows.append(_row(series_id, key, kind, 1, d, "", None,
                                 "" if d.year is not None or len(docs) == 1 else "no plan year: not placed in its series"))
    for res in errors:
        out.rows.append({"series": None, "issuer": "", "genre": "", "position": None, "doc_id": res.doc_id,
                         "year": None, "source": res.source, "status": "error", "error": " ".join(res.error.split()),
                         "n_items": None, "compared_with": "", "same_issuer": None})
    return out


# Left out of a title before comparing: numbers and dates, 印发通知 wording, and the genre words every plan
# of the genre shares (工作要点, 实施方案), so that what a plan is about decides.
_TITLE_NOISE = re.compile(r"\d+|[（）()〔〕\-—～~年度月]|关于印发|的通知|通知|关于|政府工作报告|工作要点|工作计划|"
                          r"行动方案|实施方案|行动计划|任务分[解工]|责任分工|分工方案|重点工作任务|工作|方案|计划|要点")


def _title_grams(doc: Document) -> set[str]:
    title = re.sub(r"^.*[：:]", "", doc.title)  # 信息名称：… is page furniture
    for place in places(doc):
        title = title.replace(place, "")
    title = re.sub(r"[^\u4e00-\u9fff]|[省市区县]", "", _TITLE_NOISE.sub("", title))
    return {title[k : k + 2] for k in range(len(title) - 1)}


def _by_title(docs: list[Document]) -> list[list[Document]]:
    """One issuer's plans of one genre split into series of the same plan: titles (years, places and
    印发通知 wording aside) sharing at least half their bigrams. A plan without a title joins the first."""
    def close(a: set[str], b: set[str]) -> bool:
        return not a or not b or 2 * len(a & b) / (len(a) + len(b)) >= 0.5

    clusters: list[list[tuple[set[str], Document]]] = []
    for doc in sorted(docs, key=lambda d: (d.year or 0, d.doc_id)):
        grams = _title_grams(doc)
        home = next((c for c in clusters if any(close(grams, g) for g, _ in c)), None)
        if home is None:
            clusters.append([(grams, doc)])
        else:
            home.append((grams, doc))
    return [[d for _, d in c] for c in clusters]


def _row(series: int, key: str, kind: str, position: int, doc: Document, previous: str,
         same: bool | None, note: str = "") -> dict[str, object]:
    return {"series": series, "issuer": doc.issuer or ("" if key.startswith("?") else key), "genre": kind,
            "position": position, "doc_id": doc.doc_id, "year": doc.year, "source": doc.source, "status": "ok",
            "error": note, "n_items": len(doc.items), "compared_with": previous, "same_issuer": same}
