"""What a TensorFlow 1 graph computes, read from its statements: placeholders, weights, the layer
chain from the input placeholder to the model output, the loss, the optimizer and the accuracy.

A small abstract interpreter over ``ast``: each graph expression evaluates to a value below,
anything it does not know raises ``Unrecognised`` with the reason (the migration then falls
back to the ``tf.compat.v1`` path). Shapes and hyperparameters are kept as source text, so the
Keras code written from them uses the names the user wrote.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace


class Unrecognised(Exception):
    """The graph uses something the idiomatic migration does not translate (the reason)."""


@dataclass(frozen=True)
class Placeholder:
    name: str
    shape: tuple[str, ...] | None  # source text of each dimension, the batch one included
    dtype: str


@dataclass(frozen=True)
class Weight:
    shape: tuple[str, ...]  # source text of each dimension


@dataclass(frozen=True)
class WeightTable:
    weights: Mapping[str, Weight]


@dataclass(frozen=True)
class Layer:
    """A Keras layer: its class and its arguments as source text."""

    kind: str  # 'Dense', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Reshape', ...
    args: tuple[str, ...] = ()
    activation: str | None = None
    # Dropout of a keep-probability placeholder: resolved from the training feed_dict.
    keep_prob: str | None = None

    def with_activation(self, activation: str) -> Layer:
        return replace(self, activation=activation)


@dataclass(frozen=True)
class Tensor:
    """A tensor computed from the input placeholder by a chain of layers."""

    source: str  # the input placeholder's name
    layers: tuple[Layer, ...]
    pending_dense: bool = False  # tf.matmul seen, its bias may follow


@dataclass(frozen=True)
class Loss:
    output: Tensor
    labels: str  # the labels placeholder's name
    keras: str  # a Keras loss, as source text relative to the Keras module: 'losses.X(...)'


@dataclass(frozen=True)
class Optimizer:
    keras: str  # 'optimizers.Adam(learning_rate=0.001)'


@dataclass(frozen=True)
class TrainOp:
    optimizer: Optimizer
    loss: Loss


@dataclass(frozen=True)
class Correct:
    output: Tensor
    labels: str


@dataclass(frozen=True)
class Accuracy:
    output: Tensor
    labels: str


@dataclass(frozen=True)
class Initializer:
    pass


Value = (
    Placeholder
    | Weight
    | WeightTable
    | Tensor
    | Loss
    | Optimizer
    | TrainOp
    | Correct
    | Accuracy
    | Initializer
)

ACTIVATIONS = {
    "nn.relu": "relu",
    "nn.relu6": "relu6",
    "nn.sigmoid": "sigmoid",
    "sigmoid": "sigmoid",
    "nn.tanh": "tanh",
    "tanh": "tanh",
    "nn.softmax": "softmax",
    "nn.elu": "elu",
    "nn.selu": "selu",
    "nn.softplus": "softplus",
    "nn.leaky_relu": "leaky_relu",
    "nn.swish": "swish",
    "nn.gelu": "gelu",
}
OPTIMIZERS = {
    "train.GradientDescentOptimizer": "SGD",
    "train.MomentumOptimizer": "SGD",
    "train.AdamOptimizer": "Adam",
    "train.AdagradOptimizer": "Adagrad",
    "train.AdadeltaOptimizer": "Adadelta",
    "train.RMSPropOptimizer": "RMSprop",
    "train.FtrlOptimizer": "Ftrl",
}
_WEIGHT_FACTORIES = frozenset(
    {
        "random_normal",
        "random.normal",
        "truncated_normal",
        "random.truncated_normal",
        "random_uniform",
        "random.uniform",
        "zeros",
        "ones",
    }
)
_CROSS_ENTROPIES = {
    "nn.softmax_cross_entropy_with_logits": "CategoricalCrossentropy",
    "nn.softmax_cross_entropy_with_logits_v2": "CategoricalCrossentropy",
    "nn.sparse_softmax_cross_entropy_with_logits": "SparseCategoricalCrossentropy",
    "nn.sigmoid_cross_entropy_with_logits": "BinaryCrossentropy",
}
_TF1_LOSSES = {
    "losses.softmax_cross_entropy": ("CategoricalCrossentropy", "onehot_labels"),
    "losses.sparse_softmax_cross_entropy": ("SparseCategoricalCrossentropy", "labels"),
    "losses.sigmoid_cross_entropy": ("BinaryCrossentropy", "multi_class_labels"),
}


@dataclass
class Graph:
    """The values of the graph's names, as the statements are read in order."""

    tf_alias: str
    source: str
    constants: dict[str, ast.expr] = field(default_factory=dict)
    values: dict[str, Value] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    used_functions: set[str] = field(default_factory=set)

    # -- helpers ------------------------------------------------------------------------------

    def text(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.source, node)
        if segment is None or "\n" in segment:
            raise Unrecognised("an argument spans several lines")
        return segment

    def tf_name(self, node: ast.expr) -> str | None:
        """``tf.nn.relu`` → ``nn.relu`` (``tf.compat.v1.`` dropped); None if not under tf."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id != self.tf_alias or not parts:
            return None
        name = ".".join(reversed(parts))
        return name.removeprefix("compat.v1.")

    def mentions_graph(self, node: ast.AST, env: Mapping[str, Value]) -> bool:
        return any(isinstance(n, ast.Name) and n.id in env for n in ast.walk(node))

    # -- evaluation ---------------------------------------------------------------------------

    def evaluate(self, node: ast.expr, env: Mapping[str, Value]) -> Value | None:
        """The graph value of ``node``; None when it is no graph expression at all."""
        if isinstance(node, ast.Name):
            return env.get(node.id)
        if isinstance(node, ast.Subscript):
            table = self.evaluate(node.value, env)
            if isinstance(table, WeightTable):
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found = table.weights.get(key.value)
                    if found is not None:
                        return found
                raise Unrecognised(f"weight {self.text(node)} is not in its table")
            if table is not None:
                raise Unrecognised(f"{self.text(node)} slices a tensor")
            return None
        if isinstance(node, ast.Dict):
            return self._weight_table(node, env)
        if isinstance(node, ast.BinOp):
            return self._binary(node, env)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.evaluate(node.operand, env)
            return inner
        if isinstance(node, ast.Call):
            return self._call(node, env)
        if self.mentions_graph(node, env):
            raise Unrecognised(f"{ast.unparse(node)[:60]} uses graph tensors")
        return None

    def _weight_table(self, node: ast.Dict, env: Mapping[str, Value]) -> WeightTable | None:
        weights: dict[str, Weight] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            weight = self.evaluate(value, env) if value is not None else None
            if weight is None:
                if weights:
                    raise Unrecognised("a weight table mixes weights with other values")
                return None
            if not (isinstance(key, ast.Constant) and isinstance(weight, Weight)):
                raise Unrecognised("a weight table with keys that are not strings")
            weights[str(key.value)] = weight
        return WeightTable(weights) if weights else None

    def _binary(self, node: ast.BinOp, env: Mapping[str, Value]) -> Value | None:
        left, right = self.evaluate(node.left, env), self.evaluate(node.right, env)
        if left is None and right is None:
            return None
        if isinstance(node.op, ast.Add) and isinstance(left, Tensor) and isinstance(right, Weight):
            return _bias_added(left)
        raise Unrecognised(f"the expression {self.text(node)} is not a layer")

    def _call(self, node: ast.Call, env: Mapping[str, Value]) -> Value | None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.functions:
            return self._inline(func.id, node, env)
        if isinstance(func, ast.Attribute) and func.attr == "minimize":
            optimizer = self.evaluate(func.value, env)
            if isinstance(optimizer, Optimizer):
                loss = self.evaluate(_argument(node, 0, "loss"), env)
                if not isinstance(loss, Loss):
                    raise Unrecognised("minimize() of something that is not a recognised loss")
                return TrainOp(optimizer, loss)
        name = self.tf_name(func)
        if name is None:
            if self.mentions_graph(node, env):
                raise Unrecognised(f"{self.text(func)}() of graph tensors")
            return None
        handler = _CALLS.get(name)
        if handler is not None:
            return handler(self, node, env)
        if name in ACTIVATIONS:
            return self._activation(node, env, ACTIVATIONS[name])
        if name in OPTIMIZERS:
            return self._optimizer(node, OPTIMIZERS[name], name)
        if name in _CROSS_ENTROPIES:
            return self._cross_entropy(node, env, _CROSS_ENTROPIES[name])
        if name in _TF1_LOSSES:
            keras, labels_keyword = _TF1_LOSSES[name]
            labels = _argument(node, 0, labels_keyword)
            logits = _argument(node, 1, "logits")
            return self._loss(logits, labels, env, f"losses.{keras}(from_logits=True)")
        if name in _WEIGHT_FACTORIES or name == "constant":
            return None  # an initial value: Variable() makes it a weight
        if self.mentions_graph(node, env):
            raise Unrecognised(f"tf.{name}() is not translated to a Keras layer")
        return None

    def _inline(self, name: str, call: ast.Call, env: Mapping[str, Value]) -> Value | None:
        """A model function (``def conv_net(x, weights, biases)``) evaluated on its arguments."""
        function = self.functions[name]
        params = [arg.arg for arg in function.args.args]
        if call.keywords or len(call.args) > len(params) or function.args.vararg:
            raise Unrecognised(f"{name}() is called with arguments it cannot be inlined for")
        local: dict[str, Value] = dict(env)
        given = [self.evaluate(arg, env) for arg in call.args]
        if not any(value is not None for value in given):
            return None
        for param, value in zip(params, given, strict=False):
            if value is None:
                raise Unrecognised(f"{name}() is given a value that is not a graph tensor")
            local[param] = value
        for statement in function.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                continue  # the docstring
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                value = self.evaluate(statement.value, local)
                if not isinstance(target, ast.Name) or value is None:
                    raise Unrecognised(f"{name}() computes something that is not a layer")
                local[target.id] = value
            elif isinstance(statement, ast.Return) and statement.value is not None:
                self.used_functions.add(name)
                return self.evaluate(statement.value, local)
            else:
                raise Unrecognised(f"{name}() has statements other than layer assignments")
        raise Unrecognised(f"{name}() returns nothing")

    def tensor(self, node: ast.expr, env: Mapping[str, Value], what: str) -> Tensor:
        value = self.evaluate(node, env)
        if isinstance(value, Placeholder):
            return Tensor(value.name, ())
        if not isinstance(value, Tensor):
            raise Unrecognised(f"the {what} is not computed from the input placeholder")
        return value

    def _activation(self, node: ast.Call, env: Mapping[str, Value], activation: str) -> Tensor:
        tensor = _settled(self.tensor(_argument(node, 0, "features"), env, "activation input"))
        last = tensor.layers[-1] if tensor.layers else None
        if last is not None and last.kind in ("Dense", "Conv2D") and last.activation is None:
            return Tensor(tensor.source, (*tensor.layers[:-1], last.with_activation(activation)))
        return _appended(tensor, Layer("Activation", (repr(activation),)))

    def _optimizer(self, node: ast.Call, keras: str, name: str) -> Optimizer:
        rate = _argument(node, 0, "learning_rate")
        args = [f"learning_rate={self.text(rate)}"]
        if name == "train.MomentumOptimizer":
            args.append(f"momentum={self.text(_argument(node, 1, 'momentum'))}")
            nesterov = _keyword(node, "use_nesterov")
            if nesterov is not None:
                args.append(f"nesterov={self.text(nesterov)}")
        return Optimizer(f"optimizers.{keras}({', '.join(args)})")

    def _cross_entropy(self, node: ast.Call, env: Mapping[str, Value], keras: str) -> Loss:
        logits, labels = _keyword(node, "logits"), _keyword(node, "labels")
        if logits is None or labels is None:
            raise Unrecognised("a cross-entropy without logits= and labels=")
        return self._loss(logits, labels, env, f"losses.{keras}(from_logits=True)")

    def _loss(
        self, output: ast.expr, labels: ast.expr, env: Mapping[str, Value], keras: str
    ) -> Loss:
        tensor = _settled(self.tensor(output, env, "loss input"))
        label = self.evaluate(labels, env)
        if not isinstance(label, Placeholder):
            raise Unrecognised("the labels of the loss are not a placeholder")
        return Loss(tensor, label.name, keras)


def _argument(node: ast.Call, index: int, keyword: str) -> ast.expr:
    found = _keyword(node, keyword)
    if found is not None:
        return found
    positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
    if index < len(positional):
        return positional[index]
    raise Unrecognised(f"a call without its {keyword} argument")


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _settled(tensor: Tensor) -> Tensor:
    return replace(tensor, pending_dense=False)


def _appended(tensor: Tensor, layer: Layer) -> Tensor:
    return Tensor(tensor.source, (*tensor.layers, layer))


def _bias_added(tensor: Tensor) -> Tensor:
    last = tensor.layers[-1] if tensor.layers else None
    if last is None or last.kind not in ("Dense", "Conv2D") or last.activation is not None:
        raise Unrecognised("a bias added to something that is not a layer's output")
    return _settled(tensor)


# -- the tf.* calls, one handler each ----------------------------------------------------------

CallHandler = Callable[[Graph, ast.Call, Mapping[str, Value]], "Value | None"]


def _placeholder(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Placeholder:
    dtype = graph.text(_argument(node, 0, "dtype"))
    shape_node = _keyword(node, "shape") or (node.args[1] if len(node.args) > 1 else None)
    shape = _shape(graph, shape_node) if shape_node is not None else None
    return Placeholder("", shape, dtype)


def _shape(graph: Graph, node: ast.expr) -> tuple[str, ...]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        raise Unrecognised("a shape that is not a list")
    return tuple(graph.text(element) for element in node.elts)


def _variable(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Weight:
    initial = _argument(node, 0, "initial_value")
    if isinstance(initial, ast.Call):
        factory = graph.tf_name(initial.func)
        if factory in _WEIGHT_FACTORIES:
            return Weight(_shape(graph, _argument(initial, 0, "shape")))
        if factory == "constant":
            shape = _keyword(initial, "shape")
            if shape is not None:
                return Weight(_shape(graph, shape))
    raise Unrecognised("a tf.Variable whose shape is not written in its initial value")


def _get_variable(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Weight:
    return Weight(_shape(graph, _argument(node, 1, "shape")))


def _matmul(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "a"), env, "matmul input"))
    weight = graph.evaluate(_argument(node, 1, "b"), env)
    if not isinstance(weight, Weight) or len(weight.shape) != 2:
        raise Unrecognised("tf.matmul by something that is not a 2-D weight")
    return Tensor(tensor.source, (*tensor.layers, Layer("Dense", (weight.shape[1],))), True)


def _add(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = graph.tensor(_argument(node, 0, "x"), env, "addition")
    bias = graph.evaluate(_argument(node, 1, "y"), env)
    if not isinstance(bias, Weight):
        raise Unrecognised("tf.add of two tensors is not a layer")
    return _bias_added(tensor)


def _dense(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "dense input"))
    units = graph.text(_argument(node, 1, "units"))
    return _appended(tensor, Layer("Dense", (units,), _activation_of(graph, node, "activation")))


def _fully_connected(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "dense input"))
    units = graph.text(_argument(node, 1, "num_outputs"))
    given = _keyword(node, "activation_fn")
    activation = "relu" if given is None else _activation_of(graph, node, "activation_fn")
    return _appended(tensor, Layer("Dense", (units,), activation))


def _activation_of(graph: Graph, node: ast.Call, keyword: str) -> str | None:
    value = _keyword(node, keyword)
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return None
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    name = graph.tf_name(value)
    if name in ACTIVATIONS:
        return ACTIVATIONS[name]
    raise Unrecognised(f"the activation {graph.text(value)} is not a known one")


def _conv2d_layer(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "convolution input"))
    args = [
        graph.text(_argument(node, 1, "filters")),
        graph.text(_argument(node, 2, "kernel_size")),
    ]
    for keyword in ("strides", "padding"):
        value = _keyword(node, keyword)
        if value is not None:
            args.append(f"{keyword}={_lower(graph.text(value))}")
    activation = _activation_of(graph, node, "activation")
    return _appended(tensor, Layer("Conv2D", tuple(args), activation))


def _nn_conv2d(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "input"), env, "convolution input"))
    weight = graph.evaluate(
        _argument(node, 1, "filters" if _keyword(node, "filters") else "filter"), env
    )
    if not isinstance(weight, Weight) or len(weight.shape) != 4:
        raise Unrecognised("tf.nn.conv2d with a filter that is not a 4-D weight")
    height, width, _, filters = weight.shape
    args = [filters, f"({height}, {width})"]
    args += _window_arguments(graph, node, "strides", 2)
    return Tensor(tensor.source, (*tensor.layers, Layer("Conv2D", tuple(args))), True)


def _window_arguments(graph: Graph, node: ast.Call, keyword: str, index: int) -> list[str]:
    """``strides=[1, 2, 2, 1], padding='SAME'`` → ``strides=(2, 2)``, ``padding='same'``."""
    args: list[str] = []
    strides = _keyword(node, keyword) or (node.args[index] if len(node.args) > index else None)
    if strides is not None:
        step = _spatial(graph, strides)
        if step != ("1", "1"):
            args.append(f"strides=({step[0]}, {step[1]})")
    padding = _keyword(node, "padding") or (
        node.args[index + 1] if len(node.args) > index + 1 else None
    )
    if padding is not None:
        args.append(f"padding={_lower(graph.text(padding))}")
    return args


def _spatial(graph: Graph, node: ast.expr) -> tuple[str, str]:
    if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) == 4:
        return graph.text(node.elts[1]), graph.text(node.elts[2])
    if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) == 2:
        return graph.text(node.elts[0]), graph.text(node.elts[1])
    text = graph.text(node)
    return text, text


def _lower(text: str) -> str:
    return text.lower() if text.strip("'\"").upper() in ("SAME", "VALID") else text


def _nn_pool(kind: str) -> CallHandler:
    def handler(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
        tensor = _settled(graph.tensor(_argument(node, 0, "value"), env, "pooling input"))
        size = _keyword(node, "ksize") or (node.args[1] if len(node.args) > 1 else None)
        if size is None:
            raise Unrecognised("a pooling without ksize")
        window = _spatial(graph, size)
        args = [f"pool_size=({window[0]}, {window[1]})"]
        args += _window_arguments(graph, node, "strides", 2)
        return _appended(tensor, Layer(kind, tuple(args)))

    return handler


def _layers_pool(kind: str) -> CallHandler:
    def handler(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
        tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "pooling input"))
        args = [
            graph.text(_argument(node, 1, "pool_size")),
            graph.text(_argument(node, 2, "strides")),
        ]
        padding = _keyword(node, "padding")
        if padding is not None:
            args.append(f"padding={_lower(graph.text(padding))}")
        return _appended(tensor, Layer(kind, tuple(args)))

    return handler


def _reshape(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "tensor"), env, "reshape input"))
    shape = _argument(node, 1, "shape")
    if not isinstance(shape, (ast.List, ast.Tuple)) or not shape.elts:
        raise Unrecognised("a reshape to a shape that is not a list")
    first = shape.elts[0]
    if (
        not (isinstance(first, ast.UnaryOp) and graph.text(first) == "-1")
        and graph.text(first) != "None"
    ):
        raise Unrecognised("a reshape that changes the batch dimension")
    rest = shape.elts[1:]
    if len(rest) == 1 and any(
        layer.kind in ("Conv2D", "MaxPooling2D", "AveragePooling2D") for layer in tensor.layers
    ):
        return _appended(tensor, Layer("Flatten"))
    dims = ", ".join(graph.text(element) for element in rest)
    return _appended(tensor, Layer("Reshape", (f"({dims},)" if len(rest) == 1 else f"({dims})",)))


def _flatten(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "flatten input"))
    return _appended(tensor, Layer("Flatten"))


def _nn_dropout(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "x"), env, "dropout input"))
    rate = _keyword(node, "rate")
    if rate is not None:
        return _appended(tensor, Layer("Dropout", (graph.text(rate),)))
    keep = _keyword(node, "keep_prob") or (node.args[1] if len(node.args) > 1 else None)
    if keep is None:
        raise Unrecognised("a dropout without its keep probability")
    kept = graph.evaluate(keep, env)
    if isinstance(kept, Placeholder):
        return _appended(tensor, Layer("Dropout", keep_prob=kept.name))
    if kept is not None:
        raise Unrecognised("a dropout keep probability computed from tensors")
    return _appended(tensor, Layer("Dropout", (f"1 - {graph.text(keep)}",)))


def _layers_dropout(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "dropout input"))
    rate = _keyword(node, "rate") or (node.args[1] if len(node.args) > 1 else None)
    return _appended(tensor, Layer("Dropout", (graph.text(rate) if rate is not None else "0.5",)))


def _batch_norm(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Tensor:
    tensor = _settled(graph.tensor(_argument(node, 0, "inputs"), env, "normalization input"))
    return _appended(tensor, Layer("BatchNormalization"))


def _reduce_mean(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Value | None:
    inner = _argument(node, 0, "input_tensor")
    formula = _squared_error(graph, inner, env) or _log_likelihood(graph, inner, env)
    if formula is not None:
        return formula
    value = graph.evaluate(inner, env)
    if isinstance(value, (Loss, Accuracy)) or value is None:
        return value
    if isinstance(value, Correct):
        return Accuracy(value.output, value.labels)
    raise Unrecognised(f"tf.reduce_mean of {graph.text(inner)} is not a recognised loss")


def _cast(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Value | None:
    value = graph.evaluate(_argument(node, 0, "x"), env)
    if isinstance(value, Correct) or value is None:
        return value
    raise Unrecognised("a cast of a graph tensor")


def _equal(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Correct | None:
    left, right = _argument(node, 0, "x"), _argument(node, 1, "y")
    predicted, truth = _argmax_of(graph, left, env), _argmax_of(graph, right, env)
    if isinstance(predicted, Placeholder) and isinstance(truth, Tensor):
        predicted, truth = truth, predicted
    if isinstance(predicted, Tensor) and isinstance(truth, Placeholder):
        return Correct(predicted, truth.name)
    if predicted is None and truth is None:
        return None
    raise Unrecognised("tf.equal of something other than the predicted and true classes")


def _argmax_of(graph: Graph, node: ast.expr, env: Mapping[str, Value]) -> Value | None:
    if isinstance(node, ast.Call) and graph.tf_name(node.func) in ("argmax", "math.argmax"):
        value = graph.evaluate(_argument(node, 0, "input"), env)
        return value
    return graph.evaluate(node, env)


def _squared_error(graph: Graph, node: ast.expr, env: Mapping[str, Value]) -> Loss | None:
    """``tf.square(pred - y)`` or ``tf.pow(pred - y, 2)`` (inside a reduce_mean)."""
    if not isinstance(node, ast.Call) or graph.tf_name(node.func) not in (
        "square",
        "pow",
        "math.square",
    ):
        return None
    difference = node.args[0] if node.args else None
    if not (isinstance(difference, ast.BinOp) and isinstance(difference.op, ast.Sub)):
        return None
    return graph._loss(difference.left, difference.right, env, '"mse"')


def _log_likelihood(graph: Graph, node: ast.expr, env: Mapping[str, Value]) -> Loss | None:
    """``-tf.reduce_sum(y * tf.log(pred), axis=1)``: cross-entropy on softmax probabilities."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    if not (
        isinstance(node, ast.Call) and graph.tf_name(node.func) in ("reduce_sum", "math.reduce_sum")
    ):
        return None
    product = node.args[0] if node.args else None
    if not (isinstance(product, ast.BinOp) and isinstance(product.op, ast.Mult)):
        return None
    for labels, log in ((product.left, product.right), (product.right, product.left)):
        if (
            isinstance(log, ast.Call)
            and graph.tf_name(log.func) in ("log", "math.log")
            and log.args
        ):
            tensor = graph.tensor(log.args[0], env, "log input")
            if not tensor.layers or not _is_softmax(tensor.layers[-1]):
                raise Unrecognised("the log-likelihood of something that is not a softmax")
            return graph._loss(log.args[0], labels, env, '"categorical_crossentropy"')
    return None


