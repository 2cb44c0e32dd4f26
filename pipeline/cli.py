"""Thin command line over the library: ``planscope extract|eval|compare``."""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .errors import PlanscopeError


def _extract(args: argparse.Namespace) -> int:
    from .batch import expand_paths, run
    from .export import CsvFinisher, TableWriter, convert_csv_tables, parse_formats
    from .resume import ResultStore

    formats = parse_formats(args.format)
    if args.aliases:
        from .resources import use_aliases

        use_aliases(args.aliases)
    if not args.paths and not args.from_list:
        raise PlanscopeError("give plan files or folders, or --from-list FILE")
    total = len(expand_paths(args.paths, from_list=args.from_list))
    if total == 0:
        raise PlanscopeError("no input files found in " + ", ".join(args.paths or [args.from_list]))
    store = ResultStore(args.output)
    results = run(args.paths, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler,
                  max_bytes=int(args.max_size * 1024 * 1024), timeout=args.timeout or None,
                  from_list=args.from_list, reuse=store.get if args.resume else None,
                  finish=CsvFinisher(args.output))
    errors = resumed = 0
    with TableWriter(args.output, headers=args.headers) as writer, _progress(total, quiet=args.quiet) as advance:
        for res in results:
            writer.write(res)
            if res.status != "ok":
                errors += 1
                print(f"error: {res.error}", file=sys.stderr)
            resumed += bool(res.extra.get("resumed"))
            advance(errors)
    convert_csv_tables(args.output, formats)
    if not args.quiet:
        done = writer.counts["documents"]
        print(f"{done - errors} ok ({resumed} resumed), {errors} error(s), {writer.counts['items']} items, "
              f"{writer.counts['quantities']} quantities -> {args.output}/", file=sys.stderr)
    return 1 if errors and args.strict else 0


