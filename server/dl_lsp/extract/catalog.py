"""Framework vocabulary as data: layer classes, activations, losses, optimizers, datasets."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts import InputType, LayerKind, ProblemType

K = LayerKind

KERAS_LAYERS: dict[str, LayerKind] = {
    "Dense": K.DENSE,
    **dict.fromkeys(
        [
            "Conv1D",
            "Conv2D",
            "Conv3D",
            "Convolution1D",
            "Convolution2D",
            "Convolution3D",
            "SeparableConv1D",
            "SeparableConv2D",
            "SeparableConvolution2D",
            "DepthwiseConv2D",
            "Conv1DTranspose",
            "Conv2DTranspose",
            "Conv3DTranspose",
            "Deconvolution2D",
            "AtrousConvolution2D",
        ],
        K.CONV,
    ),
    **dict.fromkeys(
        [
            "MaxPooling1D",
            "MaxPooling2D",
            "MaxPooling3D",
            "AveragePooling1D",
            "AveragePooling2D",
            "AveragePooling3D",
            "MaxPool1D",
            "MaxPool2D",
            "MaxPool3D",
            "AvgPool1D",
            "AvgPool2D",
            "AvgPool3D",
        ],
        K.POOL,
    ),
    **dict.fromkeys(
        [
            "GlobalAveragePooling1D",
            "GlobalAveragePooling2D",
            "GlobalAveragePooling3D",
            "GlobalMaxPooling1D",
            "GlobalMaxPooling2D",
            "GlobalMaxPooling3D",
            "GlobalAvgPool1D",
            "GlobalAvgPool2D",
            "GlobalMaxPool1D",
            "GlobalMaxPool2D",
        ],
        K.GLOBAL_POOL,
    ),
    "Flatten": K.FLATTEN,
    **dict.fromkeys(
        [
            "Dropout",
            "SpatialDropout1D",
            "SpatialDropout2D",
            "SpatialDropout3D",
            "AlphaDropout",
            "GaussianDropout",
        ],
        K.DROPOUT,
    ),
    **dict.fromkeys(
        ["BatchNormalization", "LayerNormalization", "GroupNormalization"], K.NORMALIZATION
    ),
    **dict.fromkeys(
        ["Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax"],
        K.ACTIVATION,
    ),
    **dict.fromkeys(["Input", "InputLayer"], K.INPUT),
    "Embedding": K.EMBEDDING,
    **dict.fromkeys(
        ["LSTM", "GRU", "SimpleRNN", "Bidirectional", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM2D"],
        K.RECURRENT,
    ),
    **dict.fromkeys(
        [
            "Reshape",
            "Permute",
            "RepeatVector",
            "ZeroPadding1D",
            "ZeroPadding2D",
            "Cropping2D",
            "UpSampling1D",
            "UpSampling2D",
        ],
        K.RESHAPE,
    ),
    **dict.fromkeys(["Rescaling", "Normalization"], K.RESCALING),
    **dict.fromkeys(
        ["Concatenate", "Add", "Multiply", "Average", "Maximum", "Subtract", "Merge"], K.MERGE
    ),
    **dict.fromkeys(["Lambda", "TimeDistributed", "GaussianNoise"], K.OTHER),
}

TORCH_LAYERS: dict[str, LayerKind] = {
    **dict.fromkeys(["Linear", "LazyLinear", "Bilinear"], K.DENSE),
    **dict.fromkeys(
        [
            "Conv1d",
            "Conv2d",
            "Conv3d",
            "LazyConv1d",
            "LazyConv2d",
            "ConvTranspose1d",
            "ConvTranspose2d",
            "ConvTranspose3d",
        ],
        K.CONV,
    ),
    **dict.fromkeys(
        [
            "MaxPool1d",
            "MaxPool2d",
            "MaxPool3d",
            "AvgPool1d",
            "AvgPool2d",
            "AvgPool3d",
            "AdaptiveAvgPool1d",
            "AdaptiveAvgPool2d",
            "AdaptiveMaxPool2d",
            "LPPool2d",
        ],
        K.POOL,
    ),
    "Flatten": K.FLATTEN,
    **dict.fromkeys(["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout"], K.DROPOUT),
    **dict.fromkeys(
        [
            "BatchNorm1d",
            "BatchNorm2d",
            "BatchNorm3d",
            "LayerNorm",
            "GroupNorm",
            "InstanceNorm1d",
            "InstanceNorm2d",
            "LocalResponseNorm",
        ],
        K.NORMALIZATION,
    ),
    **dict.fromkeys(
        [
            "ReLU",
            "ReLU6",
            "LeakyReLU",
            "PReLU",
            "ELU",
            "SELU",
            "GELU",
            "SiLU",
            "Sigmoid",
            "Tanh",
            "Softmax",
            "LogSoftmax",
            "Softplus",
            "Mish",
            "Hardswish",
            "Hardtanh",
        ],
        K.ACTIVATION,
    ),
    **dict.fromkeys(["Embedding", "EmbeddingBag"], K.EMBEDDING),
    **dict.fromkeys(["LSTM", "GRU", "RNN"], K.RECURRENT),
    **dict.fromkeys(["Unflatten", "Upsample"], K.RESHAPE),
    "Identity": K.OTHER,
}

# Activation layer classes → the activation they apply.
ACTIVATION_CLASSES: dict[str, str] = {
    "ReLU": "relu",
    "ReLU6": "relu6",
    "LeakyReLU": "leaky_relu",
    "PReLU": "prelu",
    "ELU": "elu",
    "SELU": "selu",
    "GELU": "gelu",
    "SiLU": "silu",
    "Mish": "mish",
    "Hardswish": "hardswish",
    "Hardtanh": "hardtanh",
    "ThresholdedReLU": "thresholded_relu",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
    "LogSoftmax": "log_softmax",
    "Softplus": "softplus",
}

# Functional activations (PyTorch forward, tf.nn, Keras activations) → normalised name.
FUNCTIONAL_ACTIVATIONS: dict[str, str] = {
    "relu": "relu",
    "relu_": "relu",
    "relu6": "relu6",
    "leaky_relu": "leaky_relu",
    "elu": "elu",
    "selu": "selu",
    "gelu": "gelu",
    "silu": "silu",
    "swish": "silu",
    "mish": "mish",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "softmax": "softmax",
    "log_softmax": "log_softmax",
    "softplus": "softplus",
    "hardswish": "hardswish",
}

ACTIVATION_ALIASES: dict[str, str] = {
    "swish": "silu",
    "leakyrelu": "leaky_relu",
    "logsoftmax": "log_softmax",
    "none": "linear",
}

SATURATING_ACTIVATIONS = frozenset({"sigmoid", "tanh", "hard_sigmoid", "softsign"})
LINEAR_ACTIVATIONS = frozenset({"linear", "identity"})

# Functional helpers in a PyTorch forward that act as layers.
FUNCTIONAL_LAYERS: dict[str, LayerKind] = {
    "max_pool1d": K.POOL,
    "max_pool2d": K.POOL,
    "max_pool3d": K.POOL,
    "avg_pool1d": K.POOL,
    "avg_pool2d": K.POOL,
    "adaptive_avg_pool2d": K.POOL,
    "adaptive_max_pool2d": K.POOL,
    "dropout": K.DROPOUT,
    "dropout2d": K.DROPOUT,
    "batch_norm": K.NORMALIZATION,
    "flatten": K.FLATTEN,
}
TENSOR_RESHAPE_METHODS = frozenset({"view", "reshape", "flatten"})


@dataclass(frozen=True)
class LossInfo:
    canonical: str
    family: str  # 'binary', 'categorical', 'sparse', 'regression', 'torch_ce', ...


_REGRESSION = "regression"

# Keras loss strings and function names → canonical loss.
KERAS_LOSS_NAMES: dict[str, str] = {
    "binary_crossentropy": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "mse": "mse",
    "mean_squared_error": "mse",
    "mae": "mae",
    "mean_absolute_error": "mae",
    "mape": "mape",
    "mean_absolute_percentage_error": "mape",
    "msle": "msle",
    "mean_squared_logarithmic_error": "msle",
    "huber": "huber",
    "huber_loss": "huber",
    "logcosh": "logcosh",
    "log_cosh": "logcosh",
    "hinge": "hinge",
    "squared_hinge": "squared_hinge",
    "categorical_hinge": "categorical_hinge",
    "kld": "kld",
    "kl_divergence": "kld",
    "kullback_leibler_divergence": "kld",
    "poisson": "poisson",
    "cosine_similarity": "cosine_similarity",
    "cosine_proximity": "cosine_similarity",
    "binary_focal_crossentropy": "binary_crossentropy",
}

# Keras loss classes → canonical loss.
KERAS_LOSS_CLASSES: dict[str, str] = {
    "BinaryCrossentropy": "binary_crossentropy",
    "BinaryFocalCrossentropy": "binary_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "MeanSquaredError": "mse",
    "MeanAbsoluteError": "mae",
    "MeanAbsolutePercentageError": "mape",
    "MeanSquaredLogarithmicError": "msle",
    "Huber": "huber",
    "LogCosh": "logcosh",
    "Hinge": "hinge",
    "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge",
    "KLDivergence": "kld",
    "Poisson": "poisson",
    "CosineSimilarity": "cosine_similarity",
}

# PyTorch criteria (classes and functional forms) → canonical loss.
TORCH_LOSSES: dict[str, str] = {
    "CrossEntropyLoss": "torch_cross_entropy",
    "cross_entropy": "torch_cross_entropy",
    "NLLLoss": "torch_nll",
    "nll_loss": "torch_nll",
    "BCELoss": "torch_bce",
    "binary_cross_entropy": "torch_bce",
    "BCEWithLogitsLoss": "torch_bce_logits",
    "binary_cross_entropy_with_logits": "torch_bce_logits",
    "MultiLabelSoftMarginLoss": "torch_bce_logits",
    "MSELoss": "mse",
    "mse_loss": "mse",
    "L1Loss": "mae",
    "l1_loss": "mae",
    "SmoothL1Loss": "huber",
    "smooth_l1_loss": "huber",
    "HuberLoss": "huber",
    "huber_loss": "huber",
    "KLDivLoss": "kld",
}

REGRESSION_LOSSES = frozenset({"mse", "mae", "mape", "msle", "huber", "logcosh", "poisson"})
CLASSIFICATION_LOSSES = frozenset(
    {
        "binary_crossentropy",
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
        "torch_cross_entropy",
        "torch_nll",
        "torch_bce",
        "torch_bce_logits",
        "hinge",
        "squared_hinge",
        "categorical_hinge",
    }
)

# Optimizer classes (Keras, tf.train, torch.optim); the value is the index of the positional
# learning-rate argument (PyTorch takes the parameters first).
KERAS_OPTIMIZERS: dict[str, int] = dict.fromkeys(
    [
        "SGD",
        "Adam",
        "AdamW",
        "RMSprop",
        "Adagrad",
        "Adadelta",
        "Adamax",
        "Nadam",
        "Ftrl",
        "Lion",
        "Adafactor",
        "GradientDescentOptimizer",
        "AdamOptimizer",
        "RMSPropOptimizer",
        "MomentumOptimizer",
        "AdagradOptimizer",
        "AdadeltaOptimizer",
    ],
    0,
)
TORCH_OPTIMIZERS: dict[str, int] = dict.fromkeys(
    [
        "SGD",
        "Adam",
        "AdamW",
        "RMSprop",
        "Adagrad",
        "Adadelta",
        "Adamax",
        "NAdam",
        "RAdam",
        "SparseAdam",
        "LBFGS",
        "ASGD",
        "Rprop",
    ],
    1,
)


@dataclass(frozen=True)
class DatasetInfo:
    input_type: InputType | None
    num_classes: int | None
    problem_type: ProblemType | None
    raw_range: bool  # values arrive unnormalised (0..255 pixels, raw features)


IT, PT = InputType, ProblemType

# Keras / sklearn / torchvision dataset loaders, keyed by the last name component.
DATASETS: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo(IT.GRAYSCALE, 10, PT.MULTICLASS, True),
    "fashion_mnist": DatasetInfo(IT.GRAYSCALE, 10, PT.MULTICLASS, True),
    "cifar10": DatasetInfo(IT.COLOR, 10, PT.MULTICLASS, True),
    "cifar100": DatasetInfo(IT.COLOR, 100, PT.MULTICLASS, True),
    "imdb": DatasetInfo(IT.SEQUENCE, 2, PT.BINARY, False),
    "reuters": DatasetInfo(IT.SEQUENCE, 46, PT.MULTICLASS, False),
    "boston_housing": DatasetInfo(IT.TABULAR, None, PT.REGRESSION, True),
    "california_housing": DatasetInfo(IT.TABULAR, None, PT.REGRESSION, True),
    "MNIST": DatasetInfo(IT.GRAYSCALE, 10, PT.MULTICLASS, False),
    "FashionMNIST": DatasetInfo(IT.GRAYSCALE, 10, PT.MULTICLASS, False),
    "KMNIST": DatasetInfo(IT.GRAYSCALE, 10, PT.MULTICLASS, False),
    "EMNIST": DatasetInfo(IT.GRAYSCALE, None, PT.MULTICLASS, False),
    "CIFAR10": DatasetInfo(IT.COLOR, 10, PT.MULTICLASS, False),
    "CIFAR100": DatasetInfo(IT.COLOR, 100, PT.MULTICLASS, False),
    "SVHN": DatasetInfo(IT.COLOR, 10, PT.MULTICLASS, False),
    "STL10": DatasetInfo(IT.COLOR, 10, PT.MULTICLASS, False),
    "ImageFolder": DatasetInfo(IT.COLOR, None, None, False),
    "load_iris": DatasetInfo(IT.TABULAR, 3, PT.MULTICLASS, False),
    "load_wine": DatasetInfo(IT.TABULAR, 3, PT.MULTICLASS, False),
    "load_breast_cancer": DatasetInfo(IT.TABULAR, 2, PT.BINARY, False),
    "load_digits": DatasetInfo(IT.TABULAR, 10, PT.MULTICLASS, False),
    "load_diabetes": DatasetInfo(IT.TABULAR, None, PT.REGRESSION, False),
    "fetch_california_housing": DatasetInfo(IT.TABULAR, None, PT.REGRESSION, False),
    "make_moons": DatasetInfo(IT.TABULAR, 2, PT.BINARY, False),
    "make_circles": DatasetInfo(IT.TABULAR, 2, PT.BINARY, False),
    "make_regression": DatasetInfo(IT.TABULAR, None, PT.REGRESSION, False),
    "make_classification": DatasetInfo(IT.TABULAR, None, None, False),
    "make_blobs": DatasetInfo(IT.TABULAR, None, PT.MULTICLASS, False),
    "read_csv": DatasetInfo(IT.TABULAR, None, None, True),
    "read_excel": DatasetInfo(IT.TABULAR, None, None, True),
    "loadtxt": DatasetInfo(IT.TABULAR, None, None, True),
    "genfromtxt": DatasetInfo(IT.TABULAR, None, None, True),
}

# Calls that read raw images (0..255 values).
IMAGE_READERS = frozenset({"imread", "load_img", "img_to_array", "open", "imdecode"})

# Calls that bring values into [0, 1] or standardise them.
NORMALIZING_CALLS = frozenset(
    {
        "fit_transform",
        "transform",
        "normalize",
        "scale",
        "minmax_scale",
        "robust_scale",
        "preprocess_input",
        "per_image_standardization",
        "standardize",
        "l2_normalize",
        "ToTensor",
        "Normalize",
        "rescale",
    }
)

# Calls and methods that keep the value range of their first argument or receiver.
RANGE_PRESERVING_CALLS = frozenset(
    {
        "astype",
        "reshape",
        "array",
        "asarray",
        "expand_dims",
        "squeeze",
        "copy",
        "float32",
        "cast",
        "to_numpy",
        "values",
        "transpose",
        "stack",
        "concatenate",
        "vstack",
        "hstack",
        "drop",
        "iloc",
        "loc",
        "from_numpy",
        "tensor",
        "Tensor",
        "FloatTensor",
        "float",
        "convert_to_tensor",
        "dropna",
        "fillna",
        "to",
        "permute",
        "shuffle",
    }
)
