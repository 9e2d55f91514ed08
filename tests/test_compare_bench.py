"""bench/compare.py's bookkeeping: the findings side by side are read from the timed runs'
outputs and land on the right program whatever path form each tool prints; the corpus is split
into snippets, programs and generated files; the README tables render a quick run too. (The
timings themselves are the script's job, not a test's.)"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import compare  # noqa: E402

PROGRAM = "examples/keras_binary_softmax.py"


def test_each_tools_findings_land_on_the_program_whatever_path_form_it_prints(
    tmp_path: Path,
) -> None:
    absolute = str(ROOT / PROGRAM)
    generated = tmp_path / "generated" / "keras_0000.py"
    ours = [{"path": PROGRAM, "code": "ICL"}, {"path": PROGRAM, "code": "IBS"}]
    outputs = {
        "dl_lsp": json.dumps([*ours, {"path": str(generated), "code": "LOB"}]),
        "torchfix_flake8": f"{absolute}:3:1: TOR401 Detected DataLoader\n"
        f"{generated}:9:1: TOR401 Detected DataLoader\n",
        "pyflakes": f"{ROOT / 'examples' / '..' / PROGRAM}:4:1: 'os' imported but unused\n"
        f"{absolute}:7: undefined name 'x_train'\n",
    }
    rows = compare.findings_side_by_side(outputs, [ROOT / PROGRAM])
    assert rows == [
        {
            "program": PROGRAM,
            "lines": (ROOT / PROGRAM).read_bytes().count(b"\n"),
            "dl_lsp": ["IBS", "ICL"],
            "torchfix": ["TOR401"],
            "pyflakes": ["undefined-name", "unused-import"],
        }
    ]


def test_a_program_no_tool_reports_still_gets_its_row() -> None:
    outputs = {"dl_lsp": "[]", "torchfix_flake8": "", "pyflakes": ""}
    rows = compare.findings_side_by_side(outputs, [ROOT / PROGRAM])
    assert [(row["dl_lsp"], row["torchfix"], row["pyflakes"]) for row in rows] == [([], [], [])]


def test_quick_leaves_the_snippets_out_and_the_full_run_keeps_them(tmp_path: Path) -> None:
    quick = compare.corpus_groups(True, tmp_path)
    full = compare.corpus_groups(False, tmp_path)
    assert list(quick) == ["programs", "generated"]
    assert list(full) == ["snippets", "programs", "generated"]
    assert ROOT / "tests" / "corpus" in full["snippets"]
    assert quick["generated"] == full["generated"] == [tmp_path]


def test_the_in_process_times_cover_every_group_and_both_sides(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text("import torch\nx = torch.zeros(3)\n", encoding="utf-8")
    times = compare.in_process_times(
        {"programs": [ROOT / PROGRAM], "generated": [tmp_path / "model.py"]}, repeat=1
    )
    assert set(times) == {"programs", "generated"}
    assert all(value["analysis"] > 0 and value["ast_parse"] > 0 for value in times.values())


def quick_result() -> dict[str, Any]:
    entry = {"lines_per_s_1": 1000, "seconds_1": 1.0, "peak_mb_1": 30.0}
    return {
        "machine": {"cores": 2},
        "corpus": {
            "files": 3,
            "lines": 300,
            "groups": {
                "programs": {"files": 1, "lines": 100},
                "generated": {"files": 2, "lines": 200},
            },
        },
        "ratios": {
            "dl_lsp_analysis_over_ast_parse_time_1_core": 4.5,
            "dl_lsp_analysis_over_ast_parse_time_1_core_by_group": {
                "programs": 9.0,
                "generated": 3.25,
            },
        },
        "checkers": {
            "dl_lsp": entry,
            "torchfix_flake8": entry,
            "pyflakes": entry,
            "ast_parse": {"lines_per_s_1": 9000, "seconds_1": 0.1},
            "dl_lsp_in_process": {"lines_per_s_1": 3000, "seconds_1": 0.3},
        },
        "findings_summary": {
            "programs": 1,
            "buggy_programs": 0,
            "findings": dict.fromkeys(compare.TOOLS, 0),
            "programs_flagged": dict.fromkeys(compare.TOOLS, 0),
            "buggy_flagged": dict.fromkeys(compare.TOOLS, 0),
        },
    }


def test_the_tables_of_a_quick_run_leave_out_standalone_torchfix_and_split_the_ratio() -> None:
    text = compare.markdown(quick_result())
    assert "TorchFix (`flake8 --select=TOR`)" in text
    assert "TorchFix (`torchfix`)" not in text
    assert "| test programs and examples | 1 | 100 | 9.00× |" in text
    assert "| generated programs (bench/make_corpus.py) | 2 | 200 | 3.25× |" in text
    assert "| all | 3 | 300 | 4.50× |" in text
