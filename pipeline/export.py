"""Model -> typed rows -> CSV (UTF-8 with BOM) / XLSX / JSON / Parquet / SQLite, and back (:func:`read_tables`).

Every writer is fed the same typed rows or frames (:mod:`pipeline.tables` declares them); nothing is read
back and guessed. Each file is written to a temporary file beside it and moved into place, so a crash or a
full disk never leaves a table cut mid-row.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PlanscopeError
from .extract.departments import canonical
from .model import DocResult, Document
from .tables import (COLUMNS, EXTRACT_TABLES, LIST_SEP, TABLES, ZH_VALUES, Column, cell_text, datapackage,
                     header_names, join, typed)

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; the streaming CSV path does not need it
    import pandas as pd

__all__ = ["COLUMNS", "FORMATS", "TableWriter", "read_tables", "to_tables", "write_tables", "header_names"]

FORMATS = ("csv", "xlsx", "json", "parquet", "sqlite")
XLSX_MAX_ROWS = 1_048_575
XLSX_MAX_CELL = 32_767
XLSX_CUT_MARK = "…[cut: Excel holds 32,767 characters per cell; full text in the CSV]"
DATABASE = "planscope.sqlite"

# OWASP CSV injection: a cell starting with one of these runs as a formula in Excel / LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_QUOTED_START = (*_FORMULA_START, "'")  # what neutralise() prefixes with '


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with ``'``; numbers pass unchanged.

    Text that already starts with ``'`` gets one more, so :func:`unneutralise` restores every cell exactly.
    """
    if isinstance(value, str) and value.startswith(_QUOTED_START):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def parse_formats(spec: str) -> list[str]:
    """``"csv,xlsx"`` -> ["csv", "xlsx"]; unknown names raise ValueError listing the valid ones."""
    formats = [f.strip().lower() for f in spec.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"--format takes a comma list of {', '.join(FORMATS)}; got {spec!r}")
    return list(dict.fromkeys(formats))


# ---------------------------------------------------------------------------------------------- rows

Row = dict[str, Any]


