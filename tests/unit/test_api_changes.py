"""API1xx: the direction of each migration follows the installed framework versions; the
tables load and agree with the rules; names are spelled through the file's own imports."""

from __future__ import annotations

import textwrap

import pytest

from dl_lsp.checks.api_changes import CHECKS, spell
from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.extract.api_usage import migration_table
from dl_lsp.facts.api_usage import ApiReference
from dl_lsp.facts.span import Span
from dl_lsp.findings import Finding, Severity
from dl_lsp.ruleset import load_rules


def analyse(text: str, prefix: str = "API", **versions: str) -> list[Finding]:
    settings = Settings(framework_versions=versions)
    analysis = analyze_source(textwrap.dedent(text), settings=settings)
    assert not analysis.failures, analysis.failures
    return [f for f in analysis.findings if f.code.startswith(prefix)]


def codes(text: str, **versions: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in analyse(text, **versions)]


def fix_titles(finding: Finding) -> list[str]:
    return [entry["title"] for entry in finding.fix_data.get("fixes", [])]


# -- the rules and the tables ----------------------------------------------------------------


def test_every_check_has_rule_data_of_the_api_family() -> None:
    rules = load_rules()
    assert len(CHECKS) >= 12
    for code in CHECKS:
        rule = rules[code]
        assert rule.bug_type.value == "api" and rule.family == "api"
        assert rule.doc is not None and rule.doc.when, f"{code} documents its guard"


def test_migration_table_is_consistent() -> None:
    table = migration_table()
    assert table.tf_compat["Session"] and "layers" in table.tf_compat_namespaces
    assert table.tf_renamed["log"].to == "math.log" and table.tf_renamed["log"].exact
    assert {row.new for row in table.keras_keywords["nb_epoch"]} == {"epochs"}
    assert "Dense" in table.keras_keywords["output_dim"][0].callees
    assert table.optimizer_arguments["lr"].to == "learning_rate"
    assert table.pretrained[("pretrained", "resnet18")] == "IMAGENET1K_V1"
    # A TF2 name must never be mistaken for a TF1 one.
    for name in ("random.normal", "math.log", "compat.v1.Session", "summary.scalar", "Graph"):
        assert table.tf_entry(name) is None, name


# -- TensorFlow 1 → 2 ------------------------------------------------------------------------

TF1 = """\
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 3])
y = tf.log(x)
h = tf.nn.dropout(y, keep_prob=0.9)
cell = tf.contrib.rnn.BasicLSTMCell(8)
"""


def test_tf1_code_under_tf2_and_with_nothing_known() -> None:
    expected = [("API101", 2), ("API102", 3), ("API104", 4), ("API103", 5)]
    assert sorted(codes(TF1), key=lambda item: item[1]) == expected
    assert sorted(codes(TF1, tensorflow="2.15.0"), key=lambda item: item[1]) == expected


@pytest.mark.parametrize("version", ["1.15.5", "<2", "1.13.1"])
def test_tf1_installed_or_pinned_is_left_alone(version: str) -> None:
    assert codes(TF1, tensorflow=version) == []


def test_compat_fix_spells_through_the_files_alias() -> None:
    text = "import tensorflow as tensorflow_v\nsess = tensorflow_v.Session()\n"
    [finding] = analyse(text)
    assert fix_titles(finding) == ["Use tensorflow_v.compat.v1.Session"]
    assert finding.tags == ("deprecated",)


# -- Keras: the direction follows the installed Keras ----------------------------------------

KERAS1 = """\
from keras.models import Sequential
from keras.layers import Dense, Convolution2D
model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))
model.add(Dense(output_dim=10))
model.fit(x, y, nb_epoch=5)
"""


def test_keras1_names_are_errors_for_current_keras() -> None:
    findings = analyse(KERAS1)
    assert {(f.code, f.span.line) for f in findings} == {
        ("API106", 4),
        ("API105", 4),
        ("API105", 5),
        ("API105", 6),
    }
    assert {f.severity for f in findings} == {Severity.ERROR}


def test_keras_2_0_to_2_3_still_translates_them_with_a_warning() -> None:
    findings = analyse(KERAS1, keras="2.2.4", tensorflow="1.15.0")
    assert {f.severity for f in findings} == {Severity.WARNING}
    assert all("still translates" in f.message for f in findings)


