"""Training-loop facts (TRN3xx): the order of zero_grad/backward/step, evaluation mode, ..."""

from __future__ import annotations

from dataclasses import dataclass

from dl_lsp.facts.span import Span


@dataclass(frozen=True)
class GradientLoopFact:
    """A loop that computes gradients and applies them: the innermost one that does both.

    PyTorch: ``loss.backward()`` and ``optimizer.step()``; TensorFlow: ``tape.gradient`` and
    ``optimizer.apply_gradients``. ``function`` marks a function body that does one step
    outside any loop (``def train_step(...)``).
    """

    framework: str  # 'torch' or 'tensorflow'
    span: Span  # the loop header (``for batch in loader``) or the function name
    scope: str
    backward: Span | None = None  # the first backward() call
    step: Span | None = None  # the first optimizer step
    # Every distinct optimizer stepped (receiver text), so multi-optimizer loops can be told apart.
    optimizers: tuple[str, ...] = ()
    # zero_grad (or grads set to None) anywhere in this loop, nested blocks included.
    zero_grad: bool = False
    # zero_grad only in an enclosing loop: called once per outer iteration.
    outer_zero_grad: Span | None = None
    # An optimizer step inside an ``if`` (gradient accumulation, warm-up, ...).
    conditional_step: bool = False
    # An unconditional step before the first unconditional backward, no zero_grad between.
    step_before_backward: Span | None = None
    # An unconditional zero_grad of the stepped optimizer between backward and step.
    zero_grad_before_step: Span | None = None
    # The name the loop iterates (``train_loader`` in ``for i, b in enumerate(train_loader)``).
    iterable: str | None = None
    function: bool = False


@dataclass(frozen=True)
class EvaluationLoopFact:
    """A loop over test/validation data that calls a callable by name (a candidate model)."""

    span: Span  # the loop header
    scope: str
    callee: str  # the called name (``model`` in ``outputs = model(images)``)
    call: Span
    iterable: str
    # The last mode call before the model call in this scope: 'eval', 'train', 'unknown' or None.
    mode: str | None = None
    mode_span: Span | None = None
    # Inside torch.no_grad()/inference_mode()/set_grad_enabled(False), or a decorated function.
    no_grad: bool = False
    # The model is not assigned in the loop's function: the caller owns its mode.
    model_from_caller: bool = False


@dataclass(frozen=True)
class LossAccumulationFact:
    """A loss tensor kept across iterations (``running_loss += loss``), graph included."""

    span: Span  # the loss expression to wrap with .item()
    accumulator: str
    loss: str
    kind: str  # 'augmented', 'sum', 'append'
    # The accumulator is later used as a tensor (``.item()``, ``.backward()``): a fix would break it.
    used_as_tensor: bool = False


@dataclass(frozen=True)
class FunctionalDropoutFact:
    """``F.dropout(x, p)`` in a module method without ``training=``: always on."""

    span: Span
    function: str  # 'dropout', 'dropout2d', ...
    method: str  # the method's scope name: 'Net.forward'


@dataclass(frozen=True)
class UnrunTrainOpFact:
    """A TF1 ``optimizer.minimize(loss)`` op that no ``session.run`` ever receives."""

    span: Span
    method: str  # 'minimize' or 'apply_gradients'
    name: str | None  # the variable it is assigned to; None when the result is discarded


@dataclass(frozen=True)
class TrainingDataValidationFact:
    """Validation on the training data: ``fit(x, y, validation_data=(x, y))``, or a validation
    DataLoader over the training loader's dataset."""

    span: Span  # the validation data as written
    data: str
    source: str  # 'fit' or 'DataLoader'
    train_span: Span  # where the same data is used for training


@dataclass(frozen=True)
class TrainingCallFact:
    """A Keras training call (``fit``, ``fit_generator``, ``train_on_batch``)."""

    span: Span  # the method name only (``fit`` in ``model.fit(...)``): a small anchor
    method: str
    model: str | None  # the receiver
    data: str | None  # the first argument's name, when it is a name


@dataclass(frozen=True)
class TrainingLoopFacts:
    """Filled by ``extract.training_loop``."""

    gradient_loops: tuple[GradientLoopFact, ...] = ()
    evaluation_loops: tuple[EvaluationLoopFact, ...] = ()
    loss_accumulations: tuple[LossAccumulationFact, ...] = ()
    functional_dropouts: tuple[FunctionalDropoutFact, ...] = ()
    unrun_train_ops: tuple[UnrunTrainOpFact, ...] = ()
    validation_on_training: tuple[TrainingDataValidationFact, ...] = ()
    training_calls: tuple[TrainingCallFact, ...] = ()
    # Names assigned from pretrained constructors (torchvision.models, timm, torch.hub,
    # from_pretrained): models known to contain dropout or batch normalisation.
    pretrained_models: frozenset[str] = frozenset()
    # Anywhere in the file, outside the evaluation loop's function: ``.eval()`` calls, and
    # gradient-free contexts. A caller may have set them for a loop inside a function.
    eval_calls_in: frozenset[str] = frozenset()  # scope names with an eval()/train(False) call
    no_grad_in: frozenset[str] = frozenset()  # scope names with no_grad/inference_mode
    global_no_grad: bool = False  # torch.set_grad_enabled(False) at module level
