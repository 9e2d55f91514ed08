"""Shape arithmetic (conv/pool sizes) and the traced layer inputs behind the SHP5xx rules."""

from __future__ import annotations

import textwrap

import pytest

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.extract.program import extract_program
from dl_lsp.extract.shape_arithmetic import (
    Window,
    adaptive_output,
    conv_output,
    flattened_size,
    format_dims,
    pool_output,
    slide,
    transposed_conv_output,
)
from dl_lsp.facts import ProgramFacts
from dl_lsp.facts.shapes import LayerInputFact
from dl_lsp.source import ParsedSource


def facts_of(text: str) -> ProgramFacts:
    return extract_program(ParsedSource(textwrap.dedent(text)), Settings())


def inputs_of(text: str) -> list[LayerInputFact]:
    return list(facts_of(text).shapes.layer_inputs)


def codes_of(text: str, prefix: str = "SHP") -> list[tuple[str, int]]:
    analysis = analyze_source(textwrap.dedent(text))
    assert not analysis.failures, analysis.failures
    return [(f.code, f.span.line) for f in analysis.findings if f.code.startswith(prefix)]


# -- arithmetic --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "dilation", "expected"),
    [
        (28, 5, 1, 0, 1, 24),  # LeNet conv1 on MNIST
        (32, 3, 1, 1, 1, 32),  # 'same' by padding
        (224, 7, 2, 3, 1, 112),  # ResNet stem
        (32, 3, 2, 1, 1, 16),
        (10, 3, 1, 0, 2, 6),  # dilation widens the kernel to 5
        (2, 5, 1, 0, 1, None),  # kernel larger than the input
        (None, 3, 1, 1, 1, None),
    ],
)
def test_conv_output(
    size: int | None, kernel: int, stride: int, padding: int, dilation: int, expected: int | None
) -> None:
    assert conv_output(size, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "ceil", "expected"),
    [
        (24, 2, 2, 0, False, 12),
        (25, 2, 2, 0, False, 12),
        (25, 2, 2, 0, True, 13),
        (112, 3, 2, 1, False, 56),  # ResNet max pool
        (13, 3, 2, 0, True, 6),  # the last window would start outside the input
        (1, 2, 2, 0, False, None),
    ],
)
def test_pool_output(
    size: int, kernel: int, stride: int, padding: int, ceil: bool, expected: int | None
) -> None:
    assert pool_output(size, kernel, stride, padding, ceil_mode=ceil) == expected


def test_transposed_conv_output_doubles_with_stride_two() -> None:
    assert transposed_conv_output(7, 4, 2, 1) == 14
    assert transposed_conv_output(7, 3, 2, 1, output_padding=1) == 14


def test_slide_broadcasts_scalars_and_reads_tuples() -> None:
    assert slide((28, 28), Window((5,), (1,)), pooling=False) == (24, 24)
    assert slide((32, 64), Window((3, 5), (1, 2), (1, 2)), pooling=False) == (32, 32)
    assert slide((28, 28), Window((2,), (2,)), pooling=True) == (14, 14)


def test_slide_same_padding_keeps_size_and_refuses_strides() -> None:
    assert slide((17, 9), Window((3,), (1,), "same"), pooling=False) == (17, 9)
    assert slide((17, 9), Window((3,), (2,), "same"), pooling=False) is None
    assert slide((17,), Window((3,), (1,), "valid"), pooling=False) == (15,)


def test_slide_refuses_unknown_window_parameters() -> None:
    assert slide((28, 28), Window((None,), (1,)), pooling=False) is None
    assert slide((28, 28), Window((3, 3, 3), (1,)), pooling=False) is None


def test_slide_keeps_unknown_sizes_unknown() -> None:
    assert slide((None, 28), Window((3,), (1,)), pooling=False) == (None, 26)


def test_adaptive_output() -> None:
    assert adaptive_output((13, 13), (1,)) == (1, 1)
    assert adaptive_output((13, 17), (6, None)) == (6, 17)
    assert adaptive_output((13, 17), (1, 2, 3)) is None


def test_flattened_size_and_format() -> None:
    assert flattened_size((16, 5, 5)) == 400
    assert flattened_size((16, None, 5)) is None
    assert format_dims((16, 5, 5)) == "16×5×5"
    assert format_dims((64, None)) == "64×?"


# -- traced layer inputs -----------------------------------------------------------------------


def test_lenet_forward_is_traced_from_the_mnist_loader() -> None:
    records = inputs_of(
        """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        from torchvision import datasets, transforms

        class LeNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)

            def forward(self, x):
                x = F.max_pool2d(F.relu(self.conv1(x)), 2)
                x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
                x = x.view(x.size(0), -1)
                return self.fc1(x)

        loader = torch.utils.data.DataLoader(datasets.MNIST("d", transform=transforms.ToTensor()))
        model = LeNet()
        for images, labels in loader:
            out = model(images)
        """
    )
    fc1 = next(r for r in records if r.layer.api == "nn.Linear")
    assert fc1.flattened == (16, 5, 5)  # 28 → pad 2 → 28 → 14 → 10 → 5
    assert fc1.receives == 400 and fc1.expects == 400
    assert fc1.input_size is not None and fc1.input_size.dims == (1, 28, 28)


