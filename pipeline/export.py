"""Model -> tables (pandas) -> CSV (UTF-8 with BOM) / XLSX / JSON / Parquet."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .extract.departments import canonical
from .model import DocResult, Document, Quantity

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; the streaming CSV path does not need it
    import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "source", "format", "title", "issuer", "year", "n_items", "status", "error",
                  "encoding", "doc_number", "warnings"],
    "items": ["doc_id", "item_id", "parent_id", "level", "label", "heading", "text", "lead_departments",
              "co_departments", "start", "end"],
    "quantities": ["doc_id", "item_id", "text", "value", "value_max", "unit", "qualifier", "subject",
                   "start", "end", "part_of", "aspirational"],
    "deadlines": ["doc_id", "item_id", "text", "date", "granularity", "start", "end", "recurring"],
    "departments": ["doc_id", "item_id", "department", "role", "start", "end", "canonical"],
    "instruments": ["doc_id", "item_id", "title", "action", "start", "end", "issued"],
}


# OWASP CSV injection: a cell starting with one of these runs as a formula in Excel / LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with ``'``; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --headers zh: column names for readers who do not work in English.
ZH_HEADERS = {
    "doc_id": "文件", "source": "来源路径", "format": "格式", "title": "标题", "issuer": "发文机关", "year": "年份",
    "n_items": "条目数", "status": "状态", "error": "错误", "encoding": "编码", "doc_number": "文号", "warnings": "警告",
    "item_id": "条目编号", "parent_id": "上级条目", "level": "层级", "label": "序号", "heading": "标题",
    "text": "原文", "lead_departments": "牵头单位", "co_departments": "配合单位", "start": "起始位置",
    "end": "结束位置", "value": "数值", "value_max": "数值上限", "unit": "单位", "qualifier": "限定词",
    "subject": "指标对象", "part_of": "所属总数", "aspirational": "力争", "date": "日期", "granularity": "精度", "recurring": "周期性",
    "department": "部门", "role": "角色", "canonical": "规范名称", "action": "动作", "issued": "拟出台",
    "old_doc": "旧文件", "new_doc": "新文件", "old_item_id": "旧条目编号", "new_item_id": "新条目编号",
    "old_heading": "旧标题", "new_heading": "新标题", "similarity": "相似度", "old_value": "旧值",
    "new_value": "新值", "change": "变化",
}
FORMATS = ("csv", "xlsx", "json", "parquet")
XLSX_MAX_ROWS = 1_048_575


def header_names(columns: list[str], headers: str = "en") -> list[str]:
    """Column names as written: the contract's English names, or Chinese ones with ``headers="zh"``."""
    if headers not in ("en", "zh"):
        raise ValueError(f"headers must be 'en' or 'zh', not {headers!r}")
    return [ZH_HEADERS.get(c, c) for c in columns] if headers == "zh" else list(columns)


def parse_formats(spec: str) -> list[str]:
    """``"csv,xlsx"`` -> ["csv", "xlsx"]; unknown names raise ValueError listing the valid ones."""
    formats = [f.strip().lower() for f in spec.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"--format takes a comma list of {', '.join(FORMATS)}; got {spec!r}")
    return formats