def _is_softmax(layer: Layer) -> bool:
    return layer.activation == "softmax" or (
        layer.kind == "Activation" and layer.args == ("'softmax'",)
    )


def _mse(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Loss:
    return graph._loss(
        _argument(node, 1, "predictions"), _argument(node, 0, "labels"), env, '"mse"'
    )


def _initializer(graph: Graph, node: ast.Call, env: Mapping[str, Value]) -> Initializer:
    return Initializer()


_CALLS: dict[str, CallHandler] = {
    "placeholder": _placeholder,
    "Variable": _variable,
    "get_variable": _get_variable,
    "matmul": _matmul,
    "add": _add,
    "nn.bias_add": _add,
    "layers.dense": _dense,
    "contrib.layers.fully_connected": _fully_connected,
    "layers.conv2d": _conv2d_layer,
    "nn.conv2d": _nn_conv2d,
    "nn.max_pool": _nn_pool("MaxPooling2D"),
    "nn.max_pool2d": _nn_pool("MaxPooling2D"),
    "nn.avg_pool": _nn_pool("AveragePooling2D"),
    "layers.max_pooling2d": _layers_pool("MaxPooling2D"),
    "layers.average_pooling2d": _layers_pool("AveragePooling2D"),
    "reshape": _reshape,
    "layers.flatten": _flatten,
    "contrib.layers.flatten": _flatten,
    "nn.dropout": _nn_dropout,
    "layers.dropout": _layers_dropout,
    "layers.batch_normalization": _batch_norm,
    "reduce_mean": _reduce_mean,
    "cast": _cast,
    "equal": _equal,
    "losses.mean_squared_error": _mse,
    "global_variables_initializer": _initializer,
    "initialize_all_variables": _initializer,
}