def test_keras1_installed_turns_the_keyword_rename_around() -> None:
    text = """\
    from keras.models import Sequential
    from keras.layers import Dense, Dropout
    model = Sequential()
    model.add(Dense(units=10))
    model.add(Dropout(rate=0.5))
    model.add(Dense(output_dim=10))
    """
    findings = analyse(text, keras="1.2.2")
    assert [(f.code, f.span.line) for f in findings] == [("API105", 4), ("API105", 5)]
    assert fix_titles(findings[0]) == ["Rename units= to output_dim="]
    assert "installed Keras 1.2.2" in findings[0].message


def test_keras1_installed_keeps_its_convolution_signature() -> None:
    assert ("API106", 4) not in codes(KERAS1, keras="1.2.2")


@pytest.mark.parametrize(
    ("versions", "key", "severity"),
    [
        ({}, "rejected", Severity.ERROR),
        ({"keras": "3.3.3", "tensorflow": "2.16.1"}, "rejected", Severity.ERROR),
        ({"tensorflow": "2.12.0"}, "ignored", Severity.WARNING),
        ({"tensorflow": "<2.16"}, "ignored", Severity.WARNING),
        ({"tensorflow": "2.9.1"}, "deprecated", Severity.INFORMATION),
    ],
)
def test_lr_keyword_effect_by_release(
    versions: dict[str, str], key: str, severity: Severity
) -> None:
    text = "from tensorflow.keras.optimizers import Adam\nopt = Adam(lr=0.01)\n"
    [finding] = analyse(text, **versions)
    assert finding.code == "API110" and finding.severity is severity
    expected = {
        "rejected": "ValueError",
        "ignored": "default learning rate",
        "deprecated": "deprecated",
    }
    assert expected[key] in finding.message
    assert fix_titles(finding) == ["Rename lr= to learning_rate="]
    assert finding.span == Span(2, 11, 2, 13)  # the keyword's name, struck through as deprecated


def test_decay_goes_the_other_way() -> None:
    text = "import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.1, decay=1e-6)\n"
    assert analyse(text, tensorflow="2.10.0") == []
    [rejected] = analyse(text, tensorflow="2.13.0")
    assert rejected.severity is Severity.ERROR
    [ignored] = analyse(text)
    assert ignored.severity is Severity.WARNING and "never decays" in ignored.message


def test_old_standalone_keras_wants_lr() -> None:
    text = "from keras.optimizers import Adam\nopt = Adam(learning_rate=0.01)\nold = Adam(lr=0.1)\n"
    [finding] = analyse(text, keras="2.2.5")
    assert (finding.span.line, finding.severity) == (2, Severity.ERROR)
    assert fix_titles(finding) == ["Rename learning_rate= to lr="]


def test_torch_optimizers_lr_is_never_reported() -> None:
    text = """\
    import torch
    from torch.optim import Adam
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    adam = Adam(model.parameters(), lr=0.001)
    """
    assert analyse(text) == []


def test_removed_methods_and_modules_follow_the_release() -> None:
    text = """\
    from keras.utils.np_utils import to_categorical
    classes = model.predict_classes(x)
    model.fit_generator(gen, steps_per_epoch=10)
    """
    assert codes(text) == [("API108", 1), ("API107", 2), ("API107", 3)]
    assert codes(text, keras="2.3.1") == []
    deprecated = analyse(text, tensorflow="2.4.0", keras="2.4.3")
    assert [(f.code, f.span.line, f.severity) for f in deprecated] == [
        ("API107", 3, Severity.WARNING)
    ]


def test_predict_classes_fix_follows_the_output_activation() -> None:
    text = """\
    import numpy as np
    from tensorflow import keras
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    labels = model.predict_classes(x_test, batch_size=32)
    """
    [finding] = analyse(text)
    assert fix_titles(finding) == [
        'Use (model.predict(x_test, batch_size=32) > 0.5).astype("int32")'
    ]


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        ({}, Severity.INFORMATION),
        ({"tensorflow": "2.15.0", "keras": "3.0.5"}, Severity.ERROR),
        ({"tensorflow": "1.15.0", "keras": "2.2.4"}, Severity.ERROR),
        ({"tensorflow": "2.15.0", "keras": "2.15.0"}, None),
        ({"tensorflow": "2.16.1"}, None),
    ],
)
def test_mixed_keras_imports_by_installation(
    versions: dict[str, str], expected: Severity | None
) -> None:
    text = "from keras.models import Sequential\nfrom tensorflow.keras.layers import Dense\n"
    found = analyse(text, **versions)
    assert [f.severity for f in found] == ([expected] if expected else [])


# -- PyTorch ---------------------------------------------------------------------------------

