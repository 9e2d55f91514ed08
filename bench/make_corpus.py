"""Write a deterministic corpus of realistic Keras and PyTorch programs (50 to 2,000 lines each).

Usage: python bench/make_corpus.py OUT_DIR [--lines 120000] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import textwrap
from collections.abc import Callable
from pathlib import Path

MIN_FILE_LINES = 50
MAX_FILE_LINES = 2000

KERAS_HEADER = '''\
"""Experiment {name}: {task} with Keras."""

import argparse
import json
import os

import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers, regularizers
from tensorflow.keras.callbacks import EarlyStopping, ModelCheckpoint

SEED = {seed}
np.random.seed(SEED)
'''

TORCH_HEADER = '''\
"""Experiment {name}: {task} with PyTorch."""

import argparse
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset
from torchvision import datasets, transforms

torch.manual_seed({seed})
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
'''

KERAS_DATA = {
    "mnist": "(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\n"
    "x_train = x_train.reshape(-1, 28, 28, 1){scale}\nx_test = x_test.reshape(-1, 28, 28, 1){scale}\n"
    "y_train = keras.utils.to_categorical(y_train, 10)\ny_test = keras.utils.to_categorical(y_test, 10)\n",
    "cifar10": "(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()\n"
    "x_train = x_train.astype('float32'){scale}\nx_test = x_test.astype('float32'){scale}\n"
    "y_train = keras.utils.to_categorical(y_train, 10)\ny_test = keras.utils.to_categorical(y_test, 10)\n",
    "imdb": "(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=20000)\n"
    "x_train = keras.preprocessing.sequence.pad_sequences(x_train, maxlen=200)\n"
    "x_test = keras.preprocessing.sequence.pad_sequences(x_test, maxlen=200)\n",
    "csv": "frame = pd.read_csv(os.path.join(DATA_DIR, 'train.csv'))\n"
    "x_train = frame.drop(columns=['target']).values{scale}\ny_train = frame['target'].values\n"
    "x_test, y_test = x_train[-1000:], y_train[-1000:]\n",
}


def keras_model(rng: random.Random, data: str, index: int) -> str:
    """A Keras model builder in one of three styles (Sequential list, .add, functional)."""
    units = rng.choice([16, 32, 64, 128, 256, 512])
    activation = rng.choice(["relu", "relu", "elu", "tanh", "sigmoid"])
    output = {
        "mnist": ("10", "softmax"),
        "cifar10": ("10", "softmax"),
        "imdb": ("1", rng.choice(["sigmoid", "softmax"])),
        "csv": ("1", rng.choice(["linear", "sigmoid"])),
    }[data]
    if data in {"mnist", "cifar10"}:
        channels = 1 if data == "mnist" else 3
        size = 28 if data == "mnist" else 32
        convs = "\n".join(
            f"    model.add(layers.Conv2D({rng.choice([8, 16, 32, 64, 128])}, (3, 3), "
            f"activation='{activation}', padding='same'))"
            + ("\n    model.add(layers.MaxPooling2D((2, 2)))" if rng.random() < 0.6 else "")
            for _ in range(rng.randint(1, 6))
        )
        return (
            f"def build_model_{index}(learning_rate=1e-3):\n"
            f'    """Convolutional network number {index}."""\n'
            "    model = keras.Sequential()\n"
            f"    model.add(layers.Input(shape=({size}, {size}, {channels})))\n"
            f"{convs}\n"
            "    model.add(layers.Flatten())\n"
            f"    model.add(layers.Dense({units}, activation='{activation}'))\n"
            f"    model.add(layers.Dropout({rng.choice([0.2, 0.3, 0.5])}))\n"
            f"    model.add(layers.Dense({output[0]}, activation='{output[1]}'))\n"
            "    return model\n"
        )
    if data == "imdb":
        return (
            f"def build_model_{index}(vocabulary=20000):\n"
            f'    """Text classifier number {index}."""\n'
            "    inputs = keras.Input(shape=(200,))\n"
            f"    x = layers.Embedding(vocabulary, {rng.choice([32, 64, 128])})(inputs)\n"
            f"    x = layers.{rng.choice(['LSTM', 'GRU'])}({rng.choice([32, 64])})(x)\n"
            f"    x = layers.Dense({units}, activation='{activation}')(x)\n"
            f"    outputs = layers.Dense({output[0]}, activation='{output[1]}')(x)\n"
            "    return keras.Model(inputs=inputs, outputs=outputs)\n"
        )
    hidden = ",\n".join(
        f"            layers.Dense({rng.choice([8, 16, 32, 64, 128])}, activation='{activation}', "
        f"kernel_regularizer=regularizers.l2({rng.choice([1e-4, 1e-3])}))"
        for _ in range(rng.randint(1, 5))
    )
    return (
        f"def build_model_{index}(n_features):\n"
        f'    """Tabular model number {index}."""\n'
        "    return keras.Sequential(\n"
        "        [\n"
        "            layers.Input(shape=(n_features,)),\n"
        f"{hidden},\n"
        f"            layers.Dense({output[0]}, activation='{output[1]}'),\n"
        "        ]\n"
        "    )\n"
    )


def keras_training(rng: random.Random, data: str, index: int) -> str:
    """Compiling and fitting one of the models, with callbacks."""
    loss = {
        "mnist": "categorical_crossentropy",
        "cifar10": "categorical_crossentropy",
        "imdb": "binary_crossentropy",
        "csv": rng.choice(["mse", "mae", "binary_crossentropy"]),
    }[data]
    argument = "x_train.shape[1]" if data == "csv" else ""
    optimizer = rng.choice(
        [
            f"keras.optimizers.Adam(learning_rate={rng.choice([1e-4, 1e-3, 3e-3, 0.05])})",
            f"keras.optimizers.SGD(learning_rate={rng.choice([0.001, 0.01, 0.1])}, momentum=0.9)",
            "'rmsprop'",
        ]
    )
    return (
        f"def train_{index}(epochs={rng.choice([5, 10, 20, 50])}):\n"
        f'    """Train model {index} and return its history."""\n'
        f"    model = build_model_{index}({argument})\n"
        f"    model.compile(optimizer={optimizer}, loss='{loss}', metrics=['accuracy'])\n"
        "    callbacks = [\n"
        "        EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True),\n"
        f"        ModelCheckpoint('model_{index}.keras', save_best_only=True),\n"
        "    ]\n"
        "    history = model.fit(\n"
        "        x_train,\n"
        "        y_train,\n"
        f"        batch_size={rng.choice([8, 16, 32, 64, 128, 512])},\n"
        "        epochs=epochs,\n"
        "        validation_split=0.1,\n"
        "        callbacks=callbacks,\n"
        "        verbose=2,\n"
        "    )\n"
        "    scores = model.evaluate(x_test, y_test, verbose=0)\n"
        f"    print('model {index}:', dict(zip(model.metrics_names, scores)))\n"
        "    return history\n"
    )


def torch_model(rng: random.Random, index: int) -> str:
    """A PyTorch ``nn.Module`` with convolutions or linear layers and a ``forward``."""
    width = rng.choice([16, 32, 64])
    hidden = rng.choice([64, 128, 256])
    final = rng.choice(
        [
            "return self.fc2(x)",
            "return F.softmax(self.fc2(x), dim=1)",
            "return F.log_softmax(self.fc2(x), dim=1)",
        ]
    )
    return (
        f"class Net{index}(nn.Module):\n"
        f'    """Classifier number {index}."""\n\n'
        "    def __init__(self, in_channels=1, num_classes=10):\n"
        "        super().__init__()\n"
        f"        self.conv1 = nn.Conv2d(in_channels, {width}, kernel_size=3, padding=1)\n"
        f"        self.conv2 = nn.Conv2d({width}, {width * 2}, kernel_size=3, padding=1)\n"
        f"        self.bn = nn.BatchNorm2d({width * 2})\n"
        "        self.pool = nn.MaxPool2d(2)\n"
        f"        self.dropout = nn.Dropout({rng.choice([0.1, 0.25, 0.5])})\n"
        f"        self.fc1 = nn.Linear({width * 2} * 7 * 7, {hidden})\n"
        f"        self.fc2 = nn.Linear({hidden}, num_classes)\n\n"
        "    def forward(self, x):\n"
        "        x = self.pool(F.relu(self.conv1(x)))\n"
        "        x = self.pool(F.relu(self.bn(self.conv2(x))))\n"
        "        x = torch.flatten(x, 1)\n"
        "        x = self.dropout(F.relu(self.fc1(x)))\n"
        f"        {final}\n"
    )


def torch_training(rng: random.Random, index: int) -> str:
    """A PyTorch training loop with an optimizer, a criterion and evaluation."""
    criterion = rng.choice(
        ["nn.CrossEntropyLoss()", "nn.NLLLoss()", "nn.CrossEntropyLoss(label_smoothing=0.1)"]
    )
    optimizer = rng.choice(
        [
            f"torch.optim.Adam(model.parameters(), lr={rng.choice([1e-4, 1e-3, 0.02])})",
            f"torch.optim.SGD(model.parameters(), lr={rng.choice([0.01, 0.1, 0.5])}, momentum=0.9)",
            "torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)",
        ]
    )
    batch = rng.choice(["batch_size=64, ", "batch_size=16, ", "batch_size=1024, ", ""])
    return (
        f"def train_{index}(epochs={rng.choice([2, 5, 10])}):\n"
        f'    """Train Net{index} on MNIST and report test accuracy."""\n'
        "    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])\n"
        "    train_set = datasets.MNIST('data', train=True, download=True, transform=transform)\n"
        "    test_set = datasets.MNIST('data', train=False, transform=transform)\n"
        f"    train_loader = DataLoader(train_set, {batch}shuffle=True)\n"
        "    test_loader = DataLoader(test_set, batch_size=256)\n"
        f"    model = Net{index}().to(DEVICE)\n"
        f"    criterion = {criterion}\n"
        f"    optimizer = {optimizer}\n"
        "    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)\n"
        "    for epoch in range(epochs):\n"
        "        model.train()\n"
        "        started = time.time()\n"
        "        for step, (images, labels) in enumerate(train_loader):\n"
        "            images, labels = images.to(DEVICE), labels.to(DEVICE)\n"
        "            optimizer.zero_grad()\n"
        "            loss = criterion(model(images), labels)\n"
        "            loss.backward()\n"
        "            optimizer.step()\n"
        "            if step % 100 == 0:\n"
        "                print(f'epoch {epoch} step {step} loss {loss.item():.4f}')\n"
        "        scheduler.step()\n"
        "        print(f'epoch {epoch} took {time.time() - started:.1f}s')\n"
        "    model.eval()\n"
        "    correct = 0\n"
        "    with torch.no_grad():\n"
        "        for images, labels in test_loader:\n"
        "            outputs = model(images.to(DEVICE))\n"
        "            correct += (outputs.argmax(dim=1) == labels.to(DEVICE)).sum().item()\n"
        "    return correct / len(test_set)\n"
    )


def helper(rng: random.Random, index: int) -> str:
    """Ordinary code around the models: metrics, augmentation, reporting."""
    name = rng.choice(
        ["moving_average", "confusion_counts", "augment_batch", "summarise", "clip_scores"]
    )
    return textwrap.dedent(
        f'''\
        def {name}_{index}(values, window={rng.randint(2, 20)}):
            """Helper {index}: {name.replace("_", " ")}."""
            result = []
            total = 0.0
            for position, value in enumerate(values):
                total += float(value)
                if position >= window:
                    total -= float(values[position - window])
                result.append(total / min(position + 1, window))
            best = max(result) if result else None
            report = {{"name": "{name}", "best": best, "count": len(result)}}
            if best is not None and best > {rng.random():.3f}:
                report["flag"] = "high"
            elif best is not None and math_isclose(best, 0.0):
                report["flag"] = "zero"
            return report
        '''
    )


def keras_program(rng: random.Random, name: str, target: int) -> str:
    """A Keras program of about ``target`` lines."""
    data = rng.choice(list(KERAS_DATA))
    scale = rng.choice([" / 255.0", "", " / 255"])
    head = [
        KERAS_HEADER.format(name=name, task=data, seed=rng.randint(0, 9999)),
        "DATA_DIR = os.environ.get('DATA_DIR', 'data')\n\n\n"
        "def math_isclose(a, b):\n    return abs(a - b) < 1e-9\n",
        KERAS_DATA[data].format(scale=scale),
    ]

    def chunk(index: int) -> list[str]:
        helpers = [helper(rng, index * 10 + n) for n in range(rng.randint(0, 3))]
        return [keras_model(rng, data, index), keras_training(rng, data, index), *helpers]

    return _assemble(head, chunk, target, "train_{}()")


def torch_program(rng: random.Random, name: str, target: int) -> str:
    """A PyTorch program of about ``target`` lines."""
    head = [
        TORCH_HEADER.format(name=name, task="MNIST classification", seed=rng.randint(0, 9999)),
        "def math_isclose(a, b):\n    return math.isclose(a, b)\n",
    ]

    def chunk(index: int) -> list[str]:
        helpers = [helper(rng, index * 10 + n) for n in range(rng.randint(0, 3))]
        return [torch_model(rng, index), torch_training(rng, index), *helpers]

    return _assemble(head, chunk, target, "print(train_{}())")


def _assemble(head: list[str], chunk: Callable[[int], list[str]], target: int, call: str) -> str:
    """Add chunks (a model, its training, helpers) until the program reaches ``target`` lines."""
    target = max(MIN_FILE_LINES, min(MAX_FILE_LINES, target))
    parts = list(head)
    count = 0
    while True:
        candidate = parts + chunk(count)
        text = "\n\n".join([*candidate, _main_block(call, count + 1)])
        lines = text.count("\n")
        if count > 0 and lines > MAX_FILE_LINES:
            break
        parts, count = candidate, count + 1
        if lines >= target:
            break
    return "\n\n".join([*parts, _main_block(call, count)])


def _main_block(call: str, count: int) -> str:
    body = "\n".join(f"    {call.format(n)}" for n in range(count)) or "    pass"
    return (
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--quick', action='store_true')\n"
        "    parser.parse_args()\n"
        f"{body}\n\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )


def file_sizes(rng: random.Random, total_lines: int) -> list[int]:
    """Target sizes: mostly small scripts, some long ones, adding up to ``total_lines``."""
    sizes: list[int] = []
    while sum(sizes) < total_lines:
        size = int(rng.lognormvariate(5.6, 0.8))
        sizes.append(max(MIN_FILE_LINES, min(MAX_FILE_LINES, size)))
    return sizes


def make_corpus(directory: Path, total_lines: int = 120_000, seed: int = 0) -> list[Path]:
    """Write the corpus into ``directory`` and return the files, in order."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    builders: list[tuple[str, Callable[[random.Random, str, int], str]]] = [
        ("keras", keras_program),
        ("torch", torch_program),
    ]
    paths: list[Path] = []
    for number, size in enumerate(file_sizes(rng, total_lines)):
        kind, build = builders[number % 2]
        name = f"{kind}_{number:04d}"
        text = build(rng, name, size)
        path = directory / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--lines", type=int, default=120_000, help="total lines to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = make_corpus(args.directory, args.lines, args.seed)
    lines = sum(path.read_text(encoding="utf-8").count("\n") for path in paths)
    print(f"wrote {len(paths)} files, {lines} lines, to {args.directory}")


if __name__ == "__main__":
    main()
