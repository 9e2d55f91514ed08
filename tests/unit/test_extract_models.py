"""Model facts: what the extractors see in Keras and PyTorch model definitions."""

from __future__ import annotations

import textwrap

from dl_lsp.engine import analyze_source
from dl_lsp.facts import (
    UNKNOWN_ACTIVATION,
    Framework,
    LayerFact,
    LayerKind,
    ModelFacts,
    ProgramFacts,
)

K = LayerKind


def facts_of(text: str) -> ProgramFacts:
    analysis = analyze_source(textwrap.dedent(text))
    assert not analysis.failures, analysis.failures
    return analysis.facts


def model_named(facts: ProgramFacts, name: str) -> ModelFacts:
    matches = [model for model in facts.models if model.name == name]
    assert len(matches) == 1, [model.name for model in facts.models]
    return matches[0]


def only_model(text: str) -> ModelFacts:
    facts = facts_of(text)
    assert len(facts.models) == 1, [model.name for model in facts.models]
    return facts.models[0]


def kinds(model: ModelFacts) -> list[LayerKind]:
    return [layer.kind for layer in model.layers]


def summary(layer: LayerFact) -> tuple[str, int | None, str | None]:
    return layer.api, layer.width, layer.activation


# --- Keras Sequential -------------------------------------------------------------------------


def test_keras_sequential_add_form() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        model = Sequential()
        model.add(Dense(64, activation='relu', input_dim=20))
        model.add(Dropout(0.5))
        model.add(Dense(1, activation='sigmoid'))
        """
    )
    assert model.name == "model"
    assert model.framework is Framework.KERAS
    assert model.linear
    assert kinds(model) == [K.DENSE, K.DROPOUT, K.DENSE]
    first, dropout, output = model.layers
    assert summary(first) == ("Dense", 64, "relu")
    assert first.in_features == 20
    assert dropout.rate == 0.5
    assert summary(output) == ("Dense", 1, "sigmoid")
    assert model.input_shape == (20,)
    assert [layer.span.line for layer in model.layers] == [4, 5, 6]


def test_keras_sequential_list_form() -> None:
    model = only_model(
        """\
        import tensorflow as tf
        from tensorflow.keras import layers
        model = tf.keras.Sequential([
            layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(10, activation='softmax'),
        ])
        """
    )
    assert model.linear
    assert kinds(model) == [K.CONV, K.POOL, K.FLATTEN, K.DENSE]
    conv = model.layers[0]
    assert (conv.filters, conv.conv_dims, conv.kernel_size) == (32, 2, (3, 3))
    assert model.layers[1].pool_size == (2, 2)
    assert model.input_shape == (28, 28, 1)
    assert model.is_cnn


def test_keras3_input_layer_in_sequential_gives_the_input_shape() -> None:
    model = only_model(
        """\
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        """
    )
    assert kinds(model) == [K.INPUT, K.CONV, K.GLOBAL_POOL, K.DENSE]
    assert model.input_shape == (32, 32, 3)


def test_activation_layers_and_unknown_activations() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Activation, Dense, LeakyReLU

        def build(act):
            model = Sequential()
            model.add(Dense(32, input_dim=8))
            model.add(LeakyReLU(0.1))
            model.add(Dense(16, activation=act))
            model.add(Dense(1))
            model.add(Activation('sigmoid'))
            return model
        """
    )
    assert [layer.activation for layer in model.layers] == [
        None,
        "leaky_relu",
        UNKNOWN_ACTIVATION,
        None,
        "sigmoid",
    ]
    assert model.scope == "build"


def test_layers_added_in_a_loop_make_the_order_unknown() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(64, activation='relu', input_dim=10))
        for units in (32, 16):
            model.add(Dense(units, activation='relu'))
        model.add(Dense(1))
        """
    )
    assert not model.linear


def test_layers_added_in_a_branch_make_the_order_unknown() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        model = Sequential()
        model.add(Dense(64, activation='relu', input_dim=10))
        if use_dropout:
            model.add(Dropout(0.5))
        model.add(Dense(1))
        """
    )
    assert not model.linear


