"""Shared fixtures: paths into corpus/ and tests/data/, and a single jieba load per run."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"
SEED = CORPUS / "changzhou_edu_2022.txt"
CORPUS_DOCS = sorted([SEED, *sorted((CORPUS / "samples").glob("*.txt"))])


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
