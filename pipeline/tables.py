"""The one declared output schema: every table's columns, types, Chinese headers and keys.

Every writer (CSV, XLSX, JSON, Parquet, SQLite) and the API's DataFrames take their columns and types from
here, and :func:`typed` is the single place where a frame gets its dtypes, so a value is the same in every
format. Types are Frictionless Table Schema names:

- ``string``: text, never null (``""`` when empty). Keys (doc_id, item_id, label, ...) are always strings,
  so ``1.10``, ``007`` and ``1.`` stay exactly as written.
- ``integer`` (pandas ``Int64``), ``number`` (``float64``), ``boolean`` (pandas ``boolean``), ``date``
  (``datetime64[ns]``, the day a deadline resolves to): null where unknown.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

LIST_SEP = ";"  # the one separator of lists inside a cell (departments, issuers, warnings, ...)
TYPES = ("string", "integer", "number", "boolean", "date")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    zh: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    # (columns, referenced table, referenced columns)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    description: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _cols(*specs: tuple[str, str, str] | tuple[str, str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


_DOC = ("doc_id", "string", "文件", "file name without extension, unique within a run")
_ITEM = ("item_id", "string", "条目编号", "dotted path of positions, e.g. 2.4")
_SPAN = (("start", "integer", "起始位置", "offset into text/<doc_id>.txt.gz, inclusive"),
         ("end", "integer", "结束位置", "offset into text/<doc_id>.txt.gz, exclusive"))
_CONTEXT = (("year", "integer", "年份", "the year the plan is for"),
            ("issuer", "string", "发文机关", "issuing bodies, ';'-separated"))
_TO_ITEM = ((("doc_id", "item_id"), "items", ("doc_id", "item_id")),)
_TO_DOC = ((("doc_id",), "documents", ("doc_id",)),)

TABLES: dict[str, Table] = {t.name: t for t in [
    Table("documents", _cols(
        _DOC,
        ("source", "string", "来源路径", "the input file as given"),
        ("format", "string", "格式"),
        ("title", "string", "标题"),
        ("issuer", "string", "发文机关", "issuing bodies, ';'-separated"),
        ("year", "integer", "年份", "the year the plan is for"),
        ("n_items", "integer", "条目数"),
        ("status", "string", "状态", "ok or error"),
        ("error", "string", "错误"),
        ("encoding", "string", "编码"),
        ("doc_number", "string", "文号"),
        ("warnings", "string", "警告", "what could not be read, ';'-separated 'code: details'"),
    ), ("doc_id",), description="one row per input file"),
    Table("items", _cols(
        _DOC, _ITEM,
        ("parent_id", "string", "上级条目", "item_id of the parent; empty at the top level"),
        ("level", "integer", "层级", "1 = top"),
        ("label", "string", "序号", "the marker as written, e.g. （九）"),
        ("heading", "string", "标题"),
        ("text", "string", "原文"),
        ("lead_departments", "string", "牵头单位", "';'-separated"),
        ("co_departments", "string", "配合单位", "';'-separated"),
        *_SPAN,
    ), ("doc_id", "item_id"), _TO_DOC, "one row per numbered item"),
    Table("quantities", _cols(
        _DOC, _ITEM,
        ("text", "string", "原文", "the span as written"),
        ("value", "number", "数值", "in base units (3.3万 -> 33000)"),
        ("value_max", "number", "数值上限", "upper end of a range"),
        ("unit", "string", "单位"),
        ("qualifier", "string", "限定词", "以上 / 左右 / 不少于 ..."),
        ("subject", "string", "指标对象", "what is counted"),
        *_SPAN,
        ("quantity_id", "string", "数值编号", "item_id#n, n-th quantity of the item"),
        ("part_of", "string", "所属总数编号", "quantity_id of the total this breakdown belongs to"),
        ("aspirational", "boolean", "力争", "true after 力争: a target striven for, not a binding one"),
        *_CONTEXT,
    ), ("doc_id", "quantity_id"), _TO_ITEM, "numeric targets"),
    Table("deadlines", _cols(
        _DOC, _ITEM,
        ("text", "string", "原文"),
        ("date", "date", "日期", "the last day it resolves to; empty if unresolvable"),
        ("granularity", "string", "精度", "day / month / quarter / half / year / range / recurring / ongoing"),
        *_SPAN,
        ("recurring", "boolean", "周期性"),
        *_CONTEXT,
    ), (), _TO_ITEM, "deadlines"),
    Table("departments", _cols(
        _DOC, _ITEM,
        ("department", "string", "部门"),
        ("role", "string", "角色", "lead or co"),
        *_SPAN,
        ("canonical", "string", "规范名称"),
        *_CONTEXT,
    ), (), _TO_ITEM, "departments assigned to items"),
    Table("instruments", _cols(
        _DOC, _ITEM,
        ("title", "string", "文件名称", "inside 《》"),
        ("action", "string", "动作", "出台 / 制定 / 修订 / 印发 ..."),
        *_SPAN,
        ("issued", "boolean", "拟出台", "true when the item promises to issue it"),
        *_CONTEXT,
    ), (), _TO_ITEM, "policy documents named in 《》"),
    Table("alignment", _cols(
        ("old_doc", "string", "旧文件"), ("new_doc", "string", "新文件"),
        ("old_item_id", "string", "旧条目编号"), ("new_item_id", "string", "新条目编号"),
        ("old_heading", "string", "旧标题"), ("new_heading", "string", "新标题"),
        ("status", "string", "对比结果", "unchanged / modified / new / dropped"),
        ("similarity", "number", "相似度"),
        ("old_label", "string", "旧序号", "the marker as written, e.g. （九）"), ("new_label", "string", "新序号"),
        ("confidence", "number", "置信度", "how sure the pairing is, 0-1"),
        ("relation", "string", "对应关系", "one-to-one, or merge / split when items were joined or divided"),
        ("moved", "boolean", "位置变动"),
        ("lead_change", "string", "牵头单位变化"), ("deadline_change", "string", "时限变化"),
        ("instruments_added", "string", "新增文件"), ("instruments_dropped", "string", "删除文件"),
        ("text_changes", "string", "文字修改"),
        ("series", "integer", "系列", "corpus mode: the series the pair belongs to (series.csv)"),
    ), description="items of consecutive plans matched by content"),
    Table("target_changes", _cols(
        ("old_doc", "string", "旧文件"), ("new_doc", "string", "新文件"),
        ("old_item_id", "string", "旧条目编号"), ("new_item_id", "string", "新条目编号"),
        ("subject", "string", "指标对象"), ("unit", "string", "单位"),
        ("old_value", "number", "旧值"), ("new_value", "number", "新值"),
        ("change", "string", "变化"), ("delta", "number", "增减"),
        ("old_text", "string", "旧原文片段"), ("new_text", "string", "新原文片段"),
        ("old_label", "string", "旧序号"), ("new_label", "string", "新序号"),
        ("old_qualifier", "string", "旧限定词"), ("new_qualifier", "string", "新限定词"),
        ("old_value_max", "number", "旧数值上限"), ("new_value_max", "number", "新数值上限"),
        ("pct", "number", "变化率%", "delta as a percentage of the old value"),
        ("moved", "boolean", "移至他项", "the target moved to another item"),
        ("item_status", "string", "条目状态", "status of the target's item pair"),
        ("series", "integer", "系列", "corpus mode: the series the pair belongs to"),
    ), description="targets that changed value, qualifier or range, moved, or came or went with their item"),
    Table("trajectories", _cols(
        ("subject", "string", "指标对象"), ("unit", "string", "单位"), ("year", "integer", "年份"),
        ("value", "number", "数值"), ("doc_id", "string", "文件"), ("item_id", "string", "条目编号"),
        ("target_id", "integer", "指标序号", "groups the points of one target"),
        ("series", "integer", "系列", "corpus mode: the series the target belongs to"),
    ), description="one row per tracked target per plan (3+ plans)"),
    Table("series", _cols(
        ("series", "integer", "系列"), ("issuer", "string", "发文机关"), ("genre", "string", "文种"),
        ("position", "integer", "系列位次"), ("doc_id", "string", "文件"), ("year", "integer", "年份"),
        ("source", "string", "来源路径"), ("status", "string", "状态"), ("error", "string", "错误"),
        ("n_items", "integer", "条目数"), ("compared_with", "string", "对比上一份"),
        ("same_issuer", "boolean", "同一发文机关"),
    ), description="corpus mode: every file, its series and position in it, or its error"),
]}

EXTRACT_TABLES = ("documents", "items", "quantities", "deadlines", "departments", "instruments")
COMPARE_TABLES = ("alignment", "target_changes", "trajectories", "series")
COLUMNS: dict[str, list[str]] = {name: t.names for name, t in TABLES.items()}

# --headers zh translates values of these columns too (牵头/配合, 新增/修改/删除, ...)
ZH_VALUES: dict[str, dict[str, str]] = {
    "role": {"lead": "牵头", "co": "配合"},
    "status": {"ok": "成功", "error": "出错", "unchanged": "未变", "modified": "修改", "new": "新增",
               "dropped": "删除"},
    "change": {"increased": "提高", "decreased": "降低", "unchanged": "未变", "added": "新增", "removed": "删除"},
}


def header_names(table: str, headers: str = "en") -> list[str]:
    """Column names as written: the contract's English names, or Chinese ones with ``headers="zh"``."""
    if headers not in ("en", "zh"):
        raise ValueError(f"headers must be 'en' or 'zh', not {headers!r}")
    cols = TABLES[table].columns
    return [c.zh for c in cols] if headers == "zh" else [c.name for c in cols]


