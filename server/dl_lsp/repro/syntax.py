"""A7 Compiler Error Resolution, first half: the text made into Python that parses.

What the tolerant parser (``dl_lsp.source``) neutralises to analyse a broken snippet, this
repairs for real where the intent is clear (``print x``, ``ifrom``, a stray or missing bracket,
notebook magics, REPL prompts, a pasted traceback, notebook JSON) and otherwise comments the
line out, so no user text is ever dropped.
"""

from __future__ import annotations

import ast
import difflib
import json
import keyword
import re
import textwrap
import warnings
from dataclasses import dataclass

from dl_lsp.fixes.edits import parses

ACTION = "A7"
_MAX_REPAIRS = 80
UNREPAIRED = "# dl-lsp repro: could not repair:"
_MAGIC = re.compile(r"^(\s*)([!%].*)$")
_PROMPT = re.compile(r"^(?:>>> |\.\.\. |>>>$|\.\.\.$)")
_IPYTHON_PROMPT = re.compile(r"^In \[\d*\]: ?")
_IPYTHON_OUTPUT = re.compile(r"^Out\[\d*\]:")
_TRACEBACK_START = re.compile(r"^\s*Traceback \(most recent call last\):")
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Warning|Interrupt|Exit)\b.*$")
_PRINT_STATEMENT = re.compile(r"^(\s*)print\s+(?![(=])(.*?)\s*(#.*)?$")
_EXCEPT_COMMA = re.compile(r"^(\s*except\s+[\w.()\s,]+?)\s*,\s*(\w+)\s*:")
_COMPOUND = frozenset(
    [
        "if",
        "elif",
        "else",
        "for",
        "while",
        "def",
        "class",
        "with",
        "try",
        "except",
        "finally",
        "async",
        "match",
        "case",
    ]
)
_KEYWORDS_FIRST = ("from", "import", "def", "class", "return", "for", "while", "with", "print")


@dataclass(frozen=True)
class SyntaxRepair:
    text: str
    done: tuple[str, ...]
    failed: tuple[str, ...]


def repair_syntax(text: str) -> SyntaxRepair:
    """Text that parses: repaired where the slip is recognised, commented out where it is not."""
    done: list[str] = []
    failed: list[str] = []
    text = text.replace("\x00", " ").replace("\r\n", "\n")
    notebook = _notebook_code(text)
    if notebook is not None:
        text, cells = notebook
        done.append(f"took the code of the notebook's {cells} code cells")
    if parses(text):
        return SyntaxRepair(text, tuple(done), ())
    lines = text.split("\n")
    lines = _normalise_lines(lines, done)
    for _ in range(_MAX_REPAIRS):
        candidate = "\n".join(lines)
        error = _error(candidate)
        if error is None:
            return SyntaxRepair(candidate, tuple(done), tuple(failed))
        if not _repair_once(lines, error, done, failed):
            break
    candidate = "\n".join(lines)
    if _error(candidate) is None:
        return SyntaxRepair(candidate, tuple(done), tuple(failed))
    commented = "\n".join(f"# {line}" if line.strip() else line for line in text.split("\n"))
    failed.append("the text could not be made into Python: every line is kept as a comment")
    return SyntaxRepair(commented + "\n", tuple(done), tuple(failed))


def _notebook_code(text: str) -> tuple[str, int] | None:
    if not text.lstrip().startswith("{"):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return None
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else str(source))
    return "\n\n".join(source.rstrip("\n") for source in sources) + "\n", len(sources)


def _normalise_lines(lines: list[str], done: list[str]) -> list[str]:
    prompts = sum(1 for line in lines if _PROMPT.match(line) or _IPYTHON_PROMPT.match(line))
    out: list[str] = []
    in_traceback = False
    for line in lines:
        if prompts and (_PROMPT.match(line) or _IPYTHON_PROMPT.match(line)):
            line = _IPYTHON_PROMPT.sub("", _PROMPT.sub("", line))
        if _TRACEBACK_START.match(line):
            in_traceback = True
        if in_traceback:
            out.append(f"# {line}" if line.strip() else line)
            if _EXCEPTION_LINE.match(line.strip()) and not line.startswith(" "):
                in_traceback = False
            continue
        if _IPYTHON_OUTPUT.match(line):
            out.append(f"# {line}")
            continue
        magic = _MAGIC.match(line)
        if magic:
            out.append(f"{magic.group(1)}# {magic.group(2)}")
            continue
        out.append(line)
    if prompts:
        done.append("removed the interpreter prompts (>>>, In [n]:)")
    if any(_TRACEBACK_START.match(line) for line in lines):
        done.append("kept the pasted traceback as comments")
    if any(_MAGIC.match(line) for line in lines):
        done.append("turned notebook magics and shell lines (!pip, %matplotlib) into comments")
    dedented = textwrap.dedent("\n".join(out)).split("\n")
    return dedented


def _error(text: str) -> SyntaxError | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):
        return SyntaxError("cannot be parsed")
    return None


