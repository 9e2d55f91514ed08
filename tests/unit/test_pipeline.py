"""Pipeline facts (DAT4xx, REP6xx): the value flow, shuffling, seeds and determinism."""

from __future__ import annotations

import textwrap

import pytest

from dl_lsp.engine import analyze_source
from dl_lsp.facts.pipeline import PipelineFacts


def pipeline_of(text: str) -> PipelineFacts:
    analysis = analyze_source(textwrap.dedent(text))
    assert not analysis.failures, analysis.failures
    return analysis.facts.pipeline


def codes(text: str, family: str) -> list[tuple[int, str]]:
    analysis = analyze_source(textwrap.dedent(text))
    assert not analysis.failures, analysis.failures
    return [(f.span.line, f.code) for f in analysis.findings if f.code.startswith(family)]


# --- DAT402: leakage ----------------------------------------------------------------------------


def test_leak_follows_the_data_through_dataframes_and_values() -> None:
    facts = pipeline_of(
        """\
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from sklearn.model_selection import train_test_split
        scaled = pd.DataFrame(StandardScaler().fit_transform(df.values), columns=df.columns)
        X = scaled.drop("target", axis=1).values.astype("float32")
        a, b = train_test_split(X, test_size=0.2)
        """
    )
    (leak,) = facts.leaks
    assert (leak.scaler, leak.order, leak.span.line, leak.split.line) == (
        "StandardScaler",
        "fit_then_split",
        4,
        6,
    )


def test_scaler_fit_on_a_split_part_is_no_leak() -> None:
    facts = pipeline_of(
        """\
        from sklearn.preprocessing import MinMaxScaler
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X)
        scaler = MinMaxScaler().fit(X_train)
        X_train = scaler.transform(X_train)
        X_test = scaler.transform(X_test)
        again, more = train_test_split(X_train)
        """
    )
    assert facts.leaks == ()


def test_scaler_fit_on_the_split_source_leaks_when_a_part_is_transformed() -> None:
    facts = pipeline_of(
        """\
        from sklearn.preprocessing import StandardScaler
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X)
        scaler = StandardScaler()
        scaler.fit(X)
        X_test = scaler.transform(X_test)
        """
    )
    (leak,) = facts.leaks
    assert (leak.order, leak.span.line, leak.split.line) == ("fit_full_after_split", 5, 6)


# --- DAT403: one-hot targets --------------------------------------------------------------------


def test_one_hot_labels_through_dataset_loader_and_enumerate() -> None:
    facts = pipeline_of(
        """\
        import torch
        import torch.nn.functional as F
        from torch.utils.data import DataLoader, TensorDataset
        y = F.one_hot(labels, 10).to(device)
        loader = DataLoader(TensorDataset(x, y), batch_size=8)
        criterion = torch.nn.NLLLoss()
        for i, (xb, yb) in enumerate(loader):
            loss = criterion(model(xb), yb)
            loss = F.cross_entropy(model(xb), yb.float())
        """
    )
    found = [(t.span.line, t.loss, t.encoding) for t in facts.one_hot_targets]
    assert found == [(8, "nll", "int"), (9, "cross_entropy", "float")]


@pytest.mark.parametrize(
    "target",
    ["y.argmax(dim=1)", "torch.max(y, 1)[1]", "y * 0.9 + 0.05", "labels"],
)
def test_converted_or_smoothed_labels_are_not_one_hot(target: str) -> None:
    facts = pipeline_of(
        f"""\
        import torch
        import torch.nn.functional as F
        y = F.one_hot(labels, 10)
        loss = torch.nn.CrossEntropyLoss()(out, {target})
        """
    )
    assert facts.one_hot_targets == ()


def test_np_eye_rows_are_float_one_hot() -> None:
    facts = pipeline_of(
        """\
        import numpy as np
        import torch
        import torch.nn.functional as F
        y = torch.tensor(np.eye(10)[labels]).long()
        F.nll_loss(out, y)
        """
    )
    assert [t.encoding for t in facts.one_hot_targets] == ["int"]


