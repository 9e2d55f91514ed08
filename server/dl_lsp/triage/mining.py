"""Apriori over a team's reproduced-bug records: bug type ⇒ information and ⇒ edit action
confidences, the way dlRepro mined its Tables 7 and 8 (seed paper 001, §3.5)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import load_taxonomy

MIN_CONFIDENCE = 0.3  # the paper's minimum confidence
TOP_INFORMATION = 3
TOP_EDIT_ACTIONS = 5
COLUMNS = ("bug_type", "information", "edit_actions")
_INFORMATION_LETTERS = {
    "D": "Data",
    "M": "Model",
    "H": "Hyperparameters",
    "C": "Code Snippet",
    "L": "Logs",
}


@dataclass(frozen=True)
class Record:
    """One reproduced bug: its type, the information its report had, the edits that reproduced it."""

    bug_type: BugType
    information: frozenset[str]
    edit_actions: frozenset[str]


@dataclass(frozen=True)
class MinedRule:
    item: str  # an information category name or an edit action id
    confidence: float
    support: float


@dataclass(frozen=True)
class MinedType:
    bug_type: BugType
    records: int
    information: tuple[MinedRule, ...]
    edit_actions: tuple[MinedRule, ...]


def read_records(text: str) -> list[Record]:
    """Records from CSV text with the columns bug_type, information, edit_actions (items separated
    by ';'). ValueError with the line number for anything unreadable."""
    taxonomy = load_taxonomy()
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if header[: len(COLUMNS)] != list(COLUMNS):
        raise ValueError(f"the CSV header must be: {','.join(COLUMNS)} (found: {','.join(header)})")
    records = []
    for number, row in enumerate(reader, start=2):
        values = {key.strip().lower(): (value or "") for key, value in row.items() if key}
        try:
            bug_type = BugType(values["bug_type"].strip().lower())
        except ValueError:
            raise ValueError(
                f"line {number}: unknown bug type {values['bug_type']!r} "
                f"(expected one of: {', '.join(t.value for t in BugType)})"
            ) from None
        information = frozenset(
            _information(item, number, taxonomy.information)
            for item in _items(values["information"])
        )
        actions = frozenset(_action(item, number) for item in _items(values["edit_actions"]))
        records.append(Record(bug_type, information, actions))
    if not records:
        raise ValueError("the CSV has no records")
    return records


def mine(records: Sequence[Record], min_confidence: float = MIN_CONFIDENCE) -> list[MinedType]:
    """Apriori (efficient-apriori) on two transaction sets, type ⇒ information and type ⇒ action."""
    counts = Counter(record.bug_type for record in records)
    information = _rules([(r.bug_type, r.information) for r in records], min_confidence)
    actions = _rules([(r.bug_type, r.edit_actions) for r in records], min_confidence)
    return [
        MinedType(
            bug_type=bug_type,
            records=counts[bug_type],
            information=tuple(information.get(bug_type, ())[:TOP_INFORMATION]),
            edit_actions=tuple(actions.get(bug_type, ())[:TOP_EDIT_ACTIONS]),
        )
        for bug_type in BugType
        if counts[bug_type]
    ]


def _rules(
    transactions: Sequence[tuple[BugType, frozenset[str]]], min_confidence: float
) -> dict[BugType, list[MinedRule]]:
    from efficient_apriori import apriori

    encoded = [
        (f"type:{bug_type.value}", *sorted(f"item:{item}" for item in items))
        for bug_type, items in transactions
    ]
    # Every pair that occurs at least once is frequent: the paper filters on confidence only.
    min_support = 0.5 / len(encoded)
    _, rules = apriori(
        encoded, min_support=min_support, min_confidence=min_confidence, max_length=2
    )
    mined: dict[BugType, list[MinedRule]] = {}
    for rule in rules:
        if len(rule.lhs) != 1 or len(rule.rhs) != 1:
            continue
        (lhs,), (rhs,) = rule.lhs, rule.rhs
        if not lhs.startswith("type:") or not rhs.startswith("item:"):
            continue
        bug_type = BugType(lhs.removeprefix("type:"))
        mined.setdefault(bug_type, []).append(
            MinedRule(rhs.removeprefix("item:"), rule.confidence, rule.support)
        )
    for found in mined.values():
        found.sort(key=lambda rule: (-rule.confidence, rule.item))
    return mined


def taxonomy_toml(mined: Iterable[MinedType], source: str, min_confidence: float) -> str:
    """A file shaped like taxonomy/recommendations.toml, which triage and the server can read."""
    lines = [
        f"# Mined by `dl-lsp taxonomy mine` from {source}: Apriori (efficient-apriori),",
        f"# rules bug type => item with confidence >= {min_confidence}, as in dlRepro (seed paper 001).",
        "# Types not listed here keep the paper's Tables 7 and 8.",
    ]
    for found in mined:
        lines += ["", f"[bug_type.{found.bug_type.value}]", f"records = {found.records}"]
        lines.append("information = [")
        lines += [
            f'  {{ category = "{rule.item}", confidence = {rule.confidence:.4f}, support = {rule.support:.4f} }},'
            for rule in found.information
        ]
        lines += ["]", "edit_actions = ["]
        lines += [
            f'  {{ action = "{rule.item}", confidence = {rule.confidence:.4f}, support = {rule.support:.4f} }},'
            for rule in found.edit_actions
        ]
        lines.append("]")
        if not found.information and not found.edit_actions:
            lines.append(
                f'note = "No rule reached the minimum confidence {min_confidence} for this type."'
            )
    return "\n".join(lines) + "\n"


def _items(cell: str) -> list[str]:
    return [item.strip() for item in cell.replace(",", ";").split(";") if item.strip()]


def _information(item: str, line: int, known: Iterable[str]) -> str:
    names = {name.lower(): name for name in known}
    ids = {category.id.lower(): category.name for category in load_taxonomy().information.values()}
    wanted = item.lower()
    found = (
        names.get(wanted)
        or ids.get(wanted)
        or _INFORMATION_LETTERS.get(item.upper() if len(item) == 1 else "")
    )
    if found is None:
        raise ValueError(f"line {line}: unknown information category {item!r}")
    return found


def _action(item: str, line: int) -> str:
    try:
        return load_taxonomy().edit_action(item).id
    except KeyError:
        raise ValueError(f"line {line}: unknown edit action {item!r}") from None
