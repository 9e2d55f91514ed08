"""A bug report read from Markdown, plain text or JSON: title, prose, code, logs and tags."""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# Reports are cut to this many characters before anything reads them: a 1 MB paste is mostly
# repeated log lines, and every later step stays linear in this bound.
MAX_REPORT_CHARS = 200_000
# The code blocks are analysed only up to this many characters in all (static analysis is the
# costly step; a Stack Overflow snippet is rarely a tenth of it).
MAX_CODE_CHARS = 20_000
MAX_CODE_BLOCKS = 12

_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[^\n]*$")
_TAGS_LINE = re.compile(r"^\s*(?:\*\*)?tags?(?:\*\*)?\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
_TITLE_PREFIX = re.compile(r"^\s*(?:#+\s*|title\s*:\s*)", re.IGNORECASE)
_TAG_SPLIT = re.compile(r"[\s,;<>\[\]|`]+")
_TRACEBACK_START = re.compile(r"^\s*Traceback \(most recent call last\):")
_ERROR_LINE = re.compile(
    r"^\s*(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Warning|Exhausted\w*)\b(?::|$)"
)
_LOG_LINE = re.compile(
    r"^\s*(?:Epoch \d+/\d+|\d+/\d+ \[[=>.]*\]|File \"[^\"]+\", line \d+|\[\d+,\s*\d+\] loss|"
    r"W?I?E?\d{4} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|>>> |In \[\d+\]:|Out\[\d+\]:|"
    r"\+-{5,}|\| NVIDIA-SMI)"
)


@dataclass(frozen=True)
class BugReport:
    """What a report says, split by kind. ``problems`` says why parts could not be read."""

    title: str = ""
    prose: str = ""
    code_blocks: tuple[str, ...] = ()
    logs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The title and the prose, for the text signals."""
        return f"{self.title}\n{self.prose}".strip()

    @property
    def log_text(self) -> str:
        return "\n".join(self.logs)

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.code_blocks or self.logs or self.tags)


def parse_report(data: bytes | str) -> BugReport:
    """Read a report from bytes or text: JSON when the content is a JSON object, else Markdown."""
    problems: list[str] = []
    if isinstance(data, bytes):
        if _looks_binary(data):
            return BugReport(problems=("the input is binary data, not a text report",))
        text = data[: MAX_REPORT_CHARS * 4].decode("utf-8", errors="replace")
    else:
        text = data
    if "\x00" in text[:8192]:
        return BugReport(problems=("the input is binary data, not a text report",))
    if len(text) > MAX_REPORT_CHARS:
        problems.append(
            f"the report is {len(text):,} characters long; only the first "
            f"{MAX_REPORT_CHARS:,} were read"
        )
        text = text[:MAX_REPORT_CHARS]
    report = _from_json(text) if text.lstrip().startswith("{") else None
    if report is None:
        report = parse_markdown(text)
    return _bounded(report, problems)


def parse_markdown(text: str) -> BugReport:
    """Split a Markdown or plain-text report into title, prose, code blocks, logs and tags."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = ""
    tags: list[str] = []
    prose: list[str] = []
    code: list[str] = []
    logs: list[str] = []
    for kind, block in _blocks(lines):
        if kind == "prose":
            for line in block:
                tag_match = _TAGS_LINE.match(line)
                if tag_match:
                    tags.extend(split_tags(tag_match.group("tags")))
                elif not title and line.strip():
                    title = _TITLE_PREFIX.sub("", line).strip()
                else:
                    prose.append(line)
            continue
        body = "\n".join(block).strip("\n")
        if body.strip():
            for piece_kind, piece in split_code_and_logs(body):
                (logs if piece_kind == "logs" else code).append(piece)
    prose_text, prose_logs = _logs_in_prose("\n".join(prose))
    return BugReport(
        title=title,
        prose=prose_text.strip(),
        code_blocks=tuple(code),
        logs=tuple(logs + prose_logs),
        tags=tuple(dict.fromkeys(tags)),
    )


def split_tags(value: Any) -> list[str]:
    """Tags from a list or a string (``a, b``, ``a b``, Stack Overflow's ``<a><b>``)."""
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    tags: list[str] = []
    for item in items:
        tags.extend(part.lower() for part in _TAG_SPLIT.split(str(item)) if part.strip())
    return tags


def split_code_and_logs(block: str) -> list[tuple[str, str]]:
    """A fenced block as code, logs, or code followed by the traceback it printed."""
    lines = block.split("\n")
    start = next((i for i, line in enumerate(lines) if _TRACEBACK_START.match(line)), None)
    if start is not None and start > 0:
        head, tail = "\n".join(lines[:start]), "\n".join(lines[start:])
        return [("code", head), ("logs", tail)] if head.strip() else [("logs", tail)]
    return [("logs" if _is_log(block) else "code", block)]


def _is_log(block: str) -> bool:
    lines = [line for line in block.split("\n") if line.strip()]
    if not lines:
        return False
    if _TRACEBACK_START.match(lines[0]):
        return True
    log_lines = sum(1 for line in lines if _LOG_LINE.match(line) or _ERROR_LINE.match(line))
    if log_lines * 3 >= len(lines):
        return True
    return log_lines > 0 and not _parses(block)


def _parses(block: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(block)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _blocks(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Prose runs and code runs: fenced blocks, and Stack Overflow's 4-space indented blocks."""
    index = 0
    prose: list[str] = []
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group("fence")
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(marker):
                end += 1
            if prose:
                yield "prose", prose
                prose = []
            yield "code", lines[index + 1 : end]
            index = end + 1
            continue
        previous_blank = index == 0 or not lines[index - 1].strip()
        if previous_blank and _indented(line):
            end = index
            while end < len(lines) and (_indented(lines[end]) or not lines[end].strip()):
                end += 1
            if prose:
                yield "prose", prose
                prose = []
            yield "code", [_dedent(item) for item in lines[index:end]]
            index = end
            continue
        prose.append(line)
        index += 1
    if prose:
        yield "prose", prose


def _indented(line: str) -> bool:
    return (line.startswith("    ") or line.startswith("\t")) and bool(line.strip())


def _dedent(line: str) -> str:
    return line[4:] if line.startswith("    ") else line.lstrip("\t")


def _logs_in_prose(text: str) -> tuple[str, list[str]]:
    """Tracebacks and error lines pasted without a fence: taken out of the prose as logs."""
    prose: list[str] = []
    logs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if _TRACEBACK_START.match(line) or (
            current and (line.startswith(" ") or _ERROR_LINE.match(line))
        ):
            current.append(line)
            if _ERROR_LINE.match(line) and not line.startswith(" "):
                logs.append("\n".join(current))
                current = []
            continue
        if current:
            logs.append("\n".join(current))
            current = []
        if _ERROR_LINE.match(line):
            logs.append(line.strip())
            prose.append(line)  # an error named in a sentence is also part of the story
        else:
            prose.append(line)
    if current:
        logs.append("\n".join(current))
    return "\n".join(prose), logs


def _from_json(text: str) -> BugReport | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    body = _as_text(data.get("body"))
    inner = parse_markdown(body) if body else BugReport()
    code = [*inner.code_blocks, *_as_texts(data.get("code"))]
    logs = [*inner.logs, *_as_texts(data.get("traceback")), *_as_texts(data.get("logs"))]
    tags = [*split_tags(data.get("tags") or []), *inner.tags]
    title = _as_text(data.get("title")).strip()
    # With a title, the body's first line is prose; without one, it is the title.
    prose = f"{inner.title}\n{inner.prose}".strip() if title else inner.prose
    title = title or inner.title
    return BugReport(
        title=title,
        prose=prose,
        code_blocks=tuple(block for block in code if block.strip()),
        logs=tuple(block for block in logs if block.strip()),
        tags=tuple(dict.fromkeys(tags)),
    )


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_as_text(item) for item in value)
    return str(value)


def _as_texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value if item is not None]
    return [str(value)]


def _bounded(report: BugReport, problems: list[str]) -> BugReport:
    blocks = report.code_blocks
    if len(blocks) > MAX_CODE_BLOCKS:
        problems.append(
            f"only the first {MAX_CODE_BLOCKS} of {len(blocks)} code blocks were analysed"
        )
        blocks = blocks[:MAX_CODE_BLOCKS]
    kept: list[str] = []
    budget = MAX_CODE_CHARS
    for block in blocks:
        if budget <= 0:
            break
        if len(block) > budget:
            problems.append("the code is long; only its first part was analysed")
        kept.append(block[:budget])
        budget -= len(block)
    return BugReport(
        title=report.title[:500],
        prose=report.prose,
        code_blocks=tuple(kept),
        logs=report.logs,
        tags=tuple(tag for tag in report.tags if len(tag) <= 40)[:20],
        problems=(*report.problems, *problems),
    )


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32 or byte > 127)
            return controls > len(sample) * 0.3
    return False