# --- DAT404: casts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reported"),
    [
        ("(x / 255).astype('uint8')", True),
        ("(x / 255.0 * 0.5).astype(np.uint8)", True),
        ("(x / 255 * 255).astype(np.uint8)", False),
        ("(x / 256).astype(np.uint8)", False),
        ("((x / 255) - 0.5).astype(np.uint8)", False),
        ("np.array(x / 255, dtype=np.uint8)", True),
        ("(x / 255).astype('float32')", False),
    ],
)
def test_uint8_casts(code: str, reported: bool) -> None:
    facts = pipeline_of(f"import numpy as np\nimage = {code}\n")
    assert bool(facts.uint8_casts) is reported


def test_augmented_division_marks_the_variable() -> None:
    facts = pipeline_of(
        """\
        import tensorflow as tf
        img = load()
        img /= 255.0
        tf.cast(img, tf.uint8)
        img *= 255
        tf.cast(img, tf.uint8)
        """
    )
    assert [cast.span.line for cast in facts.uint8_casts] == [4]
    assert not facts.uint8_casts[0].receiver


# --- DAT405: channels-last images ---------------------------------------------------------------


def test_channels_last_evidence_from_reshape() -> None:
    facts = pipeline_of(
        """\
        import torch
        x = torch.from_numpy(raw.reshape(-1, 64, 64, 3)).float()
        y = torch.from_numpy(raw.reshape(-1, 3, 64, 64)).float()
        net(x)
        net(y)
        net(x.permute(0, 3, 1, 2))
        """
    )
    (item,) = facts.channels_last_inputs
    assert (item.callee, item.span.line, item.batched) == ("net", 4, True)
    assert item.tensor is not None and item.tensor.line == 2


def test_single_image_is_not_batched() -> None:
    facts = pipeline_of(
        """\
        import cv2
        import torch
        img = torch.tensor(cv2.imread("a.jpg")).unsqueeze(0)
        net(img)
        gray = torch.tensor(cv2.imread("a.jpg", 0))
        net(gray)
        """
    )
    (item,) = facts.channels_last_inputs
    assert item.span.line == 4 and not item.batched


def test_models_that_permute_themselves_are_recorded() -> None:
    facts = pipeline_of(
        """\
        import torch.nn as nn
        class Net(nn.Module):
            def forward(self, x):
                return self.conv(x.permute(0, 3, 1, 2))
        """
    )
    assert facts.permuting_classes == frozenset({"Net"})


# --- DAT401: shuffling --------------------------------------------------------------------------


def test_dataloader_shuffle_facts() -> None:
    facts = pipeline_of(
        """\
        import torch
        from torch.utils.data import DataLoader, IterableDataset, TensorDataset
        class Stream(IterableDataset):
            pass
        train_loader = DataLoader(TensorDataset(x, y), batch_size=8)
        train_stream = DataLoader(Stream(), batch_size=8)
        val_loader = DataLoader(val_set, batch_size=8, shuffle=False)
        other = DataLoader(ds, 8, False)
        flagged = DataLoader(ds, shuffle=flag)
        sampled = DataLoader(ds, sampler=sampler)
        kwargs = DataLoader(ds, **options)
        """
    )
    found = {item.name: item for item in facts.unshuffled}
    assert set(found) == {"train_loader", "train_stream", "val_loader", "other"}
    assert found["train_loader"].map_style and found["train_loader"].trained == "named"
    assert found["train_stream"].iterable_dataset
    assert found["val_loader"].shuffle_span is not None and found["val_loader"].trained is None
    assert found["other"].shuffle_span is not None


def test_tf_data_shuffle_state_through_the_chain() -> None:
    facts = pipeline_of(
        """\
        import tensorflow as tf
        a = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
        b = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100).batch(32)
        c = tf.data.Dataset.from_tensor_slices((x, y))
        c = c.map(f).cache()
        model.fit(a, epochs=2)
        model.fit(b, epochs=2)
        model.fit(c, epochs=2, shuffle=False)
        """
    )
    assert [
        (item.kind, item.span.line, item.used_at and item.used_at.line) for item in facts.unshuffled
    ] == [
        ("tf_data", 2, 6),
        ("tf_data", 4, 8),
    ]


def test_split_parts_are_shuffled_once() -> None:
    facts = pipeline_of(
        """\
        import torch
        from torch.utils.data import DataLoader, TensorDataset
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        train_loader = DataLoader(TensorDataset(torch.tensor(X_train), torch.tensor(y_train)))
        """
    )
    (item,) = facts.unshuffled
    assert item.shuffled_once


