"""The embedding worker's protocol, the client's fall-back, and the real model when installed."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from dl_lsp.triage import TriageOptions, parse_report, triage_report
from dl_lsp.triage.embedding import EmbeddingClient, extra_installed
from dl_lsp.triage.embedding_worker import MAX_TEXTS, answer, serve


class FakeModel:
    """Stands in for SentenceTransformer: one unit vector per text, from its length."""

    def encode(self, texts: list[str], **_: Any) -> list[list[float]]:
        return [[1.0, 0.0] if len(text) % 2 else [0.0, 1.0] for text in texts]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"texts": ["ab", "abc"]}', {"vectors": [[0.0, 1.0], [1.0, 0.0]]}),
        ('{"texts": []}', {"vectors": []}),
        ("not json", {"error": "the request is not JSON"}),
        ('{"texts": "one"}', {"error": "the request needs a list of strings under 'texts'"}),
        (
            json.dumps({"texts": ["x"] * (MAX_TEXTS + 1)}),
            {"error": f"at most {MAX_TEXTS} texts per request"},
        ),
    ],
)
def test_the_worker_answers_each_request_line(line: str, expected: dict[str, Any]) -> None:
    assert answer(FakeModel(), line) == expected


def test_the_worker_says_why_it_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ImportError("No module named 'sentence_transformers'")

    monkeypatch.setattr("dl_lsp.triage.embedding_worker.load_model", broken)
    out = io.StringIO()
    assert serve(io.StringIO(""), out) == 1
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["ready"] is False and "sentence_transformers" in first["error"]


def test_a_worker_that_cannot_load_leaves_the_triage_working() -> None:
    refusing = [sys.executable, "-c", 'print(\'{"ready": false, "error": "no model here"}\')']
    client = EmbeddingClient(refusing)
    client.unavailable = None  # as if the extra were installed
    assert client.embed(["anything"]) is None
    assert "no model here" in str(client.unavailable)
    report = parse_report("Loss is nan\n\nEpoch 1/5 - loss: nan\n")
    result = triage_report(report, TriageOptions(embeddings=client))
    assert result.bug_type == "training"
    assert any("no model here" in note for note in result.notes)


def test_a_worker_that_dies_is_given_up_not_waited_for() -> None:
    client = EmbeddingClient([sys.executable, "-c", "import sys; sys.exit(3)"])
    client.unavailable = None
    assert client.embed(["x"]) is None
    assert client.unavailable


@pytest.mark.skipif(not extra_installed(), reason="the triage extra is not installed")
def test_the_real_model_puts_gpu_prose_nearest_the_gpu_descriptions() -> None:
    client = EmbeddingClient()
    try:
        report = parse_report(
            "My training only runs on the processor\n\n"
            "The graphics card sits idle while the network trains; nvidia-smi shows no process."
        )
        result = triage_report(
            report, TriageOptions(embeddings=client, signals=frozenset({"similarity"}))
        )
        assert result.evidence, result.notes
        assert result.evidence[0].signal == "similarity"
        assert result.evidence[0].bug_type == "gpu"
    finally:
        client.close()
