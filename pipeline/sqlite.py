"""``--format sqlite``: the tables as one SQLite database, laid out the way sqlite-utils and Datasette expect.

Typed columns, the declared primary and foreign keys, an index on every column a researcher filters by, and
``items_fts``, an FTS5 index over item headings and text with content in ``items`` (the sqlite-utils
``enable_fts`` layout, which Datasette picks up as the table's search box). The trigram tokenizer matches
any substring of three or more characters, which suits Chinese (no spaces between words); for a
two-character term use ``LIKE '%托育%'``.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}
# Keys that point at another row: NULL (not "") when there is none, so the foreign key holds (item_id is
# empty in a span table for a target stated outside any item).
_NULL_WHEN_EMPTY = {"parent_id", "part_of", "item_id"}
_SELF_KEYS = {"items": (("doc_id", "parent_id"), ("doc_id", "item_id")),
              "quantities": (("doc_id", "part_of"), ("doc_id", "quantity_id"))}
INDEXES = {
    "documents": [("year",), ("issuer",)],
    "items": [("doc_id", "parent_id")],
    "quantities": [("doc_id", "item_id"), ("subject",), ("unit",)],
    "deadlines": [("doc_id", "item_id"), ("date",)],
    "departments": [("doc_id", "item_id"), ("department",), ("canonical",)],
    "instruments": [("doc_id", "item_id"), ("title",)],
    "alignment": [("old_doc", "old_item_id"), ("new_doc", "new_item_id")],
    "target_changes": [("old_doc", "old_item_id"), ("new_doc", "new_item_id")],
    "trajectories": [("target_id",), ("doc_id", "item_id")],
}


def _q(name: str) -> str:
    return f"[{name}]"


def create_sql(name: str, present: Iterable[str]) -> str:
    table = TABLES[name]
    lines = [f"{_q(c.name)} {_SQL_TYPES[c.type]}" for c in table.columns]
    if table.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(_q, table.primary_key))})")
    present = set(present)
    refs = [(("doc_id",), "documents", ("doc_id",))] if "doc_id" in table.names and name != "documents" else []
    refs += [fk for fk in table.foreign_keys if fk[2] != ("doc_id",)]
    if name in _SELF_KEYS:
        cols, target = _SELF_KEYS[name]
        refs.append((cols, name, target))
    for cols, ref, ref_cols in refs:
        if ref in present:
            lines.append(f"FOREIGN KEY ({', '.join(map(_q, cols))}) REFERENCES {_q(ref)} "
                         f"({', '.join(map(_q, ref_cols))})")
    return f"CREATE TABLE {_q(name)} (\n   " + ",\n   ".join(lines) + "\n)"


def _value(col_type: str, name: str, v: Any, table: str) -> Any:
    if v is None:
        return None
    if col_type == "boolean":
        return int(v)
    if col_type == "date":
        return v.isoformat()
    if name in _NULL_WHEN_EMPTY and v == "" and not (table == "items" and name == "item_id"):
        return None
    return v


def write_sqlite(tables: Mapping[str, list[dict[str, Any]]], path: Path) -> Path:
    """Write the typed rows of each table into a new database at ``path`` (replacing it only when done)."""
    from .export import atomic_path

    with atomic_path(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            for name, rows in tables.items():
                table = TABLES[name]
                con.execute(create_sql(name, tables))
                marks = ", ".join("?" for _ in table.columns)
                con.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})",
                                ([_value(c.type, c.name, r.get(c.name), name) for c in table.columns] for r in rows))
                for cols in INDEXES.get(name, []):
                    con.execute(f"CREATE INDEX {_q('idx_' + name + '_' + '_'.join(cols))} ON {_q(name)} "
                                f"({', '.join(map(_q, cols))})")
            if "items" in tables:
                con.execute("CREATE VIRTUAL TABLE [items_fts] USING FTS5 ([heading], [text], content=[items], "
                            "tokenize='trigram')")
                con.execute("INSERT INTO [items_fts] (rowid, [heading], [text]) SELECT rowid, [heading], [text] FROM [items]")
            con.commit()
        finally:
            con.close()
    return path


def read_sqlite(path: Path, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The planscope tables in the database at ``path``, in the order they were written, as stored."""
    import pandas as pd

    if not path.exists():
        raise FileNotFoundError(f"{path}: no such database")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        stored = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        wanted = [n for n in TABLES if n in stored and (names is None or n in names)]
        return {n: pd.read_sql_query(f"SELECT * FROM {_q(n)} ORDER BY rowid", con, dtype=object) for n in wanted}
    finally:
        con.close()
