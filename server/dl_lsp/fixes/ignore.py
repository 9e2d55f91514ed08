"""The "ignore" quick fix: a ``# dl-lsp: ignore[CODE]`` comment on the finding's line."""

from __future__ import annotations

import io
import re
import tokenize

from dl_lsp.facts.span import Span
from dl_lsp.findings import Finding
from dl_lsp.fixes.edits import FixProposal, LineIndex, TextEdit, apply_edits
from dl_lsp.fixes.tolerant import still_valid
from dl_lsp.source import read_pragmas

_IGNORE_CODES = re.compile(r"#\s*dl-lsp\s*:\s*ignore\[(?P<codes>[^\]#]*)\]")
# Token types whose text may run over a line end (strings, and the pieces of 3.12 f-strings).
_MULTI_LINE_TOKENS = frozenset(
    {tokenize.STRING, *(getattr(tokenize, n, -1) for n in ("FSTRING_MIDDLE", "TSTRING_MIDDLE"))}
)


def ignore_fix(text: str, finding: Finding) -> FixProposal | None:
    """Add ``finding.code`` to the line's ``# dl-lsp: ignore[...]`` comment, or add one."""
    try:
        return _ignore_fix(text, finding)
    except Exception:  # like the rule fixes: an ignore comment that cannot be placed is not offered
        return None


def _ignore_fix(text: str, finding: Finding) -> FixProposal | None:
    index = LineIndex(text)
    line = finding.span.line
    if not 0 < line <= index.line_count:
        return None
    content = index.line_text(line)
    if read_pragmas(content).suppresses(finding.code, 1):
        return None  # already ignored there
    comments = _comments_on_line(text, line, content)
    if comments is None:
        return None  # the line ends inside a string or a backslash continuation
    edit = _merge_into_existing(line, comments, finding.code) or _new_comment(
        line, content, finding.code
    )
    if not still_valid(text, apply_edits(text, [edit])):
        return None
    return FixProposal(
        title=f"Ignore {finding.code} on this line",
        code=finding.code,
        edits=(edit,),
        safe=False,
        preferred=False,
    )


def _merge_into_existing(line: int, comments: list[tuple[int, str]], code: str) -> TextEdit | None:
    for column, comment in comments:
        match = _IGNORE_CODES.search(comment)
        if match is None:
            continue
        codes = match.group("codes").rstrip()
        if not codes.strip():
            addition = code
        elif codes.endswith(","):
            addition = " " + code
        else:
            addition = (", " if ", " in codes or "," not in codes else ",") + code
        # Trailing blanks inside the brackets go: ``ignore[CNL ]`` → ``ignore[CNL, LLM]``.
        start = column + match.start("codes") + len(codes)
        end = column + match.end("codes")
        return TextEdit(Span(line, start, line, end), addition)
    return None


def _new_comment(line: int, content: str, code: str) -> TextEdit:
    code_end = len(content.rstrip())
    comment = f"# dl-lsp: ignore[{code}]"
    if code_end:
        comment = "  " + comment
    return TextEdit(Span(line, code_end, line, len(content)), comment)


def _comments_on_line(text: str, line: int, content: str) -> list[tuple[int, str]] | None:
    """The comments of a 1-based line (column, text); None when no comment can go there."""
    comments: list[tuple[int, str]] = []
    last_code_line = 0
    reader = io.StringIO(text, newline="").readline
    try:
        for token in tokenize.generate_tokens(reader):
            start_line, end_line = token.start[0], token.end[0]
            if start_line > line:
                break
            if token.type in _MULTI_LINE_TOKENS and start_line <= line < end_line:
                return None
            if token.type == tokenize.COMMENT and start_line == line:
                comments.append((token.start[1], token.string))
            if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                last_code_line = end_line
    except (tokenize.TokenError, SyntaxError):
        # The text is broken further on; what was read up to the line is still good.
        if last_code_line < line:
            return None
    if not comments and content.rstrip().endswith("\\"):
        return None
    return comments
