"""Command line: each subcommand parses its arguments, calls one library function, prints the result."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.manifest import load_manifest
from etl.pipeline import extract_paths


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="print the figures found in minutes as JSON; writes nothing")
    p.add_argument("paths", nargs="+", type=Path, help="minutes files or folders")
    p.add_argument("--manifest", type=Path, help="CSV file,council,committee,meeting_date,url")
    p.set_defaults(func=_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
