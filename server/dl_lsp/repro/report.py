"""The short report of ``dl-lsp repro``: what was done, what is still missing, how a run went."""

from __future__ import annotations

from dl_lsp.repro.pipeline import ReproResult
from dl_lsp.repro.runner import RunResult


def render_report(result: ReproResult, run: RunResult | None = None, markdown: bool = False) -> str:
    """Plain text (or Markdown for an editor) for the person who asked."""
    bullet = "- " if markdown else "  "
    heading = (lambda text: f"**{text}**") if markdown else (lambda text: text)
    lines = [
        heading(
            f"Made reproducible (bug type: {result.bug_type.value}; actions in dlRepro's order: {', '.join(result.order)})"
        )
    ]
    if not result.steps:
        lines.append(f"{bullet}nothing to do: the snippet already defines and imports what it uses")
    grouped: dict[tuple[str, str], list[str]] = {}
    for step in result.steps:
        grouped.setdefault((step.action, step.name), []).append(step.description)
    for (action, name), descriptions in grouped.items():
        lines.append(f"{action} {name}:")
        lines += [f"{bullet}{description}" for description in descriptions]
    lines.append(heading("Still missing from the question:"))
    for category, details in result.missing().items():
        if details:
            lines.append(f"{bullet}{category.value}: " + "; ".join(details))
    if result.problems:
        lines.append(heading("Could not do:"))
        lines += [f"{bullet}{problem}" for problem in result.problems]
    if run is not None:
        lines.append(heading("Run: ") + run.describe())
    return "\n".join(lines) + "\n"
