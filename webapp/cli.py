"""Command line: ``python -m webapp`` (also installed as ``trygg-sida``).

serve [--host H] [--port P] [--reload] [--workers N (0: one per core)]
export DIR
cards -o DIR [CODE ...]         printed help cards (A6, one per language) and the poster (languages)
locales [--published]           the locale codes, for the Makefile
reach [--month YYYY-MM] [--json] [--nginx-log FILE ...]   views per month, locale and page, rounded
i18n extract | update | init CODE | check [--strict] [FILES] | stats [--json]
i18n priority [--json] [--nginx-log FILE ...]             where a review reaches the most readers
i18n xliff-export CODE [-o FILE] | xliff-import FILE [--reviewer NAME] | review-sheet CODE [-o FILE]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from webapp.catalogs import catalog_path, load
from webapp.locales import LOCALES, SOURCE, LocaleInfo
from webapp.settings import PACKAGE, Settings
from webapp.translating import catalog_tools

if TYPE_CHECKING:
    from webapp.publishing.reach_report import Tally

RELOAD_INCLUDES = ["*.py", "*.html", "*.po", "*.css", "*.js", "*.toml", "*.svg"]
DRAFT_PRODUCER = "machine draft, not reviewed"
TRANSLATE_EXTRA = "trygg-sida[translate]"


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from webapp.site import setup_problem

    settings = Settings.from_env()
    problem = setup_problem(settings)
    if problem is not None:
        print(f"trygg-sida: cannot start: {problem}", file=sys.stderr)
        return 2
    uvicorn.run(
        "webapp.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        reload_dirs=[str(PACKAGE), str(settings.templates_dir), str(settings.locales_dir)] if args.reload else None,
        reload_includes=RELOAD_INCLUDES if args.reload else None,
        workers=args.workers or len(os.sched_getaffinity(0)),
        access_log=settings.access_log,
        server_header=False,
        proxy_headers=False,
        # On SIGTERM, answers under way get this long to finish before connections are closed.
        timeout_graceful_shutdown=30,
        log_level="info",
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from webapp.publishing.export import export

    written = export(Settings.from_env(), Path(args.dir))
    print(f"wrote {written} files to {args.dir}")
    return 0


def _cards(args: argparse.Namespace) -> int:
    from webapp.publishing import cards

    try:
        printed = cards.render(Settings.from_env(), Path(args.output), args.codes)
        cards.write(printed)
    except cards.PrintError as error:
        print(f"trygg-sida cards: {error}", file=sys.stderr)
        return 2
    for item in printed:
        pages = f"{item.pages} pages" if item.pages > 1 else "1 page"
        print(f"wrote {item.path} ({pages}, {cards.fill(item.document):.0%} full)")
    spilled = [item.path.name for item in printed if item.pages > 1]
    if spilled:
        print(f"trygg-sida cards: more than one page: {' '.join(spilled)}; shorten their text", file=sys.stderr)
    return 1 if spilled else 0


def _locales(args: argparse.Namespace) -> int:
    codes = [info.code for info in LOCALES.values() if info.published or not args.published]
    print(" ".join(codes))
    return 0


def _reach(args: argparse.Namespace) -> int:
    from webapp.publishing import reach_report

    if args.month is not None and not reach_report.MONTH.fullmatch(args.month):
        print(f"--month {args.month}: not a month (YYYY-MM)", file=sys.stderr)
        return 2
    tally = _tally(args.nginx_log)
    if tally is None:
        return 2
    found = reach_report.rows(tally.views, args.month)
    print(reach_report.as_json(found) if args.json else "\n".join(reach_report.table(found)))
    return 0


def _tally(logs: list[str]) -> Tally | None:
    """The views of TRYGG_REACH_DB and ``logs``, summed; None, after one line, if unreadable."""
    from webapp.publishing import reach_report

    db = Settings.from_env().reach_db
    if db is None and not logs:
        print("nothing to read: set TRYGG_REACH_DB or give --nginx-log FILE", file=sys.stderr)
        return None
    try:
        tally = reach_report.collect(db, [Path(log) for log in logs])
    except reach_report.SourceError as error:
        print(error, file=sys.stderr)
        return None
    if tally.malformed:
        print(f"{tally.malformed} log lines not in the reach format were skipped", file=sys.stderr)
    return tally


def _i18n(args: argparse.Namespace) -> int:
    locales_dir = Settings.from_env().locales_dir
    return int(_I18N[args.command](args, locales_dir))


def _extract(args: argparse.Namespace, locales_dir: Path) -> int:
    print(f"wrote {catalog_tools.write_pot(locales_dir)}")
    return 0


def _update(args: argparse.Namespace, locales_dir: Path) -> int:
    problems = []
    for path, info in catalog_tools.translated_catalogs(locales_dir):
        if path.exists():
            problems += catalog_tools.update(locales_dir, info)
    for problem in problems:
        print(f"{problem} (not updated: fix this first)", file=sys.stderr)
    return 1 if problems else 0


def _translated(code: str) -> LocaleInfo | None:
    """The translated locale of the table with this code; else None, and one line saying so."""
    info = LOCALES.get(code)
    if info is None or info.code == SOURCE:
        print(f"{code}: not a translated locale of the table (webapp/locales.py): add it there first", file=sys.stderr)
        return None
    return info


def _init(args: argparse.Namespace, locales_dir: Path) -> int:
    info = _translated(args.code)
    if info is None:
        return 2
    try:
        path = catalog_tools.init(locales_dir, info, args.produced_by)
    except FileExistsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace, locales_dir: Path) -> int:
    targets = [(Path(f), catalog_tools.locale_of(Path(f))) for f in args.files] or [
        (path, info) for path, info in catalog_tools.translated_catalogs(locales_dir) if info.published
    ]
    failed = False
    for path, info in targets:
        if info is None:
            print(f"{path}:0: not a catalog of a locale in the table ({catalog_tools.LAYOUT})")
            failed = True
            continue
        for problem in catalog_tools.check_catalog(path, info, strict=args.strict):
            print(problem)
            failed = True
    if not args.files and not catalog_tools.pot_is_current(locales_dir):
        print(f"{catalog_tools.pot_path(locales_dir)}:1: out of date: run make messages")
        failed = True
    return 1 if failed else 0


STATS_COLUMNS = (
    ("locale", 7),
    ("status", 9),
    ("translated", 10),
    ("reviewed", 8),
    ("draft", 6),
    ("out of date", 11),
    ("fuzzy", 6),
    ("untransl.", 9),
    ("broken", 6),
    ("words", 11),
)


def _stats(args: argparse.Namespace, locales_dir: Path) -> int:
    rows = [catalog_tools.stats(locales_dir, info) for _, info in catalog_tools.translated_catalogs(locales_dir)]
    if args.json:
        print(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        return 0
    print(_stats_line([name for name, _ in STATS_COLUMNS]))
    print("-" * (sum(width for _, width in STATS_COLUMNS) + len(STATS_COLUMNS) - 1))
    for s in rows:
        print(
            _stats_line(
                [
                    s.code,
                    s.status,
                    f"{s.translated}/{s.total}",
                    s.reviewed,
                    s.draft,
                    s.out_of_date,
                    s.fuzzy,
                    s.untranslated,
                    s.broken,
                    f"{s.words_translated}/{s.words}",
                ]
            )
        )
    return 0


def _stats_line(cells: Sequence[object]) -> str:
    return " ".join(
        f"{cell!s:<{width}}" if index < 2 else f"{cell!s:>{width}}"
        for index, (cell, (_, width)) in enumerate(zip(cells, STATS_COLUMNS, strict=True))
    ).rstrip()


PRIORITY_COLUMNS = (("rank", 4), ("locale", 6), ("views", 6), ("unreviewed", 10), ("score", 6))


def _priority(args: argparse.Namespace, locales_dir: Path) -> int:
    from webapp.publishing.reach_report import rounded, shown
    from webapp.reach import month_of
    from webapp.translating import priority

    tally = _tally(args.nginx_log)
    if tally is None:
        return 2
    months = priority.recent_months(month_of(time.time()))
    views: Counter[str] = Counter()
    for (month, code, _), n in tally.views.items():
        if month in months:
            views[code] += n
    stats = [catalog_tools.stats(locales_dir, info) for _, info in catalog_tools.translated_catalogs(locales_dir)]
    ranked = priority.rank({code: rounded(n) for code, n in views.items()}, stats)
    rows = [(str(i), p.code, shown(p.views), p.unreviewed, p.score) for i, p in enumerate(ranked, 1)]
    if args.json:
        names = [name for name, _ in PRIORITY_COLUMNS]
        objects = [dict(zip(names, (int(r[0]), r[1], r[2], round(r[3], 4), round(r[4], 1)), strict=True)) for r in rows]
        print(json.dumps(objects, indent=2))
        return 0
    print(f"views in {', '.join(sorted(months))}; score: views × share of messages not reviewed")
    print(_priority_line([name for name, _ in PRIORITY_COLUMNS]))
    for rank, code, seen, share, score in rows:
        print(_priority_line([rank, code, seen, f"{share:.0%}", f"{score:.0f}"]))
    return 0


def _priority_line(cells: Sequence[str]) -> str:
    return " ".join(
        f"{cell:<{width}}" if name == "locale" else f"{cell:>{width}}"
        for cell, (name, width) in zip(cells, PRIORITY_COLUMNS, strict=True)
    )


def _write_out(data: bytes, target: str | None) -> int:
    """``data`` to the file ``target`` (standard output if none); 1 with one line if it cannot."""
    if not target:
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(target).write_bytes(data)
    except OSError as error:
        print(f"{target}: cannot write: {error.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {target}", file=sys.stderr)
    return 0


def _without_translate_extra() -> int:
    print(f"trygg-sida: the XLIFF tools need the translate extra: pip install '{TRANSLATE_EXTRA}'", file=sys.stderr)
    return 2


def _xliff_export(args: argparse.Namespace, locales_dir: Path) -> int:
    try:
        from webapp.translating import xliff
    except ModuleNotFoundError:
        return _without_translate_extra()
    info = _translated(args.code)
    if info is None:
        return 2
    catalog = load(catalog_path(locales_dir, info.code), info)
    if not catalog.entries:
        print("\n".join(map(str, catalog.problems)) or f"{catalog.path}: no messages", file=sys.stderr)
        return 1
    return _write_out(xliff.export(catalog, info), args.output)


def _xliff_import(args: argparse.Namespace, locales_dir: Path) -> int:
    try:
        from webapp.translating.xliff_import import RefusedError, import_file
    except ModuleNotFoundError:
        return _without_translate_extra()
    try:
        outcome = import_file(Path(args.file), locales_dir, args.reviewer, args.locale or "")
    except RefusedError as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 2
    if outcome.problems:
        print("\n".join(outcome.problems), file=sys.stderr)
        print(f"nothing written: {len(outcome.problems)} problems", file=sys.stderr)
        return 1
    print(f"{outcome.code}: {outcome.changed} translations changed, {outcome.approved} approved units")
    for path in outcome.written:
        print(f"wrote {path}")
    if not outcome.written:
        print("nothing changed")
    return 0


def _review_sheet(args: argparse.Namespace, locales_dir: Path) -> int:
    from webapp.translating.review_sheet import sheet

    info = _translated(args.code)
    if info is None:
        return 2
    return _write_out(sheet(Settings.from_env(), info).encode("utf-8"), args.output)


_I18N = {
    "extract": _extract,
    "update": _update,
    "init": _init,
    "check": _check,
    "stats": _stats,
    "xliff-export": _xliff_export,
    "xliff-import": _xliff_import,
    "review-sheet": _review_sheet,
    "priority": _priority,
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="trygg-sida", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="what", required=True)
    serve = commands.add_parser("serve", help="serve the site with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on changes to code, templates and .po files")
    serve.add_argument("--workers", type=int, default=1, help="worker processes; 0: one per core")
    serve.set_defaults(run=_serve)
    export = commands.add_parser("export", help="write the whole site as static files")
    export.add_argument("dir")
    export.set_defaults(run=_export)
    cards = commands.add_parser("cards", help="printed help cards and the poster of all languages, as PDF")
    cards.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="folder to write <code>.pdf and languages.pdf"
    )
    cards.add_argument(
        "codes", nargs="*", metavar="CODE", help="a published locale, or languages for the poster (default: all)"
    )
    cards.set_defaults(run=_cards)
    locales = commands.add_parser("locales", help="print the locale codes of the table")
    locales.add_argument("--published", action="store_true")
    locales.set_defaults(run=_locales)
    reach = commands.add_parser("reach", help="views per month, locale and page, rounded to 10")
    reach.add_argument("--month", help="only this month (YYYY-MM)")
    reach.add_argument("--json", action="store_true", help="a list of objects, views as strings")
    _log_option(reach)
    reach.set_defaults(run=_reach)
    i18n = commands.add_parser("i18n", help="translator tools")
    tools = i18n.add_subparsers(dest="command", required=True)
    tools.add_parser("extract", help="write locales/messages.pot from templates and code")
    tools.add_parser("update", help="merge messages.pot into every catalog (msgmerge)")
    init = tools.add_parser("init", help="start the catalog of a locale in the table")
    init.add_argument("code")
    init.add_argument("--produced-by", default=DRAFT_PRODUCER)
    check = tools.add_parser("check", help="find what is broken; exits 1 if anything is")
    check.add_argument("files", nargs="*")
    check.add_argument("--strict", action="store_true", help="also fail on untranslated and fuzzy messages")
    stats = tools.add_parser("stats", help="translated, reviewed, out-of-date, fuzzy, untranslated per locale")
    stats.add_argument("--json", action="store_true", help="one object per locale, as JSON")
    out = tools.add_parser("xliff-export", help="XLIFF 1.2 of one locale, for a translation agency")
    out.add_argument("code")
    out.add_argument("-o", "--output", help="file to write (default: standard output)")
    back = tools.add_parser("xliff-import", help="merge an agency's XLIFF file; approved units become reviewed")
    back.add_argument("file")
    back.add_argument("--reviewer", default="", help="who reviewed (else the file's review phase contact-name)")
    back.add_argument("--locale", help="refuse the file unless it is for this locale")
    sheet = tools.add_parser("review-sheet", help="a printable HTML review sheet of one locale")
    sheet.add_argument("code")
    sheet.add_argument("-o", "--output", help="file to write (default: standard output)")
    ranked = tools.add_parser("priority", help="locales by views (3 months) x share not reviewed")
    ranked.add_argument("--json", action="store_true", help="a list of objects, views as strings")
    _log_option(ranked)
    i18n.set_defaults(run=_i18n)
    return top


def _log_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--nginx-log", nargs="+", default=[], metavar="FILE", help="nginx logs in the reach format (.gz too)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    try:
        status = int(args.run(args))
        sys.stdout.flush()
    except BrokenPipeError:
        # Whoever read the output stopped (| head): stop quietly. What is still buffered goes
        # nowhere, so that the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status
