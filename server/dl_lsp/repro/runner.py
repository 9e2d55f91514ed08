"""Running a reproducible program in a subprocess, with a timeout, and saying where it failed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_ENVIRONMENT = {
    "MPLBACKEND": "Agg",  # plots are drawn, never shown
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONUNBUFFERED": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass(frozen=True)
class RunResult:
    """How a run ended: to the end, with an exception (where), or out of time."""

    completed: bool
    timed_out: bool
    returncode: int | None
    seconds: float
    line: int | None  # the program's line where it failed, when the traceback says
    error: str  # the exception line, or why it could not start
    output: str  # the last lines of stdout and stderr

    def describe(self) -> str:
        if self.completed:
            return f"ran to the end in {self.seconds:.1f} s"
        if self.timed_out:
            return f"did not finish within {self.seconds:.0f} s"
        where = f" at line {self.line}" if self.line else ""
        return f"failed{where}: {self.error or f'exit status {self.returncode}'}"


def run_program(
    text: str,
    timeout: float,
    python: str | None = None,
    cwd: Path | None = None,
) -> RunResult:
    """Run ``text`` as a script with ``python`` in ``cwd`` and report how it ended."""
    with tempfile.TemporaryDirectory(prefix="dl-lsp-repro-") as folder:
        script = Path(folder) / "repro.py"
        script.write_text(text, encoding="utf-8")
        environment = {**os.environ, **_ENVIRONMENT}
        start = time.monotonic()
        try:
            completed = subprocess.run(
                [python or sys.executable, str(script)],
                cwd=str(cwd or folder),
                capture_output=True,
                text=True,
                timeout=timeout,
                env=environment,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as expired:
            output = _text(expired.stdout) + _text(expired.stderr)
            return RunResult(False, True, None, timeout, None, "timed out", _tail(output))
        except OSError as problem:
            return RunResult(False, False, None, 0.0, None, f"could not start: {problem}", "")
        seconds = time.monotonic() - start
        output = completed.stdout + completed.stderr
        if completed.returncode == 0:
            return RunResult(True, False, 0, seconds, None, "", _tail(output))
        line, error = failure_point(completed.stderr, str(script))
        return RunResult(False, False, completed.returncode, seconds, line, error, _tail(output))


def failure_point(stderr: str, script: str) -> tuple[int | None, str]:
    """The script's last line in the traceback, and the exception line."""
    line: int | None = None
    for match in map(_FRAME.match, stderr.splitlines()):
        if match and os.path.basename(match.group("file")) == os.path.basename(script):
            line = int(match.group("line"))
    lines = [text for text in stderr.strip().splitlines() if text.strip()]
    error = next(
        (
            text.strip()
            for text in reversed(lines)
            if re.match(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b", text.strip())
        ),
        lines[-1].strip() if lines else "",
    )
    return line, error[:300]


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _tail(output: str, lines: int = 15) -> str:
    return "\n".join(output.strip().splitlines()[-lines:])
