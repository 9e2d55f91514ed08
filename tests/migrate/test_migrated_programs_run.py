"""The migrated TF1 programs RUN under TensorFlow 2 (tensorflow-cpu 2.21, Keras 3), in
subprocesses: the idiomatic Keras versions of every program of ``programs/`` (an MLP from weight
tables, a CNN with dropout, softmax regression, the InteractiveSession tutorial), and the
minimal path through TensorFlow's own tf_upgrade_v2 (``dl-lsp migrate --tf-upgrade``). Two
TensorFlow start-ups in all; skipped where TensorFlow is not installed."""

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


def run_python(path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(path), *arguments],
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


# Each program, migrated to a Keras model, run one after the other in one interpreter (one
# TensorFlow start-up for all), with a marker line before each.
RUNNER = """
import runpy, sys
for path in sys.argv[1:]:
    print("=== " + path, flush=True)
    runpy.run_path(path, run_name="__main__")
"""


def test_idiomatic_migrations_train_and_evaluate(tmp_path: Path) -> None:
    paths: list[str] = []
    for program in sorted(PROGRAMS.glob("*.py")):
        result = migrate_to_tf2(program.read_text(encoding="utf-8"), "idiomatic")
        assert "model.fit(" in result.text and "Session(" not in result.text, program.name
        target = tmp_path / program.name
        target.write_text(result.text, encoding="utf-8")
        paths.append(str(target))
    runner = tmp_path / "run_all.py"
    runner.write_text(RUNNER, encoding="utf-8")
    completed = run_python(runner, *paths)
    assert completed.returncode == 0, completed.stderr[-3000:]
    outputs = dict((part.split("\n", 1)[0], part) for part in completed.stdout.split("=== ")[1:])
    by_name = {Path(name).stem: output for name, output in outputs.items()}
    assert set(by_name) == {Path(path).stem for path in paths}
    # Well separated classes: far above guessing (25%, 33%, 50%).
    assert last_number(by_name["tf1_mlp_weight_tables"], "Accuracy") > 0.5
    assert last_number(by_name["tf1_softmax_regression"], "accuracy") > 0.6
    assert "Epoch 3/3" in by_name["tf1_cnn_layers_api"]
    assert float(by_name["tf1_interactive_session_tutorial"].split()[-1]) > 0.4


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
