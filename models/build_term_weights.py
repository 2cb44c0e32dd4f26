"""Rebuild models/term_weights.tsv: document frequencies of character bigrams over a folder of plans.

    python models/build_term_weights.py /work/shared/corpus/wild [--min-share 0.01]

Only counts leave the corpus: for every bigram (as pipeline.compare.weights.grams makes them) the number
of documents it occurs in, kept when at least ``--min-share`` of the documents contain it. Rare bigrams
are left out (they get the highest weight anyway), so no distinctive phrase of any document is shipped.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.compare.weights import WEIGHTS_FILE, grams  # noqa: E402
from pipeline.ingest import read  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--min-share", type=float, default=0.01)
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).resolve().parent / WEIGHTS_FILE)
    args = parser.parse_args()
    df: Counter[str] = Counter()
    n_docs = 0
    for path in sorted(args.folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".txt", ".docx", ".pdf", ".html", ".htm"}:
            continue
        try:
            text = read(path).text
        except Exception as exc:  # a background corpus may hold unreadable files; skip them, say so
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        n_docs += 1
        df.update(set(grams(text)))
    keep = max(2, round(args.min_share * n_docs))
    rows = sorted(((t, c) for t, c in df.items() if c >= keep), key=lambda tc: (-tc[1], tc[0]))
    with args.output.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# document frequency of character bigrams in {n_docs} plans ({args.folder.name}); "
                 f"bigrams in fewer than {keep} documents omitted; built by models/build_term_weights.py\n")
        fh.write(f"__documents__\t{n_docs}\n")
        fh.writelines(f"{t}\t{c}\n" for t, c in rows)
    print(f"{len(rows)} bigrams from {n_docs} documents -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
