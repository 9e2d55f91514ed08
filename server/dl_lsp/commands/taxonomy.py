"""``dl-lsp taxonomy mine TRANSACTIONS.csv -o FILE``: recompute dlRepro's Tables 7 and 8 from a
team's own reproduced-bug records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dl_lsp.atomic import write_text_atomically

CSV_HELP = (
    "CSV with the header bug_type,information,edit_actions; one row per reproduced bug; bug_type "
    "is model|tensor|training|gpu|api; information lists categories (Data, Model, "
    "Hyperparameters, Code Snippet, Logs, or F1..F5, or D/M/H/C/L) and edit_actions lists "
    "actions (A1..A10, their letters or names), separated by ';'"
)


def register(commands: Any) -> None:
    """Add the ``taxonomy`` sub-command (``taxonomy mine``)."""
    parser = commands.add_parser("taxonomy", help="work with the dlRepro taxonomy")
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    mine = actions.add_parser(
        "mine",
        help="mine type → information and type → edit-action confidences with Apriori",
        description="Mine bug type ⇒ information and bug type ⇒ edit action rules with Apriori "
        "(minimum confidence 0.3, as in dlRepro) from reproduced-bug records. " + CSV_HELP,
    )
    mine.add_argument("transactions", metavar="TRANSACTIONS.csv")
    mine.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the taxonomy file to write"
    )
    mine.add_argument("--min-confidence", type=float, default=0.3)
    mine.set_defaults(handler=run_mine)
    parser.set_defaults(handler=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_mine(args: argparse.Namespace) -> int:
    """Mine the records and write the taxonomy file atomically."""
    from dl_lsp.triage.mining import mine, read_records, taxonomy_toml

    if not 0 < args.min_confidence <= 1:
        print("dl-lsp: error: --min-confidence must be in (0, 1]", file=sys.stderr)
        return 2
    try:
        text = Path(args.transactions).read_text(encoding="utf-8-sig")
        records = read_records(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(f"dl-lsp: error: {args.transactions}: {error}", file=sys.stderr)
        return 2
    mined = mine(records, args.min_confidence)
    output = Path(args.output)
    content = taxonomy_toml(mined, Path(args.transactions).name, args.min_confidence)
    try:
        write_text_atomically(output, content)
    except OSError as error:
        print(f"dl-lsp: error: cannot write {output}: {error}", file=sys.stderr)
        return 2
    for found in mined:
        information = ", ".join(f"{rule.item} {rule.confidence:.2f}" for rule in found.information)
        actions = ", ".join(f"{rule.item} {rule.confidence:.2f}" for rule in found.edit_actions)
        print(
            f"{found.bug_type.value} ({found.records} records): information [{information}]; edit actions [{actions}]"
        )
    print(f"wrote {output}")
    return 0
