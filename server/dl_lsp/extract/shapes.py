"""Tensor-shape extraction (SHP5xx): sizes traced through PyTorch models, Keras recurrent and
embedding layers as written.

PyTorch models are executed symbolically on per-sample shapes: ``nn.Sequential`` element by
element, ``nn.Module`` subclasses through ``forward`` statement by statement (``self.conv1(x)``,
``F.max_pool2d(x, 2)``, ``x.view(-1, 400)``). Every layer that declares an input size
(``in_features``, ``in_channels``, ``num_features``, ``input_size``) is recorded with the size
the trace delivers to it. A trace starts from a known input size (a probe tensor such as
``torch.randn(1, 3, 32, 32)`` given to the model, or a torchvision dataset whose batches reach
the model unchanged) or from nothing: layer-to-layer sizes need no input.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from dl_lsp.extract.calls import CallSite
from dl_lsp.extract.context import ExtractionContext, argument, keyword
from dl_lsp.extract.devices import LoopFlow, loop_flows
from dl_lsp.extract.layers import shared_layer_from_call
from dl_lsp.extract.scopes import Scope
from dl_lsp.extract.sequential import is_sequential_call, unwrap_device_moves
from dl_lsp.extract.shape_arithmetic import (
    Dims,
    Window,
    adaptive_output,
    flattened_size,
    slide,
    transposed_conv_output,
)
from dl_lsp.facts import DatasetFact, Evidence, Framework, LayerFact, LayerKind, ModelFacts, Span
from dl_lsp.facts.shapes import (
    InputSize,
    LayerInputFact,
    RecurrentFact,
    ShapeFacts,
    SizeArgument,
    VocabularyFact,
)

# torchvision datasets: per-sample image size as the loader yields it (C, H, W).
DATASET_SIZES: dict[str, tuple[int, int, int]] = {
    "MNIST": (1, 28, 28),
    "FashionMNIST": (1, 28, 28),
    "KMNIST": (1, 28, 28),
    "EMNIST": (1, 28, 28),
    "QMNIST": (1, 28, 28),
    "CIFAR10": (3, 32, 32),
    "CIFAR100": (3, 32, 32),
    "SVHN": (3, 32, 32),
    "STL10": (3, 96, 96),
}
_RESIZING_TRANSFORMS = frozenset(
    {"Resize", "Scale", "CenterCrop", "RandomCrop", "RandomResizedCrop", "RandomSizedCrop"}
)
_OPAQUE_TRANSFORMS = frozenset({"Pad", "Lambda", "FiveCrop", "TenCrop"})
_TRANSFORMS_READ = _RESIZING_TRANSFORMS | _OPAQUE_TRANSFORMS | {"Grayscale"}
# Calls that change what a dataset delivers: other datasets and the transforms read above.
_SIZE_CHANGING_CALLS = _TRANSFORMS_READ | frozenset(DATASET_SIZES)
_PASSTHROUGH_KINDS = (LayerKind.DROPOUT, LayerKind.ACTIVATION)
_PASSTHROUGH_LAYERS = frozenset(
    {"Identity", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm"}
)
# Functions (torch, torch.nn.functional) and tensor methods that keep the shape.
_SAME_SHAPE = frozenset(
    {
        "relu",
        "relu_",
        "relu6",
        "leaky_relu",
        "elu",
        "selu",
        "gelu",
        "silu",
        "mish",
        "sigmoid",
        "tanh",
        "softmax",
        "log_softmax",
        "softplus",
        "hardswish",
        "dropout",
        "dropout2d",
        "dropout3d",
        "alpha_dropout",
        "normalize",
        "contiguous",
        "float",
        "double",
        "half",
        "to",
        "cuda",
        "cpu",
        "clone",
        "detach",
        "type_as",
        "exp",
        "abs",
        "neg",
    }
)
_RECURRENT_CLASSES = frozenset(
    {"LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM2D", "ConvLSTM1D"}
)
_MAX_DEPTH = 60


@dataclass(frozen=True)
class _Layer:
    """A PyTorch layer call with the sizes and the window its shape arithmetic needs."""

    fact: LayerFact
    name: str  # class name: 'Linear', 'Conv2d', ...
    dims: int = 0  # spatial dimensions of convolutions and pooling
    expects: int | None = None
    outputs: int | None = None
    argument: SizeArgument | None = None
    window: Window | None = None
    output_size: Dims | None = None  # adaptive pooling
    output_padding: Dims = (0,)
    flatten_ok: bool = True  # nn.Flatten with its default dims


@dataclass(frozen=True)
class _Sequence:
    layers: tuple[_Layer | _Sequence | None, ...]


_Op = _Layer | _Sequence


@dataclass(frozen=True)
class _Tensor:
    """A traced per-sample shape; ``ranked=False`` means only the trailing sizes are known."""

    dims: Dims
    ranked: bool = True
    producer: LayerFact | None = None
    flattened: tuple[int, ...] | None = None
    view: tuple[ast.Call, SizeArgument] | None = None
    feature_map: bool = False  # out of a convolution or pooling, not flattened since


@dataclass
class _Recorder:
    """Collects the layer inputs of the trace of one model."""

    model: str
    context: ExtractionContext
    input_size: InputSize | None = None
    records: list[LayerInputFact] = field(default_factory=list)

    def record(
        self, layer: _Layer, axis: str, receives: int | None, tensor: _Tensor | None
    ) -> None:
        view_span = view_argument = None
        if tensor is not None and tensor.view is not None:
            view_span, view_argument = self.context.span(tensor.view[0]), tensor.view[1]
        unflattened = (
            tensor.dims
            if tensor is not None and tensor.feature_map and layer.name.endswith("Linear")
            else None
        )
        if layer.expects is None and unflattened is None:
            return
        self.records.append(
            LayerInputFact(
                model=self.model,
                layer=layer.fact,
                axis=axis,
                expects=layer.expects,
                receives=receives,
                argument=layer.argument,
                producer=tensor.producer if tensor is not None else None,
                flattened=tensor.flattened if tensor is not None else None,
                view_span=view_span,
                view_argument=view_argument,
                unflattened=unflattened,
                input_size=self.input_size,
            )
        )


def extract_shapes(
    context: ExtractionContext,
    models: tuple[ModelFacts, ...] = (),
    datasets: tuple[DatasetFact, ...] = (),
) -> ShapeFacts:
    """Shape facts of one file."""
    reader = _LayerReader(context)
    instantiations = _instantiations(context)
    layer_inputs: list[LayerInputFact] = []
    torch_models = [model for model in models if model.framework is Framework.TORCH]
    if torch_models or context.dominant is Framework.TORCH:
        inputs = _InputSizes(context, torch_models, datasets)
        layer_inputs.extend(_trace_sequentials(context, reader, inputs))
        layer_inputs.extend(_trace_module_classes(context, reader, inputs, instantiations))
    calls = _scan_layer_calls(context, instantiations)
    return ShapeFacts(
        layer_inputs=tuple(layer_inputs),
        units_arguments=tuple(calls.units),
        recurrent=tuple(calls.recurrent),
        vocabularies=tuple(calls.vocabularies),
        reshapes=tuple(calls.reshapes),
    )


# -- reading layer calls ----------------------------------------------------------------------


def size_argument(
    node: ast.expr | None, name: str, context: ExtractionContext
) -> SizeArgument | None:
    """A size argument as written, for messages and quick fixes."""
    if node is None:
        return None
    literal = (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    )
    return SizeArgument(name, context.span(node), context.source.segment(node), literal)


class _LayerReader:
    """Turns PyTorch layer calls into ``_Layer``/``_Sequence`` operations."""

    def __init__(self, context: ExtractionContext) -> None:
        self.context = context

    def operation(
        self, node: ast.expr, scope: Scope, untrusted: frozenset[str] = frozenset()
    ) -> _Op | None:
        node = unwrap_device_moves(node)
        if not isinstance(node, ast.Call):
            return None
        if is_sequential_call(node, self.context) is Framework.TORCH:
            elements = _sequential_elements(node, self.context)
            if elements is None:
                return None
            return _Sequence(tuple(self.operation(e, scope, untrusted) for e in elements))
        found = shared_layer_from_call(node, scope, self.context)
        if found is None or found[1] is not Framework.TORCH:
            return None
        return self._layer(node, found[0], scope, untrusted)

    def size(self, node: ast.expr | None, scope: Scope, untrusted: frozenset[str]) -> int | None:
        """A size argument's constant value; None when unknown or set by the caller."""
        if node is None or (untrusted and _depends_on(node, scope, untrusted)):
            return None
        return self.context.resolver.integer(node, scope)

    def sizes(
        self, node: ast.expr | None, scope: Scope, untrusted: frozenset[str], default: Dims
    ) -> Dims | None:
        """A kernel/stride/padding argument as a tuple (``default`` when it is not given)."""
        if node is None:
            return default
        if untrusted and _depends_on(node, scope, untrusted):
            return None
        return self.context.resolver.int_tuple(node, scope)

    def _layer(
        self, call: ast.Call, fact: LayerFact, scope: Scope, untrusted: frozenset[str]
    ) -> _Layer | None:
        name = fact.api.rsplit(".", 1)[-1]

        def size(index: int, *names: str) -> int | None:
            return self.size(argument(call, index, *names), scope, untrusted)

        if name == "Linear":
            node = argument(call, 0, "in_features")
            return _Layer(
                fact,
                name,
                expects=size(0, "in_features"),
                outputs=size(1, "out_features"),
                argument=size_argument(node, "in_features", self.context),
            )
        if name == "LazyLinear":
            return _Layer(fact, name, outputs=size(0, "out_features"))
        dims = fact.conv_dims or 0
        if name.startswith(("Conv", "LazyConv")) and dims:
            return self._convolution(call, fact, name, dims, scope, untrusted)
        if fact.kind is LayerKind.POOL and dims:
            return self._pooling(call, fact, name, dims, scope, untrusted)
        if name.startswith("BatchNorm") or name == "GroupNorm":
            index, keyword_name = (
                (1, "num_channels") if name == "GroupNorm" else (0, "num_features")
            )
            node = argument(call, index, keyword_name)
            return _Layer(
                fact,
                name,
                dims=int(name[-2]) if name[-2:-1].isdigit() else 0,
                expects=size(index, keyword_name),
                argument=size_argument(node, keyword_name, self.context),
            )
        if name == "LayerNorm":
            node = argument(call, 0, "normalized_shape")
            return _Layer(
                fact,
                name,
                expects=size(0, "normalized_shape"),
                argument=size_argument(node, "normalized_shape", self.context),
            )
        if name in ("LSTM", "GRU", "RNN"):
            node = argument(call, 0, "input_size")
            return _Layer(
                fact,
                name,
                expects=size(0, "input_size"),
                argument=size_argument(node, "input_size", self.context),
            )
        if name == "Embedding":
            return _Layer(fact, name, outputs=size(1, "embedding_dim"))
        if name == "Flatten":
            start = self.context.resolver.integer(argument(call, 0, "start_dim"), scope)
            end = self.context.resolver.integer(argument(call, 1, "end_dim"), scope)
            plain = argument(call, 0, "start_dim") is None or start == 1
            plain = plain and (argument(call, 1, "end_dim") is None or end == -1)
            return _Layer(fact, name, flatten_ok=plain)
        if fact.kind in _PASSTHROUGH_KINDS or name in _PASSTHROUGH_LAYERS or name == "Upsample":
            return _Layer(fact, name)
        return None

    def _convolution(
        self,
        call: ast.Call,
        fact: LayerFact,
        name: str,
        dims: int,
        scope: Scope,
        untrusted: frozenset[str],
    ) -> _Layer:
        transposed = name.startswith("ConvTranspose")
        lazy = name.startswith("Lazy")
        shift = -1 if lazy else 0

        def sizes(index: int, keyword_name: str, default: Dims) -> Dims | None:
            node = argument(call, index + shift, keyword_name)
            return self.sizes(node, scope, untrusted, default)

        padding_node = argument(call, 4 + shift, "padding")
        padding: Dims | str | None
        if isinstance(padding_node, ast.Constant) and padding_node.value in ("same", "valid"):
            padding = str(padding_node.value)
        else:
            padding = sizes(4, "padding", (0,))
        kernel = sizes(2, "kernel_size", ())
        stride = sizes(3, "stride", (1,))
        dilation = sizes(8 if transposed else 5, "dilation", (1,))
        output_padding = sizes(5, "output_padding", (0,)) if transposed else (0,)
        window = None
        if kernel and stride is not None and padding is not None and dilation is not None:
            window = Window(kernel, stride, padding, dilation)
        node = None if lazy else argument(call, 0, "in_channels")
        return _Layer(
            fact,
            name,
            dims=dims,
            expects=None if lazy else self.size(node, scope, untrusted),
            outputs=self.size(argument(call, 1 + shift, "out_channels"), scope, untrusted),
            argument=size_argument(node, "in_channels", self.context),
            window=window,
            output_padding=output_padding or (0,),
        )

    def _pooling(
        self,
        call: ast.Call,
        fact: LayerFact,
        name: str,
        dims: int,
        scope: Scope,
        untrusted: frozenset[str],
    ) -> _Layer | None:
        if name.startswith("Adaptive"):
            output = self.sizes(argument(call, 0, "output_size"), scope, untrusted, ())
            return _Layer(fact, name, dims=dims, output_size=output or None)
        if name.startswith("LP"):
            return None
        return _Layer(fact, name, dims=dims, window=_pool_window(call, 0, name, scope, self))