def _date(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def document_rows(doc: Document) -> dict[str, list[Row]]:
    """All table rows that one document contributes (everything except its documents row), typed."""
    rows: dict[str, list[Row]] = {k: [] for k in EXTRACT_TABLES if k != "documents"}
    t = doc.text
    context = {"year": doc.year, "issuer": _issuer(doc)}
    for it in doc.items:
        base = {"doc_id": doc.doc_id, "item_id": it.item_id}
        rows["items"].append({
            **base, "parent_id": it.parent_id or "", "level": it.level, "label": it.label,
            "heading": doc.heading(it), "text": doc.item_text(it),
            "lead_departments": join(d.name for d in it.departments if d.role == "lead"),
            "co_departments": join(d.name for d in it.departments if d.role == "co"),
            "start": it.start, "end": it.end,
        })
        for n, q in enumerate(it.quantities):
            rows["quantities"].append({
                **base, "text": t[q.start:q.end], "value": q.value, "value_max": q.value_max, "unit": q.unit,
                "qualifier": q.qualifier, "subject": q.subject, "start": q.start, "end": q.end,
                "quantity_id": quantity_id(it.item_id, n),
                "part_of": "" if q.part_of is None else quantity_id(it.item_id, q.part_of),
                "aspirational": q.aspirational, **context})
        for d in it.deadlines:
            rows["deadlines"].append({**base, "text": t[d.start:d.end], "date": _date(d.date),
                                      "granularity": d.granularity, "start": d.start, "end": d.end,
                                      "recurring": d.recurring, **context})
        for dep in it.departments:
            rows["departments"].append({**base, "department": dep.name, "role": dep.role, "start": dep.start,
                                        "end": dep.end, "canonical": canonical(dep.name), **context})
        for ins in it.instruments:
            rows["instruments"].append({**base, "title": ins.title, "action": ins.action, "start": ins.start,
                                        "end": ins.end, "issued": ins.issued, **context})
    loose = {"doc_id": doc.doc_id, "item_id": ""}  # stated outside any item (a report's target paragraph)
    for n, q in enumerate(doc.quantities):
        rows["quantities"].append({
            **loose, "text": t[q.start:q.end], "value": q.value, "value_max": q.value_max, "unit": q.unit,
            "qualifier": q.qualifier, "subject": q.subject, "start": q.start, "end": q.end,
            "quantity_id": quantity_id("", n),
            "part_of": "" if q.part_of is None else quantity_id("", q.part_of),
            "aspirational": q.aspirational, **context})
    for d in doc.deadlines:
        rows["deadlines"].append({**loose, "text": t[d.start:d.end], "date": _date(d.date),
                                  "granularity": d.granularity, "start": d.start, "end": d.end,
                                  "recurring": d.recurring, **context})
    return rows


def quantity_id(item_id: str, index: int) -> str:
    """``2.1#2``: the second quantity of item 2.1; text that no spreadsheet reads as a number."""
    return f"{item_id}#{index + 1}"


def _issuer(doc: Document) -> str:
    # the model joins several issuers with "；"; the tables use the one list separator
    return join(part.strip() for part in doc.issuer.split("；"))


def document_row(result: DocResult, fmt: str = "") -> Row:
    doc = result.document
    return {
        "doc_id": result.doc_id, "source": result.source,
        "format": doc.format if doc else fmt,
        "title": doc.title if doc else "", "issuer": _issuer(doc) if doc else "",
        "year": doc.year if doc else None, "n_items": len(doc.items) if doc else 0,
        "status": result.status, "error": result.error,
        "encoding": (doc.encoding or "") if doc else "", "doc_number": doc.doc_number if doc else "",
        "warnings": LIST_SEP.join(doc.warnings) if doc else "",
    }


def result_rows(result: DocResult) -> dict[str, list[Row]]:
    """Every row one result contributes, table by table (its documents row first)."""
    rows = {"documents": [document_row(result, Path(result.source).suffix.lstrip(".").lower())]}
    if result.document is not None:
        rows.update(document_rows(result.document))
    return rows


def to_tables(results: Iterable[DocResult]) -> dict[str, pd.DataFrame]:
    """One typed DataFrame per extraction table, covering all results, columns in contract order."""
    rows: dict[str, list[Row]] = {k: [] for k in EXTRACT_TABLES}
    for res in results:
        for name, part in result_rows(res).items():
            rows[name].extend(part)
    return {name: typed(name, rows[name]) for name in EXTRACT_TABLES}


# ------------------------------------------------------------------------------------------- writing

@contextmanager
def atomic(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[Any]:
    """Open a temporary file beside ``path``; it replaces ``path`` only once fully written and closed."""
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file name beside ``path`` to write to; moved onto ``path`` when the block succeeds.

    An OS error names ``path`` (not the temporary file), so the message says which table failed.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise _named(exc, path) from exc
    os.close(fd)
    try:
        yield Path(tmp)
        _publish(tmp, path)
    except BaseException as exc:
        with _quietly():
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _named(exc, path) from exc
        raise


def _named(exc: OSError, path: Path) -> OSError:
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path)) if exc.errno else exc


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # mkstemp makes 0600 files; a table gets the mode an ordinary open() gives


def _publish(tmp: str, path: Path) -> None:
    os.chmod(tmp, _MODE)
    os.replace(tmp, path)


@contextmanager
def _quietly() -> Iterator[None]:
    try:
        yield
    except OSError:
        pass


class _CsvLayout:
    """How one table's rows become csv cells, worked out once per table.

    Most cells go to the csv writer as they are: it writes an int with str() and a float with repr(), as
    cell_text() does, and text only needs neutralising. The rest (null, bool, date, a value of another
    type) go through cell_text()."""

    def __init__(self, cols: tuple[Column, ...]) -> None:
        self.cols = cols
        names = [c.name for c in cols]
        self.values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        fast = {"string": (str,), "integer": (int,), "number": (float,)}
        self.checks = tuple((i, c, fast.get(c.type, ()), c.type == "string") for i, c in enumerate(cols))

    def cells(self, row: Mapping[str, Any]) -> list[Any]:
        try:
            cells = list(self.values(row))
        except KeyError:  # a row without some columns: those are null
            cells = [row.get(c.name) for c in self.cols]
        for i, col, fast, text in self.checks:
            value = cells[i]
            kind = type(value)
            if kind in fast:
                if text:
                    if value.startswith(_QUOTED_START):
                        cells[i] = "'" + value
                elif value != value:  # NaN
                    cells[i] = ""
            elif text:
                cells[i] = neutralise(cell_text(col, value))
            else:
                cells[i] = cell_text(col, value)
        return cells


