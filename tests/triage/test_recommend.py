"""What a report lacks, what to ask, and which edit actions `dl-lsp repro` can perform."""

from __future__ import annotations

import json
from pathlib import Path

from dl_lsp.taxonomy import load_guidance_file
from dl_lsp.triage import TriageOptions, parse_report, triage_report


def triage(data: dict[str, object], options: TriageOptions | None = None) -> dict[str, object]:
    return triage_report(parse_report(json.dumps(data)), options).to_json()


def test_information_of_table_7_marked_present_or_missing_with_a_question() -> None:
    result = triage(
        {"title": "x", "traceback": "ValueError: Dimensions must be equal, but are 3 and 4"}
    )
    assert result["bug_type"] == "tensor"
    information = {item["category"]: item for item in result["information"]}  # type: ignore[union-attr]
    assert list(information) == ["Data", "Logs", "Code Snippet"]
    assert information["Data"]["confidence"] == 0.9524
    assert information["Logs"]["present"] and information["Logs"]["question"] is None
    assert not information["Code Snippet"]["present"]
    assert "minimal code snippet" in information["Code Snippet"]["question"]
    assert "shapes and dtypes" in information["Data"]["question"]


def test_gpu_has_no_table_so_the_advice_says_so() -> None:
    result = triage({"title": "t", "traceback": "RuntimeError: CUDA out of memory."})
    information = result["information"]
    assert [(item["category"], item["basis"], item["present"]) for item in information] == [  # type: ignore[union-attr]
        ("Logs", "advice", True)
    ]
    assert [item["id"] for item in result["edit_actions"]] == ["A5"]  # type: ignore[union-attr]
    asked = triage({"title": "PyTorch is not using my GPU, it runs on the CPU instead"})
    assert asked["bug_type"] == "gpu"
    assert "nvidia-smi" in asked["information"][0]["question"]  # type: ignore[index]


def test_undefined_names_make_imports_data_and_hyperparameters_performable() -> None:
    code = "model = Sequential()\nmodel.add(Dense(10, input_dim=4))\nmodel.fit(X_train, y_train, epochs=epochs, batch_size=batch_size)"
    result = triage({"title": "loss is nan", "code": code})
    assert {"A1", "A3", "A4", "A5"} <= set(result["performable_actions"])  # type: ignore[arg-type]
    actions = {item["id"]: item for item in result["edit_actions"]}  # type: ignore[union-attr]
    assert actions["A1"]["performable"] and "never defined" in actions["A1"]["reason"]


def test_api_change_findings_make_migration_performable() -> None:
    code = (
        "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 4])\nsess = tf.Session()\n"
    )
    result = triage({"title": "tf fails", "code": code})
    assert {"A6", "A10"} <= set(result["performable_actions"])  # type: ignore[arg-type]


def test_complete_code_needs_no_import_or_data_generation() -> None:
    code = (
        "import numpy as np\nfrom tensorflow import keras\n"
        "x = np.random.rand(64, 4)\ny = np.random.randint(0, 2, 64)\n"
        "model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(x, y, epochs=2)\n"
    )
    result = triage({"title": "accuracy stuck", "code": code})
    assert "A4" not in result["performable_actions"]
    assert "A1" not in result["performable_actions"]


def test_a_mined_taxonomy_replaces_the_papers_tables(tmp_path: Path) -> None:
    mined = tmp_path / "mined.toml"
    mined.write_text(
        '[bug_type.tensor]\ninformation = [{ category = "Hyperparameters", confidence = 0.5 }]\n'
        'edit_actions = [{ action = "A7", confidence = 0.4 }]\n',
        encoding="utf-8",
    )
    options = TriageOptions(guidance=load_guidance_file(mined), guidance_basis="mined")
    result = triage({"traceback": "RuntimeError: size mismatch, m1: [4 x 3], m2: [5 x 2]"}, options)
    assert [(i["category"], i["basis"]) for i in result["information"]] == [
        ("Hyperparameters", "mined")
    ]  # type: ignore[union-attr]
    assert [a["id"] for a in result["edit_actions"]] == ["A7"]  # type: ignore[union-attr]
