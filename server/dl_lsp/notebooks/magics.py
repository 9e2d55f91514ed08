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
    code = _LogicalLines()
    for line in lines:
        if continued or (leading and line.startswith("%%")):
            changed = _comment_out(line)
        elif code.at_statement_start:
            changed = neutralise_line(line)
        else:  # inside brackets or a string: ``!= b)`` or ``%d items`` is Python
            changed = line
        result.append(changed)
        continued = changed != line and line.rstrip().endswith("\\")
        if changed == line:
            code.feed(line)
        leading = leading and not line.strip()
    return result


_SPECIAL = re.compile(r"\"\"\"|'''|[()\[\]{}'\"#\\]")


class _LogicalLines:
    """Where Python's logical lines start: IPython (like us) rewrites only lines that start one,
    not the continuation of a bracket, a string or a backslash."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the delimiter of a string still open
        self.continued = False

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        position = 0
        self.continued = False
        while position < len(line):
            if self.quote is not None:
                end = _string_end(line, position, self.quote)
                if end < 0:
                    break
                position, self.quote = end, None
                continue
            match = _SPECIAL.search(line, position)
            if match is None:
                break
            token, position = match.group(), match.end()
            if token == "#":
                break
            if token == "\\":
                self.continued = position >= len(line.rstrip())
            elif token in ("(", "[", "{"):
                self.depth += 1
            elif token in (")", "]", "}"):
                self.depth = max(0, self.depth - 1)
            else:
                self.quote = token
        if self.quote in ("'", '"'):
            self.quote = None  # a one-line string ends with its line (or it is an error)


def _string_end(line: str, position: int, quote: str) -> int:
    """The offset after the closing ``quote`` on this line (-1: the string goes on)."""
    while True:
        found = line.find(quote, position)
        if found < 0:
            return -1
        backslashes = len(line[:found]) - len(line[:found].rstrip("\\"))
        if backslashes % 2 == 0:
            return found + len(quote)
        position = found + 1


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