_LAYOUTS = {name: _CsvLayout(table.columns) for name, table in TABLES.items()}


def csv_text(name: str, rows: Iterable[Row], headers: str = "en") -> str:
    """Table ``name``'s CSV lines for ``rows`` (no header), exactly as :class:`TableWriter` writes them."""
    buf = io.StringIO()
    if headers == "zh":
        rows = _zh_values(name, rows)
    cells = _LAYOUTS[name].cells
    csv.writer(buf, lineterminator="\r\n").writerows(map(cells, rows))
    return buf.getvalue()


def _zh_values(name: str, rows: Iterable[Row]) -> Iterator[Row]:
    cols = [c for c in TABLES[name].names if c in ZH_VALUES]
    for row in rows:
        yield {**row, **{c: ZH_VALUES[c].get(row.get(c), row.get(c)) for c in cols}} if cols else row


class _CsvSink:
    """One table's CSV file, written row by row into a temporary file and moved into place on commit."""

    def __init__(self, out: Path, name: str, headers: str) -> None:
        self.name, self.path = name, out / f"{name}.csv"
        self.headers = headers
        try:
            fd, self.tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.csv.", suffix=".part")
        except OSError as exc:
            raise _named(exc, self.path) from exc
        self.fh = os.fdopen(fd, "wb")  # UTF-8 with a BOM (Excel reads the file as UTF-8 then)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(header_names(name, headers))
        try:
            self.append(codecs.BOM_UTF8 + buf.getvalue().encode("utf-8"))
        except BaseException:  # the caller never gets this sink to abort: remove its file here
            self.abort()
            raise

    def write(self, rows: Iterable[Row]) -> None:
        try:
            text = csv_text(self.name, rows, self.headers)  # rows may be a lazy iterable reading a file
        except OSError as exc:
            raise _named(exc, self.path) from exc
        self.append(text.encode("utf-8"))

    def append(self, data: bytes) -> None:
        """Append lines already rendered by :func:`csv_text`, encoded as UTF-8."""
        try:
            self.fh.write(data)
        except OSError as exc:
            raise _named(exc, self.path) from exc

    def finish(self) -> None:
        """Flush and close the temporary file (where a full disk shows), without publishing it yet."""
        try:
            self.fh.close()
        except OSError as exc:
            raise _named(exc, self.path) from exc

    def commit(self) -> Path:
        self.finish()
        try:
            _publish(self.tmp, self.path)
        except OSError as exc:
            raise _named(exc, self.path) from exc
        return self.path

    def abort(self) -> None:
        with _quietly():
            self.fh.close()
        with _quietly():
            os.unlink(self.tmp)


def _commit(sinks: Iterable[_CsvSink]) -> list[Path]:
    """Publish a set of tables together: all complete on disk before any replaces its predecessor."""
    sinks = list(sinks)
    try:
        for sink in sinks:
            sink.finish()
        return [sink.commit() for sink in sinks]
    except BaseException:
        _abort(sinks)
        raise


def _abort(sinks: Iterable[_CsvSink]) -> None:
    for sink in sinks:
        sink.abort()


