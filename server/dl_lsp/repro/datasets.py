"""A8 Dataset Procurement: a public dataset loaded through the framework's own loader, with
synthetic data of the same shapes when the loader cannot download it (offline)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from dl_lsp.repro.outcome import Gap, Missing, Options, Outcome, unchanged
from dl_lsp.repro.scene import Scene

ACTION = "A8"
# Stand-in sizes when the snippet does not hard-code the real ones: quick to train on.
SMALL_SIZES = (256, 64)


@dataclass(frozen=True)
class PublicDataset:
    """The shapes ``load_data()`` returns: one sample's input, the labels, the value range."""

    sample: tuple[int, ...]
    classes: int | None  # None: regression targets
    # The real sizes, used when the snippet hard-codes them (``x_train.reshape(60000, 784)``).
    sizes: tuple[int, int]
    label_shape: tuple[int, ...] = ()
    sequences: bool = False


KERAS_DATASETS: dict[str, PublicDataset] = {
    "mnist": PublicDataset((28, 28), 10, (60000, 10000)),
    "fashion_mnist": PublicDataset((28, 28), 10, (60000, 10000)),
    "cifar10": PublicDataset((32, 32, 3), 10, (50000, 10000), (1,)),
    "cifar100": PublicDataset((32, 32, 3), 100, (50000, 10000), (1,)),
    "imdb": PublicDataset((), 2, (25000, 25000), sequences=True),
    "reuters": PublicDataset((), 46, (8982, 2246), sequences=True),
    "boston_housing": PublicDataset((13,), None, (404, 102)),
    "california_housing": PublicDataset((8,), None, (16512, 4128)),
}


def procure_datasets(scene: Scene, options: Options) -> Outcome:
    """The edit action: guard each top-level ``<dataset>.load_data()`` with a synthetic fallback."""
    module = cst.parse_module(scene.text)
    body = list(module.body)
    done: list[str] = []
    for index, statement in enumerate(module.body):
        found = _loader_call(statement)
        if found is None:
            continue
        name, words = found
        dataset = KERAS_DATASETS[name]
        real = dataset.sizes[0] and re.search(rf"\b{dataset.sizes[0]}\b", scene.text)
        stand_in = _stand_in(dataset, words, dataset.sizes if real else SMALL_SIZES)
        code = (
            "try:\n"
            f"    {module.code_for_node(statement.with_changes(leading_lines=())).strip()}\n"
            f"except Exception as error:  # offline, or the download failed\n"
            f'    print("{name}.load_data() failed (" + str(error) + "): using synthetic data")\n'
            f"    (x_train, y_train), (x_test, y_test) = {stand_in}\n"
        )
        targets = _targets(statement)
        if targets is None:
            continue
        code = code.replace("(x_train, y_train), (x_test, y_test) =", f"{targets} =")
        guarded = cst.parse_module(code).body[0].with_changes(leading_lines=statement.leading_lines)
        body[index] = guarded
        done.append(f"`{name}.load_data()` falls back to synthetic data of its shapes offline")
    if not done:
        return unchanged(scene)
    gap = Gap(Missing.DATA, "the real dataset when it cannot be downloaded")
    return Outcome(module.with_changes(body=body).code, tuple(done), (gap,))


def _loader_call(statement: cst.BaseStatement) -> tuple[str, str] | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
        return None
    func = small.value.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "load_data"):
        return None
    owner = func.value
    name = owner.attr.value if isinstance(owner, cst.Attribute) else getattr(owner, "value", "")
    if name not in KERAS_DATASETS:
        return None
    words = "1000"
    for argument in small.value.args:
        if argument.keyword is not None and argument.keyword.value == "num_words":
            words = cst.Module([]).code_for_node(argument.value)
    return name, words


def _targets(statement: cst.BaseStatement) -> str | None:
    assert isinstance(statement, cst.SimpleStatementLine)
    small = statement.body[0]
    assert isinstance(small, cst.Assign)
    return " = ".join(cst.Module([]).code_for_node(t.target) for t in small.targets)


def _stand_in(dataset: PublicDataset, words: str, sizes: tuple[int, int]) -> str:
    def part(samples: int) -> str:
        if dataset.sequences:
            inputs = (
                f"np.array([list(np.random.randint(1, {words}, 80)) for _ in range({samples})], "
                "dtype=object)"
            )
        elif dataset.classes is None:
            inputs = f'np.random.rand({samples}, {", ".join(map(str, dataset.sample))}).astype("float32")'
        else:
            dims = ", ".join(map(str, (samples, *dataset.sample)))
            inputs = f'np.random.randint(0, 256, ({dims})).astype("uint8")'
        if dataset.classes is None:
            labels = f'np.random.rand({samples}).astype("float32")'
        else:
            dims = ", ".join(map(str, (samples, *dataset.label_shape)))
            labels = f"np.random.randint(0, {dataset.classes}, ({dims},))"
        return f"({inputs}, {labels})"

    train, test = sizes
    return f"{part(train)}, {part(test)}"