def test_model_built_entirely_inside_a_main_guard_is_linear() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        if __name__ == "__main__":
            model = Sequential()
            model.add(Dense(10, input_dim=4))
            model.add(Dense(1, activation='sigmoid'))
        """
    )
    assert kinds(model) == [K.DENSE, K.DENSE]
    assert model.linear


def test_unknown_layer_objects_are_kept_as_other() -> None:
    model = only_model(
        """\
        import tensorflow as tf
        from tensorflow.keras.layers import Dense, Lambda
        model = tf.keras.Sequential([
            Lambda(lambda t: t / 2, input_shape=(8,)),
            Dense(4, activation='relu'),
            Dense(1),
        ])
        """
    )
    assert kinds(model) == [K.OTHER, K.DENSE, K.DENSE]


# --- Keras functional and subclassed -----------------------------------------------------------


def test_functional_model_is_followed_back_from_the_model_call() -> None:
    model = only_model(
        """\
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(784,))
        x = layers.Dense(64, activation="relu")(inputs)
        x = layers.Dropout(0.2)(x)
        x = layers.Dense(32, activation="relu")(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        mlp = keras.Model(inputs=inputs, outputs=outputs, name="mlp")
        """
    )
    assert model.name == "mlp"
    assert model.linear
    assert kinds(model) == [K.INPUT, K.DENSE, K.DROPOUT, K.DENSE, K.DENSE]
    assert [layer.width for layer in model.dense_layers] == [64, 32, 10]
    assert model.input_shape == (784,)


def test_functional_model_with_a_merge_is_not_linear() -> None:
    facts = facts_of(
        """\
        from tensorflow import keras
        from tensorflow.keras import layers
        image_in = keras.Input(shape=(32, 32, 3))
        meta_in = keras.Input(shape=(8,))
        a = layers.Conv2D(32, 3, activation="relu")(image_in)
        a = layers.GlobalAveragePooling2D()(a)
        b = layers.Dense(16, activation="relu")(meta_in)
        merged = layers.concatenate([a, b])
        out = layers.Dense(1, activation="sigmoid")(merged)
        model = keras.Model([image_in, meta_in], out)
        """
    )
    model = model_named(facts, "model")
    assert not model.linear
    assert model.layers[-1].units == 1
    assert model.layers[-1].activation == "sigmoid"


def test_subclassed_keras_model_uses_call_for_the_order() -> None:
    facts = facts_of(
        """\
        from tensorflow import keras
        from tensorflow.keras import layers

        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.out = layers.Dense(10, activation="softmax")
                self.hidden = layers.Dense(64, activation="relu")
                self.dropout = layers.Dropout(0.5)

            def call(self, inputs, training=False):
                x = self.hidden(inputs)
                x = self.dropout(x, training=training)
                return self.out(x)

        clf = Classifier()
        """
    )
    model = model_named(facts, "Classifier")
    assert model.framework is Framework.KERAS
    assert model.linear
    assert [layer.attribute for layer in model.layers] == ["hidden", "dropout", "out"]
    assert "clf" in model.aliases


# --- Keras 1 ----------------------------------------------------------------------------------


def test_keras1_names_and_arguments() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Convolution2D, Dense, Flatten, MaxPooling2D
        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(3, 32, 32)))
        model.add(Convolution2D(nb_filter=64, nb_row=3, nb_col=3, subsample=(2, 2)))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(output_dim=64, activation='relu'))
        model.add(Dense(10, activation='softmax'))
        """
    )
    assert kinds(model) == [K.CONV, K.CONV, K.POOL, K.FLATTEN, K.DENSE, K.DENSE]
    first, second = model.conv_layers
    assert (first.filters, first.padding, first.conv_dims) == (32, "same", 2)
    assert (second.filters, second.strides) == (64, (2, 2))
    assert model.layers[4].units == 64
    assert model.input_shape == (3, 32, 32)


def test_keras1_kernel_size_comes_from_rows_and_columns() -> None:
    model = only_model(
        """\
        from keras.models import Sequential
        from keras.layers import Convolution2D
        model = Sequential()
        model.add(Convolution2D(64, 5, 3, input_shape=(1, 28, 28)))
        """
    )
    assert model.layers[0].kernel_size == (5, 3)


# --- PyTorch ----------------------------------------------------------------------------------


def test_torch_sequential_with_ordered_dict() -> None:
    model = only_model(
        """\
        from collections import OrderedDict
        import torch.nn as nn
        classifier = nn.Sequential(OrderedDict([
            ("fc1", nn.Linear(784, 128)),
            ("relu1", nn.ReLU()),
            ("drop", nn.Dropout(0.2)),
            ("fc2", nn.Linear(128, 10)),
            ("out", nn.LogSoftmax(dim=1)),
        ]))
        """
    )
    assert model.framework is Framework.TORCH
    assert model.linear
    assert kinds(model) == [K.DENSE, K.ACTIVATION, K.DROPOUT, K.DENSE, K.ACTIVATION]
    fc1, relu, drop, fc2, out = model.layers
    assert (fc1.in_features, fc1.units) == (784, 128)
    assert relu.activation == "relu"
    assert drop.rate == 0.2
    assert (fc2.in_features, fc2.units) == (128, 10)
    assert out.activation == "log_softmax"


def test_torch_sequential_positional_modules() -> None:
    model = only_model(
        """\
        from torch import nn
        model = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(16, 2),
        )
        """
    )
    assert kinds(model) == [K.CONV, K.NORMALIZATION, K.ACTIVATION, K.POOL, K.FLATTEN, K.DENSE]
    conv = model.layers[0]
    assert (conv.in_channels, conv.filters, conv.conv_dims) == (3, 16, 2)
    assert conv.strides is not None and max(conv.strides) == 2


