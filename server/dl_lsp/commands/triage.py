"""``dl-lsp triage [--format text|json|markdown] FILE|-``: a bug report's type, what it lacks and
how to reproduce it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

FORMATS = ("text", "json", "markdown")
# Read at most this much: the triage reads the first 200,000 characters anyway.
MAX_INPUT_BYTES = 4_000_000


def register(commands: Any) -> None:
    """Add the ``triage`` sub-command."""
    parser = commands.add_parser(
        "triage",
        help="classify a bug report and say what it lacks and how to reproduce it",
        description=(
            "Read a bug report (Markdown or text with fenced code, a traceback and an optional "
            "'Tags:' line; or JSON with title, body, code, traceback, tags) and print its bug "
            "type, the information it lacks with follow-up questions, and the edit actions "
            "that would reproduce it."
        ),
    )
    parser.add_argument("report", metavar="FILE", help="the report file, or - for standard input")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--taxonomy",
        metavar="FILE",
        help="a taxonomy file written by 'dl-lsp taxonomy mine' instead of the paper's tables",
    )
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="do not use the MiniLM text similarity even when the triage extra is installed",
    )
    parser.set_defaults(handler=run_triage)


def run_triage(args: argparse.Namespace) -> int:
    """Triage one report; exit 0 with a type, 1 when it is unknown, 2 when it cannot be read."""
    from dl_lsp.triage import parse_report, triage_report
    from dl_lsp.triage.options import triage_options
    from dl_lsp.triage.render import render_markdown, render_text
    from dl_lsp.triage.result import UNKNOWN

    try:
        data = _read(args.report)
        options = triage_options(
            taxonomy=Path(args.taxonomy) if args.taxonomy else None,
            embeddings=not args.no_embeddings,
        )
    except (OSError, ValueError) as error:
        print(f"dl-lsp: error: {error}", file=sys.stderr)
        return 2
    result = triage_report(parse_report(data), options)
    if args.format == "json":
        output = json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        output = render_markdown(result)
    else:
        output = render_text(result)
    sys.stdout.write(output)
    sys.stdout.flush()
    return 1 if result.bug_type == UNKNOWN else 0


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES)
    path = Path(name)
    if path.is_dir():
        raise OSError(f"{name} is a folder, not a report")
    with path.open("rb") as handle:
        return handle.read(MAX_INPUT_BYTES)