def join(values: Iterable[str]) -> str:
    return LIST_SEP.join(v for v in values if v)


def _null(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT, pd.NA compare unequal to themselves (pd.NA raises)
    except TypeError:
        return True


def typed(name: str, data: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame of table ``name`` with exactly the declared columns, in order, with the declared dtypes.

    ``data`` is rows (dicts) or a frame with at least those columns, as Python values or as the text a CSV
    holds; strings are never parsed as numbers, so a key keeps its form.
    """
    import pandas as pd

    table = TABLES[name]
    df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data), columns=table.names)
    out = {}
    for col in table.columns:
        s = df[col.name] if col.name in df.columns else pd.Series([None] * len(df), dtype=object)
        s = s.reset_index(drop=True)
        if col.type == "string":
            out[col.name] = s.map(lambda v: "" if _null(v) else str(v)).astype(object)
        elif col.type == "integer":
            out[col.name] = pd.to_numeric(s.map(lambda v: None if _null(v) or v == "" else v),
                                          errors="raise").astype("Int64")
        elif col.type == "number":
            out[col.name] = pd.to_numeric(s.map(lambda v: None if _null(v) or v == "" else v),
                                          errors="raise").astype("float64")
        elif col.type == "boolean":
            out[col.name] = s.map(_bool).astype("boolean")
        else:  # date
            out[col.name] = pd.to_datetime(s.map(lambda v: None if _null(v) or v == "" else v)).astype(
                "datetime64[ns]")
    return pd.DataFrame(out, columns=table.names)


def _bool(value: Any) -> bool | None:
    if _null(value) or value == "":
        return None
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "1", "yes"):
            return True
        if low in ("false", "0", "no"):
            return False
        raise ValueError(f"not a boolean: {value!r}")
    return bool(value)


def cell_text(col: Column, value: Any) -> str:
    """The CSV text of one typed value: empty for null, ISO dates, ``true``/``false``, numbers as Python prints them."""
    if _null(value):
        return ""
    if col.type == "boolean":
        return "true" if value else "false"
    if col.type == "date":
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)[:10]
    if col.type == "integer":
        return str(int(value))
    if col.type == "number":
        return repr(float(value))
    return str(value)


def datapackage(names: Iterable[str], paths: Mapping[str, str], *, headers: str = "en") -> dict[str, Any]:
    """A Frictionless Data Package describing the tables written (``paths``: table -> file name)."""
    resources = []
    for name in names:
        table = TABLES[name]
        fields = []
        for col, shown in zip(table.columns, header_names(name, headers)):
            f: dict[str, Any] = {"name": shown, "type": col.type}
            if col.description:
                f["description"] = col.description
            if shown != col.name:
                f["title"] = col.name
            if col.type == "boolean":
                f["trueValues"], f["falseValues"] = ["true"], ["false"]
            fields.append(f)
        shown_of = dict(zip(table.names, header_names(name, headers)))
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if table.primary_key:
            schema["primaryKey"] = [shown_of[c] for c in table.primary_key]
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [shown_of[c] for c in cols],
                 "reference": {"resource": ref, "fields": [dict(zip(TABLES[ref].names, header_names(ref, headers)))[c]
                                                           for c in ref_cols]}}
                for cols, ref, ref_cols in table.foreign_keys if ref in names]
        res = {"name": name, "path": paths[name], "profile": "tabular-data-resource", "schema": schema}
        if paths[name].endswith(".csv"):
            res.update(format="csv", mediatype="text/csv", encoding="utf-8")  # with a BOM, which readers skip
        if table.description:
            res["description"] = table.description
        resources.append(res)
    return {"profile": "tabular-data-package", "name": "planscope-tables", "resources": resources}