def _records(name: str, df: pd.DataFrame) -> list[Row]:
    """Typed frame -> rows of plain Python values (None for null, datetime.date for dates)."""
    import pandas as pd

    cols = TABLES[name].columns
    plain = {"integer": int, "number": float, "boolean": bool, "date": lambda v: v.date()}
    columns = [df[c.name].tolist() if c.type == "string"
               else [None if pd.isna(v) else plain[c.type](v) for v in df[c.name].astype(object)] for c in cols]
    return [dict(zip((c.name for c in cols), values)) for values in zip(*columns)]


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path, *, formats: Iterable[str] = ("csv",),
                 headers: str = "en", workbook: str = "planscope.xlsx", database: str = DATABASE,
                 notices: list[str] | None = None) -> list[Path]:
    """Write every table in each requested format; returns the files written.

    csv: ``<table>.csv`` (UTF-8 with BOM) and ``datapackage.json``; xlsx: one workbook, a sheet per table;
    json: ``<table>.json`` (records); parquet: ``<table>.parquet``; sqlite: one database. Frames are first
    given the declared types, so any frame with the declared columns may be passed. ``notices`` collects
    what a format could not hold as it was (cells cut or cleaned for Excel).
    """
    formats = list(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {bad[0]!r}")
    header_names(next(iter(tables), "documents"), headers)  # validates ``headers``
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = {name: typed(name, df) for name, df in tables.items()}
    rows = {name: _records(name, df) for name, df in frames.items()}
    written: list[Path] = []
    notices = [] if notices is None else notices
    for fmt in formats:
        if fmt == "csv":
            written += write_csv_rows(rows, out, headers=headers)
        elif fmt == "xlsx":
            written.append(write_xlsx(rows, out / workbook, headers=headers, notices=notices))
        elif fmt == "json":
            written.extend(write_json(name, part, out / f"{name}.json", headers) for name, part in rows.items())
        elif fmt == "parquet":
            written.extend(write_parquet(name, df, out / f"{name}.parquet", headers) for name, df in frames.items())
        elif fmt == "sqlite":
            from .sqlite import write_sqlite

            written.append(write_sqlite(rows, out / database))
    return written


def write_datapackage(out: Path, names: list[str], headers: str = "en") -> Path:
    """``datapackage.json``: the Frictionless description (fields, types, keys) of the CSV tables."""
    path = out / "datapackage.json"
    package = datapackage(names, {n: f"{n}.csv" for n in names}, headers=headers)
    with atomic(path, encoding="utf-8") as fh:
        json.dump(package, fh, ensure_ascii=False, indent=1)
    return path


def _renamed_rows(name: str, rows: list[Row], headers: str) -> tuple[list[str], list[list[Any]]]:
    if headers == "zh":
        rows = list(_zh_values(name, rows))
    cols = TABLES[name].names
    return header_names(name, headers), [[r.get(c) for c in cols] for r in rows]


def write_json(name: str, rows: list[Row], path: Path, headers: str = "en") -> Path:
    """Records: strings as written, numbers, ``true``/``false``, ISO dates, ``null`` for unknown."""
    names, values = _renamed_rows(name, rows, headers)
    records = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(names, vals)} for vals in values]
    with atomic(path, encoding="utf-8") as fh:
        json.dump(records, fh, ensure_ascii=False, indent=1)
    return path


_ARROW = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_", "date": "date32"}


def write_parquet(name: str, df: pd.DataFrame, path: Path, headers: str = "en") -> Path:
    """Parquet with the declared column types (strings, int64, float64, bool, date32)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = TABLES[name].columns
    data = [_records_column(c, df[c.name]) for c in cols]
    if headers == "zh":
        data = [[ZH_VALUES[c.name].get(v, v) for v in d] if c.name in ZH_VALUES else d for c, d in zip(cols, data)]
    schema = pa.schema([pa.field(n, getattr(pa, _ARROW[c.type])()) for c, n in zip(cols, header_names(name, headers))])
    table = pa.Table.from_arrays([pa.array(d, type=f.type) for d, f in zip(data, schema)], schema=schema)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return path


def _records_column(col: Column, s: pd.Series) -> list[Any]:
    import pandas as pd

    if col.type == "date":
        return [None if pd.isna(v) else v.date() for v in s]
    if col.type == "string":
        return s.tolist()
    return [None if pd.isna(v) else v for v in s.astype(object)]


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_xlsx(tables: Mapping[str, list[Row]], path: Path, *, headers: str = "en",
               notices: list[str] | None = None) -> Path:
    """One workbook, a sheet per table: bold frozen header, autofilter, column widths fitted to content.

    Strings are text cells (shown as text, never run or turned into numbers or dates); integers and numbers
    are numbers, booleans booleans, dates dates. Excel cannot hold control characters or more than 32,767
    characters in a cell: those characters become U+FFFD and long cells are cut with a mark; each table
    where that happened is reported in ``notices``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for name, rows in tables.items():
        if len(rows) > XLSX_MAX_ROWS:
            raise PlanscopeError(f"{name} has {len(rows)} rows, more than an Excel sheet holds; use csv or parquet")
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        cols = TABLES[name].columns
        names, values = _renamed_rows(name, rows, headers)
        ws.append(names)
        cut = cleaned = 0
        for vals in values:
            cells = []
            for c, v in zip(cols, vals):
                if isinstance(v, str):
                    if _ILLEGAL_XML.search(v):
                        v, n = _ILLEGAL_XML.subn("\ufffd", v)
                        cleaned += n
                    if len(v) > XLSX_MAX_CELL:
                        v = v[: XLSX_MAX_CELL - len(XLSX_CUT_MARK)] + XLSX_CUT_MARK
                        cut += 1
                cells.append(v)
            ws.append(cells)
        for j, c in enumerate(cols, start=1):
            letter = get_column_letter(j)
            fmt = {"string": "@", "date": "yyyy-mm-dd"}.get(c.type)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
                    if c.type == "string":
                        cell.data_type = "s"  # text as text, even when it starts with "="
            sample = [names[j - 1]] + [str(vals[j - 1] or "") for vals in values[:200]]
            # CJK characters take two columns of width
            width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in v) for v in sample)
            ws.column_dimensions[letter].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for cell in ws[1]:
            cell.font = Font(bold=True)
        if notices is not None and (cut or cleaned):
            what = [f"{cut} cell(s) longer than {XLSX_MAX_CELL:,} characters cut"] if cut else []
            what += [f"{cleaned} control character(s) Excel cannot hold replaced by U+FFFD"] if cleaned else []
            notices.append(f"{path.name}, sheet {name}: {'; '.join(what)}; the CSV has every cell in full")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


