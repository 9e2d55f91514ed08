"""The curated import table of A4 (Import Addition): the names snippets use without importing.

``{keras}`` stands for the file's Keras (``keras`` or ``tensorflow.keras``). Names that mean
different things in Keras and PyTorch (``Dropout``, ``Adam``) have an entry in each table and
the file's framework decides.
"""

from __future__ import annotations

# Module aliases and stand-alone names, the same in every file.
COMMON: dict[str, str] = {
    "np": "import numpy as np",
    "numpy": "import numpy",
    "pd": "import pandas as pd",
    "pandas": "import pandas",
    "plt": "import matplotlib.pyplot as plt",
    "sns": "import seaborn as sns",
    "tf": "import tensorflow as tf",
    "tensorflow": "import tensorflow",
    "torch": "import torch",
    "nn": "import torch.nn as nn",
    "F": "import torch.nn.functional as F",
    "optim": "import torch.optim as optim",
    "torchvision": "import torchvision",
    "transforms": "from torchvision import transforms",
    "DataLoader": "from torch.utils.data import DataLoader",
    "Dataset": "from torch.utils.data import Dataset",
    "TensorDataset": "from torch.utils.data import TensorDataset",
    "random_split": "from torch.utils.data import random_split",
    "Variable": "from torch.autograd import Variable",
    "lr_scheduler": "from torch.optim import lr_scheduler",
    "train_test_split": "from sklearn.model_selection import train_test_split",
    "KFold": "from sklearn.model_selection import KFold",
    "StratifiedKFold": "from sklearn.model_selection import StratifiedKFold",
    "cross_val_score": "from sklearn.model_selection import cross_val_score",
    "StandardScaler": "from sklearn.preprocessing import StandardScaler",
    "MinMaxScaler": "from sklearn.preprocessing import MinMaxScaler",
    "LabelEncoder": "from sklearn.preprocessing import LabelEncoder",
    "OneHotEncoder": "from sklearn.preprocessing import OneHotEncoder",
    "accuracy_score": "from sklearn.metrics import accuracy_score",
    "confusion_matrix": "from sklearn.metrics import confusion_matrix",
    "classification_report": "from sklearn.metrics import classification_report",
    "mean_squared_error": "from sklearn.metrics import mean_squared_error",
    "load_iris": "from sklearn.datasets import load_iris",
    "load_digits": "from sklearn.datasets import load_digits",
    "load_wine": "from sklearn.datasets import load_wine",
    "load_breast_cancer": "from sklearn.datasets import load_breast_cancer",
    "make_classification": "from sklearn.datasets import make_classification",
    "make_regression": "from sklearn.datasets import make_regression",
    "make_moons": "from sklearn.datasets import make_moons",
    "make_blobs": "from sklearn.datasets import make_blobs",
    "AutoTokenizer": "from transformers import AutoTokenizer",
    "AutoModel": "from transformers import AutoModel",
    "AutoModelForSequenceClassification": (
        "from transformers import AutoModelForSequenceClassification"
    ),
    "BertTokenizer": "from transformers import BertTokenizer",
    "BertModel": "from transformers import BertModel",
    "BertForSequenceClassification": "from transformers import BertForSequenceClassification",
    "hub": "import tensorflow_hub as hub",
    "os": "import os",
    "sys": "import sys",
    "time": "import time",
    "math": "import math",
    "random": "import random",
    "json": "import json",
    "re": "import re",
    "glob": "import glob",
    "pickle": "import pickle",
    "copy": "import copy",
    "datetime": "import datetime",
    "Path": "from pathlib import Path",
    "tqdm": "from tqdm import tqdm",
    "OrderedDict": "from collections import OrderedDict",
    "defaultdict": "from collections import defaultdict",
    "Counter": "from collections import Counter",
}

# Keras names: the submodule of ``{keras}`` that holds them.
_KERAS_LAYERS = (
    "Input Dense Activation Dropout Flatten Reshape Permute RepeatVector Lambda Masking "
    "Conv1D Conv2D Conv3D Conv2DTranspose SeparableConv2D DepthwiseConv2D "
    "MaxPooling1D MaxPooling2D MaxPooling3D AveragePooling1D AveragePooling2D "
    "GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPooling1D GlobalMaxPooling2D "
    "UpSampling2D ZeroPadding2D Cropping2D BatchNormalization LayerNormalization "
    "Embedding LSTM GRU SimpleRNN Bidirectional TimeDistributed ConvLSTM2D "
    "LeakyReLU PReLU ELU ReLU Softmax Concatenate Add Multiply Average concatenate add "
    "GaussianNoise SpatialDropout1D SpatialDropout2D Rescaling Normalization Resizing "
    "MultiHeadAttention Attention"
).split()
_KERAS_OTHERS = {
    "models": "Sequential Model load_model model_from_json",
    "optimizers": "Adam SGD RMSprop Adagrad Adadelta Adamax Nadam",
    "callbacks": "EarlyStopping ModelCheckpoint ReduceLROnPlateau TensorBoard CSVLogger "
    "LearningRateScheduler Callback",
    "utils": "to_categorical plot_model pad_sequences",
    "regularizers": "l1 l2 l1_l2",
    "datasets": "mnist fashion_mnist cifar10 cifar100 imdb reuters boston_housing",
}
KERAS: dict[str, str] = {
    **dict.fromkeys(_KERAS_LAYERS, "{keras}.layers"),
    **{name: f"{{keras}}.{module}" for module, names in _KERAS_OTHERS.items() for name in names.split()},
}
# Keras modules imported as a whole (``from keras import layers``), and Keras itself.
KERAS_MODULES = frozenset(
    "layers models optimizers callbacks utils regularizers initializers losses metrics "
    "activations backend applications datasets preprocessing".split()
)
# Names the legacy preprocessing API still exports from TensorFlow only.
TF_ONLY: dict[str, str] = {
    "ImageDataGenerator": "from tensorflow.keras.preprocessing.image import ImageDataGenerator",
    "Tokenizer": "from tensorflow.keras.preprocessing.text import Tokenizer",
}
KERAS_BACKEND_ALIAS = "K"

# PyTorch names used bare (``from torch.nn import Linear``).
TORCH: dict[str, str] = {
    **dict.fromkeys(
        (
            "Module Linear Conv1d Conv2d Conv3d ConvTranspose2d MaxPool1d MaxPool2d AvgPool2d "
            "AdaptiveAvgPool2d BatchNorm1d BatchNorm2d LayerNorm Dropout Dropout2d Embedding "
            "LSTM GRU RNN ReLU LeakyReLU Sigmoid Tanh Softmax LogSoftmax Flatten Sequential "
            "CrossEntropyLoss NLLLoss MSELoss L1Loss BCELoss BCEWithLogitsLoss SmoothL1Loss "
            "ModuleList Parameter"
        ).split(),
        "torch.nn",
    ),
    **dict.fromkeys("Adam AdamW SGD RMSprop Adagrad".split(), "torch.optim"),
}

# Modules jedi looks through, in the user's interpreter, for names none of the tables know.
SEARCH_MODULES: dict[str, tuple[str, ...]] = {
    "keras": (
        "{keras}.layers",
        "{keras}.models",
        "{keras}.optimizers",
        "{keras}.callbacks",
        "{keras}.utils",
        "{keras}.losses",
        "{keras}.metrics",
    ),
    "torch": ("torch.nn", "torch.optim", "torch.utils.data", "torch.optim.lr_scheduler"),
    "any": (
        "sklearn.preprocessing",
        "sklearn.model_selection",
        "sklearn.metrics",
        "sklearn.datasets",
        "sklearn.linear_model",
    ),
}
