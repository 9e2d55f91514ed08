"""``dl-lsp migrate``: output to stdout or a file (atomically, the file itself included), the
report on stderr, and the exit code (0 nothing to do, 1 migrated, 2 error)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dl_lsp.cli import main

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 2])\n"
KERAS1 = "from keras.models import Sequential\nmodel = Sequential()\nmodel.fit(x, y, nb_epoch=2)\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "train.py", TF1)
    assert main(["migrate", str(path), "--python", sys.executable]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n")
    assert "dl-lsp: 2 changes" in captured.err
    assert path.read_text(encoding="utf-8") == TF1  # the file itself is untouched


def test_in_place_and_then_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "train.py", KERAS1)
    path.chmod(0o640)
    assert main(["migrate", "--to", "api", str(path), "-o", str(path)]) == 1
    assert "epochs=2" in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert main(["migrate", "--to", "api", str(path), "-o", str(path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]  # no temporary file left
    assert "dl-lsp: 0 changes" in capsys.readouterr().err


def test_missing_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", str(tmp_path / "nowhere.py")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_tf_upgrade_needs_tensorflow_in_the_interpreter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "train.py", TF1)
    missing = str(tmp_path / "no-python")
    assert main(["migrate", str(path), "--tf-upgrade", "--python", missing]) == 2
    assert "needs TensorFlow" in capsys.readouterr().err


def test_tf_upgrade_goes_with_the_minimal_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "train.py", TF1)
    assert main(["migrate", str(path), "--tf-upgrade", "--style", "idiomatic"]) == 2
    assert "--style minimal" in capsys.readouterr().err
