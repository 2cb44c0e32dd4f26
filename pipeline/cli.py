"""planscope reads Chinese government work plans (工作要点, 行动方案, 重点任务分工, ...), splits them into
numbered items and extracts what each item commits to (targets, deadlines, departments, 《》 documents);
it writes tables for Excel, pandas or SQLite and compares plans across years."""
from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from contextlib import contextmanager
from pathlib import Path

from .errors import PlanscopeError

EXIT_CODES = """exit codes:
  0  done (files that could not be read have error rows in documents.csv)
  1  --strict and at least one file could not be read
  2  bad command line or input: unknown option, a path that does not exist, no plans found
  3  an output file could not be written (disk full, no permission, file open in another program)
  130  interrupted (Ctrl-C); extract --resume continues where it stopped"""

EXAMPLES = {
    "extract": """examples:
  planscope extract plans/ -o outputs                  every plan under plans/ -> outputs/*.csv
  planscope extract a.docx b.pdf -o out --format csv,xlsx,sqlite --headers zh
  planscope extract --from-list files.txt -o out --resume   continue an interrupted run""",
    "report": """examples:
  planscope report plan.txt -o outputs/report          one highlighted HTML page per plan
  planscope report plans/ -o outputs/report""",
    "compare": """examples:
  planscope compare plan_2022.txt plan_2023.txt -o comparison
  planscope compare 2021.docx 2022.docx 2023.docx -o comparison --format csv,xlsx --headers zh""",
    "audit": """examples:
  planscope audit plans/                               how many plans look incompletely read, by warning
  planscope audit plans/ --list                        ... and which ones""",
    "eval": """examples:
  planscope eval                                       score against corpus/gold
  planscope eval --gold my/gold --corpus my/plans --no-misses""",
}


