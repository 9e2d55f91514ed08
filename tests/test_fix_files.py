"""``dl-lsp check --fix``: safe fixes written atomically, files that must not change left alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dl_lsp.cli import main
from dl_lsp.config import Settings
from dl_lsp.files import SourceFile
from dl_lsp.fix_files import fix_file, write_atomically

# A binary classifier with a softmax over one unit: the safe fix turns it into a sigmoid.
BINARY_SOFTMAX = """\
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.Dense(32, activation="relu", input_shape=(8,)),
    layers.Dense(1, activation="softmax"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
FIXED = BINARY_SOFTMAX.replace('activation="softmax"', 'activation="sigmoid"')


def run_fix(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str, str]:
    code = main(["check", "--fix", "--no-config", *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def source_file(path: Path) -> SourceFile:
    return SourceFile(path, path.name)


def test_fix_writes_the_safe_fix_and_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "train.py"
    path.write_text(BINARY_SOFTMAX, encoding="utf-8")
    code, out, err = run_fix(capsys, path)
    assert path.read_text(encoding="utf-8") == FIXED
    assert "fixed 1 problem (LLM)" in err
    assert "fixed 1 problem(s) in 1 file(s)" in err
    assert "LLM" not in out  # the report lists what is left, after the fixes
    assert code in (0, 1)


def test_fixing_twice_changes_nothing_the_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "train.py"
    path.write_text(BINARY_SOFTMAX, encoding="utf-8")
    run_fix(capsys, path)
    once = path.read_bytes()
    _, _, err = run_fix(capsys, path)
    assert path.read_bytes() == once
    assert "fixed 0 problem(s) in 0 file(s)" in err


def test_the_file_is_replaced_by_a_rename_keeping_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(BINARY_SOFTMAX, encoding="utf-8")
    os.chmod(path, 0o640)
    inode = os.stat(path).st_ino
    outcome = fix_file(source_file(path), Settings())
    assert outcome.changed
    assert os.stat(path).st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.py"]  # no temporary left


def test_a_failed_rename_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.py"
    path.write_text(BINARY_SOFTMAX, encoding="utf-8")

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    outcome = fix_file(source_file(path), Settings())
    assert not outcome.changed
    assert outcome.skipped is not None and "permission denied" in outcome.skipped
    assert path.read_text(encoding="utf-8") == BINARY_SOFTMAX
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.py"]


def test_a_snippet_whose_fixed_text_would_not_parse_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The softmax is fixable, but the unfinished line below keeps the file from parsing.
    path = tmp_path / "snippet.py"
    original = BINARY_SOFTMAX + "model.fit(x_train,\n"
    path.write_text(original, encoding="utf-8")
    _, out, err = run_fix(capsys, path)
    assert path.read_text(encoding="utf-8") == original
    assert "would not parse" in err
    assert "SNP001" in out


def test_a_file_that_cannot_be_decoded_is_never_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin.py"
    data = BINARY_SOFTMAX.encode("utf-8") + b"# caf\xe9\n"  # not UTF-8, no coding comment
    path.write_bytes(data)
    code, _, err = run_fix(capsys, path)
    assert path.read_bytes() == data
    assert "not valid UTF-8" in err
    assert code != 0  # reported as a file that could not be checked


def test_a_file_with_nul_bytes_is_never_changed(tmp_path: Path) -> None:
    path = tmp_path / "binary.py"
    data = BINARY_SOFTMAX.encode("utf-8") + b"\x00"
    path.write_bytes(data)
    outcome = fix_file(source_file(path), Settings())
    assert outcome.skipped is not None and "binary" in outcome.skipped
    assert path.read_bytes() == data


def test_the_declared_encoding_and_line_breaks_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    text = "# -*- coding: latin-1 -*-\n# café\n" + BINARY_SOFTMAX
    path.write_bytes(text.replace("\n", "\r\n").encode("latin-1"))
    outcome = fix_file(source_file(path), Settings())
    assert outcome.changed
    expected = "# -*- coding: latin-1 -*-\n# café\n" + FIXED
    assert path.read_bytes() == expected.replace("\n", "\r\n").encode("latin-1")


def test_a_utf8_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + BINARY_SOFTMAX.encode("utf-8"))
    assert fix_file(source_file(path), Settings()).changed
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode("utf-8")


def test_a_symbolic_link_keeps_pointing_at_the_fixed_file(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text(BINARY_SOFTMAX, encoding="utf-8")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    assert fix_file(source_file(link), Settings()).changed
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == FIXED


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text("x = 2\n", encoding="utf-8")  # someone saved it meanwhile
    problem = write_atomically(path, FIXED.encode(), expected=BINARY_SOFTMAX, encoding="utf-8")
    assert problem is not None and "changed while" in problem
    assert path.read_text(encoding="utf-8") == "x = 2\n"


def test_a_file_without_safe_fixes_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "clean.py"
    path.write_text("import numpy as np\n\nx = np.zeros(3)\n", encoding="utf-8")
    inode = os.stat(path).st_ino
    outcome = fix_file(source_file(path), Settings())
    assert outcome.applied == () and outcome.skipped is None
    assert os.stat(path).st_ino == inode


def test_many_files_are_fixed_across_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [tmp_path / f"model_{number}.py" for number in range(10)]
    for path in paths:
        path.write_text(BINARY_SOFTMAX, encoding="utf-8")
    code = main(["check", "--fix", "--no-config", "--jobs", "2", str(tmp_path)])
    err = capsys.readouterr().err
    assert all(path.read_text(encoding="utf-8") == FIXED for path in paths)
    assert "fixed 10 problem(s) in 10 file(s)" in err
    assert code in (0, 1)
