"""The dlRepro taxonomy as typed data: tags, information categories, edit actions, Tables 7 and 8."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dl_lsp.data_files import read_toml
from dl_lsp.findings import BugType


@dataclass(frozen=True)
class EditAction:
    """One of dlRepro's ten edit actions (A1..A10)."""

    id: str
    letter: str
    name: str
    overview: str
    code_action: str
    aliases: tuple[str, ...] = ()
    # Diagnostic codes (or prefixes) whose quick fix performs this action.
    quick_fix_codes: tuple[str, ...] = ()

    def fixed_by_quick_fix_for(self, code: str) -> bool:
        """Whether the quick fix of a diagnostic with this code performs this edit action."""
        return any(code.startswith(prefix) for prefix in self.quick_fix_codes)


@dataclass(frozen=True)
class InformationCategory:
    """One of the five kinds of information a reproducible bug report carries (F1..F5)."""

    id: str
    name: str
    prevalence: float
    description: str


@dataclass(frozen=True)
class InformationNeed:
    category: InformationCategory
    confidence: float


@dataclass(frozen=True)
class EditActionNeed:
    action: EditAction
    confidence: float


@dataclass(frozen=True)
class Guidance:
    """dlRepro's advice for one bug type: Table 7 (information) and Table 8 (edit actions)."""

    bug_type: BugType
    information: tuple[InformationNeed, ...]
    edit_actions: tuple[EditActionNeed, ...]
    reproducibility: float | None = None
    # Set where the paper has no table (GPU): what to do instead, without confidences.
    note: str = ""
    advice_information: tuple[InformationCategory, ...] = ()
    advice_edit_actions: tuple[EditAction, ...] = ()

    @property
    def has_table(self) -> bool:
        return bool(self.information or self.edit_actions)


@dataclass(frozen=True)
class Taxonomy:
    edit_actions: Mapping[str, EditAction]
    information: Mapping[str, InformationCategory]
    guidance: Mapping[BugType, Guidance]
    tags: Mapping[str, BugType]
    untyped_tags: frozenset[str]

    def bug_type_for_tag(self, tag: str) -> BugType | None:
        """The bug type a Stack Overflow tag stands for (Table 1), or None for untyped tags."""
        return self.tags.get(tag.strip().lower())

    def edit_action(self, name_or_id: str) -> EditAction:
        """An edit action by id (``A2``), letter (``N``), name or alias."""
        wanted = name_or_id.strip().lower()
        for action in self.edit_actions.values():
            names = (action.id, action.letter, action.name, *action.aliases)
            if wanted in (name.lower() for name in names):
                return action
        raise KeyError(name_or_id)


def taxonomy_directory() -> Path:
    """Where the taxonomy data lives: inside the installed package, or at the source root."""
    packaged = Path(__file__).parent / "_data" / "taxonomy"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "taxonomy"


def _read(name: str) -> dict[str, Any]:
    return read_toml(taxonomy_directory() / name)


def _edit_actions(data: dict[str, Any]) -> dict[str, EditAction]:
    actions = (
        EditAction(
            id=item["id"],
            letter=item["letter"],
            name=item["name"],
            overview=item["overview"],
            code_action=item["code_action"],
            aliases=tuple(item.get("aliases", ())),
            quick_fix_codes=tuple(item.get("quick_fix_codes", ())),
        )
        for item in data["action"]
    )
    return {action.id: action for action in actions}


def _information(data: dict[str, Any]) -> dict[str, InformationCategory]:
    categories = (
        InformationCategory(
            id=item["id"],
            name=item["name"],
            prevalence=float(item["prevalence"]),
            description=item["description"],
        )
        for item in data["category"]
    )
    return {category.name: category for category in categories}


def _guidance(
    bug_type: BugType,
    table: dict[str, Any],
    actions: Mapping[str, EditAction],
    information: Mapping[str, InformationCategory],
) -> Guidance:
    reproducibility = table.get("reproducibility")
    return Guidance(
        bug_type=bug_type,
        information=tuple(
            InformationNeed(information[row["category"]], float(row["confidence"]))
            for row in table.get("information", ())
        ),
        edit_actions=tuple(
            EditActionNeed(actions[row["action"]], float(row["confidence"]))
            for row in table.get("edit_actions", ())
        ),
        reproducibility=float(reproducibility) if reproducibility is not None else None,
        note=" ".join(str(table.get("note", "")).split()),
        advice_information=tuple(information[name] for name in table.get("advice_information", ())),
        advice_edit_actions=tuple(actions[code] for code in table.get("advice_edit_actions", ())),
    )


@cache
def load_taxonomy() -> Taxonomy:
    """The whole taxonomy, read once from the TOML files in ``taxonomy/``."""
    actions = _edit_actions(_read("edit_actions.toml"))
    information = _information(_read("information.toml"))
    recommendations = _read("recommendations.toml")["bug_type"]
    guidance = {
        BugType(name): _guidance(BugType(name), table, actions, information)
        for name, table in recommendations.items()
    }
    tag_data = _read("tags.toml")
    tags = {
        tag: BugType(name) for name, table in tag_data["bug_type"].items() for tag in table["tags"]
    }
    untyped = frozenset(tag_data.get("untyped", {}).get("tags", ()))
    return Taxonomy(actions, information, guidance, tags, untyped)


def guidance_for(bug_type: BugType) -> Guidance:
    """dlRepro's advice for a bug type (every type has an entry; GPU has a note instead of tables)."""
    return load_taxonomy().guidance[bug_type]


def load_guidance_file(path: Path) -> dict[BugType, Guidance]:
    """Guidance from a file shaped like ``recommendations.toml`` (``dl-lsp taxonomy mine`` writes
    one from a team's own records); types it lacks keep the paper's guidance."""
    taxonomy = load_taxonomy()
    data = read_toml(path)
    tables = data.get("bug_type")
    if not isinstance(tables, dict):
        raise ValueError(f"{path}: no [bug_type.*] tables")
    guidance = dict(taxonomy.guidance)
    for name, table in tables.items():
        try:
            bug_type = BugType(name)
        except ValueError:
            raise ValueError(f"{path}: unknown bug type {name!r}") from None
        try:
            guidance[bug_type] = _guidance(
                bug_type, table, taxonomy.edit_actions, taxonomy.information
            )
        except KeyError as error:
            raise ValueError(f"{path}: [bug_type.{name}] names an unknown item {error}") from None
    return guidance
