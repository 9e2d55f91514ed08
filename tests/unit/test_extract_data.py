"""Data facts: input type, problem type, number of classes and label encoding."""

from __future__ import annotations

import textwrap

import pytest

from dl_lsp.config import Settings
from dl_lsp.engine import analyze_source
from dl_lsp.facts import InputType, LabelEncoding, ProblemType, ProgramFacts

IT, PT = InputType, ProblemType


def facts_of(text: str, settings: Settings | None = None) -> ProgramFacts:
    analysis = analyze_source(textwrap.dedent(text), settings=settings)
    assert not analysis.failures, analysis.failures
    return analysis.facts


# --- dataset loaders --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "input_type", "problem", "classes"),
    [
        (
            "from keras.datasets import mnist\n(x, y), _ = mnist.load_data()\n",
            IT.GRAYSCALE,
            PT.MULTICLASS,
            10,
        ),
        (
            "from tensorflow import keras\n(x, y), _ = keras.datasets.fashion_mnist.load_data()\n",
            IT.GRAYSCALE,
            PT.MULTICLASS,
            10,
        ),
        (
            "import tensorflow as tf\n(x, y), _ = tf.keras.datasets.cifar10.load_data()\n",
            IT.COLOR,
            PT.MULTICLASS,
            10,
        ),
        (
            "import keras\n(x, y), _ = keras.datasets.cifar100.load_data()\n",
            IT.COLOR,
            PT.MULTICLASS,
            100,
        ),
        (
            "from keras.datasets import imdb\n(x, y), _ = imdb.load_data(num_words=10000)\n",
            IT.SEQUENCE,
            PT.BINARY,
            2,
        ),
        (
            "from keras.datasets import boston_housing\n(x, y), _ = boston_housing.load_data()\n",
            IT.TABULAR,
            PT.REGRESSION,
            None,
        ),
        (
            "from torchvision import datasets\nd = datasets.MNIST('data', download=True)\n",
            IT.GRAYSCALE,
            PT.MULTICLASS,
            10,
        ),
        (
            "import torchvision\nd = torchvision.datasets.CIFAR10(root='./data', train=True)\n",
            IT.COLOR,
            PT.MULTICLASS,
            10,
        ),
        (
            "from sklearn.datasets import load_iris\nX, y = load_iris(return_X_y=True)\n",
            IT.TABULAR,
            PT.MULTICLASS,
            3,
        ),
        (
            "from sklearn.datasets import load_breast_cancer\ndata = load_breast_cancer()\n",
            IT.TABULAR,
            PT.BINARY,
            2,
        ),
    ],
    ids=[
        "mnist",
        "fashion_mnist",
        "cifar10",
        "cifar100",
        "imdb",
        "boston_housing",
        "torchvision-MNIST",
        "torchvision-CIFAR10",
        "iris",
        "breast_cancer",
    ],
)
def test_dataset_loaders(
    text: str, input_type: InputType, problem: ProblemType, classes: int | None
) -> None:
    facts = facts_of(text)
    assert facts.input_type is input_type
    assert facts.data.input_type is input_type
    assert facts.problem_type is problem
    assert facts.data.num_classes == classes
    assert len(facts.data.datasets) == 1
    assert facts.data.datasets[0].span.line == 2


def test_read_csv_is_tabular_with_unknown_problem() -> None:
    facts = facts_of("import pandas as pd\ndf = pd.read_csv('train.csv')\n")
    assert facts.input_type is IT.TABULAR
    assert facts.problem_type is None
    assert [dataset.name for dataset in facts.data.datasets] == ["read_csv"]


def test_dataset_labels_are_integers_until_one_hot_encoded() -> None:
    raw = facts_of("from keras.datasets import mnist\n(x, y), _ = mnist.load_data()\n")
    assert raw.data.label_encoding is LabelEncoding.INTEGER
    encoded = facts_of(
        """\
        import keras
        from keras.datasets import mnist
        (x_train, y_train), _ = mnist.load_data()
        y_train = keras.utils.to_categorical(y_train, 10)
        """
    )
    assert encoded.data.label_encoding is LabelEncoding.ONE_HOT


def test_nothing_known_means_no_data_facts() -> None:
    facts = facts_of("import numpy as np\nx = np.load('x.npy')\n")
    assert facts.input_type is None
    assert facts.problem_type is None
    assert facts.data.num_classes is None
    assert facts.data.label_encoding is None
    assert facts.data.datasets == ()


# --- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "to_categorical(labels, 5)",
        "to_categorical(labels, num_classes=5)",
        "to_categorical(labels, NUM)",
        "np_utils.to_categorical(labels, nb_classes=5)",
    ],
)
def test_to_categorical_gives_one_hot_labels_and_the_class_count(call: str) -> None:
    facts = facts_of(
        f"""\
        from keras.utils import np_utils, to_categorical
        NUM = 5
        y = {call}
        """
    )
    assert facts.data.label_encoding is LabelEncoding.ONE_HOT
    assert facts.data.num_classes == 5


def test_class_count_variable_gives_the_number_of_classes() -> None:
    facts = facts_of("num_classes = 7\nepochs = 3\n")
    assert facts.data.num_classes == 7


