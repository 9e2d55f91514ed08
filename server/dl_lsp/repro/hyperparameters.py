"""A3 Hyperparameter Initialization: undefined hyperparameters get documented defaults, or
values the rest of the file implies (the number of classes, the input size)."""

from __future__ import annotations

from collections.abc import Mapping

from dl_lsp.facts import Framework
from dl_lsp.facts.data import InputType
from dl_lsp.repro.inference import infer_input, infer_target
from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene
from dl_lsp.repro.statements import insert_before_line

ACTION = "A3"

# name → default value (Python source). The defaults are the frameworks' documented ones where
# there is one (Keras' batch size 32, Adam's learning rate 1e-3), else common practice.
DEFAULTS: dict[str, str] = {
    **dict.fromkeys(["batch_size", "BATCH_SIZE", "bs", "train_batch_size", "nb_batch"], "32"),
    **dict.fromkeys(["test_batch_size", "eval_batch_size", "val_batch_size"], "64"),
    **dict.fromkeys(
        ["epochs", "nb_epoch", "nb_epochs", "num_epochs", "n_epochs", "EPOCHS", "NUM_EPOCHS"],
        "10",
    ),
    **dict.fromkeys(
        ["lr", "learning_rate", "LR", "LEARNING_RATE", "learningRate", "lr_rate", "alpha"],
        "1e-3",
    ),
    **dict.fromkeys(["momentum"], "0.9"),
    **dict.fromkeys(["weight_decay", "wd"], "1e-4"),
    **dict.fromkeys(["dropout", "dropout_rate", "drop_rate", "dropout_prob", "p_drop"], "0.5"),
    **dict.fromkeys(
        ["hidden_size", "hidden_dim", "hidden_units", "n_hidden", "num_hidden", "hidden"], "128"
    ),
    **dict.fromkeys(["embedding_dim", "embed_dim", "embedding_size", "emb_dim"], "128"),
    **dict.fromkeys(
        ["vocab_size", "max_features", "max_words", "num_words", "VOCAB_SIZE", "MAX_WORDS"],
        "1000",
    ),
    **dict.fromkeys(
        [
            "maxlen",
            "max_len",
            "max_length",
            "seq_len",
            "seq_length",
            "sequence_length",
            "MAX_LEN",
            "MAX_SEQUENCE_LENGTH",
            "timesteps",
            "time_steps",
            "n_steps",
        ],
        "100",
    ),
    **dict.fromkeys(["num_layers", "n_layers"], "2"),
    **dict.fromkeys(["latent_dim", "encoding_dim", "code_size", "z_dim"], "32"),
    **dict.fromkeys(
        ["training_epochs", "num_iterations", "n_iters", "num_steps", "training_steps"], "10"
    ),
    **dict.fromkeys(
        ["nb_train_samples", "nb_validation_samples", "num_train_samples", "n_train"], "64"
    ),
    **dict.fromkeys(["validation_split", "val_split", "test_size", "test_split"], "0.2"),
    **dict.fromkeys(["seed", "SEED", "random_state", "RANDOM_STATE"], "42"),
    **dict.fromkeys(["verbose"], "1"),
    **dict.fromkeys(["patience"], "5"),
    **dict.fromkeys(["steps_per_epoch"], "8"),
    **dict.fromkeys(["validation_steps"], "2"),
    **dict.fromkeys(["kernel_size", "nb_conv"], "3"),
    **dict.fromkeys(["filters", "num_filters", "nb_filter", "nb_filters", "n_filters"], "32"),
    **dict.fromkeys(["pool_size", "nb_pool"], "2"),
    **dict.fromkeys(["num_workers"], "0"),
    **dict.fromkeys(["log_interval", "print_every"], "10"),
}
_CLASSES = [
    "num_classes",
    "nb_classes",
    "n_classes",
    "NUM_CLASSES",
    "NB_CLASSES",
    "classes",
    "num_labels",
    "n_labels",
    "output_dim",
    "output_size",
    "num_outputs",
    "n_outputs",
]
_FEATURES = [
    "input_dim",
    "input_size",
    "n_features",
    "num_features",
    "n_inputs",
    "num_inputs",
    "in_features",
    "feature_dim",
    "input_length",
    "INPUT_DIM",
]
_SIDES = [
    "img_rows",
    "img_cols",
    "img_width",
    "img_height",
    "img_size",
    "IMG_SIZE",
    "image_size",
    "IMAGE_SIZE",
    "img_w",
    "img_h",
    "IMG_WIDTH",
    "IMG_HEIGHT",
    "height",
    "width",
]
_CHANNELS = ["channels", "img_channels", "num_channels", "n_channels", "IMG_CHANNELS"]
_SHAPES = ["input_shape", "INPUT_SHAPE", "img_shape", "image_shape"]
# Objects that snippets read hyperparameters from (``args.lr``): an argparse namespace.
NAMESPACES = frozenset({"args", "opt", "opts", "config", "cfg", "hparams", "FLAGS", "flags"})


