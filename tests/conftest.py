"""Shared fixtures: paths into corpus/ and tests/data/, and a single jieba load per run."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"
SEED = CORPUS / "changzhou_edu_2022.txt"
CORPUS_DOCS = sorted([SEED, *sorted((CORPUS / "samples").glob("*.txt"))])
TABLES = ["documents", "items", "quantities", "deadlines", "departments", "instruments"]


def read_table(out: Path, name: str) -> pd.DataFrame:
    """One output CSV as written: every cell a string, empty cells empty."""
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def cache_entries(out: Path) -> list[tuple[bytes, bytes]]:
    """The complete records (header line, payload) of an output folder's --resume cache, pack by pack."""
    from pipeline.resume import CACHE_NAME

    records = []
    for pack in sorted((out / CACHE_NAME).glob("*.pack")) if (out / CACHE_NAME).is_dir() else []:
        data, pos = pack.read_bytes(), 0
        while (eol := data.find(b"\n", pos)) >= 0:
            head = data[pos : eol + 1]
            size = int(head.split()[2])
            if eol + 1 + size > len(data):
                break  # a record cut mid-write
            records.append((head, data[eol + 1 : eol + 1 + size]))
            pos = eol + 1 + size
    return records


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    """All six extraction tables of an output folder."""
    return {name: read_table(out, name) for name in TABLES}


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    """Equal tables, except where each file was read from (documents.source)."""
    for name in a:
        left, right = a[name], b[name]
        if name == "documents":
            left, right = left.drop(columns=["source"]), right.drop(columns=["source"])
        pd.testing.assert_frame_equal(left, right, obj=name)


# The 立山 sample's seven tasks as table rows (docx and html fixtures), as the readers must give them:
# cells joined by " | ", ASCII commas made full-width, item 7's empty unit cells kept.
ANSHAN_TABLE_ROWS = [
    "1 | 努力实现地区生产总值增长6.2%左右。 | 区发改局 | 立山经济开发区，全区经济运行各专班",
    "2 | 规模上工业增加值增长5%左右。 | 区工信局 | 立山经济开发区",
    "3 | 固定资产投资增长15%左右。 | 区发改局 | 立山经济开发区，各街道、区直各部门",
    "4 | 社会消费品零售总额增长9%左右。 | 区商务局 | 各街道，区市场局",
    "5 | 一般公共预算收入增长8%左右。 | 区财政局 | 立山经济开发区，各街道，税务局",
    "6 | 居民收入增长与经济增长基本同步。 | 区发改局 | 各街道，各相关单位",
    "7 | 其他主要经济指标不低于全市平均水平。 |  |",
]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_doc():  # type: ignore[no-untyped-def]
    from pipeline.ingest import read
    from pipeline.structure import parse

    return parse(read(SEED))


@pytest.fixture(scope="session", autouse=True)
def _jieba_once() -> None:
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(60)
    jieba.initialize()


@pytest.fixture(scope="session")
def parsed_corpus():  # type: ignore[no-untyped-def]
    """Every corpus document, read and structured only (for testing one extractor on its own)."""
    from pipeline.ingest import read
    from pipeline.structure import parse

    return [parse(read(p)) for p in CORPUS_DOCS]


@pytest.fixture(scope="session")
def corpus_docs():  # type: ignore[no-untyped-def]
    """Every corpus document, read, structured and extracted."""
    from pipeline.batch import process_file

    return [process_file(p) for p in CORPUS_DOCS]