def _pool_window(
    call: ast.Call,
    offset: int,
    name: str,
    scope: Scope,
    reader: _LayerReader,
    *,
    functional: bool = False,
) -> Window | None:
    """The window of a pooling layer (offset 0) or pooling function (offset 1: the input first)."""
    maximum = "max" in name.lower()
    # nn.MaxPool2d(k, stride, padding, dilation, return_indices, ceil_mode);
    # F.max_pool2d(x, k, stride, padding, dilation, ceil_mode, return_indices).
    indices_at, ceil_at = (5, 4) if functional else (4, 5)
    if maximum and reader.context.resolver.value(
        argument(call, offset + indices_at, "return_indices"), scope
    ):
        return None
    kernel = reader.sizes(argument(call, offset, "kernel_size"), scope, frozenset(), ())
    stride_node = argument(call, offset + 1, "stride")
    stride = reader.sizes(stride_node, scope, frozenset(), ())
    if stride_node is None or (isinstance(stride_node, ast.Constant) and stride_node.value is None):
        stride = kernel
    padding = reader.sizes(argument(call, offset + 2, "padding"), scope, frozenset(), (0,))
    dilation = (
        reader.sizes(argument(call, offset + 3, "dilation"), scope, frozenset(), (1,))
        if maximum
        else (1,)
    )
    ceil_node = argument(call, offset + (ceil_at if maximum else 3), "ceil_mode")
    ceil = reader.context.resolver.value(ceil_node, scope) if ceil_node is not None else False
    if not kernel or not stride or padding is None or dilation is None or ceil not in (True, False):
        return None
    return Window(kernel, stride, padding, dilation, bool(ceil))


