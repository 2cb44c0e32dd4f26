"""Thin command line over the library: ``planscope extract|eval``."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import PlanscopeError


def _extract(args: argparse.Namespace) -> int:
    from .batch import run
    from .export import to_tables, write_tables, write_texts

    results = list(run(args.paths, max_bytes=int(args.max_size * 1024 * 1024)))
    if not results:
        raise PlanscopeError("no input files found in " + ", ".join(args.paths))
    tables = to_tables(results)
    write_tables(tables, args.output)
    write_texts(results, args.output)
    errors = [r for r in results if r.status != "ok"]
    for r in errors:
        print(f"error: {r.error}", file=sys.stderr)
    if not args.quiet:
        n_items = len(tables["items"])
        print(f"{len(results) - len(errors)} ok, {len(errors)} error(s), {n_items} items -> {args.output}")
    return 1 if errors and args.strict else 0


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_report

    results = evaluate(args.gold, args.corpus)
    print(format_report(results, misses=not args.no_misses))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planscope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="split plans into items and extract what they commit to; write tables")
    ex.add_argument("paths", nargs="+", help="plan files or folders (searched recursively)")
    ex.add_argument("-o", "--output", default="outputs", help="output folder (default: outputs)")
    ex.add_argument("--strict", action="store_true", help="exit non-zero when any file fails")
    ex.add_argument("--quiet", action="store_true", help="print nothing but errors")
    ex.add_argument("--max-size", type=float, default=50, help="skip files larger than this many MB (default 50)")
    ex.set_defaults(func=_extract)
    ev = sub.add_parser("eval", help="score extraction against the gold annotations (P/R/F1 per field)")
    ev.add_argument("--gold", default="corpus/gold", help="folder of gold JSON files (default corpus/gold)")
    ev.add_argument("--corpus", default="corpus", help="folder holding the annotated documents (default corpus)")
    ev.add_argument("--no-misses", action="store_true", help="print only the scores, not each miss")
    ev.set_defaults(func=_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planscope`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PlanscopeError as exc:
        print(f"planscope: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