def test_probe_tensor_gives_the_input_size() -> None:
    records = inputs_of(
        """
        import torch
        import torch.nn as nn

        net = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1),
            nn.MaxPool2d(2, ceil_mode=True),
            nn.Flatten(),
            nn.Linear(8 * 8 * 8, 2),
        )
        x = torch.randn(4, 3, 31, 31)
        y = net(x)
        """
    )
    linear = records[-1]
    assert linear.flattened == (8, 8, 8)  # 31 → 16 → ceil(16 / 2) = 8
    assert linear.input_size is not None and linear.input_size.dims == (3, 31, 31)


def test_sizes_are_not_trusted_when_the_constructor_is_called_with_arguments() -> None:
    text = """
        import torch.nn as nn

        class MLP(nn.Module):
            def __init__(self, hidden=64):
                super().__init__()
                self.fc1 = nn.Linear(10, hidden)
                self.fc2 = nn.Linear(32, 1)

            def forward(self, x):
                return self.fc2(self.fc1(x))

        model = MLP({arguments})
        """
    trusted = inputs_of(text.replace("{arguments}", ""))
    untrusted = inputs_of(text.replace("{arguments}", "hidden=32"))
    assert [(r.expects, r.receives) for r in trusted] == [(10, None), (32, 64)]
    assert [(r.expects, r.receives) for r in untrusted] == [(10, None), (32, None)]


def test_unknown_operations_stop_the_trace() -> None:
    records = inputs_of(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(10, 20)
                self.fc2 = nn.Linear(40, 5)

            def forward(self, x):
                x = self.fc1(x)
                x = torch.cat([x, x], dim=1)
                return self.fc2(x)
        """
    )
    assert [r.receives for r in records] == [None, None]


def test_branches_forget_sizes_they_change() -> None:
    records = inputs_of(
        """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(10, 20)
                self.b = nn.Linear(10, 30)
                self.drop = nn.Dropout(0.1)
                self.out = nn.Linear(20, 1)

            def forward(self, x, wide=False):
                h = self.a(x)
                if self.training:
                    h = self.drop(h)
                if wide:
                    h = self.b(x)
                return self.out(h)
        """
    )
    out = next(r for r in records if r.expects == 20)
    assert out.receives is None


def test_keras_recurrent_layers_record_return_sequences() -> None:
    facts = facts_of(
        """
        from keras.layers import LSTM, Bidirectional
        a = LSTM(8, return_sequences=True)
        b = Bidirectional(LSTM(8))
        c = LSTM(8, return_sequences=flag)
        """
    )
    # The Bidirectional wrapper and the layer it wraps both appear; the wrapper reads its inner
    # layer's flag and points at it for the fix.
    found = [(fact.span.column, fact.return_sequences) for fact in facts.shapes.recurrent]
    assert found == [(4, True), (4, False), (18, False), (4, None)]
    wrapper = facts.shapes.recurrent[1]
    assert wrapper.inner_span.column == 18


def test_word_index_embedding_is_found_through_names() -> None:
    facts = facts_of(
        """
        from keras.layers import Embedding
        from keras.preprocessing.text import Tokenizer
        tokenizer = Tokenizer()
        index = tokenizer.word_index
        words = len(index)
        layer = Embedding(words, 16)
        fine = Embedding(words + 1, 16)
        """
    )
    assert [(v.source, v.argument.text) for v in facts.shapes.vocabularies] == [
        ("word_index", "words")
    ]


# -- rules end to end --------------------------------------------------------------------------


def test_flatten_mismatch_reports_the_computed_size() -> None:
    analysis = analyze_source(
        textwrap.dedent(
            """
            import torch.nn as nn

            model = nn.Sequential(
                nn.Conv2d(3, 32, 3),
                nn.AdaptiveAvgPool2d(2),
                nn.Flatten(),
                nn.Linear(64, 10),
            )
            """
        )
    )
    [finding] = [f for f in analysis.findings if f.code == "SHP502"]
    assert "32×2×2 = 128" in finding.message
    assert "nn.Linear(128, 10)" in finding.message


def test_dense_without_flatten_ignores_later_flatten() -> None:
    text = """
        from keras.models import Sequential
        from keras.layers import Conv2D, Dense, Flatten
        model = Sequential()
        model.add(Conv2D(8, 3, input_shape=(16, 16, 1)))
        model.add(Dense(4))
        {tail}
        model.add(Dense(1, activation="sigmoid"))
        """
    assert codes_of(text.replace("{tail}", "")) == [("SHP503", 6)]
    assert codes_of(text.replace("{tail}", "model.add(Flatten())")) == []