def _sequential_elements(call: ast.Call, context: ExtractionContext) -> list[ast.expr] | None:
    """The modules given to ``nn.Sequential``; None when they are not all written out."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or call.keywords:
        return None
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Call) and (context.qualify(first.func) or "").endswith("OrderedDict"):
        pairs = first.args[0] if first.args else None
        if not isinstance(pairs, (ast.List, ast.Tuple)):
            return None
        elements: list[ast.expr] = []
        for pair in pairs.elts:
            if not (isinstance(pair, ast.Tuple) and len(pair.elts) == 2):
                return None
            elements.append(pair.elts[1])
        return elements
    return list(call.args)


def _depends_on(node: ast.expr, scope: Scope, names: frozenset[str], depth: int = 0) -> bool:
    """Whether an expression reads one of ``names``, directly or through local assignments."""
    if depth > 6:
        return True
    for inner in ast.walk(node):
        if not isinstance(inner, ast.Name):
            continue
        if inner.id in names:
            return True
        history = scope.assignments.get(inner.id)
        if history:
            value = history[-1][1]
            if value is not node and _depends_on(value, scope, names, depth + 1):
                return True
    return False


# -- symbolic execution -----------------------------------------------------------------------


def _apply(op: _Op | None, tensor: _Tensor | None, recorder: _Recorder) -> _Tensor | None:
    if op is None:
        return None
    if isinstance(op, _Sequence):
        for layer in op.layers:
            tensor = _apply(layer, tensor, recorder)
        return tensor
    return _apply_layer(op, tensor, recorder)


def _apply_layer(layer: _Layer, x: _Tensor | None, recorder: _Recorder) -> _Tensor | None:
    name = layer.name
    if name in ("Linear", "LazyLinear"):
        recorder.record(layer, "in_features", x.dims[-1] if x and x.dims else None, x)
        if layer.outputs is None:
            return None
        if x is None or not x.dims:
            return _Tensor((layer.outputs,), ranked=False, producer=layer.fact)
        return _Tensor((*x.dims[:-1], layer.outputs), x.ranked, producer=layer.fact)
    if layer.fact.kind is LayerKind.CONV:
        return _convolve(layer, x, recorder)
    if layer.fact.kind is LayerKind.POOL:
        return _pool(layer, x)
    if name.startswith("BatchNorm") or name == "GroupNorm":
        recorder.record(layer, "num_features", _channels(layer, x), x)
        return x
    if name == "LayerNorm":
        recorder.record(layer, "normalized_shape", x.dims[-1] if x and x.dims else None, x)
        return x
    if name in ("LSTM", "GRU", "RNN"):
        recorder.record(layer, "input_size", x.dims[-1] if x and x.dims else None, x)
        return None  # (output, state): used through unpacking
    if name == "Embedding":
        return (
            _Tensor((layer.outputs,), ranked=False, producer=layer.fact) if layer.outputs else None
        )
    if name == "Flatten":
        return _flatten(x) if layer.flatten_ok else None
    if name == "Upsample":
        if x is not None and x.ranked and len(x.dims) >= 2:
            return _Tensor((x.dims[0], *(None,) * (len(x.dims) - 1)), producer=x.producer)
        return None
    return x


def _channels(layer: _Layer, x: _Tensor | None) -> int | None:
    """The channel size a normalisation layer reads."""
    if x is None or not x.dims:
        return None
    if layer.name == "BatchNorm1d":
        if x.ranked and len(x.dims) in (1, 2):
            return x.dims[0]
        return x.dims[-1] if not x.ranked else None
    wanted = layer.dims + 1 if layer.name.startswith("BatchNorm") else None
    if x.ranked and (wanted is None or len(x.dims) == wanted):
        return x.dims[0]
    return None


def _convolve(layer: _Layer, x: _Tensor | None, recorder: _Recorder) -> _Tensor | None:
    rank = layer.dims + 1
    fits = x is not None and x.ranked and len(x.dims) == rank
    recorder.record(layer, "in_channels", x.dims[0] if fits and x else None, x)
    if layer.outputs is None:
        return None
    spatial: Dims | None = None
    if fits and x is not None and layer.window is not None:
        if layer.name.startswith("ConvTranspose"):
            spatial = _transposed(x.dims[1:], layer)
        else:
            spatial = slide(x.dims[1:], layer.window, pooling=False)
    if spatial is None:
        spatial = (None,) * layer.dims
    return _Tensor((layer.outputs, *spatial), producer=layer.fact, feature_map=True)


def _transposed(spatial: Dims, layer: _Layer) -> Dims | None:
    window = layer.window
    assert window is not None
    dims = len(spatial)
    result: list[int | None] = []
    for axis, size in enumerate(spatial):
        values = [
            window.along(window.kernel, dims, axis),
            window.along(window.stride, dims, axis),
            window.along(window.padding, dims, axis),
            window.along(layer.output_padding, dims, axis),
            window.along(window.dilation, dims, axis),
        ]
        if not all(isinstance(value, int) for value in values):
            return None
        kernel, stride, padding, output_padding, dilation = (
            value if isinstance(value, int) else 0 for value in values
        )
        result.append(
            transposed_conv_output(size, kernel, stride, padding, output_padding, dilation)
        )
    return tuple(result)


def _pool(layer: _Layer, x: _Tensor | None) -> _Tensor | None:
    rank = layer.dims + 1
    if x is None or not x.ranked or len(x.dims) != rank:
        return None
    spatial: Dims | None
    if layer.output_size is not None:
        spatial = adaptive_output(x.dims[1:], layer.output_size)
    elif layer.window is not None:
        spatial = slide(x.dims[1:], layer.window, pooling=True)
    else:
        spatial = None
    if spatial is None:
        spatial = (None,) * layer.dims
    return _Tensor((x.dims[0], *spatial), producer=x.producer, feature_map=True)


def _flatten(x: _Tensor | None) -> _Tensor | None:
    if x is None or not x.ranked:
        return None
    total = flattened_size(x.dims)
    flattened = tuple(d for d in x.dims if d is not None) if total is not None else None
    if flattened is not None and len(flattened) < 2:
        flattened = None
    return _Tensor((total,), producer=x.producer, flattened=flattened)


class _ForwardTrace:
    """Evaluates ``forward`` statement by statement on traced shapes."""

    def __init__(
        self,
        scope: Scope,
        context: ExtractionContext,
        reader: _LayerReader,
        attributes: dict[str, _Op | None],
        recorder: _Recorder,
    ) -> None:
        self.scope = scope
        self.context = context
        self.reader = reader
        self.attributes = attributes
        self.recorder = recorder
        self.env: dict[str, _Tensor | None] = {}
        self.depth = 0

    def run(self, function: ast.FunctionDef | ast.AsyncFunctionDef, x: _Tensor | None) -> None:
        parameters = [arg.arg for arg in function.args.args]
        if parameters and parameters[0] == "self":
            parameters = parameters[1:]
        if parameters:
            self.env[parameters[0]] = x
        branches, loops = _block_statements(function.body)
        for statement in self.scope.statements:
            in_loop, in_branch = id(statement) in loops, id(statement) in branches
            if isinstance(statement, ast.Assign):
                value = self.eval(statement.value)
                for target in statement.targets:
                    if isinstance(target, ast.Name) and len(statement.targets) == 1:
                        self._bind(target.id, value, in_loop, in_branch)
                    else:
                        for inner in ast.walk(target):
                            if isinstance(inner, ast.Name):
                                self.env[inner.id] = None
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                value = self.eval(statement.value)
                if isinstance(statement.target, ast.Name):
                    self._bind(statement.target.id, value, in_loop, in_branch)
            elif isinstance(statement, ast.AugAssign):
                self.eval(statement.value)
                if isinstance(statement.target, ast.Name) and (in_loop or in_branch):
                    self.env[statement.target.id] = None
            elif isinstance(statement, (ast.Expr, ast.Return)) and statement.value is not None:
                self.eval(statement.value)
            elif isinstance(statement, (ast.For, ast.AsyncFor)):
                for inner in ast.walk(statement.target):
                    if isinstance(inner, ast.Name):
                        self.env[inner.id] = None

    def _bind(self, name: str, value: _Tensor | None, in_loop: bool, in_branch: bool) -> None:
        if in_loop:
            self.env[name] = None
        elif in_branch:
            old = self.env.get(name)
            same = old is not None and value is not None and old.dims == value.dims
            self.env[name] = value if same else None
        else:
            self.env[name] = value

    def eval(self, node: ast.expr) -> _Tensor | None:
        self.depth += 1
        try:
            if self.depth > _MAX_DEPTH:
                return None
            return self._eval(node)
        finally:
            self.depth -= 1

    def _eval(self, node: ast.expr) -> _Tensor | None:
        if isinstance(node, ast.Name):
            return self.env.get(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.BinOp):
            left, right = self.eval(node.left), self.eval(node.right)
            if isinstance(node.right, ast.Constant):
                return left
            if isinstance(node.left, ast.Constant):
                return right
            if left is not None and right is not None and left.dims == right.dims:
                return left
            return None
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child)
        return None

    def _arguments(self, call: ast.Call) -> list[_Tensor | None]:
        values = [self.eval(arg) for arg in call.args]
        for item in call.keywords:
            self.eval(item.value)
        return values

    def _call(self, call: ast.Call) -> _Tensor | None:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
        ):
            values = self._arguments(call)
            if func.attr not in self.attributes:
                return None
            first = values[0] if values else None
            return _apply(self.attributes[func.attr], first, self.recorder)
        qualified = self.context.qualify(func) or ""
        if isinstance(func, ast.Attribute) and not qualified.startswith("torch"):
            receiver = self.eval(func.value)
            values = self._arguments(call)
            method = func.attr
            if method in ("view", "reshape"):
                return self._view(call, receiver)
            if method == "flatten":
                start = self.context.resolver.integer(argument(call, 0, "start_dim"), self.scope)
                return _flatten(receiver) if start == 1 and len(call.args) <= 1 else None
            return receiver if method in _SAME_SHAPE else None
        values = self._arguments(call)
        name = qualified.rsplit(".", 1)[-1]
        first = values[0] if values else None
        if not qualified.startswith("torch"):
            return None
        if name in _SAME_SHAPE:
            return first
        if name == "flatten":
            start = self.context.resolver.integer(argument(call, 1, "start_dim"), self.scope)
            return _flatten(first) if start == 1 else None
        if "pool" in name and name[-2:-1].isdigit() and not name.startswith("lp"):
            return self._functional_pool(call, name, first)
        return None

    def _functional_pool(self, call: ast.Call, name: str, x: _Tensor | None) -> _Tensor | None:
        dims = int(name[-2])
        layer_name = (
            "Adaptive" if name.startswith("adaptive") else "MaxPool" if "max" in name else "AvgPool"
        )
        fact = LayerFact(LayerKind.POOL, name, self.context.span(call), conv_dims=dims)
        if layer_name == "Adaptive":
            output = self.reader.sizes(
                argument(call, 1, "output_size"), self.scope, frozenset(), ()
            )
            layer = _Layer(fact, layer_name, dims=dims, output_size=output or None)
        else:
            window = _pool_window(call, 1, name, self.scope, self.reader, functional=True)
            layer = _Layer(fact, layer_name, dims=dims, window=window)
        return _pool(layer, x)

    def _view(self, call: ast.Call, x: _Tensor | None) -> _Tensor | None:
        args = list(call.args)
        if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
            args = list(args[0].elts)
        if len(args) > 2 and not call.keywords and not _is_minus_one(args[-1]):
            sizes = [self.context.resolver.integer(arg, self.scope) for arg in args[1:]]
            if all(size is not None and size > 0 for size in sizes):
                producer = x.producer if x is not None else None
                return _Tensor(tuple(sizes), producer=producer)  # x.view(-1, 128, 7, 7)
            return None
        if len(args) != 2 or call.keywords:
            return None
        first, second = args
        if _is_minus_one(second) and not _is_minus_one(first):
            return _flatten(x)
        size = self.context.resolver.integer(second, self.scope)
        if size is None or size <= 0:
            return None
        written = size_argument(second, "view", self.context)
        assert written is not None
        flattened: tuple[int, ...] | None = None
        if x is not None and x.ranked and len(x.dims) >= 2:
            total = flattened_size(x.dims)
            if total is not None:
                flattened = tuple(d for d in x.dims if d is not None)
        producer = x.producer if x is not None else None
        return _Tensor((size,), producer=producer, flattened=flattened, view=(call, written))


def _is_minus_one(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 1
    ) or (isinstance(node, ast.Constant) and node.value == -1)


def _block_statements(body: list[ast.stmt]) -> tuple[set[int], set[int]]:
    """Ids of the statements inside conditional blocks, and of those inside loops."""
    branches: set[int] = set()
    loops: set[int] = set()
    stack: list[tuple[ast.stmt, bool, bool]] = [(s, False, False) for s in body]
    while stack:
        statement, in_branch, in_loop = stack.pop()
        if in_branch:
            branches.add(id(statement))
        if in_loop:
            loops.add(id(statement))
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        loop = in_loop or isinstance(statement, (ast.For, ast.AsyncFor, ast.While))
        branch = in_branch or isinstance(statement, (ast.If, ast.Try, ast.Match)) or loop
        children: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            children.extend(getattr(statement, name, ()) or ())
        for handler in getattr(statement, "handlers", ()) or ():
            children.extend(handler.body)
        for case in getattr(statement, "cases", ()) or ():
            children.extend(case.body)
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            stack.extend((child, in_branch, in_loop) for child in children)
        else:
            stack.extend((child, branch, loop) for child in children)
    return branches, loops


# -- models and their inputs ------------------------------------------------------------------


class _InputSizes:
    """Known input sizes per model name: probe tensors given to the model, dataset images."""

    def __init__(
        self,
        context: ExtractionContext,
        models: list[ModelFacts],
        datasets: tuple[DatasetFact, ...],
    ) -> None:
        self.context = context
        self.by_alias: dict[str, str] = {
            alias: model.name for model in models for alias in model.aliases
        }
        self.sizes: dict[str, InputSize] = {}
        if not self.by_alias:
            return
        self._probes()
        dataset = _dataset_size(context, datasets)
        if dataset is not None:
            self._dataset_users(dataset, loop_flows(context))

    def of(self, model: str) -> InputSize | None:
        return self.sizes.get(model)

    def _probes(self) -> None:
        """Models called with a probe tensor (``model(torch.randn(...))``) or summarised."""
        for site in self.context.calls.named({"summary", *self.by_alias}):
            call, scope, qualified = site.node, site.scope, site.qualified
            func = call.func
            if isinstance(func, ast.Name) and func.id in self.by_alias and call.args:
                probe = _probe_of(call.args[0], scope, call.lineno, self.context)
                if probe is not None:
                    self.sizes.setdefault(self.by_alias[func.id], probe)
                continue
            if qualified.rsplit(".", 1)[-1] != "summary" or not call.args:
                continue
            model = call.args[0]
            if not (isinstance(model, ast.Name) and model.id in self.by_alias):
                continue
            written = argument(call, 1, "input_size")
            dims = self.context.resolver.int_tuple(written, scope) if written else None
            if not dims or any(d is None for d in dims):
                continue
            sizes = tuple(d for d in dims if d is not None)
            if qualified.startswith("torchinfo"):
                sizes = sizes[1:]
            elif not qualified.startswith("torchsummary"):
                continue
            if sizes:
                evidence = Evidence(self.context.source.segment(call), self.context.span(call))
                self.sizes.setdefault(self.by_alias[model.id], InputSize(sizes, evidence))

    def _dataset_users(self, dataset: InputSize, flows: list[LoopFlow]) -> None:
        """Models called with the loader's batches as they come (moved or cast at most)."""
        verdicts: dict[str, bool] = {}
        for flow in flows:
            for alias, model in self.by_alias.items():
                for _, node, state in flow.states_passed_to(alias):
                    direct = not state.reshaped and isinstance(node, (ast.Name, ast.Call))
                    verdicts[model] = verdicts.get(model, True) and direct
        for model, direct in verdicts.items():
            if direct:
                self.sizes.setdefault(model, dataset)


