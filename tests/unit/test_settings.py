"""Settings: parsing ``[tool.dl-lsp]`` / LSP tables, and the engine honouring them."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from dl_lsp.checks import ALL_CHECKS
from dl_lsp.config import Settings, SettingsError, settings_from_mapping
from dl_lsp.engine import analyze_source, enabled_checks
from dl_lsp.facts import InputType, ProblemType
from dl_lsp.findings import Severity
from dl_lsp.ruleset import get_rule

# --- settings_from_mapping --------------------------------------------------------------------


def test_empty_mapping_gives_defaults() -> None:
    assert settings_from_mapping({}) == Settings()
    defaults = Settings()
    assert defaults.select is None
    assert defaults.enabled("LLM")
    assert defaults.enabled("SNP001")


@pytest.mark.parametrize(
    "select",
    ["LLM,cnl", ["LLM", "cnl"], [" llm ", "CNL", ""], "LLM, CNL,"],
    ids=["comma-string", "list", "spaces-and-blanks", "trailing-comma"],
)
def test_select_accepts_strings_and_lists_and_uppercases(select: Any) -> None:
    settings = settings_from_mapping({"select": select})
    assert settings.select == frozenset({"LLM", "CNL"})


def test_select_and_ignore_match_prefixes() -> None:
    settings = settings_from_mapping({"select": ["I", "LLM"], "ignore": "IBS"})
    enabled = {code: settings.enabled(code) for code in ("LLM", "ICL", "IDN", "IBS", "CNL")}
    assert enabled == {"LLM": True, "ICL": True, "IDN": True, "IBS": False, "CNL": False}


def test_ignore_wins_over_select() -> None:
    settings = settings_from_mapping({"select": ["LLM"], "ignore": ["LLM"]})
    assert not settings.enabled("LLM")


def test_select_all() -> None:
    settings = settings_from_mapping({"select": ["ALL"], "ignore": ["M"]})
    assert settings.enabled("LLM")
    assert settings.enabled("SNP001")
    assert not settings.enabled("MRD")
    assert not settings.enabled("MNL")


@pytest.mark.parametrize("key", ["severity", "severities"])
def test_severities(key: str) -> None:
    settings = settings_from_mapping({key: {"llm": "Warning", "MNL": "information"}})
    assert settings.severities == {"LLM": Severity.WARNING, "MNL": Severity.INFORMATION}


def test_unknown_severity_is_an_error() -> None:
    with pytest.raises(SettingsError, match="severity"):
        settings_from_mapping({"severity": {"LLM": "fatal"}})


def test_thresholds_accept_dashes_and_lowercase_codes() -> None:
    settings = settings_from_mapping(
        {"thresholds": {"mrd": {"min-hidden-layers": 2}, "IBS": {"min": 16, "max": 512}}}
    )
    assert settings.thresholds == {
        "MRD": {"min_hidden_layers": 2.0},
        "IBS": {"min": 16.0, "max": 512.0},
    }


@pytest.mark.parametrize(
    "thresholds",
    [{"MRD": 3}, {"MRD": {"min_hidden_layers": "three"}}, {"LOB": {"max": None}}],
    ids=["not-a-table", "not-a-number", "none"],
)
def test_bad_thresholds_are_errors(thresholds: dict[str, Any]) -> None:
    with pytest.raises(SettingsError):
        settings_from_mapping({"thresholds": thresholds})


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("problem-type", "binary", ProblemType.BINARY),
        ("problem_type", "Binary_Classification", ProblemType.BINARY),
        ("problemType", "multi-class", ProblemType.MULTICLASS),
        ("problem-type", "multiclass_classification", ProblemType.MULTICLASS),
        ("problem-type", "Multi-Label", ProblemType.MULTILABEL),
        ("problem-type", " regression ", ProblemType.REGRESSION),
    ],
)
def test_problem_type_aliases(key: str, value: str, expected: ProblemType) -> None:
    assert settings_from_mapping({key: value}).problem_type is expected


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("input-type", "colour", InputType.COLOR),
        ("input_type", "RGB", InputType.COLOR),
        ("inputType", "color_images", InputType.COLOR),
        ("input-type", "greyscale", InputType.GRAYSCALE),
        ("input-type", "gray", InputType.GRAYSCALE),
        ("input-type", "tabular", InputType.TABULAR),
        ("input-type", "text", InputType.SEQUENCE),
    ],
)
def test_input_type_aliases(key: str, value: str, expected: InputType) -> None:
    assert settings_from_mapping({key: value}).input_type is expected


@pytest.mark.parametrize(
    "mapping",
    [{"problem-type": "clustering"}, {"input-type": "audio"}],
    ids=["problem", "input"],
)
def test_unknown_problem_or_input_type_is_an_error(mapping: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="expected one of"):
        settings_from_mapping(mapping)


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


# --- the engine honours the settings ----------------------------------------------------------

# Findings without settings: CNL (line 5), MRD missing Dropout (line 7), LLM (line 8),
# LOB (line 9), IBS (line 10).
PROGRAM = textwrap.dedent(
    """\
    from keras.layers import Dense
    from keras.models import Sequential
    from keras.optimizers import SGD
    model = Sequential()
    model.add(Dense(64, input_dim=64))
    model.add(Dense(32, activation='relu'))
    model.add(Dense(16, activation='relu'))
    model.add(Dense(1, activation='softmax'))
    model.compile(loss='binary_crossentropy', optimizer=SGD(learning_rate=0.5))
    model.fit(x_train, y_train, epochs=10, batch_size=16)
    """
)


def findings(text: str = PROGRAM, **mapping: Any) -> set[tuple[str, int]]:
    settings = settings_from_mapping(mapping)
    return {(f.code, f.span.line) for f in analyze_source(text, settings=settings).findings}


def test_program_findings_without_settings() -> None:
    assert findings() == {("CNL", 5), ("MRD", 7), ("LLM", 8), ("LOB", 9), ("IBS", 10)}


def test_engine_select() -> None:
    assert findings(select=["LLM", "LOB"]) == {("LLM", 8), ("LOB", 9)}


def test_engine_ignore_prefix() -> None:
    assert findings(ignore=["L", "M"]) == {("CNL", 5), ("IBS", 10)}


def test_engine_severity_override() -> None:
    settings = settings_from_mapping({"severity": {"LLM": "hint", "CNL": "error"}})
    by_code = {f.code: f.severity for f in analyze_source(PROGRAM, settings=settings).findings}
    assert by_code["LLM"] is Severity.HINT
    assert by_code["CNL"] is Severity.ERROR
    assert by_code["IBS"] is Severity.WARNING


def test_engine_threshold_overrides() -> None:
    relaxed = findings(
        thresholds={
            "IBS": {"min": 16},
            "LOB": {"max": 1.0},
            "MRD": {"min-hidden-layers": 4},
        }
    )
    assert relaxed == {("CNL", 5), ("LLM", 8)}


def test_engine_threshold_makes_small_models_eligible() -> None:
    text = textwrap.dedent(
        """\
        from keras.layers import Dense
        from keras.models import Sequential
        model = Sequential()
        model.add(Dense(8, activation='relu', input_dim=8))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam')
        """
    )
    assert findings(text) == set()
    assert findings(text, thresholds={"MRD": {"min_hidden_layers": 1}}) == {("MRD", 4)}
    assert findings(text, thresholds={"MNL": {"min-hidden-layers": 1}}) == {("MNL", 4)}


def test_changed_settings_take_effect_on_the_next_analysis() -> None:
    # The engine works out the enabled checks once per distinct settings: an editor that
    # changes them between two analyses must see the new ones, and the old ones again after.
    relaxed = {"IBS": {"min": 16}, "LOB": {"max": 1.0}}
    assert findings(thresholds=relaxed) == {("CNL", 5), ("MRD", 7), ("LLM", 8)}
    assert findings() == {("CNL", 5), ("MRD", 7), ("LLM", 8), ("LOB", 9), ("IBS", 10)}
    assert findings(thresholds={"IBS": {"min": 8}}) == {
        ("CNL", 5),
        ("MRD", 7),
        ("LLM", 8),
        ("LOB", 9),
    }
    assert findings(select=["LOB"]) == {("LOB", 9)}
    assert findings(select=["LOB"], thresholds=relaxed) == set()
    assert findings(thresholds=relaxed) == {("CNL", 5), ("MRD", 7), ("LLM", 8)}


def test_enabled_checks_merge_thresholds_without_touching_the_rule_data() -> None:
    plan = dict(
        enabled_checks(Settings(select=frozenset({"IBS", "LLM"}), thresholds={"IBS": {"min": 8.0}}))
    )
    assert set(plan) == {"IBS", "LLM"}
    ibs = plan["IBS"]
    assert ibs is not None
    assert ibs.thresholds == {**get_rule("IBS").thresholds, "min": 8.0}
    assert get_rule("IBS").thresholds["min"] == 32
    assert plan["LLM"] is get_rule("LLM")


def test_enabled_checks_follow_the_registry_order_and_prefixes() -> None:
    plan = enabled_checks(Settings(select=frozenset({"API1", "M"}), ignore=frozenset({"API11"})))
    codes = [code for code, _ in plan]
    assert codes == [code for code in ALL_CHECKS if code in codes]
    assert set(codes) == {
        code
        for code in ALL_CHECKS
        if code.startswith(("API1", "M")) and not code.startswith("API11")
    }
    assert "API105" in codes and "MRD" in codes and "API112" not in codes


def test_engine_suppression_comment_with_settings() -> None:
    text = PROGRAM.replace("batch_size=16)", "batch_size=16)  # dl-lsp: ignore[IBS]")
    assert findings(text, select=["IBS", "LLM"]) == {("LLM", 8)}


def test_engine_ignores_syntax_errors_when_asked() -> None:
    text = "ifrom tensorflow import keras\n" + PROGRAM
    assert ("SNP001", 1) in findings(text)
    assert ("SNP001", 1) not in findings(text, ignore=["SNP"])


MULTILABEL_WITH_ONE_HOT = textwrap.dedent(
    """\
    {pragma}
    from keras.layers import Dense
    from keras.models import Sequential
    from keras.utils import to_categorical
    y_train = to_categorical(labels, 6)
    model = Sequential()
    model.add(Dense(32, activation='relu', input_dim=100))
    model.add(Dense(6, activation='sigmoid'))
    model.compile(loss='binary_crossentropy', optimizer='adam')
    """
)


def test_problem_type_setting_changes_the_verdict() -> None:
    text = MULTILABEL_WITH_ONE_HOT.format(pragma="")
    assert {code for code, _ in findings(text)} == {"LLM"}
    assert findings(text, **{"problem-type": "multilabel"}) == set()


def test_file_pragma_overrides_the_settings() -> None:
    text = MULTILABEL_WITH_ONE_HOT.format(pragma="# dl-lsp: problem=multilabel")
    assert findings(text) == set()
    assert findings(text, **{"problem-type": "multiclass"}) == set()


def test_unknown_pragma_value_is_ignored() -> None:
    text = MULTILABEL_WITH_ONE_HOT.format(pragma="# dl-lsp: problem=clustering")
    assert {code for code, _ in findings(text)} == {"LLM"}


def test_input_type_setting_enables_image_rules() -> None:
    text = textwrap.dedent(
        """\
        from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
        from keras.models import Sequential
        model = Sequential()
        model.add(Conv2D(8, (3, 3), activation='relu', input_shape=(64, 64, 4)))
        model.add(MaxPooling2D((2, 2)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        """
    )
    assert findings(text) == set()
    assert findings(text, **{"input-type": "color"}) == {("INF", 4), ("ICL", 4)}
