"""Reports in the shapes people paste them: Markdown, Stack Overflow indentation, JSON, junk."""

from __future__ import annotations

import json

from dl_lsp.triage.report import MAX_REPORT_CHARS, parse_report

MARKDOWN = """\
# Loss is nan after the first epoch

I train a regression network and get nan.

```python
model.compile(optimizer='sgd', loss='mse')
model.fit(x, y, epochs=3)
```

```
Epoch 1/3
10/10 [==============================] - 0s 2ms/step - loss: nan
```

Tags: python, keras, nan
"""


def test_markdown_splits_title_prose_code_logs_and_tags() -> None:
    report = parse_report(MARKDOWN)
    assert report.title == "Loss is nan after the first epoch"
    assert report.prose == "I train a regression network and get nan."
    assert report.code_blocks == (
        "model.compile(optimizer='sgd', loss='mse')\nmodel.fit(x, y, epochs=3)",
    )
    assert len(report.logs) == 1 and "loss: nan" in report.logs[0]
    assert report.tags == ("python", "keras", "nan")


def test_stack_overflow_indented_code_and_an_unfenced_traceback() -> None:
    text = (
        "Why does this fail?\n\nMy code:\n\n    import torch\n    x = torch.zeros(2, 3)\n"
        "    y = x.view(4)\n\nand I get\n\nTraceback (most recent call last):\n"
        '  File "a.py", line 3, in <module>\n'
        "RuntimeError: shape '[4]' is invalid for input of size 6\n"
    )
    report = parse_report(text)
    assert report.code_blocks[0].startswith("import torch\nx = torch.zeros(2, 3)")
    assert any("is invalid for input of size 6" in log for log in report.logs)


def test_a_block_with_code_then_its_traceback_is_split() -> None:
    block = 'x = f()\nTraceback (most recent call last):\n  File "t.py", line 1\nValueError: bad'
    report = parse_report(f"Title\n\n```\n{block}\n```\n")
    assert report.code_blocks == ("x = f()",)
    assert report.logs[0].startswith("Traceback") and report.logs[0].endswith("ValueError: bad")


def test_json_is_recognised_by_its_content_and_every_key_is_optional() -> None:
    data = {
        "title": "OOM",
        "traceback": "RuntimeError: CUDA out of memory.",
        "tags": "<pytorch><gpu>",
    }
    report = parse_report(json.dumps(data).encode())
    assert report.title == "OOM"
    assert report.logs == ("RuntimeError: CUDA out of memory.",)
    assert report.tags == ("pytorch", "gpu")
    assert parse_report(b'{"body": "only a body"}').title == "only a body"


def test_json_body_in_markdown_gives_its_code_blocks() -> None:
    body = "It fails:\n\n```python\nmodel.fit(x)\n```"
    report = parse_report(json.dumps({"title": "t", "body": body, "code": ["y = 1"]}))
    assert report.code_blocks == ("model.fit(x)", "y = 1")
    assert report.prose == "It fails:"


def test_text_that_only_starts_like_json_is_read_as_text() -> None:
    report = parse_report("{not json at all}\nsecond line")
    assert report.title == "{not json at all}"


def test_binary_input_is_refused_with_a_reason() -> None:
    report = parse_report(bytes(range(256)) * 40)
    assert report.is_empty
    assert "binary" in report.problems[0]


def test_a_huge_report_is_cut_and_says_so() -> None:
    report = parse_report("Loss is nan\n\n" + "training is slow. " * 70_000)
    assert len(report.prose) <= MAX_REPORT_CHARS
    assert "only the first" in report.problems[0]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    report = parse_report("Fehler beim Laden \xfc\n".encode("latin-1"))
    assert report.title.startswith("Fehler beim Laden")