@contextmanager
def _progress(total: int, *, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar (files, rate, errors) on a terminal; silent otherwise or with --quiet."""
    if quiet or not sys.stderr.isatty():
        yield lambda errors: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("extract"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]:.1f} files/s  errors: {task.fields[errors]}"),
                  TimeRemainingColumn(), transient=False) as bar:
        task = bar.add_task("extract", total=total, rate=0.0, errors=0)
        start = time.perf_counter()

        def advance(errors: int) -> None:
            done = bar.tasks[0].completed + 1
            bar.update(task, advance=1, errors=errors, rate=done / max(time.perf_counter() - start, 1e-6))

        yield advance


def _report(args: argparse.Namespace) -> int:
    from .batch import run
    from .report.extraction import render_extraction

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    errors = 0
    for res in run(args.paths, jobs=1):
        if res.document is None:
            errors += 1
            print(f"error: {res.error}", file=sys.stderr)
            continue
        page = out / f"{res.doc_id}.html"
        page.write_text(render_extraction(res.document), encoding="utf-8")
        if not args.quiet:
            print(f"{page}", file=sys.stderr)
    return 1 if errors and args.strict else 0


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_report

    results = evaluate(args.gold, args.corpus)
    print(format_report(results, misses=not args.no_misses))
    return 0


def _audit(args: argparse.Namespace) -> int:
    from .batch import run
    from .structure.audit import format_summary, summarize

    summary = summarize(run(args.paths, jobs=args.jobs))
    print(format_summary(summary, list_documents=args.list))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from .batch import read_plans
    from .compare import DEFAULT_THRESHOLD, compare, comparison_tables
    from .export import parse_formats, write_tables
    from .report import render_comparison

    formats = parse_formats(args.format)
    if len(args.paths) < 2:
        raise PlanscopeError("compare needs at least two plans: OLD NEW [MORE...], oldest first")
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0.0 <= threshold <= 1.0:
        raise PlanscopeError(f"--threshold must be between 0 and 1, not {threshold}")
    docs = read_plans(args.paths)
    years = [d.year for d in docs if d.year is not None]
    if years != sorted(years):
        print("planscope: warning: the plans' years are not in chronological order "
              f"({', '.join(str(d.year) for d in docs)}); compare reads them in the order given", file=sys.stderr)
    cmp = compare(docs, threshold=threshold)
    tables = comparison_tables(cmp)
    names = ["alignment", "target_changes"] + (["trajectories"] if len(docs) >= 3 else [])
    out = Path(args.output)
    write_tables({n: tables[n] for n in names}, out, formats=formats, headers=args.headers,
                 workbook="comparison.xlsx")
    (out / "report.html").write_text(render_comparison(cmp, docs), encoding="utf-8")
    if not args.quiet:
        status = tables["alignment"]["status"].value_counts()
        counts = ", ".join(f"{status.get(s, 0)} {s}" for s in ("unchanged", "modified", "new", "dropped"))
        print(f"{counts}; {len(tables['target_changes'])} target change(s) -> {out}/", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planscope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="split plans into items and extract what they commit to; write tables")
    ex.add_argument("paths", nargs="*", help="plan files, folders (searched recursively) or globs")
    ex.add_argument("-o", "--output", default="outputs", help="output folder (default: outputs)")
    ex.add_argument("--from-list", metavar="FILE", help="also read the paths listed in FILE, one per line")
    ex.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: all cores)")
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="run locally (default) or on a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler address (with --engine dask; default: start a LocalCluster)")
    ex.add_argument("--resume", action="store_true",
                    help="skip files already done in DIR (by content hash); edited files are redone")
    ex.add_argument("--strict", action="store_true", help="exit non-zero when any file fails")
    ex.add_argument("--quiet", action="store_true", help="no progress bar or summary, only errors")
    ex.add_argument("--max-size", type=float, default=50, help="refuse files larger than this many MB (default 50)")
    ex.add_argument("--timeout", type=float, default=120,
                    help="seconds allowed per file before it is stopped with an error (default 120; 0 = none)")
    ex.add_argument("--format", default="csv",
                    help="comma list of csv,xlsx,json,parquet (default csv; CSVs are always written)")
    ex.add_argument("--headers", choices=["en", "zh"], default="en",
                    help="column names in English (default, the documented contract) or Chinese")
    ex.add_argument("--aliases", metavar="FILE",
                    help="extra department aliases, one variant<TAB>canonical per line (fills the canonical column)")
    ex.set_defaults(func=_extract)
    rp = sub.add_parser("report", help="write one HTML page per plan with every extracted span highlighted")
    rp.add_argument("paths", nargs="+", help="plan files or folders")
    rp.add_argument("-o", "--output", default="outputs/report", help="output folder (default outputs/report)")
    rp.add_argument("--strict", action="store_true", help="exit non-zero when any file fails")
    rp.add_argument("--quiet", action="store_true", help="print only errors")
    rp.set_defaults(func=_report)
    ev = sub.add_parser("eval", help="score extraction against the gold annotations (P/R/F1 per field)")
    ev.add_argument("--gold", default="corpus/gold", help="folder of gold JSON files (default corpus/gold)")
    ev.add_argument("--corpus", default="corpus", help="folder holding the annotated documents (default corpus)")
    ev.add_argument("--no-misses", action="store_true", help="print only the scores, not each miss")
    ev.set_defaults(func=_eval)
    au = sub.add_parser("audit", help="count, over a folder, the documents whose reading looks incomplete "
                                      "(no items, body outside items, rejected markers, broken font text)")
    au.add_argument("paths", nargs="+", help="plan files or folders")
    au.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    au.add_argument("--list", action="store_true", help="also list the documents under each warning")
    au.set_defaults(func=_audit)
    cm = sub.add_parser("compare", help="compare a plan with the issuer's earlier plans; write tables and report.html")
    cm.add_argument("paths", nargs="+", metavar="PLAN", help="plan files in chronological order: OLD NEW [MORE...]")
    cm.add_argument("-o", "--output", default="outputs", help="output folder (default: outputs)")
    cm.add_argument("--threshold", type=float, default=None,
                    help="minimum similarity (0-1) for two items to count as the same item (default 0.3)")
    cm.add_argument("--format", default="csv", help="comma list of csv,xlsx,json,parquet (default csv)")
    cm.add_argument("--headers", choices=["en", "zh"], default="en", help="column names in English or Chinese")
    cm.add_argument("--quiet", action="store_true", help="print nothing but errors")
    cm.set_defaults(func=_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planscope`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (PlanscopeError, ValueError) as exc:
        print(f"planscope: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