TORCH03 = """\
import torch
import torch.nn as nn
from torch.autograd import Variable
criterion = nn.MSELoss(size_average=False)
for x, y in loader:
    x = Variable(x, volatile=True)
    loss = criterion(model(x), y)
    total += loss.data[0]
"""


def test_pytorch_0_3_idioms_under_current_pytorch() -> None:
    assert codes(TORCH03) == [("API115", 4), ("API112", 6), ("API113", 6), ("API114", 8)]


def test_pytorch_0_3_installed_is_left_alone() -> None:
    assert codes(TORCH03, torch="0.3.1") == []


def test_pytorch_0_4_warns_about_indexing_a_scalar() -> None:
    found = analyse(TORCH03, torch="0.4.0")
    assert [(f.code, f.severity) for f in found] == [
        ("API112", Severity.INFORMATION),
        ("API113", Severity.WARNING),
        ("API114", Severity.WARNING),
    ]


def test_reduction_translation_follows_pytorch() -> None:
    text = """\
    import torch.nn as nn
    a = nn.L1Loss(size_average=False)
    b = nn.L1Loss(reduce=False, size_average=False)
    c = nn.L1Loss(size_average=True, reduce=True)
    """
    found = analyse(text)
    assert [fix_titles(f) for f in found] == [
        ["Use reduction='sum'"],
        ["Use reduction='none'"],
        ["Use reduction='mean'"],
    ]


def test_torchvision_before_0_13_keeps_pretrained() -> None:
    text = "from torchvision import models\nnet = models.resnet50(pretrained=True)\n"
    assert codes(text, torchvision="0.12.0") == []
    [finding] = analyse(text, torchvision="0.15.2")
    assert fix_titles(finding) == ["Use weights='IMAGENET1K_V1'"]


def test_torch_deprecated_function_needs_torch_bound_for_its_fix() -> None:
    text = "import torch.nn.functional as F\ny = F.sigmoid(x)\n"
    [finding] = analyse(text)
    assert fix_titles(finding) == []  # torch.sigmoid needs `import torch`
    [fixed] = analyse("import torch\n" + text)
    assert fix_titles(fixed) == ["Use torch.sigmoid"]


# -- spelling --------------------------------------------------------------------------------


def reference(written: str, qualified: str) -> ApiReference:
    return ApiReference(qualified, written, Span(1, 0, 1, len(written)), "torch", True)


def test_spell_prefers_the_references_own_root() -> None:
    own = reference("nn.init.xavier_uniform", "torch.nn.init.xavier_uniform")
    bindings = [("init", "torch.nn.init"), ("torch", "torch")]
    assert spell("torch.nn.init.xavier_uniform_", own, bindings) == "nn.init.xavier_uniform_"
    functional = reference("F.sigmoid", "torch.nn.functional.sigmoid")
    assert spell("torch.sigmoid", functional, bindings) == "torch.sigmoid"
    assert spell("numpy.argmax", functional, bindings) is None


# -- tf.compat.v1 names built on Keras 2 -------------------------------------------------------

KERAS2_ONLY = """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
h = tf.layers.dense(x, 4)
cell = tf.contrib.rnn.BasicLSTMCell(16)
"""


def test_tf_layers_get_no_compat_fix_where_keras_3_is_behind_tf_keras() -> None:
    for versions in ({}, {"tensorflow": "2.16.1"}, {"tensorflow": "2.21.0", "keras": "3.12.0"}):
        found = {(f.code, f.span.line): f for f in analyse(KERAS2_ONLY, **versions)}
        dense, cell = found[("API101", 4)], found[("API103", 5)]
        assert fix_titles(dense) == [] and "Keras 3" in dense.message
        assert "TF_USE_LEGACY_KERAS" in dense.message
        assert fix_titles(cell) == [] and "Keras 3" in cell.message
        # The placeholder's compat.v1 name does not depend on Keras: still fixed.
        assert fix_titles(found[("API101", 3)]) == ["Use tf.compat.v1.placeholder"]


def test_tf_layers_keep_their_compat_fix_with_keras_2_behind_tf_keras() -> None:
    found = {(f.code, f.span.line): f for f in analyse(KERAS2_ONLY, tensorflow="2.15.1")}
    assert fix_titles(found[("API101", 4)]) == ["Use tf.compat.v1.layers.dense"]
    assert fix_titles(found[("API103", 5)]) == ["Use tf.compat.v1.nn.rnn_cell.BasicLSTMCell"]
