"""IPython syntax in code cells made harmless to ``ast`` without moving any position.

A notebook cell may hold ``%matplotlib inline``, ``!pip install torch``, ``files = !ls``,
``model.fit?`` or a cell magic such as ``%%time`` or ``%%bash``. None of them is Python. Each
such line is rewritten in place, character for character: the magic becomes ``0`` followed by
a comment, so that the line keeps its length and indentation (a magic inside a loop body still
leaves a statement there), and every other line and column stays where the user sees it.
"""

from __future__ import annotations

import re

# Cell magics whose body is Python run in the kernel; the body is analysed.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "px", "memit", "autoreload", "skip"}
)
# Automagic commands IPython runs without a leading ``%`` (``pip install torch``).
_AUTOMAGIC = re.compile(r"^(?P<indent>\s*)(?:pip|conda|mamba)\s+(?:install|uninstall)\b")
_ESCAPED = re.compile(r"^(?P<indent>\s*)(?P<magic>[%!].*)$")
_ASSIGNED = re.compile(
    r"^(?P<lhs>\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)(?P<magic>[%!].*)$"
)
_HELP = re.compile(r"^(?P<indent>\s*)(?P<magic>\?{1,2}[\w.]+|[\w.]+(?:\(\))?\?{1,2})\s*$")
_CELL_MAGIC = re.compile(r"^%%(?P<name>[\w!]*)")


def cell_magic(lines: list[str]) -> str | None:
    """The name of the cell magic on the first non-blank line (``time`` for ``%%time``)."""
    for line in lines:
        if line.strip():
            match = _CELL_MAGIC.match(line)
            return match.group("name") if match else None
    return None


def is_python_cell(lines: list[str]) -> bool:
    """Whether the kernel runs the cell as Python (no cell magic, or one with a Python body)."""
    name = cell_magic(lines)
    return name is None or name in PYTHON_CELL_MAGICS


def neutralise_cell(lines: list[str]) -> list[str]:
    """The cell's lines with IPython syntax blanked out, each line as long as before."""
    if not is_python_cell(lines):
        return [_comment_out(line) for line in lines]
    result: list[str] = []
    continued = False  # the previous line was a magic ending with a backslash
    leading = True  # no code line seen yet: where a cell magic may stand
    for line in lines:
        if continued or (leading and line.startswith("%%")):
            changed = _comment_out(line)
        else:
            changed = neutralise_line(line)
        result.append(changed)
        continued = changed != line and line.rstrip().endswith("\\")
        leading = leading and not line.strip()
    return result


def neutralise_line(line: str) -> str:
    """One line with a line magic, shell escape or help request replaced in place."""
    for pattern, group in ((_ESCAPED, "indent"), (_AUTOMAGIC, "indent"), (_HELP, "indent")):
        match = pattern.match(line)
        if match:
            prefix = match.group(group)
            return prefix + _placeholder(len(line) - len(prefix))
    assigned = _ASSIGNED.match(line)
    if assigned:
        prefix = assigned.group("lhs")
        return prefix + _placeholder(len(line) - len(prefix))
    return line


def _placeholder(length: int) -> str:
    """A valid expression of exactly ``length`` characters: ``0`` and a comment."""
    if length <= 0:
        return ""
    return "0" if length == 1 else "0#" + "~" * (length - 2)


def _comment_out(line: str) -> str:
    """A line turned into a comment of the same length (blank lines stay blank)."""
    if not line.strip():
        return line
    indent = len(line) - len(line.lstrip())
    return line[:indent] + "#" + "~" * (len(line) - indent - 1)