def _probe_of(
    node: ast.expr, scope: Scope, line: int, context: ExtractionContext
) -> InputSize | None:
    """The per-sample size of ``torch.randn(1, 3, 32, 32)`` (directly or through a name)."""
    if isinstance(node, ast.Name):
        value = scope.lookup(node.id, line)
        if value is None:
            return None
        node = value
    node = unwrap_device_moves(node)
    if not isinstance(node, ast.Call):
        return None
    qualified = context.qualify(node.func) or ""
    if qualified not in ("torch.randn", "torch.rand", "torch.zeros", "torch.ones", "torch.empty"):
        return None
    args = list(node.args)
    if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
        args = list(args[0].elts)
    sizes = [context.resolver.integer(arg, scope) for arg in args[1:]]  # the batch size aside
    if not sizes or any(size is None or size <= 0 for size in sizes):
        return None
    dims = tuple(size for size in sizes if size is not None)
    return InputSize(dims, Evidence(context.source.segment(node), context.span(node)))


def _dataset_size(
    context: ExtractionContext, datasets: tuple[DatasetFact, ...]
) -> InputSize | None:
    """The image size a torchvision dataset delivers, after the file's resizing transforms."""
    known = {dataset.name for dataset in datasets if dataset.name in DATASET_SIZES}
    if not known or len({DATASET_SIZES[name] for name in known}) != 1:
        return None
    if any(dataset.name not in DATASET_SIZES for dataset in datasets):
        return None  # other data in the same file: which one the model sees is not known
    name = sorted(known)[0]
    channels, height, width = DATASET_SIZES[name]
    first = next(dataset for dataset in datasets if dataset.name == name)
    reason = f"{name} images"
    if any(scope.name.endswith("__getitem__") for scope in context.scopes):
        return None  # a dataset class of the file's own may reshape the images
    for site in context.calls.named(_SIZE_CHANGING_CALLS):
        call, scope, called = site.node, site.scope, site.written_name
        if called in DATASET_SIZES and not _standard_transform(call, scope, context):
            return None
        if called not in _TRANSFORMS_READ:
            continue
        qualified = site.qualified
        if not qualified.startswith("torchvision") and "transforms" not in qualified:
            continue
        if called in _OPAQUE_TRANSFORMS:
            return None
        if called == "Grayscale":
            written = argument(call, 0, "num_output_channels")
            value = context.resolver.integer(written, scope)
            if written is not None and value is None:
                return None
            channels = value if value is not None else 1
            continue
        size = context.resolver.int_tuple(argument(call, 0, "size"), scope)
        if not size or len(size) > 2 or any(s is None or s <= 0 for s in size):
            return None
        sides = [s for s in size if s is not None]
        height, width = (sides[0], sides[0]) if len(sides) == 1 else (sides[0], sides[1])
        reason = f"{name} images after {called}"
    return InputSize((channels, height, width), Evidence(reason, first.span))