# ------------------------------------------------------------------------------------ streaming (CLI)

def _replace_folder(new: Path, path: Path) -> None:
    """Put folder ``new`` in the place of ``path`` (whose old content is removed)."""
    old = None
    try:
        if path.exists():
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
            os.replace(path, old / path.name)
        try:
            os.replace(new, path)
        except OSError:
            if old is not None:
                os.replace(old / path.name, path)  # the earlier texts stay where they were
            raise
    except OSError as exc:
        raise _named(exc, path) from exc
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


TEXT_DIR = "text"


def text_name(doc_id: str, *, plain: bool = False) -> str:
    """The file under ``DIR/text/`` holding a document's normalised text, which every span indexes."""
    return f"{doc_id}.txt" if plain else f"{doc_id}.txt.gz"


def read_text(out_dir: str | os.PathLike[str], doc_id: str) -> str:
    """A document's normalised text from an output folder (``text/<doc_id>.txt.gz``, or ``.txt`` when it
    was written with ``--plain-text``); FileNotFoundError names the missing file."""
    folder = Path(out_dir) / TEXT_DIR
    packed = folder / text_name(doc_id)
    if packed.is_file():
        return gzip.decompress(packed.read_bytes()).decode("utf-8")
    return (folder / text_name(doc_id, plain=True)).read_text(encoding="utf-8")


def _write_text(staging: Path, file_name: str, data: bytes) -> None:
    # a plain write: the folder is (in) the writer's staging folder, published whole (see TableWriter)
    with open(staging / file_name, "wb") as fh:
        fh.write(data)


def _own_folder(staging: Path) -> Path:
    """This process's folder inside the staging folder, made on first use. Creating a file holds its folder's
    lock for the whole creation, so workers creating texts in one folder take turns (on a slow disk 0.3-1 ms
    a file, 1,000 files a serial second); a rename holds it a few microseconds. So each worker creates its
    texts in a folder of its own and renames each into the staging folder."""
    folder = staging / f".worker-{os.getpid()}"
    if folder not in _made:
        os.makedirs(folder, exist_ok=True)
        _made.add(folder)
    return folder


_made: set[Path] = set()  # the folders _own_folder made (a forked worker inherits its parent's)