def _repair_once(lines: list[str], error: SyntaxError, done: list[str], failed: list[str]) -> bool:
    number = error.lineno or len(lines)
    if not 0 < number <= len(lines):
        number = max((i + 1 for i, line in enumerate(lines) if line.strip()), default=0)
        if number == 0:
            return False
    line = lines[number - 1]
    message = error.msg or ""
    for repair in (
        _print_statement,
        _except_comma,
        _keyword_typo,
        _stray_bracket,
        _missing_bracket,
        _missing_body,
        _unterminated,
    ):
        fixed = repair(lines, number, error)
        if fixed is not None:
            done.append(f"line {number}: {fixed}")
            return True
    if line.startswith(UNREPAIRED.split(":")[0]) and UNREPAIRED in line:
        return False
    indent = line[: len(line) - len(line.lstrip())]
    header = line.rstrip().endswith(":") and line.split(maxsplit=1)[0] in _COMPOUND
    lines[number - 1] = (
        f"{indent}if True:  {UNREPAIRED} {line.strip()}"
        if header
        else f"{indent}{UNREPAIRED} {line.strip()}"
    )
    if not line.strip() and number > 1:
        previous = number - 1
        lines[previous - 1] = f"{UNREPAIRED} {lines[previous - 1]}"
    failed.append(f"line {number}: {message} (the line is kept as a comment)")
    return True


def _print_statement(lines: list[str], number: int, error: SyntaxError) -> str | None:
    match = _PRINT_STATEMENT.match(lines[number - 1])
    if match is None or (
        "print" not in (error.msg or "") and "invalid syntax" not in (error.msg or "")
    ):
        return None
    indent, body, comment = match.group(1), match.group(2).rstrip(","), match.group(3)
    new = f"{indent}print({body})" + (f"  {comment}" if comment else "")
    if _error(new.strip()) is not None:
        return None
    lines[number - 1] = new
    return "Python 2 `print x` → `print(x)`"


def _except_comma(lines: list[str], number: int, error: SyntaxError) -> str | None:
    match = _EXCEPT_COMMA.match(lines[number - 1])
    if match is None:
        return None
    lines[number - 1] = _EXCEPT_COMMA.sub(r"\1 as \2:", lines[number - 1], count=1)
    return "Python 2 `except E, e:` → `except E as e:`"


def _keyword_typo(lines: list[str], number: int, error: SyntaxError) -> str | None:
    line = lines[number - 1]
    match = re.match(r"^(\s*)([A-Za-z_]+)(\s+)(.*)$", line)
    if match is None:
        return None
    word = match.group(2)
    if keyword.iskeyword(word) or word in ("print",):
        return None
    close = difflib.get_close_matches(word, _KEYWORDS_FIRST, n=1, cutoff=0.75)
    if not close:
        return None
    new = f"{match.group(1)}{close[0]}{match.group(3)}{match.group(4)}"
    if _error(new.strip() + ("\n    pass" if new.rstrip().endswith(":") else "")) is not None:
        return None
    lines[number - 1] = new
    return f"`{word}` → `{close[0]}`"


def _stray_bracket(lines: list[str], number: int, error: SyntaxError) -> str | None:
    match = re.search(r"unmatched '([)\]}])'", error.msg or "")
    if match is None or not error.offset or error.lineno != number:
        return None
    line = lines[number - 1]
    index = error.offset - 1
    if not (0 <= index < len(line) and line[index] == match.group(1)):
        return None
    lines[number - 1] = line[:index] + line[index + 1 :]
    return f"removed a stray `{match.group(1)}`"


_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def _missing_bracket(lines: list[str], number: int, error: SyntaxError) -> str | None:
    match = re.search(r"'([(\[{])' was never closed", error.msg or "")
    if match is None:
        return None
    closer = _CLOSERS[match.group(1)]
    # The bracket's statement ends where the next line at the same or a smaller indent starts.
    start = lines[number - 1]
    indent = len(start) - len(start.lstrip())
    end = number
    while (
        end < len(lines)
        and lines[end].strip()
        and len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    target = lines[end - 1]
    code, comment = _split_comment(target)
    new = code.rstrip() + closer + (f"  {comment}" if comment else "")
    trial = list(lines)
    trial[end - 1] = new
    later = _error("\n".join(trial))
    if (
        later is not None
        and (later.lineno or 0) <= end
        and "never closed" in (later.msg or "")
        and later.lineno == number
    ):
        return None
    lines[end - 1] = new
    return f"closed a `{match.group(1)}` left open"


def _split_comment(line: str) -> tuple[str, str]:
    if (
        "#" in line
        and not re.search(r"['\"]", line.split("#", 1)[1])
        and line.count("'") % 2 == 0
        and line.count('"') % 2 == 0
    ):
        code, comment = line.split("#", 1)
        return code, "#" + comment
    return line, ""


def _missing_body(lines: list[str], number: int, error: SyntaxError) -> str | None:
    if not (error.msg or "").startswith("expected an indented block"):
        return None
    header = number - 1 if error.lineno == number and number > 1 else number
    for candidate in range(min(header, len(lines)), 0, -1):
        text = lines[candidate - 1]
        if text.strip():
            if not text.rstrip().endswith(":"):
                return None
            indent = text[: len(text) - len(text.lstrip())]
            lines.insert(candidate, f"{indent}    pass  # dl-lsp repro: the block had no body")
            return "gave an empty block a `pass`"
    return None


def _unterminated(lines: list[str], number: int, error: SyntaxError) -> str | None:
    message = error.msg or ""
    if "unterminated triple-quoted" in message:
        quote = '"""' if '"""' in lines[number - 1] else "'''"
        lines.append(quote)
        return "closed a triple-quoted string"
    if "unterminated string literal" in message:
        line = lines[number - 1]
        quote = "'" if line.count("'") % 2 else '"'
        lines[number - 1] = line + quote
        return "closed a string"
    return None