NET = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc2 = nn.Linear(120, 10)
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.fc1 = nn.Linear(6 * 12 * 12, 120)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = x.view(-1, 6 * 12 * 12)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
net = Net().to(device)
"""


def test_torch_module_order_comes_from_forward() -> None:
    model = model_named(facts_of(NET), "Net")
    assert model.framework is Framework.TORCH
    assert model.linear
    assert kinds(model) == [
        K.CONV,
        K.ACTIVATION,
        K.POOL,
        K.FLATTEN,
        K.DENSE,
        K.ACTIVATION,
        K.DENSE,
        K.ACTIVATION,
    ]
    assert [layer.attribute for layer in model.weighted_layers] == ["conv1", "fc1", "fc2"]
    activations = [layer.activation for layer in model.layers if layer.kind is K.ACTIVATION]
    assert activations == ["relu", "relu", "log_softmax"]


def test_torch_module_layer_spans_point_at_the_constructors() -> None:
    model = model_named(facts_of(NET), "Net")
    lines = {layer.attribute: layer.span.line for layer in model.weighted_layers}
    assert lines == {"fc2": 9, "conv1": 10, "fc1": 11}
    functional_lines = [layer.span.line for layer in model.layers if layer.attribute is None]
    assert functional_lines == [14, 14, 15, 16, 17]


def test_torch_module_constant_expressions_are_folded() -> None:
    model = model_named(facts_of(NET), "Net")
    fc1 = next(layer for layer in model.layers if layer.attribute == "fc1")
    assert fc1.in_features == 864


def test_torch_module_alias_through_to_device() -> None:
    model = model_named(facts_of(NET), "Net")
    assert "net" in model.aliases


def test_torch_module_alias_through_cuda() -> None:
    facts = facts_of(NET.replace("net = Net().to(device)", "model = Net().cuda()"))
    assert "model" in model_named(facts, "Net").aliases


def test_torch_module_without_forward_uses_init_order() -> None:
    model = only_model(
        """\
        import torch.nn as nn

        class Head(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(10, 5)
                self.b = nn.Linear(5, 2)
        """
    )
    assert [layer.attribute for layer in model.layers] == ["a", "b"]


def test_torch_forward_with_control_flow_is_not_linear() -> None:
    model = only_model(
        """\
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(10, 10)
                self.fc2 = nn.Linear(10, 2)

            def forward(self, x):
                for _ in range(3):
                    x = F.relu(self.fc1(x))
                return self.fc2(x)
        """
    )
    assert not model.linear


def test_torch_module_list_contents_are_unknown() -> None:
    model = only_model(
        """\
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(4)])
                self.out = nn.Linear(8, 1)

            def forward(self, x):
                x = self.blocks(x)
                return self.out(x)
        """
    )
    assert not model.linear


# --- constants, defaults and aliases -----------------------------------------------------------


def test_module_constants_are_propagated() -> None:
    facts = facts_of(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import Adam
        batch_size = 16
        hidden_units = 64
        n_features = 20
        learning_rate = 0.05
        model = Sequential()
        model.add(Dense(hidden_units, activation='relu', input_dim=n_features))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer=Adam(lr=learning_rate))
        model.fit(x, y, batch_size=batch_size, epochs=10)
        """
    )
    dense = facts.models[0].layers[0]
    assert (dense.units, dense.in_features) == (64, 20)
    assert [(b.value, b.source, b.span.line) for b in facts.training.batch_sizes] == [
        (16, "fit", 12)
    ]
    assert [(o.name, o.learning_rate) for o in facts.training.optimizers] == [("Adam", 0.05)]


def test_function_defaults_are_used_and_parameters_without_default_are_unknown() -> None:
    facts = facts_of(
        """\
        from keras.models import Sequential
        from keras.layers import Dense

        def build_model(n_inputs, units=32, out_units=1):
            model = Sequential()
            model.add(Dense(units, activation='relu', input_dim=n_inputs))
            model.add(Dense(out_units, activation='sigmoid'))
            return model
        """
    )
    hidden, output = facts.models[0].layers
    assert hidden.units == 32
    assert hidden.in_features is None
    assert output.units == 1


def test_model_returned_by_a_builder_is_aliased() -> None:
    facts = facts_of(
        """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense

        def build_model():
            net = Sequential()
            net.add(Dense(16, activation="relu", input_dim=8))
            net.add(Dense(1, activation="sigmoid"))
            return net

        classifier = build_model()
        classifier.compile(loss="binary_crossentropy", optimizer="adam")
        """
    )
    model = model_named(facts, "net")
    assert model.scope == "build_model"
    assert "classifier" in model.aliases
    assert [loss.model for loss in facts.training.losses] == ["classifier"]


def test_two_models_in_one_file_are_kept_apart() -> None:
    facts = facts_of(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        generator = Sequential([Dense(64, activation='relu', input_dim=10), Dense(784)])
        discriminator = Sequential([Dense(64, activation='relu', input_dim=784), Dense(1)])
        """
    )
    assert sorted(model.name for model in facts.models) == ["discriminator", "generator"]
    assert model_named(facts, "generator").layers[-1].units == 784
    assert model_named(facts, "discriminator").layers[-1].units == 1
