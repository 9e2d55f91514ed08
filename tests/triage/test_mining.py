"""`dl-lsp taxonomy mine`: the paper's Apriori method on a small transactions file of our own."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.triage.conftest import HERE

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import load_guidance_file
from dl_lsp.triage.mining import mine, read_records

TRANSACTIONS = HERE / "transactions.csv"


def confidences(rules: tuple[object, ...]) -> dict[str, float]:
    return {rule.item: round(rule.confidence, 4) for rule in rules}  # type: ignore[attr-defined]


def test_apriori_confidences_are_the_share_of_the_types_records_with_the_item() -> None:
    mined = {found.bug_type: found for found in mine(read_records(TRANSACTIONS.read_text()))}
    training = mined[BugType.TRAINING]
    assert training.records == 4
    # 3 of 4 training records had the code snippet and the logs, 2 the data, 1 the
    # hyperparameters (0.25 < 0.3: no rule, as in the paper).
    assert confidences(training.information) == {"Code Snippet": 0.75, "Logs": 0.75, "Data": 0.5}
    assert confidences(training.edit_actions) == {"A1": 0.75, "A4": 0.5}
    assert confidences(mined[BugType.MODEL].edit_actions)["A2"] == 1.0
    assert BugType.GPU not in mined  # no GPU records, no GPU rules


def test_the_minimum_confidence_is_a_parameter() -> None:
    mined = {
        f.bug_type: f for f in mine(read_records(TRANSACTIONS.read_text()), min_confidence=0.2)
    }
    # A3 and A10 each reproduced 1 of 4 training bugs: kept at 0.2, dropped at the paper's 0.3.
    assert confidences(mined[BugType.TRAINING].edit_actions) == {
        "A1": 0.75,
        "A4": 0.5,
        "A10": 0.25,
        "A3": 0.25,
    }


def test_items_may_be_names_ids_or_the_papers_letters() -> None:
    records = read_records(
        "bug_type,information,edit_actions\nmodel,F2;L;code snippet,N;O;Logging\n"
    )
    assert records[0].information == frozenset({"Model", "Logs", "Code Snippet"})
    assert records[0].edit_actions == frozenset({"A2", "A6", "A5"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("type,info\nmodel,Data\n", "header"),
        ("bug_type,information,edit_actions\nlayers,Data,A1\n", "line 2: unknown bug type"),
        ("bug_type,information,edit_actions\nmodel,Weights,A1\n", "unknown information"),
        ("bug_type,information,edit_actions\nmodel,Data,A42\n", "unknown edit action"),
        ("bug_type,information,edit_actions\n", "no records"),
    ],
)
def test_bad_records_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_records(text)


def test_the_cli_writes_a_taxonomy_that_triage_reads(
    tmp_path: Path, dl_lsp_command: list[str]
) -> None:
    output = tmp_path / "mined.toml"
    run = subprocess.run(
        [*dl_lsp_command, "taxonomy", "mine", str(TRANSACTIONS), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "training (4 records)" in run.stdout
    guidance = load_guidance_file(output)
    assert [need.action.id for need in guidance[BugType.TENSOR].edit_actions] == ["A4", "A1"]
    assert guidance[BugType.GPU].note  # types without records keep the paper's guidance
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"traceback": "RuntimeError: size mismatch"}), encoding="utf-8")
    triaged = subprocess.run(
        [
            *dl_lsp_command,
            "triage",
            "--no-embeddings",
            "--format",
            "json",
            "--taxonomy",
            str(output),
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result = json.loads(triaged.stdout)
    assert result["bug_type"] == "tensor"
    assert [item["id"] for item in result["edit_actions"]] == ["A4", "A1"]
    assert {item["basis"] for item in result["edit_actions"]} == {"mined"}


def test_the_cli_refuses_a_bad_file_without_writing(
    tmp_path: Path, dl_lsp_command: list[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("bug_type,information,edit_actions\nmodel,Data,A99\n", encoding="utf-8")
    output = tmp_path / "out.toml"
    run = subprocess.run(
        [*dl_lsp_command, "taxonomy", "mine", str(bad), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2
    assert "line 2: unknown edit action 'A99'" in run.stderr
    assert not output.exists()