def test_time_series_and_recurrent_files_are_ordered() -> None:
    facts = pipeline_of(
        "from keras.preprocessing.sequence import TimeseriesGenerator\n"
        "gen = TimeseriesGenerator(x, y, length=10)\n"
    )
    assert facts.ordered_data
    assert (
        codes(
            """\
        from tensorflow import keras
        model = keras.Sequential([keras.layers.GRU(8, input_shape=(5, 1)), keras.layers.Dense(1)])
        model.fit(x, y, shuffle=False)
        """,
            "DAT",
        )
        == []
    )


# --- REP6xx: seeds ------------------------------------------------------------------------------


def test_seed_families() -> None:
    facts = pipeline_of(
        """\
        import random
        import numpy as np
        import torch
        import tensorflow as tf
        import pytorch_lightning as pl
        random.seed(0)
        np.random.seed(0)
        torch.manual_seed(0)
        torch.cuda.manual_seed_all(0)
        tf.random.set_seed(0)
        tf.keras.utils.set_random_seed(0)
        pl.seed_everything(0)
        rng = np.random.default_rng(0)
        g = torch.Generator().manual_seed(0)
        """
    )
    assert [seed.family for seed in facts.seeds] == [
        "python",
        "numpy",
        "torch",
        "torch",
        "tensorflow",
        "all",
        "all",
        "local",
        "local",
    ]
    assert facts.seed_helpers == ()


def test_seeding_helpers_defined_here_are_read_not_trusted() -> None:
    facts = pipeline_of(
        """\
        import torch
        from utils import set_seed as project_seed
        def set_seed(value):
            torch.manual_seed(value)
        set_seed(1)
        project_seed(2)
        """
    )
    assert [seed.call for seed in facts.seeds] == ["torch.manual_seed"]
    assert [span.line for span in facts.seed_helpers] == [6]


def test_determinism_switches_and_devices() -> None:
    facts = pipeline_of(
        """\
        import os
        import torch
        from torch.backends import cudnn
        os.environ["TF_DETERMINISTIC_OPS"] = "1"
        cudnn.deterministic = True
        cudnn.benchmark = True
        x = torch.zeros(3, device="cuda:0")
        """
    )
    assert facts.torch_deterministic and facts.tf_deterministic
    assert facts.cudnn_benchmark is not None and facts.cudnn_benchmark.line == 6
    assert facts.uses_cuda is not None and facts.uses_cuda.line == 7


def test_unseeded_calls() -> None:
    facts = pipeline_of(
        """\
        import random
        import numpy as np
        from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
        from sklearn.utils import shuffle
        train_test_split(X, y)
        train_test_split(X, y, random_state=None)
        train_test_split(X, y, random_state=0)
        train_test_split(X, y, shuffle=False)
        shuffle(X, y)
        KFold(5, shuffle=True)
        StratifiedKFold(5)
        np.random.permutation(10)
        random.shuffle(items)
        df.sample(frac=0.5)
        random.sample(items, 3)
        """
    )
    assert [(item.span.line, item.family, item.keyword) for item in facts.unseeded] == [
        (5, "numpy", "random_state"),
        (6, "numpy", "random_state"),
        (9, "numpy", "random_state"),
        (10, "numpy", "random_state"),
        (12, "numpy", None),
        (13, "python", None),
        (14, "numpy", "random_state"),
    ]


def test_defined_names_tell_scripts_from_fragments() -> None:
    script = """\
    from keras.models import Sequential
    from keras.layers import Dense
    model = Sequential([Dense(1, input_dim=3)])
    model.compile(loss="mse", optimizer="adam")
    {data}
    model.fit(x, y)
    """
    assert codes(script.format(data="x, y = load()"), "REP") == [(6, "REP601")]
    assert codes(script.format(data="pass"), "REP") == []


def test_nondeterministic_kernels_need_layers_that_have_them() -> None:
    text = """\
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    model = nn.Sequential({layers}).cuda()
    """
    assert codes(text.format(layers="nn.Conv2d(3, 8, 3), nn.ReLU()"), "REP") == [(3, "REP602")]
    assert codes(text.format(layers="nn.Linear(3, 8), nn.ReLU()"), "REP") == []
