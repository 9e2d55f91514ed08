"""The atomic text writer: whole file or nothing, permissions kept, no temporary left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dl_lsp.atomic import write_text_atomically


def test_new_file_gets_text_verbatim_with_the_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "model.py"
    write_text_atomically(target, "a = 1\r\nb = 2\n")
    assert target.read_bytes() == b"a = 1\r\nb = 2\n"
    previous = os.umask(0)
    os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~previous


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "run.py"
    target.write_text("old\n")
    target.chmod(0o750)
    write_text_atomically(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o750


def test_failure_leaves_the_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "data.py"
    target.write_text("kept\n")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomically(target, "bad \udc80 surrogate")
    assert target.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.py"]