def is_hyperparameter(name: str) -> bool:
    """Whether A3 knows a value for a variable called ``name``."""
    return (
        name in DEFAULTS
        or name in _CLASSES
        or name in _FEATURES
        or name in _SIDES + _CHANNELS + _SHAPES
    )


def pending_hyperparameters(scene: Scene) -> bool:
    """Whether A3 still has names to define: shapes inferred now could change once it has."""
    return any(not use.called and is_hyperparameter(name) for name, use in scene.undefined.items())


def initialise_hyperparameters(scene: Scene, options: Options) -> Outcome:
    """The edit action: define each undefined hyperparameter before its first use."""
    values = _inferred_values(scene)
    blocks: dict[int, list[str]] = {}
    done: list[str] = []
    gaps: list[Gap] = []
    for name, use in scene.undefined.items():
        if use.called:
            continue
        if name in NAMESPACES and use.attributes:
            code, known = _namespace(name, use.attributes, values)
            if not known:
                continue
        elif name in values:
            code = f"{name} = {values[name][0]}\n"
        else:
            continue
        blocks.setdefault(use.statement_line, []).append(code)
        done.append(f"defined {code.strip().splitlines()[-1]} ({_why(name, values)})")
        gaps.append(Gap(Missing.HYPERPARAMETERS, f"`{name}`: the question does not give its value"))
    if not blocks:
        return unchanged(scene)
    text = scene.text
    # From the bottom up, so the lines above stay where they were.
    for line in sorted(blocks, reverse=True):
        text = insert_before_line(text, line, "".join(blocks[line]), f"{ACTION} hyperparameters")
    return Outcome(text, tuple(done), tuple(gaps))


def _namespace(
    name: str, attributes: frozenset[str], values: Mapping[str, tuple[str, str]]
) -> tuple[str, list[str]]:
    known = sorted(attribute for attribute in attributes if attribute in values)
    fields = ", ".join(
        f"{attribute}={values[attribute][0] if attribute in values else 'None'}"
        for attribute in sorted(attributes)
    )
    return f"import argparse\n{name} = argparse.Namespace({fields})\n", known


def _why(name: str, values: Mapping[str, tuple[str, str]]) -> str:
    if name in NAMESPACES:
        return "the command-line arguments the snippet reads"
    return values[name][1]


def _inferred_values(scene: Scene) -> dict[str, tuple[str, str]]:
    """name → (value, why) for every name A3 knows, inferred from the file where it can be."""
    values = {name: (value, "a common default") for name, value in DEFAULTS.items()}
    framework = scene.framework
    spec = infer_input(scene, framework)
    target = infer_target(scene)
    classes = (str(target.width), f"inferred: {target.evidence}")
    values.update(dict.fromkeys(_CLASSES, classes))
    features = spec.shape[-1] if len(spec.shape) == 1 and not spec.integer else 20
    if spec.integer:
        values.update(
            dict.fromkeys(
                ["vocab_size", "max_features", "max_words", "num_words"],
                (str(spec.high), "the Embedding's vocabulary"),
            )
        )
        values["input_length"] = (str(spec.shape[0]), "the sequence length")
    values.update(
        dict.fromkeys(
            [f for f in _FEATURES if f not in values], (str(features), f"inferred: {spec.evidence}")
        )
    )
    image = _image_geometry(scene, framework)
    values.update(dict.fromkeys(_SIDES, (str(image[0]), image[2])))
    values.update(dict.fromkeys(_CHANNELS, (str(image[1]), image[2])))
    shape = (
        spec.shape
        if len(spec.shape) > 1 or not _uses_conv(scene)
        else (image[0], image[0], image[1])
    )
    values.update(dict.fromkeys(_SHAPES, (repr(tuple(shape)), f"inferred: {spec.evidence}")))
    return values


def _image_geometry(scene: Scene, framework: Framework | None) -> tuple[int, int, str]:
    input_type = scene.facts.input_type or scene.facts.data.input_type
    if input_type is InputType.COLOR or scene.mentions(r"(?i)cifar|rgb|colou?r"):
        return 32, 3, "colour images (CIFAR-sized)"
    return 28, 1, "grayscale images (MNIST-sized)"


def _uses_conv(scene: Scene) -> bool:
    return scene.mentions(r"Conv[123][dD]|Convolution[123]D")