def _locked(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run ``command`` holding the lock of its output folder: a second run into the same -o is refused."""
    def locked(args: argparse.Namespace) -> int:
        from .batch import output_lock

        with output_lock(args.output):
            return command(args)

    return locked


@_locked
def _extract(args: argparse.Namespace) -> int:
    from .batch import expand_paths, run
    from .export import TableWriter, parse_formats

    formats = parse_formats(args.format)
    if args.aliases:
        from .resources import use_aliases

        use_aliases(args.aliases)
    if not args.paths and not args.from_list:
        raise PlanscopeError("give plan files or folders, or --from-list FILE")
    files = expand_paths(args.paths, from_list=args.from_list, skip=[args.output])
    total = len(files)
    if total == 0:
        raise PlanscopeError("no input files found in " + ", ".join(args.paths or [args.from_list]))
    store = None
    if args.resume:  # the cache costs time (and hashlib's import): only when asked for
        from .resume import ResultStore, Storing

        store = ResultStore(args.output)
    errors = resumed = done = 0
    try:
        with TableWriter(args.output, headers=args.headers, formats=formats, plain_text=args.plain_text) as writer, \
                _progress(total, quiet=args.quiet) as advance:
            finish: Any = writer.finisher(keep_text=store is not None)
            if store is not None:
                finish = Storing(store, finish)
            results = run(files, expanded=True, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler,
                          max_bytes=int(args.max_size * 1024 * 1024), timeout=args.timeout or None,
                          max_memory=args.max_memory or None, reuse=finish.reuse if store else None,
                          finish=finish)
            for res in results:
                writer.write(res)
                done += 1
                if res.status != "ok":
                    errors += 1
                    print(f"error: {res.error}", file=sys.stderr)
                resumed += bool(res.extra.get("resumed"))
                advance(errors)
    except KeyboardInterrupt:
        print(f"planscope: interrupted after {done} of {total} file(s); no tables were written for this run "
              f"(earlier tables in {args.output}/ are untouched). "
              + ("Run the same command again to continue: the files already done are not read again."
                 if args.resume else "Next time give --resume: an interrupted run then continues where it stopped."),
              file=sys.stderr)
        return 130
    for notice in writer.notices:
        print(f"planscope: warning: {notice}", file=sys.stderr)
    if not args.quiet:
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


@_locked
def _report(args: argparse.Namespace) -> int:
    from .batch import run
    from .export import atomic
    from .report.extraction import render_extraction

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    errors = 0
    pages: list[tuple[str, str, int, str]] = []  # (page, doc_id, items, title or error)
    for res in run(args.paths, jobs=1, skip=[args.output]):
        if res.document is None:
            errors += 1
            print(f"error: {res.error}", file=sys.stderr)
            pages.append(("", res.doc_id, 0, res.error))
            continue
        page = out / f"{res.doc_id}.html"
        with atomic(page, encoding="utf-8") as fh:
            fh.write(render_extraction(res.document))
        pages.append((page.name, res.doc_id, len(res.document.items), res.document.title))
        if not args.quiet:
            print(f"{page}", file=sys.stderr)
    with atomic(out / "index.html", encoding="utf-8") as fh:
        fh.write(_report_index(pages))
    return 1 if errors and args.strict else 0


def _report_index(pages: list[tuple[str, str, int, str]]) -> str:
    """``index.html`` of ``planscope report``: one line per plan, linking its page (or saying why there is none)."""
    from html import escape
    from urllib.parse import quote

    rows = "".join(
        f'<tr><td><a href="{quote(page)}">{escape(doc_id)}</a></td><td>{escape(title)}</td><td>{n}</td></tr>'
        if page else f"<tr><td>{escape(doc_id)}</td><td>未能读取：{escape(title)}</td><td></td></tr>"
        for page, doc_id, n, title in pages)
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" '
            'content="planscope report"><title>planscope 报告</title>'
            "<style>body{font-family:sans-serif;margin:2em auto;max-width:1000px}table{border-collapse:collapse;"
            "width:100%}td,th{border:1px solid #ccd;padding:.3em .5em;text-align:left}</style></head><body>"
            f"<h1>planscope 报告（{len(pages)} 份文件）</h1><table><tr><th>文件</th><th>标题</th><th>条目数</th></tr>"
            f"{rows}</table></body></html>\n")


def _eval(args: argparse.Namespace) -> int:
    if args.compare is not None:
        from .compare.evaluate import evaluate_compare, format_compare_report

        print(format_compare_report(evaluate_compare(args.compare, args.root), misses=not args.no_misses))
        return 0
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


@_locked
def _compare(args: argparse.Namespace) -> int:
    from .batch import expand_paths, run
    from .compare import DEFAULT_THRESHOLD, compare, comparison_rows
    from .compare.corpus import compare_corpus
    from .export import atomic, parse_formats, write_csv_rows, write_tables
    from .report import render_comparison

    formats = parse_formats(args.format)
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0.0 <= threshold <= 1.0:
        raise PlanscopeError(f"--threshold must be between 0 and 1, not {threshold}")
    # A folder, a glob or --from-list is a corpus: series by issuer and genre, ordered by year.
    corpus = bool(args.from_list) or any(Path(p).is_dir() or any(c in p for c in "*?[") for p in args.paths)
    if not corpus and len(args.paths) < 2:
        raise PlanscopeError("compare needs at least two plans (OLD NEW [MORE...], oldest first) or a folder")
    # The output folder of an earlier `planscope extract` is read back from its tables, not re-extracted.
    from .compare.tables import is_extract_folder, read_extract

    extracted = [p for p in args.paths if is_extract_folder(p)]
    plans = [p for p in args.paths if p not in extracted]
    if not extracted and not expand_paths(plans, from_list=args.from_list):
        raise PlanscopeError("no input files found in " + ", ".join(args.paths or [args.from_list]))
    results = [r for folder in extracted for r in read_extract(folder)]
    if plans or args.from_list:
        results += list(run(plans, jobs=args.jobs, from_list=args.from_list))
    for res in results:
        if res.document is None:
            print(f"error: {' '.join(res.error.split())}", file=sys.stderr)
    options: dict[str, Any] = {"threshold": threshold, "cross_issuer": args.cross_issuer}
    out = Path(args.output)
    series_rows: list[dict[str, object]] | None = None
    if corpus:
        found = compare_corpus(results, **options)
        comparisons, ids, series_rows = found.comparisons, found.series_ids, found.rows
    else:
        docs = [r.document for r in results if r.document is not None]
        if len(docs) < 2:
            raise PlanscopeError(f"compare needs at least two readable plans; {len(results) - len(docs)} of "
                                 f"{len(results)} could not be read")
        years = [d.year for d in docs if d.year is not None]
        if years != sorted(years):
            print("planscope: warning: the plans' years are not in chronological order "
                  f"({', '.join(str(d.year) for d in docs)}); compare reads them in the order given", file=sys.stderr)
        comparisons, ids = [compare(docs, **options)], [0]
    for cmp in comparisons:
        for p in cmp.pairs:
            if p.same_issuer is False:
                how = "items aligned anyway" if args.cross_issuer == "align" else \
                    "items not aligned (--cross-issuer align aligns them)"
                print(f"planscope: warning: {p.old_doc} and {p.new_doc} come from different issuers; {how}",
                      file=sys.stderr)
    names = ["alignment", "target_changes"] + (["trajectories"] if corpus or len(comparisons[0].documents) >= 3 else [])
    tables: dict[str, list[dict[str, object]]] = {n: [] for n in names}
    for k, cmp in zip(ids, comparisons):
        for name, rows in comparison_rows(cmp).items():
            if name in tables:
                tables[name].extend({**r, "series": k if corpus else None} for r in rows)
    if series_rows is not None:
        tables["series"] = series_rows
    if formats == ["csv"]:  # the common case needs no pandas
        write_csv_rows(tables, out, headers=args.headers)
    else:
        from .tables import typed

        frames = {n: typed(n, rows) for n, rows in tables.items()}
        notices: list[str] = []
        write_tables(frames, out, formats=formats, headers=args.headers, workbook="comparison.xlsx",
                     database="comparison.sqlite", notices=notices)
        for notice in notices:
            print(f"planscope: warning: {notice}", file=sys.stderr)
    pages = ([(f"report_{k}.html", cmp) for k, cmp in zip(ids, comparisons)] if corpus
             else [("report.html", comparisons[0])])
    for name, cmp in pages:
        with atomic(out / name, encoding="utf-8") as fh:
            fh.write(render_comparison(cmp, cmp.documents))
    if not args.quiet:
        from collections import Counter

        status = Counter(r["status"] for r in tables["alignment"])
        counts = ", ".join(f"{status.get(s, 0)} {s}" for s in ("unchanged", "modified", "new", "dropped"))
        scope = f"{len(comparisons)} series compared; " if corpus else ""
        print(f"{scope}{counts}; {len(tables['target_changes'])} target change(s) -> {out}/", file=sys.stderr)
    errors = sum(r.document is None for r in results)
    return 1 if errors and args.strict else 0


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of worker processes, 1 or more (got {value!r})")
    return n


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="planscope", description=__doc__, allow_abbrev=False,
                                     formatter_class=fmt, epilog=EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"planscope {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".", allow_abbrev=False,
                              formatter_class=fmt, epilog=EXAMPLES[name] + "\n\n" + EXIT_CODES)

    ex = command("extract", "split plans into items and extract what they commit to; write tables")
    ex.add_argument("paths", nargs="*", help="plan files, folders (searched recursively) or globs")
    ex.add_argument("-o", "--output", default="outputs", help="output folder (default: outputs)")
    ex.add_argument("--from-list", metavar="FILE",
                    help="also read the paths listed in FILE, one per line (# starts a comment); relative "
                         "paths are taken from FILE's folder")
    ex.add_argument("-j", "--jobs", type=_jobs, default=os.cpu_count() or 1,
                    help="worker processes, 1 or more (default: all cores)")
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="run locally (default) or on a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler address (with --engine dask; default: start a LocalCluster)")
    ex.add_argument("--resume", action="store_true",
                    help="skip files already done in DIR (by content hash); edited files are redone")
    ex.add_argument("--strict", action="store_true", help="exit 1 when any file could not be read")
    ex.add_argument("--quiet", action="store_true", help="no progress bar or summary, only errors")
    ex.add_argument("--max-size", type=float, default=50, help="refuse files larger than this many MB (default 50)")
    ex.add_argument("--timeout", type=float, default=120,
                    help="seconds allowed per file before it is stopped with an error (default 120; 0 = none)")
    ex.add_argument("--max-memory", type=float, default=2048, metavar="MB",
                    help="memory one file may take in its worker before it is stopped with an error "
                         "(default 2048; 0 = none)")
    ex.add_argument("--format", default="csv",
                    help="comma list of csv,xlsx,json,parquet,sqlite (default csv; CSVs are always written)")
    ex.add_argument("--headers", choices=["en", "zh"], default="en",
                    help="column names (and role/status values) in English (default, the documented contract) "
                         "or Chinese")
    ex.add_argument("--plain-text", action="store_true",
                    help="write DIR/text/<doc_id>.txt uncompressed (default .txt.gz: the tables hold the item "
                         "texts already, and the output stays under twice the input)")
    ex.add_argument("--aliases", metavar="FILE",
                    help="extra department aliases, one variant<TAB>canonical per line (fills the canonical column)")
    ex.set_defaults(func=_extract)
    rp = command("report", "write one HTML page per plan with every extracted span highlighted")
    rp.add_argument("paths", nargs="+", help="plan files or folders")
    rp.add_argument("-o", "--output", default="outputs/report", help="output folder (default outputs/report)")
    rp.add_argument("--strict", action="store_true", help="exit 1 when any file could not be read")
    rp.add_argument("--quiet", action="store_true", help="print only errors")
    rp.set_defaults(func=_report)
    ev = command("eval", "score extraction against the gold annotations (P/R/F1 per field)")
    ev.add_argument("--gold", default="corpus/gold", help="folder of gold JSON files (default corpus/gold)")
    ev.add_argument("--corpus", default="corpus", help="folder holding the annotated documents (default corpus)")
    ev.add_argument("--no-misses", action="store_true", help="print only the scores, not each miss")
    ev.add_argument("--compare", nargs="?", const="corpus/gold/compare", metavar="DIR",
                    help="score compare on the gold alignments in DIR (default corpus/gold/compare) instead")
    ev.add_argument("--root", default=".", help="folder the plan paths in compare gold files are relative to")
    ev.set_defaults(func=_eval)
    au = command("audit", "count, over a folder, the documents whose reading looks incomplete "
                          "(no items, body outside items, rejected markers, broken font text)")
    au.add_argument("paths", nargs="+", help="plan files or folders")
    au.add_argument("-j", "--jobs", type=_jobs, default=os.cpu_count() or 1, help="worker processes, 1 or more")
    au.add_argument("--list", action="store_true", help="also list the documents under each warning")
    au.set_defaults(func=_audit)
    cm = command("compare", "compare a plan with the issuer's earlier plans; write tables and report.html")
    cm.add_argument("paths", nargs="*", metavar="PLAN",
                    help="plan files in chronological order (OLD NEW [MORE...]), or folders/globs of a corpus "
                         "(or the output folder of an earlier extract): plans grouped into series by issuer, "
                         "genre and title, ordered by year")
    cm.add_argument("--from-list", metavar="FILE", help="also read the paths listed in FILE (a corpus)")
    cm.add_argument("-j", "--jobs", type=_jobs, default=1, help="worker processes for reading the plans (default 1)")
    cm.add_argument("--cross-issuer", choices=["abstain", "align"], default="abstain",
                    help="plans of different issuers: list their items as dropped/new (default) or align them")
    cm.add_argument("--strict", action="store_true", help="exit 1 when any file could not be read")
    cm.add_argument("-o", "--output", default="outputs/compare",
                    help="output folder (default: outputs/compare, apart from extract's tables)")
    cm.add_argument("--threshold", type=float, default=None,
                    help="minimum similarity (0-1) for two items to count as the same item (default 0.3)")
    cm.add_argument("--format", default="csv", help="comma list of csv,xlsx,json,parquet,sqlite (default csv)")
    cm.add_argument("--headers", choices=["en", "zh"], default="en",
                    help="column names (and status/change values) in English or Chinese")
    cm.add_argument("--quiet", action="store_true", help="print nothing but errors")
    cm.set_defaults(func=_compare)
    return parser


def os_error_message(exc: OSError) -> str:
    """One line for an OS error while writing: which file, what happened, what to do."""
    name = exc.filename2 if exc.filename2 and not str(exc.filename2).endswith(".part") else exc.filename
    where = f"{name}: " if name else ""
    what = exc.strerror or str(exc)
    advice = {
        errno.ENOSPC: "the disk is full; free some space or write elsewhere with -o DIR",
        errno.EDQUOT: "the disk quota is used up; free some space or write elsewhere with -o DIR",
        errno.EACCES: "if the file is open in Excel or another program, close it; otherwise choose a folder "
                      "you can write to with -o DIR",
        errno.EPERM: "if the file is open in Excel or another program, close it; otherwise choose a folder "
                     "you can write to with -o DIR",
        errno.EROFS: "the disk is read-only; choose another folder with -o DIR",
        errno.ENOTDIR: "a file stands where a folder is needed; give -o a folder path",
        errno.EEXIST: "a file stands where a folder is needed; give -o a folder path",
        errno.ENAMETOOLONG: "the path is too long; choose a shorter -o DIR",
    }.get(exc.errno or 0, "check the output folder given with -o")
    return f"cannot write {where}{what}; {advice}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planscope`` command; returns the exit code (see ``planscope --help``)."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        parser.print_help()
        return 0
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help / --version (0) or a usage error (2), already printed by argparse
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args))
    except FileNotFoundError as exc:  # an input that does not exist
        print(f"planscope: {exc.args[0] if len(exc.args) == 1 else exc}", file=sys.stderr)
        return 2
    except (PlanscopeError, ValueError) as exc:
        print(f"planscope: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"planscope: {os_error_message(exc)}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("planscope: interrupted", file=sys.stderr)
        return 130


def command() -> None:
    """The ``planscope`` command (and ``python -m pipeline``): :func:`main` on ``sys.argv``, then exit."""
    code = main()
    from .regex_cache import save

    save()  # the patterns compiled here, for the next start (once: then nothing is new)
    # The work is done and its files are closed: exit without the interpreter's last search for reference
    # cycles over every loaded module and pattern (objects are still freed), ~10 ms of a one-file run.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    command()