class CsvFinisher:
    """Worker-side last step of ``planscope extract``: write the text file (see :func:`_own_folder`) and
    render the result's rows as CSV text, table by table, so that the single writing process only appends them (it would otherwise be
    the bottleneck of many workers). Only that text goes back, with the rows themselves when other formats
    need them (``keep_rows``), not the whole Document; with ``keep_text`` also the text file's name and
    bytes (``extra["text_file"]``), which ``resume.Storing`` stores with the rest.

    The text is gzipped unless ``plain_text``: it is as large as the input, and the tables hold every
    item's text already (level 1 and no time stamp: a third of the size, for about 2% of the run, and the
    same bytes on every run)."""

    def __init__(self, text_dir: str | Path, *, headers: str = "en", keep_rows: bool = False,
                 plain_text: bool = False, keep_text: bool = False) -> None:
        self.text_dir, self.headers, self.keep_rows, self.plain_text = str(text_dir), headers, keep_rows, plain_text
        self.keep_text = keep_text

    @property
    def options(self) -> tuple[str, bool, bool]:
        """What shapes this finisher's output besides the document."""
        return self.headers, self.keep_rows, self.plain_text

    def __call__(self, result: DocResult) -> DocResult:
        if result.document is not None:
            file_name = text_name(result.doc_id, plain=self.plain_text)
            data = result.document.text.encode("utf-8")
            data = data if self.plain_text else gzip.compress(data, compresslevel=1, mtime=0)
            staging = Path(self.text_dir)
            folder = _own_folder(staging)
            _write_text(folder, file_name, data)
            if self.keep_text:
                result.extra["text_file"] = (file_name, data)
        rows = result_rows(result)
        # encoded here, in the worker: the writing process then only appends bytes
        result.extra["csv"] = {name: csv_text(name, part, self.headers).encode("utf-8") for name, part in rows.items()}
        result.extra["counts"] = {name: len(part) for name, part in rows.items()}
        if self.keep_rows:
            result.extra["rows"] = rows
        if result.document is not None:  # last, once nothing can fail: a worker killed before keeps it there
            os.replace(folder / file_name, staging / file_name)
        result.document = None
        return result