def _standard_transform(call: ast.Call, scope: Scope, context: ExtractionContext) -> bool:
    """A dataset's ``transform=`` is absent or built from torchvision transforms."""
    node = keyword(call, "transform")
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return True
    if isinstance(node, ast.Name):
        value = scope.lookup(node.id, call.lineno)
        if value is None:
            return False
        node = value
    if isinstance(node, ast.Call):
        return (context.qualify(node.func) or "").startswith("torchvision") or "transforms" in (
            context.qualify(node.func) or ""
        )
    return False


def _trace_sequentials(
    context: ExtractionContext, reader: _LayerReader, inputs: _InputSizes
) -> Iterator[LayerInputFact]:
    """``model = nn.Sequential(...)`` outside classes, traced from their input when known."""
    for scope in context.scopes:
        for statement in scope.statements:
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            target = statement.targets[0]
            if not isinstance(target, ast.Name):
                continue
            value = unwrap_device_moves(statement.value)
            if is_sequential_call(value, context) is not Framework.TORCH:
                continue
            operation = reader.operation(value, scope, _parameters(scope))
            model = inputs.by_alias.get(target.id, target.id)
            recorder = _Recorder(model, context, inputs.of(model))
            start = _input_tensor(recorder.input_size)
            _apply(operation, start, recorder)
            yield from recorder.records