def test_label_encoder_gives_integer_labels() -> None:
    facts = facts_of(
        """\
        from sklearn.preprocessing import LabelEncoder
        y = LabelEncoder().fit_transform(df['species'])
        """
    )
    assert facts.data.label_encoding is LabelEncoding.INTEGER


def test_multilabel_binarizer_means_multilabel() -> None:
    facts = facts_of(
        """\
        from sklearn.preprocessing import MultiLabelBinarizer
        y = MultiLabelBinarizer().fit_transform(tags)
        """
    )
    assert facts.problem_type is PT.MULTILABEL


# --- directory loaders ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "input_type", "problem"),
    [
        ("class_mode='binary'", IT.COLOR, PT.BINARY),
        ("class_mode='categorical'", IT.COLOR, PT.MULTICLASS),
        ("color_mode='grayscale', class_mode='sparse'", IT.GRAYSCALE, PT.MULTICLASS),
        ("class_mode=None", IT.COLOR, None),
    ],
    ids=["binary", "categorical", "grayscale-sparse", "no-labels"],
)
def test_flow_from_directory(arguments: str, input_type: InputType, problem: PT | None) -> None:
    facts = facts_of(
        f"""\
        from keras.preprocessing.image import ImageDataGenerator
        datagen = ImageDataGenerator(rescale=1. / 255)
        train = datagen.flow_from_directory('data/train', target_size=(150, 150), {arguments})
        """
    )
    assert facts.input_type is input_type
    assert facts.problem_type is problem


def test_image_dataset_from_directory_label_mode() -> None:
    facts = facts_of(
        """\
        import tensorflow as tf
        ds = tf.keras.utils.image_dataset_from_directory('photos', label_mode='binary')
        """
    )
    assert facts.input_type is IT.COLOR
    assert facts.problem_type is PT.BINARY


# --- input shape and channels -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "input_type", "channels"),
    [
        ("(28, 28, 1)", IT.GRAYSCALE, 1),
        ("(64, 64, 3)", IT.COLOR, 3),
        ("(1, 28, 28)", IT.GRAYSCALE, 1),
        ("(3, 32, 32)", IT.COLOR, 3),
        ("(64, 64, 5)", None, None),
    ],
    ids=[
        "channels-last-gray",
        "channels-last-color",
        "channels-first-gray",
        "channels-first-color",
        "unknown",
    ],
)
def test_input_shape_channels(
    shape: str, input_type: InputType | None, channels: int | None
) -> None:
    facts = facts_of(
        f"""\
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense
        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu', input_shape={shape}))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        """
    )
    assert facts.input_type is input_type
    assert facts.data.channels == channels


def test_first_torch_conv2d_in_channels() -> None:
    color = facts_of("import torch.nn as nn\nm = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU())\n")
    gray = facts_of("import torch.nn as nn\nm = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU())\n")
    assert color.input_type is IT.COLOR
    assert gray.input_type is IT.GRAYSCALE


def test_one_dimensional_input_shape_is_tabular() -> None:
    facts = facts_of(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential([Dense(8, activation='relu', input_shape=(10,)), Dense(1)])
        """
    )
    assert facts.input_type is IT.TABULAR
    assert facts.data.feature_count == 10


def test_embedding_input_is_a_sequence() -> None:
    facts = facts_of(
        """\
        from keras.models import Sequential
        from keras.layers import Dense, Embedding, LSTM
        model = Sequential([Embedding(5000, 32), LSTM(32), Dense(1, activation='sigmoid')])
        """
    )
    assert facts.input_type is IT.SEQUENCE


def test_dataset_loader_wins_over_the_model_shape() -> None:
    facts = facts_of(
        """\
        import tensorflow as tf
        (x, y), _ = tf.keras.datasets.mnist.load_data()
        x = tf.image.grayscale_to_rgb(tf.expand_dims(x, -1))
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation='relu', input_shape=(28, 28, 3)),
        ])
        """
    )
    assert facts.input_type is IT.GRAYSCALE


# --- settings and pragmas come first -----------------------------------------------------------


CIFAR = """\
{pragma}
from keras.datasets import cifar10
(x_train, y_train), _ = cifar10.load_data()
"""


def test_settings_override_the_dataset() -> None:
    settings = Settings(input_type=IT.GRAYSCALE, problem_type=PT.MULTILABEL)
    facts = facts_of(CIFAR.format(pragma=""), settings=settings)
    assert facts.input_type is IT.GRAYSCALE
    assert facts.problem_type is PT.MULTILABEL


def test_file_pragma_overrides_settings_and_dataset() -> None:
    settings = Settings(input_type=IT.GRAYSCALE, problem_type=PT.REGRESSION)
    facts = facts_of(
        CIFAR.format(pragma="# dl-lsp: problem=binary input=tabular"), settings=settings
    )
    assert facts.input_type is IT.TABULAR
    assert facts.problem_type is PT.BINARY


def test_problem_type_evidence_points_at_the_loader() -> None:
    facts = facts_of(CIFAR.format(pragma="# a CIFAR-10 classifier"))
    assert facts.problem_type_evidence is not None
    assert facts.problem_type_evidence.span.line == 3
    assert facts.data.input_type_evidence is not None
    assert facts.data.input_type_evidence.span.line == 3