class TableWriter:
    """Streams rows to the CSV tables as results arrive, so memory stays flat over any number of files.

    The tables appear (replacing those of an earlier run) only when the writer closes without an error;
    other formats are written then from the same rows. The texts are written into a staging folder that
    replaces ``text/`` at that moment, so ``text/`` holds exactly the run's documents (the files that failed
    have none), and one file per document costs one plain write and a rename, not a temporary file each.
    """

    def __init__(self, out_dir: str | Path, *, headers: str = "en", formats: Iterable[str] = ("csv",),
                 plain_text: bool = False) -> None:
        self.out = Path(out_dir)
        self.headers, self.plain_text = headers, plain_text
        self.extra = [f for f in formats if f != "csv"]
        self.notices: list[str] = []
        self._sinks: dict[str, _CsvSink] = {}
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            self._staging = Path(tempfile.mkdtemp(dir=self.out, prefix=f".{TEXT_DIR}.", suffix=".part"))
        except OSError as exc:
            raise _named(exc, self.out / TEXT_DIR) from exc
        try:
            os.chmod(self._staging, 0o777 & ~_umask())  # mkdtemp's folder is private; text/ is not
            for name in EXTRACT_TABLES:
                self._sinks[name] = _CsvSink(self.out, name, headers)
        except BaseException:
            self._abort()
            raise
        self._kept: dict[str, list[Row]] = {name: [] for name in EXTRACT_TABLES}
        self.counts = {name: 0 for name in EXTRACT_TABLES}

    def write(self, result: DocResult) -> None:
        """Append one result's rows to every table (rendering them here unless a worker did); a result that
        brings its text file's bytes (one stored by --resume) has the file written here."""
        if "csv" not in result.extra:
            result = self.finisher()(result)
        if "text_file" in result.extra:
            _write_text(self._staging, *result.extra.pop("text_file"))
        if result.status != "ok":  # a worker killed (time limit) between publishing its text and its result
            with _quietly():
                os.unlink(self._staging / text_name(result.doc_id, plain=self.plain_text))
        for name, text in result.extra["csv"].items():
            self._sinks[name].append(text)
            self.counts[name] += result.extra["counts"][name]
        if self.extra:
            for name, rows in result.extra["rows"].items():
                self._kept[name].extend(rows)

    def finisher(self, *, keep_text: bool = False) -> CsvFinisher:
        """The worker-side step that prepares results for this writer."""
        return CsvFinisher(self._staging, headers=self.headers, keep_rows=bool(self.extra), plain_text=self.plain_text,
                           keep_text=keep_text)

    def close(self) -> list[Path]:
        written = _commit(self._sinks.values())
        written.append(write_datapackage(self.out, list(EXTRACT_TABLES), self.headers))
        if self.extra:
            frames = {name: typed(name, rows) for name, rows in self._kept.items()}
            self._kept.clear()
            written += write_tables(frames, self.out, formats=self.extra, headers=self.headers, notices=self.notices)
        for entry in os.scandir(self._staging):  # the workers' folders: empty unless a worker was killed
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
        _replace_folder(self._staging, self.out / TEXT_DIR)
        return written

    def _abort(self) -> None:
        _abort(self._sinks.values())
        shutil.rmtree(self._staging, ignore_errors=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abort()


# ------------------------------------------------------------------------------------------- reading

def read_tables(path: str | os.PathLike[str], *, format: str | None = None,
                names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables planscope wrote to ``path`` (an output folder or a ``.sqlite`` file), typed exactly as
    :func:`pipeline.api.extract` returns them.

    ``format`` picks which files of a folder to read (csv, xlsx, json, parquet, sqlite); by default the
    CSVs, or whatever single format is there. Chinese headers and values (``--headers zh``) are mapped back.
    """
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or folder")
    if p.is_file():
        if format not in (None, "sqlite") and p.suffix.lower() != ".xlsx":
            raise ValueError(f"{p}: a file is read as sqlite or xlsx, not {format!r}")
        format = "xlsx" if p.suffix.lower() == ".xlsx" else "sqlite"
        db, workbook = p, p
    else:
        db = next((d for d in (p / DATABASE, p / "comparison.sqlite") if d.exists()), p / DATABASE)
        workbook = next((w for w in (p / "planscope.xlsx", p / "comparison.xlsx") if w.exists()), p / "planscope.xlsx")
    if format is None:
        present = [f for f in ("csv", "parquet", "json") if any(q.stem in TABLES for q in p.glob(f"*.{f}"))]
        format = present[0] if present else "sqlite" if db.exists() else "xlsx"
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if format == "sqlite":
        from .sqlite import read_sqlite

        raw = read_sqlite(db, names)
    elif format == "xlsx":
        sheets = pd.read_excel(workbook, sheet_name=None, dtype=object, keep_default_na=False, na_values=[])
        raw = {n: df for n, df in sheets.items() if n in TABLES and (names is None or n in names)}
    else:
        found = [q.stem for q in sorted(p.glob(f"*.{format}")) if q.stem in TABLES]
        wanted = [n for n in TABLES if n in found and (names is None or n in names)]
        if not wanted:
            raise FileNotFoundError(f"{p}: no planscope {format} tables here")
        raw = {n: _read_file(p / f"{n}.{format}", format) for n in wanted}
    tables = {}
    for n, df in raw.items():
        try:
            tables[n] = _from_written(n, df, unquote=format == "csv")
        except (ValueError, TypeError, KeyError) as exc:
            where = p if format in ("sqlite", "xlsx") else p / f"{n}.{format}"
            raise ValueError(f"{where}: table {n} does not hold what planscope writes ({exc})") from None
    return tables


def _read_file(path: Path, fmt: str) -> pd.DataFrame:
    import pandas as pd

    if fmt == "csv":
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[])
    if fmt == "json":
        records = json.loads(path.read_text(encoding="utf-8"))
        return pd.DataFrame.from_records(records) if records else pd.DataFrame()
    return pd.read_parquet(path)


def _from_written(name: str, df: pd.DataFrame, *, unquote: bool) -> pd.DataFrame:
    """A table as read from a file (English or Chinese headers, values as stored) -> the typed frame."""
    cols = TABLES[name].columns
    zh = header_names(name, "zh")
    if len(df.columns) and list(df.columns) == zh:
        df = df.set_axis([c.name for c in cols], axis=1)
        for c in cols:
            if c.name in ZH_VALUES:
                back = {v: k for k, v in ZH_VALUES[c.name].items()}
                df[c.name] = df[c.name].map(lambda v, back=back: back.get(v, v))
    if unquote:
        df = df.copy()
        for c in cols:
            if c.type == "string" and c.name in df.columns:
                df[c.name] = df[c.name].map(unneutralise)
    return typed(name, df)


def write_csv_rows(tables: Mapping[str, list[Row]], out_dir: str | Path, *, headers: str = "en") -> list[Path]:
    """CSV tables (and ``datapackage.json``) from rows of plain Python values, cell for cell as
    :func:`write_tables` writes them, without pandas (importing it costs ~0.3 s, a third of a small
    ``compare``). The columns are the declared ones; a column a row lacks is empty."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sinks: list[_CsvSink] = []
    try:
        for name, rows in tables.items():
            sinks.append(_CsvSink(out, name, headers))
            sinks[-1].write(rows)
    except BaseException:
        _abort(sinks)
        raise
    written = _commit(sinks)
    written.append(write_datapackage(out, list(tables), headers))
    return written

