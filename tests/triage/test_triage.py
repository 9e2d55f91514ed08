"""The triage on reports: signals, the decision, the honest unknown, bad input."""

from __future__ import annotations

import json

import pytest
from tests.triage.conftest import CORPUS, labelled_reports

from dl_lsp.triage import TriageOptions, parse_report, triage_report

TYPES = {"model", "tensor", "training", "gpu", "api"}


def triage(text: str | bytes, **options: object) -> dict[str, object]:
    return triage_report(parse_report(text), TriageOptions(**options)).to_json()  # type: ignore[arg-type]


def test_the_corpus_is_shaped_like_the_issue_asks() -> None:
    reports = labelled_reports()
    assert len(reports) >= 60
    assert {label for _, label in reports} == TYPES
    assert all((CORPUS / name).is_file() for name, _ in reports)


def test_without_embeddings_most_of_the_corpus_is_classified_right() -> None:
    results = {name: triage((CORPUS / name).read_bytes()) for name, _ in labelled_reports()}
    right = sum(1 for name, label in labelled_reports() if results[name]["bug_type"] == label)
    assert right / len(results) >= 0.8, {n: r["bug_type"] for n, r in results.items()}


@pytest.mark.parametrize(("name", "label"), labelled_reports())
def test_every_report_with_code_or_a_traceback_gets_an_answer_or_a_reason(
    name: str, label: str
) -> None:
    result = triage((CORPUS / name).read_bytes())
    assert result["bug_type"] in TYPES | {"unknown"}
    if result["bug_type"] == "unknown":
        assert result["reason"]
    else:
        assert result["evidence"], "a type is never given without evidence"


@pytest.mark.parametrize(
    ("traceback", "expected"),
    [
        ("RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB", "gpu"),
        ("RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x512 and 256x10)", "tensor"),
        ("AttributeError: module 'tensorflow' has no attribute 'Session'", "api"),
        ("ModuleNotFoundError: No module named 'keras.layers.convolutional'", "api"),
        ("ValueError: Graph disconnected: cannot obtain value for tensor", "model"),
        ("Epoch 3/10\n1875/1875 [====] - loss: nan - accuracy: 0.0987", "training"),
    ],
)
def test_a_traceback_alone_decides_the_type(traceback: str, expected: str) -> None:
    result = triage(json.dumps({"traceback": traceback}))
    assert result["bug_type"] == expected
    assert result["evidence"][0]["signal"] == "pattern"


def test_an_exception_class_tag_gives_way_to_the_traceback() -> None:
    report = "Error in fit\n\nValueError: Shapes (None, 1) and (None, 10) are incompatible\n\nTags: keras, valueerror"
    assert triage(report)["bug_type"] == "tensor"


def test_a_fault_tag_decides_when_nothing_else_speaks() -> None:
    result = triage("Question about my network\n\nTags: python, activation-function")
    assert result["bug_type"] == "model"
    assert result["evidence"][0]["detail"] == "tag 'activation-function'"


def test_static_findings_of_the_code_are_evidence() -> None:
    code = (
        "import torch\nmodel = Net().cuda()\nfor x, y in loader:\n"
        "    out = model(x)\n    loss = criterion(out, y)\n"
    )
    result = triage(json.dumps({"title": "wrong results", "code": code}))
    assert any(item["signal"] == "diagnostic" for item in result["evidence"])
    assert any(item["code"].startswith("DEV") for item in result["diagnostics"])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (bytes(range(256)) * 10, "binary"),
        (b"Tags: python, tensorflow", "only tags"),
    ],
)
def test_nothing_to_go_on_is_unknown_with_the_reason(data: bytes, reason: str) -> None:
    result = triage(data)
    assert result["bug_type"] == "unknown"
    assert reason in str(result["reason"])


def test_a_report_in_another_language_with_a_traceback_is_still_classified() -> None:
    report = (
        "模型训练时报错，请问怎么解决？\n\n"
        "RuntimeError: Expected all tensors to be on the same device, but found at least two devices\n"
    )
    assert triage(report)["bug_type"] == "gpu"


def test_prose_in_another_language_alone_is_unknown() -> None:
    result = triage("モデルの精度が上がりません。どうすればいいですか？")
    assert result["bug_type"] == "unknown"


def test_weak_hints_alone_stay_unknown() -> None:
    result = triage("Question\n\nI wonder how to reshape things.")
    assert result["bug_type"] == "unknown"
    assert "below the calibrated threshold" in str(result["reason"])


def test_code_that_does_not_parse_is_analysed_around_the_error() -> None:
    code = "model = Sequential(\nmodel.add(Dense(10, activation='softmax')\nmodel.fit(X_train, y_train))"
    result = triage(json.dumps({"title": "fit fails", "code": code}))
    assert any(item["code"] == "SNP001" for item in result["diagnostics"])
    assert "A7" in result["performable_actions"]


def test_a_megabyte_report_is_bounded() -> None:
    text = "CUDA out of memory\n\n" + ("x = torch.zeros(10)\n" * 55_000)
    result = triage(text)
    assert result["bug_type"] == "gpu"
    assert any("only the first" in note for note in result["notes"])
