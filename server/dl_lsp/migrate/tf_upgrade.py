"""TensorFlow's own ``tf_upgrade_v2``, run in a subprocess of the user's interpreter (it ships
with TensorFlow 2): the exhaustive symbol-level renames that the project's tables only sample."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

UPGRADE_MODULE = "tensorflow.tools.compatibility.tf_upgrade_v2_main"
TIMEOUT_S = 180.0


@dataclass(frozen=True)
class UpgradeResult:
    text: str | None  # None when the tool could not run
    report: list[str]  # the tool's INFO/WARNING/ERROR lines, or why it did not run


def run_tf_upgrade_v2(text: str, python: str, timeout: float = TIMEOUT_S) -> UpgradeResult:
    """``text`` upgraded by ``python -m tensorflow.tools.compatibility.tf_upgrade_v2_main``."""
    with tempfile.TemporaryDirectory(prefix="dl-lsp-upgrade-") as folder:
        source, target, report = (Path(folder) / name for name in ("in.py", "out.py", "report.txt"))
        source.write_text(text, encoding="utf-8")
        command = [
            python, "-m", UPGRADE_MODULE,
            "--infile", str(source), "--outfile", str(target), "--reportfile", str(report),
        ]  # fmt: skip
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
            )
        except subprocess.TimeoutExpired:
            return UpgradeResult(None, [f"tf_upgrade_v2 did not finish in {timeout:.0f} s"])
        except OSError as error:
            return UpgradeResult(None, [f"tf_upgrade_v2 could not start: {error}"])
        if completed.returncode != 0 or not target.is_file():
            last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            return UpgradeResult(None, [f"tf_upgrade_v2 failed: {last}"])
        lines = report.read_text(encoding="utf-8", errors="replace").splitlines()
        return UpgradeResult(target.read_text(encoding="utf-8"), _report_lines(lines))


def _report_lines(lines: list[str]) -> list[str]:
    """``12:4: INFO: Renamed 'tf.log' to 'tf.math.log'`` → ``line 12: Renamed ...``."""
    found: list[str] = []
    for line in lines:
        parts = line.split(": ", 2)
        if len(parts) == 3 and parts[1] in ("INFO", "WARNING", "ERROR"):
            position = parts[0].split(":")[0]
            prefix = f"line {position}: " if position.isdigit() else ""
            level = "" if parts[1] == "INFO" else f"{parts[1].lower()}: "
            found.append(f"{prefix}{level}{parts[2]} (tf_upgrade_v2)")
    return found
