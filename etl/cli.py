"""Command line: each subcommand parses its arguments, calls one library function, prints the result."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from etl import users, warehouse
from etl.engines import dask_engine
from etl.manifest import find_manifest, load_manifest
from etl.parallel import DEFAULT_TIMEOUT
from etl.parquet_export import export_parquet
from etl.pipeline import extract_paths
from etl.synth import write_corpus

DEFAULT_MINUTES = warehouse.ROOT / "data" / "minutes"


def _extract(args: argparse.Namespace) -> int:
    manifest = load_manifest(args.manifest)
    docs = []
    for path, result in extract_paths(args.paths, manifest):
        if isinstance(result, Exception):
            print(f"{path}: skipped: {result}", file=sys.stderr)
        else:
            docs.append(result.to_json())
    json.dump(docs, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def _run(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_MINUTES]
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"{p}: no such file or folder", file=sys.stderr)
    manifest = args.manifest or find_manifest(paths)
    engine = dask_engine(args.scheduler, args.file_timeout) if args.engine == "dask" else None
    summary = warehouse.run([p for p in paths if p.exists()], args.db, manifest,
                            max_bytes=int(args.max_mb * 1024 * 1024), progress=warehouse.tty_progress(),
                            workers=args.workers, file_timeout=args.file_timeout, engine=engine)
    if args.parquet:
        export_parquet(args.db, args.parquet)
    print(f"{args.db}: " + "\n".join(summary.lines()))
    failed = summary.failed + len(missing)
    return 1 if args.strict and failed else 0


def _export_parquet(args: argparse.Namespace) -> int:
    counts = export_parquet(args.db, args.out)
    print(f"{args.out}: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    return 0


def _synth(args: argparse.Namespace) -> int:
    written = write_corpus(args.out, args.docs, seed=args.seed)
    print(f"{args.out}: {written.docs} documents, {written.figures} known figures (gold.json, manifest.csv)")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from etl import fetch

    client = fetch.Client(delay=args.delay, timeout=args.timeout, max_bytes=int(args.max_mb * 1024 * 1024))
    failed_sites = 0
    for site in args.site:
        try:
            summary = fetch.fetch_site(site, args.out or fetch.RAW, args.committee, args.start, args.end,
                                       args.council, client, progress=warehouse.tty_progress())
        except ValueError as exc:
            print(f"{site}: {exc}", file=sys.stderr)
            failed_sites += 1
            continue
        print("\n".join(summary.lines()))
        failed_sites += not summary.committees
    return 1 if failed_sites else 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2019-02-05") from exc


def _brief(args: argparse.Namespace) -> int:
    from etl import brief

    try:
        pack = brief.build(args.db, args.council, args.as_of, args.compare)
        out = brief.write(pack, args.out)
    except (ValueError, FileNotFoundError) as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 1
    print(f"{out}: {len(pack.sections())} sections, {len(pack.notes)} footnotes, {len(pack.questions)} questions")
    return 0


def _official(args: argparse.Namespace) -> int:
    from etl import official

    folder = args.dir or official.REFERENCE
    summary = official.run(folder, args.db)
    print(f"{args.db}: official statistics from {folder}\n" + "\n".join(summary.lines()))
    return 1 if args.strict and summary.problems else 0


def _users_add(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _ask_password()
    try:
        user = users.add_user(args.name, args.role, password, args.users)
    except users.UserError as exc:
        print(f"python -m etl users add: {exc}", file=sys.stderr)
        return 1
    print(f"{args.users or users.users_path()}: {user.name} can now sign in as {user.role}")
    return 0


def _ask_password() -> str:
    import getpass

    first = getpass.getpass("Password: ")
    return first if getpass.getpass("Again: ") == first else ""


def _reviews(args: argparse.Namespace) -> int:
    from etl import reviews

    store = args.reviews or reviews.reviews_path(args.db)
    try:
        if args.reviews_command == "export":
            print(f"{args.file}: {reviews.export_csv(store, args.file)} decisions from {store}")
        else:
            print(f"{store}: {reviews.import_csv(store, args.file, args.db, args.reviewer)} decisions recorded "
                  f"from {args.file}")
    except reviews.ReviewError as exc:
        print(f"python -m etl reviews {args.reviews_command}: {exc}", file=sys.stderr)
        return 1
    return 0


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=warehouse.DEFAULT_DB, help="DuckDB file (default data/kpi.duckdb)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the figures found in minutes as JSON; writes nothing")
    p.add_argument("paths", nargs="+", type=Path, help="minutes files or folders")
    p.add_argument("--manifest", type=Path, help="CSV file,council,committee,meeting_date,url")
    p.set_defaults(func=_extract)

    p = sub.add_parser("run", help="extract minutes into the database and publish it")
    p.add_argument("paths", nargs="*", type=Path, help="minutes files or folders (default data/minutes)")
    _add_db(p)
    p.add_argument("--manifest", type=Path, help="CSV file,council,committee,meeting_date,url "
                   "(default: manifest.csv in the first folder)")
    p.add_argument("--max-mb", type=float, default=50, help="skip files larger than this (default 50)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="extract in this many processes side by side (default: one per core)")
    p.add_argument("--file-timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"give up on a file after this many seconds (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local worker processes, or a dask.distributed cluster")
    p.add_argument("--scheduler", help="dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                   "(default: a local dask cluster)")
    p.add_argument("--parquet", type=Path, help="also write documents and figures as Parquet to this folder")
    p.set_defaults(func=_run)

    p = sub.add_parser("export-parquet", help="write documents and figures as Parquet partitioned by council and year")
    p.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    _add_db(p)
    p.set_defaults(func=_export_parquet)

    p = sub.add_parser("synth", help="write synthetic minutes with known figures, for benchmarks")
    p.add_argument("--docs", type=int, required=True, help="how many documents")
    p.add_argument("--out", type=Path, required=True, help="folder to write them to")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same files)")
    p.set_defaults(func=_synth)

    p = sub.add_parser("fetch", help="download committee minutes from a council's modern.gov site into data/raw")
    p.add_argument("--site", action="append", required=True,
                   help="modern.gov base URL, or a council named in etl/sites.csv (repeatable)")
    p.add_argument("--committee", nargs="+", default=[], metavar="NAME_OR_ID",
                   help="committees to fetch (default: names mentioning children, families, young people...)")
    p.add_argument("--from", dest="start", type=_day, help="first meeting date, YYYY-MM-DD (default a year ago)")
    p.add_argument("--to", dest="end", type=_day, help="last meeting date, YYYY-MM-DD (default today)")
    p.add_argument("--out", type=Path, help="where files and manifest.csv go (default data/raw)")
    p.add_argument("--council", help="council name for the manifest (default from sites.csv or the host name)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to a site (default 1)")
    p.add_argument("--timeout", type=float, default=30, help="seconds before a request times out (default 30)")
    p.add_argument("--max-mb", type=float, default=50, help="largest file fetched, in MB (default 50)")
    p.set_defaults(func=_fetch)

    p = sub.add_parser("brief", help="write a scrutiny briefing pack for one council as PDF or HTML")
    p.add_argument("--council", required=True, help="council name as in the database, e.g. Bromley")
    p.add_argument("--as-of", type=_day, help="only figures said up to this day, YYYY-MM-DD "
                   "(default today)")
    p.add_argument("--compare", nargs="*", default=[], metavar="COUNCIL", help="councils to show beside it")
    p.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.html")
    _add_db(p)
    p.set_defaults(func=_brief)

    p = sub.add_parser("official", help="load the DfE official statistics in data/reference/ and publish")
    p.add_argument("--dir", type=Path, help="folder of reference CSVs "
                   "(default data/reference)")
    _add_db(p)
    p.add_argument("--strict", action="store_true", help="exit 1 when any row had a problem")
    p.set_defaults(func=_official)

    p = sub.add_parser("users", help="manage who may sign in to review figures")
    user_sub = p.add_subparsers(dest="users_command", required=True)
    q = user_sub.add_parser("add", help="add a user or reset their role and password")
    q.add_argument("name")
    q.add_argument("--role", choices=users.ROLES, default="reviewer", help="viewer, reviewer (default) or admin")
    q.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    q.add_argument("--users", type=Path, help="users file (default $KPI_USERS or data/users.toml)")
    q.set_defaults(func=_users_add)

    p = sub.add_parser("reviews", help="export or import reviewers' decisions as CSV")
    _add_db(p)
    p.add_argument("--reviews", type=Path, help="decisions file (default $KPI_REVIEWS or reviews.sqlite beside --db)")
    review_sub = p.add_subparsers(dest="reviews_command", required=True)
    q = review_sub.add_parser("export", help="write every decision to a CSV file")
    q.add_argument("file", type=Path)
    q = review_sub.add_parser("import", help="check every row, then record all of them or none")
    q.add_argument("file", type=Path)
    q.add_argument("--reviewer", help="who made rows whose reviewer column is blank")
    p.set_defaults(func=_reviews)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