def document_rows(doc: Document) -> dict[str, list[dict[str, object]]]:
    """All table rows that one document contributes (everything except its documents.csv row)."""
    rows: dict[str, list[dict[str, object]]] = {k: [] for k in COLUMNS if k != "documents"}
    t = doc.text
    for it in doc.items:
        base = {"doc_id": doc.doc_id, "item_id": it.item_id}
        rows["items"].append({
            **base, "parent_id": it.parent_id or "", "level": it.level, "label": it.label,
            "heading": doc.heading(it), "text": doc.item_text(it),
            "lead_departments": ";".join(d.name for d in it.departments if d.role == "lead"),
            "co_departments": ";".join(d.name for d in it.departments if d.role == "co"),
            "start": it.start, "end": it.end,
        })
        for q in it.quantities:
            rows["quantities"].append({**base, "text": t[q.start:q.end], "value": q.value,
                                       "value_max": q.value_max, "unit": q.unit, "qualifier": q.qualifier,
                                       "subject": q.subject, "start": q.start, "end": q.end,
                                       "part_of": _part_of(it.quantities, q, doc.text),
                                       "aspirational": q.aspirational})
        for d in it.deadlines:
            rows["deadlines"].append({**base, "text": t[d.start:d.end], "date": d.date or "",
                                      "granularity": d.granularity, "recurring": d.recurring,
                                      "start": d.start, "end": d.end})
        for dep in it.departments:
            rows["departments"].append({**base, "department": dep.name, "role": dep.role,
                                        "start": dep.start, "end": dep.end, "canonical": canonical(dep.name)})
        for ins in it.instruments:
            rows["instruments"].append({**base, "title": ins.title, "action": ins.action,
                                        "issued": ins.issued, "start": ins.start, "end": ins.end})
    loose = {"doc_id": doc.doc_id, "item_id": ""}  # stated outside any item (a report's target paragraph)
    for q in doc.quantities:
        rows["quantities"].append({**loose, "text": t[q.start:q.end], "value": q.value, "value_max": q.value_max,
                                   "unit": q.unit, "qualifier": q.qualifier, "subject": q.subject,
                                   "start": q.start, "end": q.end, "part_of": _part_of(doc.quantities, q, t),
                                   "aspirational": q.aspirational})
    for d in doc.deadlines:
        rows["deadlines"].append({**loose, "text": t[d.start:d.end], "date": d.date or "",
                                  "granularity": d.granularity, "recurring": d.recurring,
                                  "start": d.start, "end": d.end})
    return rows


def _part_of(quantities: list[Quantity], q: Quantity, text: str) -> str:
    """The total a breakdown belongs to, as its span text (其中幼儿园37所 -> 101所)."""
    if q.part_of is None:
        return ""
    total = quantities[q.part_of]
    return text[total.start : total.end]


def document_row(result: DocResult, fmt: str = "") -> dict[str, object]:
    doc = result.document
    return {
        "doc_id": result.doc_id, "source": result.source,
        "format": doc.format if doc else fmt,
        "title": doc.title if doc else "", "issuer": doc.issuer if doc else "",
        "year": doc.year if doc else None, "n_items": len(doc.items) if doc else 0,
        "status": result.status, "error": result.error,
        "encoding": (doc.encoding or "") if doc else "", "doc_number": doc.doc_number if doc else "",
        "warnings": ";".join(doc.warnings) if doc else "",
    }


def to_tables(results: Iterable[DocResult]) -> dict[str, pd.DataFrame]:
    """One DataFrame per output table, covering all results, columns in contract order."""
    import pandas as pd

    rows: dict[str, list[dict[str, object]]] = {k: [] for k in COLUMNS}
    for res in results:
        rows["documents"].append(document_row(res, Path(res.source).suffix.lstrip(".").lower()))
        if res.document is not None:
            for name, part in document_rows(res.document).items():
                rows[name].extend(part)
    tables = {name: pd.DataFrame(rows[name], columns=cols) for name, cols in COLUMNS.items()}
    tables["documents"]["year"] = tables["documents"]["year"].astype("Int64")
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, *, formats: Iterable[str] = ("csv",),
                 headers: str = "en", workbook: str = "planscope.xlsx") -> list[Path]:
    """Write every table in each requested format; returns the files written.

    csv: ``<table>.csv`` (UTF-8 with BOM); xlsx: one workbook, a sheet per table; json: ``<table>.json``
    (records); parquet: ``<table>.parquet``. Text cells that a spreadsheet would run are neutralised.
    """

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    named = {name: _renamed(safe_frame(df), headers) for name, df in tables.items()}
    written = []
    for fmt in formats:
        if fmt == "csv":
            for name, df in named.items():
                df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
                written.append(out / f"{name}.csv")
        elif fmt == "xlsx":
            written.append(write_xlsx(named, out / workbook))
        elif fmt == "json":
            for name, df in named.items():
                df.to_json(out / f"{name}.json", orient="records", force_ascii=False, indent=1)
                written.append(out / f"{name}.json")
        elif fmt == "parquet":
            for name, df in named.items():
                df.to_parquet(out / f"{name}.parquet", index=False)
                written.append(out / f"{name}.parquet")
        else:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return written