def _parameters(scope: Scope) -> frozenset[str]:
    """The parameters of a function scope: their values come from the caller."""
    node = scope.node
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return frozenset()
    arguments = node.args
    return frozenset(
        arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    )


def _input_tensor(size: InputSize | None) -> _Tensor | None:
    return _Tensor(size.dims) if size is not None else None


def _trace_module_classes(
    context: ExtractionContext,
    reader: _LayerReader,
    inputs: _InputSizes,
    instantiations: dict[str, bool],
) -> Iterator[LayerInputFact]:
    scopes_by_node = {id(scope.node): scope for scope in context.scopes}
    for scope in context.scopes:
        for statement in scope.statements:
            if not isinstance(statement, ast.ClassDef) or not _is_torch_module(statement, context):
                continue
            methods = {
                item.name: item
                for item in statement.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            init, forward = methods.get("__init__"), methods.get("forward")
            if init is None or forward is None:
                continue
            init_scope, forward_scope = (
                scopes_by_node.get(id(init)),
                scopes_by_node.get(id(forward)),
            )
            if init_scope is None or forward_scope is None:
                continue
            untrusted = _caller_parameters(init_scope, instantiations)
            attributes = _attributes(init_scope, reader, untrusted)
            if not any(attributes.values()):
                continue
            recorder = _Recorder(statement.name, context, inputs.of(statement.name))
            trace = _ForwardTrace(forward_scope, context, reader, attributes, recorder)
            trace.run(forward, _input_tensor(recorder.input_size))
            yield from recorder.records


def _is_torch_module(node: ast.ClassDef, context: ExtractionContext) -> bool:
    for base in node.bases:
        qualified = context.qualify(base) or ""
        if qualified.rsplit(".", 1)[-1] == "Module" and (
            qualified.startswith("torch") or qualified == "Module"
        ):
            return True
    return False


def _caller_parameters(scope: Scope, instantiations: dict[str, bool]) -> frozenset[str]:
    """Parameters of a function scope whose values come from its callers.

    A model class's ``__init__`` parameters keep their defaults when every ``Model()`` call in the
    file passes no argument.
    """
    parameters = _parameters(scope)
    if parameters and scope.name.endswith(".__init__"):
        owner = scope.name.rsplit(".", 2)[-2]
        if instantiations.get(owner):
            return frozenset()
    return parameters - {"self"}


def _instantiations(context: ExtractionContext) -> dict[str, bool]:
    """For each called class-like name: True when every call passes no argument."""
    found = context.per_scope(
        "instantiations", lambda scope: _scope_instantiations(context.calls.statements(scope))
    )
    calls: dict[str, bool] = {}
    for pairs in found:
        for name, bare in pairs:
            calls[name] = calls.get(name, True) and bare
    return calls


def _scope_instantiations(
    statements: list[tuple[ast.stmt, list[CallSite]]],
) -> tuple[tuple[str, bool], ...]:
    """(name, passes no argument) of each call of a class-like name in one scope."""
    found: list[tuple[str, bool]] = []
    for _, sites in statements:
        for site in sites:
            name = site.written_name
            if site.method is None and name is not None and name[:1].isupper():
                found.append((name, not site.node.args and not site.node.keywords))
    return tuple(found)


def _attributes(
    scope: Scope, reader: _LayerReader, untrusted: frozenset[str]
) -> dict[str, _Op | None]:
    """``self.name = <layer>`` assignments of ``__init__`` (None: a module of unknown shape)."""
    attributes: dict[str, _Op | None] = {}
    for statement in scope.statements:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            continue
        target = statement.targets[0]
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            known = target.attr not in attributes
            operation = reader.operation(statement.value, scope, untrusted)
            attributes[target.attr] = operation if known else None  # assigned twice: unknown
    return attributes


# -- Keras recurrent layers, embeddings, output sizes -----------------------------------------


@dataclass
class _LayerCalls:
    """What the scan of the layer calls finds, whatever model they end up in."""

    units: list[tuple[Span, SizeArgument]] = field(default_factory=list)
    recurrent: list[RecurrentFact] = field(default_factory=list)
    vocabularies: list[VocabularyFact] = field(default_factory=list)
    reshapes: list[tuple[Span, tuple[int, ...]]] = field(default_factory=list)


def _scan_layer_calls(context: ExtractionContext, instantiations: dict[str, bool]) -> _LayerCalls:
    found = _LayerCalls()
    embeddings: list[tuple[ast.Call, Scope, bool]] = []
    tokenizers: list[tuple[ast.Call, int]] = []
    for site in context.calls.named(_SCANNED):
        call, scope, name = site.node, site.scope, site.written_name
        if name is None or name not in _SCANNED:
            continue
        qualified = site.qualified
        torch = qualified.startswith("torch")
        if name in ("Dense", "Linear"):
            node = (
                argument(call, 1, "out_features")
                if torch
                else argument(call, 0, "units", "output_dim")
            )
            written = size_argument(node, "units", context)
            if written is not None and node is not None:
                caller = _caller_parameters(scope, instantiations)
                if caller and _depends_on(node, scope, caller):
                    written = replace(written, from_caller=True)
                found.units.append((context.span(call), written))
        elif name in _RECURRENT_CLASSES or name == "Bidirectional":
            fact = _recurrent(call, name, scope, context)
            if fact is not None:
                found.recurrent.append(fact)
        elif name == "Embedding":
            embeddings.append((call, scope, torch))
        elif name == "Tokenizer":
            words = context.resolver.integer(keyword(call, "num_words", "nb_words"), scope)
            if words is None and call.args:
                words = context.resolver.integer(call.args[0], scope)
            if words is not None:
                tokenizers.append((call, words))
        elif name == "Reshape" and not torch:
            target = context.resolver.int_tuple(argument(call, 0, "target_shape"), scope)
            if target and all(size is not None and size > 0 for size in target):
                sizes = tuple(size for size in target if size is not None)
                found.reshapes.append((context.span(call), sizes))
    for call, scope, torch in embeddings:
        vocabulary = _vocabulary(call, scope, torch, tokenizers, context)
        if vocabulary is not None:
            found.vocabularies.append(vocabulary)
    return found


_SCANNED = (
    frozenset({"Dense", "Linear", "Embedding", "Tokenizer", "Bidirectional", "Reshape"})
    | _RECURRENT_CLASSES
)


def _recurrent(
    call: ast.Call, name: str, scope: Scope, context: ExtractionContext
) -> RecurrentFact | None:
    inner = call
    if name == "Bidirectional":
        layer = argument(call, 0, "layer")
        if not isinstance(layer, ast.Call):
            return None
        inner = layer
    elif (context.qualify(call.func) or "").startswith("torch"):
        return None
    node = keyword(inner, "return_sequences")
    value: bool | None = False
    if node is not None:
        resolved = context.resolver.value(node, scope)
        value = resolved if isinstance(resolved, bool) else None
    return RecurrentFact(context.span(call), value, context.span(inner))


def _vocabulary(
    call: ast.Call,
    scope: Scope,
    torch: bool,
    tokenizers: list[tuple[ast.Call, int]],
    context: ExtractionContext,
) -> VocabularyFact | None:
    name = "num_embeddings" if torch else "input_dim"
    node = argument(call, 0, name)
    written = size_argument(node, name, context)
    if node is None or written is None:
        return None
    limits = {words for _, words in tokenizers}
    if not tokenizers:
        length = _word_index_length(node, scope, call.lineno)
        if length is not None:
            return VocabularyFact(context.span(call), written, "word_index", context.span(length))
        return None
    if len(limits) != 1:
        return None
    words = limits.pop()
    value = context.resolver.integer(node, scope)
    if value is not None and value < words:
        tokenizer = tokenizers[0][0]
        return VocabularyFact(
            context.span(call), written, "num_words", context.span(tokenizer), value, words
        )
    return None


def _word_index_length(node: ast.expr, scope: Scope, line: int, depth: int = 0) -> ast.Call | None:
    """The ``len(tokenizer.word_index)`` call an input dimension is (with no ``+ 1``)."""
    if depth > 4:
        return None
    if isinstance(node, ast.Name):
        value = scope.lookup(node.id, line)
        return _word_index_length(value, scope, line, depth + 1) if value is not None else None
    if not (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"
    ):
        return None
    if len(node.args) != 1:
        return None
    counted = node.args[0]
    if isinstance(counted, ast.Name):
        value = scope.lookup(counted.id, line)
        counted = value if value is not None else counted
    if isinstance(counted, ast.Attribute) and counted.attr == "word_index":
        return node
    return None
