"""The migrated TF1 programs RUN under TensorFlow 2 (tensorflow-cpu 2.21, Keras 3), each in a
subprocess: the idiomatic Keras versions of an MLP and a CNN, and the minimal path through
TensorFlow's own tf_upgrade_v2 (``dl-lsp migrate --tf-upgrade``). Few, since each starts
TensorFlow; skipped where TensorFlow is not installed."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dl_lsp.cli import main
from dl_lsp.migrate import migrate_to_tf2

PROGRAMS = Path(__file__).parent / "programs"
TIMEOUT_S = 600

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed"
)


def run_python(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
        cwd=path.parent,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""},
    )


def last_number(output: str, label: str) -> float:
    found = re.findall(rf"{label}\s*:?\s*([0-9.]+(?:e-?\d+)?)", output)
    assert found, output[-2000:]
    return float(found[-1])


def test_idiomatic_mlp_trains_and_evaluates(tmp_path: Path) -> None:
    text = (PROGRAMS / "tf1_mlp_weight_tables.py").read_text(encoding="utf-8")
    result = migrate_to_tf2(text, "idiomatic")
    assert "model.fit(" in result.text and "Session" not in result.text
    target = tmp_path / "mlp.py"
    target.write_text(result.text, encoding="utf-8")
    completed = run_python(target)
    assert completed.returncode == 0, completed.stderr[-3000:]
    # Four well separated classes: far above the 25% of guessing.
    assert last_number(completed.stdout, "Accuracy") > 0.5


def test_idiomatic_cnn_with_dropout_trains(tmp_path: Path) -> None:
    text = (PROGRAMS / "tf1_cnn_layers_api.py").read_text(encoding="utf-8")
    result = migrate_to_tf2(text, "idiomatic")
    assert "Conv2D(" in result.text and "Dropout(0.25)" in result.text
    target = tmp_path / "cnn.py"
    target.write_text(result.text, encoding="utf-8")
    completed = run_python(target)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Epoch 3/3" in completed.stdout + completed.stderr


def test_tf_upgrade_v2_minimal_path_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = PROGRAMS / "tf1_softmax_regression.py"
    target = tmp_path / "softmax.py"
    code = main(
        ["migrate", str(source), "--tf-upgrade", "--python", sys.executable, "-o", str(target)]
    )
    assert code == 1
    report = capsys.readouterr().err
    assert "(tf_upgrade_v2)" in report and "disable_eager_execution" in report
    migrated = target.read_text(encoding="utf-8")
    assert "tf.compat.v1.Session()" in migrated and "tf.math.log(" in migrated
    completed = run_python(target)
    assert completed.returncode == 0, completed.stderr[-3000:]
    # A linearly separable problem: well above the half of guessing.
    assert last_number(completed.stdout, "accuracy") > 0.6
