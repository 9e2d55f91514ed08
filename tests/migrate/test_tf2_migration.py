"""``migrate_to_tf2``: the minimal tf.compat.v1 path, the idiomatic Keras path where the
pattern is recognised, and what is said where it is not."""

from __future__ import annotations

import ast
import textwrap

import pytest

from dl_lsp.migrate import migrate_to_tf2
from dl_lsp.migrate.tf2 import tf1_lines

TARGET = {"tensorflow": "2.21.0", "keras": "3.12.0"}


def migrate(text: str, style: str = "minimal") -> str:
    return migrate_to_tf2(textwrap.dedent(text), style, TARGET).text


def test_minimal_switches_the_alias_and_turns_v2_behaviour_off() -> None:
    text = """\
        import numpy as np
        import tensorflow as tf
        import os

        x = tf.placeholder(tf.float32, [None, 3])
    """
    assert migrate(text).splitlines()[:4] == [
        "import numpy as np",
        "import tensorflow.compat.v1 as tf",
        "import os",
        "tf.disable_v2_behavior()",
    ]


def test_unaliased_import_keeps_its_name() -> None:
    migrated = migrate("import tensorflow\nsess = tensorflow.Session()\n")
    assert migrated == (
        "import tensorflow.compat.v1 as tensorflow\ntensorflow.disable_v2_behavior()\n"
        "sess = tensorflow.Session()\n"
    )


def test_without_a_module_import_the_rules_rename_instead() -> None:
    result = migrate_to_tf2(
        "from tensorflow import placeholder\nimport tensorflow as tf\n"
        "with tf.Session() as s:\n    pass\n",
        "minimal",
        TARGET,
    )
    assert "tensorflow.compat.v1 as tf" in result.text


def test_tf2_code_is_left_alone() -> None:
    text = "import tensorflow as tf\nx = tf.random.normal([3])\nprint(tf.math.log(x))\n"
    result = migrate_to_tf2(text, "idiomatic", TARGET)
    assert result.text == text and result.applied == []
    assert result.notes == ["no TensorFlow 1 code found: nothing to migrate"]


def test_tf1_lines_are_the_lines_tf2_rejects() -> None:
    text = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = tf.log(x)\nz = tf.exp(y)\n"
    assert tf1_lines(text) == [2, 3]


def test_contrib_and_tutorial_modules_are_noted() -> None:
    text = """\
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data
        init = tf.contrib.layers.xavier_initializer()
    """
    notes = migrate_to_tf2(textwrap.dedent(text), "minimal", TARGET).notes
    assert any("tensorflow.examples.tutorials.mnist" in note for note in notes)
    assert any("tf.contrib" in note for note in notes)


def test_tf_layers_are_noted_where_keras_3_is_behind_tf_keras() -> None:
    text = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 2])\nh = tf.layers.dense(x, 3)\n"
    keras3 = migrate_to_tf2(text, "minimal", TARGET).notes
    keras2 = migrate_to_tf2(text, "minimal", {"tensorflow": "2.15.1"}).notes
    assert any("TF_USE_LEGACY_KERAS" in note for note in keras3)
    assert not any("TF_USE_LEGACY_KERAS" in note for note in keras2)


def test_an_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="style"):
        migrate_to_tf2("import tensorflow as tf\n", "aggressive")


def test_a_file_that_does_not_parse_is_returned_as_it_is() -> None:
    text = "import tensorflow as tf\nx = tf.placeholder(tf.float32\n"
    result = migrate_to_tf2(text, "idiomatic")
    assert result.text == text and "does not parse" in result.notes[0]


MLP_FULL_BATCH = """\
    import tensorflow as tf

    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 1])
    h = tf.layers.dense(x, 8, activation=tf.nn.tanh)
    out = tf.layers.dense(h, 1)
    loss = tf.losses.mean_squared_error(y, out)
    train = tf.train.RMSPropOptimizer(learning_rate=0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(1, num_steps + 1):
            sess.run(train, feed_dict={x: X, y: Y})
        print(sess.run(loss, feed_dict={x: X_val, y: Y_val}))
        predictions = sess.run(out, feed_dict={x: X_val})
"""


def test_idiomatic_regression_becomes_fit_evaluate_and_predict() -> None:
    migrated = migrate(MLP_FULL_BATCH, "idiomatic")
    assert migrated.splitlines() == [
        "import tensorflow as tf",
        "",
        "model = tf.keras.Sequential(",
        "    [",
        "        tf.keras.Input(shape=(4,)),",
        '        tf.keras.layers.Dense(8, activation="tanh"),',
        "        tf.keras.layers.Dense(1),",
        "    ]",
        ")",
        "model.compile(",
        "    optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.01),",
        '    loss="mse",',
        ")",
        "model.fit(X, Y, batch_size=len(X), epochs=num_steps, verbose=2)",
        "print(model.evaluate(X_val, Y_val, verbose=0))",
        "predictions = model.predict(X_val, verbose=0)",
    ]


def test_next_batch_steps_become_epochs_over_the_data() -> None:
    text = MLP_FULL_BATCH.replace(
        "sess.run(train, feed_dict={x: X, y: Y})",
        "bx, by = data.train.next_batch(64)\n            sess.run(train, feed_dict={x: bx, y: by})",
    )
    migrated = migrate(text, "idiomatic")
    assert (
        "model.fit(data.train.images, data.train.labels, batch_size=64, "
        "epochs=max(1, (num_steps) * (64) // len(data.train.images)), verbose=2)"
    ) in migrated


@pytest.mark.parametrize(
    ("added", "reason"),
    [
        ("    saver = tf.train.Saver()\n    saver.save(sess, 'model.ckpt')\n", "not translated"),
        ("    print(sess.run(h, feed_dict={x: X}))\n", "intermediate tensor"),
        ("    sess.run(train, feed_dict={x: X, y: Y})\n", "instead of one"),
    ],
)
def test_idiomatic_falls_back_and_says_why(added: str, reason: str) -> None:
    text = textwrap.dedent(MLP_FULL_BATCH) + added
    result = migrate_to_tf2(text, "idiomatic", TARGET)
    assert result.text.startswith("import tensorflow.compat.v1 as tf\n")
    assert reason in result.notes[0] and "tf.compat.v1 path" in result.notes[0]
    ast.parse(result.text)