def _renamed(df: pd.DataFrame, headers: str) -> pd.DataFrame:
    return df.rename(columns=dict(zip(df.columns, header_names(list(df.columns), headers))))


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One workbook, a sheet per table: bold frozen header, autofilter, column widths fitted to content."""
    import pandas as pd
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for name, df in tables.items():
        if len(df) > XLSX_MAX_ROWS:
            from .errors import PlanscopeError

            raise PlanscopeError(f"{name} has {len(df)} rows, more than an Excel sheet holds; use csv or parquet")
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in tables.items():
            df.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, col in enumerate(df.columns, start=1):
                sample = [str(col)] + [str(v) for v in df[col].head(200)]
                # CJK characters take two columns of width
                width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in v) for v in sample)
                ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 60)
    return path


def convert_csv_tables(out_dir: str | Path, formats: Iterable[str], *, names: Iterable[str] = COLUMNS,
                       workbook: str = "planscope.xlsx") -> list[Path]:
    """Write the streamed CSV tables in ``out_dir`` again in the other requested formats."""
    extra = [f for f in formats if f != "csv"]
    if not extra:
        return []
    import pandas as pd

    out = Path(out_dir)
    tables = {n: pd.read_csv(out / f"{n}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
              for n in names}
    for df in tables.values():
        for col in df.columns:
            numeric = pd.to_numeric(df[col].where(df[col] != ""), errors="coerce")
            if numeric.notna().sum() == (df[col] != "").sum() and (df[col] != "").any():
                df[col] = numeric
    return write_tables(tables, out, formats=extra, workbook=workbook)


def render_csv(result: DocResult) -> dict[str, tuple[str, int]]:
    """CSV text (no header) and row count of each table for one result; done in the worker process."""
    import csv
    import io

    tables: dict[str, list[dict[str, object]]] = {
        "documents": [document_row(result, Path(result.source).suffix.lstrip(".").lower())]}
    if result.document is not None:
        tables.update(document_rows(result.document))
    out = {}
    for name, rows in tables.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS[name], extrasaction="ignore")
        for row in rows:
            writer.writerow(_csv_row(row))
        out[name] = (buf.getvalue(), len(rows))
    return out


class CsvFinisher:
    """Worker-side last step of ``planscope extract``: write the text file, keep the result for
    ``--resume``, render the CSV rows, and send back only those (not the whole Document)."""

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = str(out_dir)

    def __call__(self, result: DocResult) -> DocResult:
        from .resume import ResultStore

        if result.document is not None:
            text_dir = Path(self.out_dir) / "text"
            text_dir.mkdir(parents=True, exist_ok=True)
            (text_dir / f"{result.doc_id}.txt").write_text(result.document.text, encoding="utf-8")
            ResultStore(self.out_dir).put(result)
        result.extra["csv"] = render_csv(result)
        result.document = None
        return result


class TableWriter:
    """Streams rows to the CSV tables as results arrive, so memory stays flat over any number of files."""

    def __init__(self, out_dir: str | Path, *, headers: str = "en") -> None:
        self.out = Path(out_dir)
        (self.out / "text").mkdir(parents=True, exist_ok=True)
        self._files = {name: open(self.out / f"{name}.csv", "w", encoding="utf-8-sig", newline="")
                       for name in COLUMNS}
        for name, fh in self._files.items():
            fh.write(",".join(header_names(COLUMNS[name], headers)) + "\r\n")
        self.counts = {name: 0 for name in COLUMNS}

    def write(self, result: DocResult) -> None:
        """Append one result's rows to every table (rendering them here unless a worker did)."""
        if "csv" not in result.extra:
            result = CsvFinisher(self.out)(result)
        for name, (chunk, n) in result.extra["csv"].items():
            self._files[name].write(chunk)
            self.counts[name] += n

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _csv_row(row: dict[str, object]) -> dict[str, object]:
    # Same cell text as pandas' to_csv: None -> empty, bools as True/False.
    return {k: ("" if v is None else neutralise(v)) for k, v in row.items()}


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as spreadsheet formulas (numeric columns untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(neutralise)
    return out
