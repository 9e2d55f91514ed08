"""Training-loop facts (TRN3xx): loops, their calls in order, evaluation loops, TF1 ops."""

from __future__ import annotations

import ast
import textwrap

import pytest

from dl_lsp.engine import analyze_source
from dl_lsp.extract.scopes import build_scopes
from dl_lsp.extract.training_loop import (
    block_ends,
    is_evaluation_name,
    is_training_name,
    iterated_name,
)
from dl_lsp.facts.training_loop import TrainingLoopFacts

HEAD = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
"""


def loops_of(text: str, head: str = HEAD) -> TrainingLoopFacts:
    analysis = analyze_source(head + textwrap.dedent(text))
    assert not analysis.failures, analysis.failures
    return analysis.facts.training_loops


def codes(text: str, head: str = HEAD) -> list[tuple[int, str]]:
    analysis = analyze_source(head + textwrap.dedent(text))
    assert not analysis.failures, analysis.failures
    return [
        (f.span.line - head.count("\n"), f.code) for f in analysis.findings if f.code[:3] == "TRN"
    ]


# --- block ranges -------------------------------------------------------------------------------


def test_block_ends_cover_nested_blocks_and_stop_at_dedent() -> None:
    tree = ast.parse(
        textwrap.dedent(
            """\
            for a in b:
                if c:
                    d()
                e()
            f()
            while g:
                h()
            """
        )
    )
    statements = build_scopes(tree)[0].statements
    ends = block_ends(statements)
    names = [type(s).__name__ for s in statements]
    assert names == ["For", "If", "Expr", "Expr", "Expr", "While", "Expr"]
    assert ends == [4, 3, 3, 4, 5, 7, 7]


def test_block_ends_ignore_class_bodies_appended_after_the_module() -> None:
    tree = ast.parse("class A:\n    x = f()\nfor i in y:\n    g()\n")
    statements = build_scopes(tree)[0].statements
    ends = block_ends(statements)
    loop = next(i for i, s in enumerate(statements) if isinstance(s, ast.For))
    inside = statements[loop + 1 : ends[loop]]
    assert [type(s).__name__ for s in inside] == ["Expr"]


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("train_loader", "train_loader"),
        ("enumerate(train_loader)", "train_loader"),
        ("tqdm(enumerate(loader), total=10)", "loader"),
        ("self.val_loader", "self.val_loader"),
        ("dataloaders['val']", "val"),
        ("range(10)", None),
        ("zip(a, b)", None),
    ],
)
def test_iterated_name(source: str, expected: str | None) -> None:
    assert iterated_name(ast.parse(source, mode="eval").body) == expected


@pytest.mark.parametrize(
    "name", ["val_loader", "testloader", "valid_dl", "x_test", "evalDataLoader", "holdout"]
)
def test_evaluation_names(name: str) -> None:
    assert is_evaluation_name(name)


@pytest.mark.parametrize(
    "name", ["values", "devices", "interval", "train_val_loader", "loader", "contest"]
)
def test_not_evaluation_names(name: str) -> None:
    assert not is_evaluation_name(name)


def test_training_names() -> None:
    assert is_training_name("trainloader") and is_training_name("self.train_ds")
    assert not is_training_name("test_loader")


# --- gradient loops -----------------------------------------------------------------------------


def test_innermost_loop_with_backward_and_step_is_the_gradient_loop() -> None:
    facts = loops_of(
        """\
        for epoch in range(3):
            for x, y in train_loader:
                optimizer.zero_grad()
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
        """
    )
    (loop,) = facts.gradient_loops
    assert loop.framework == "torch"
    assert loop.iterable == "train_loader"
    assert loop.zero_grad and not loop.conditional_step
    assert loop.optimizers == ("optimizer",)
    assert loop.step_before_backward is None and loop.zero_grad_before_step is None


def test_full_batch_accumulation_makes_the_outer_loop_the_gradient_loop() -> None:
    facts = loops_of(
        """\
        for epoch in range(3):
            optimizer.zero_grad()
            for x, y in train_loader:
                criterion(model(x), y).backward()
            optimizer.step()
        """
    )
    (loop,) = facts.gradient_loops
    assert loop.iterable is None and loop.zero_grad  # range(3): the epoch loop


def test_scheduler_step_is_not_an_optimizer_step() -> None:
    facts = loops_of(
        """\
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 5)
        for x, y in train_loader:
            criterion(model(x), y).backward()
            scheduler.step()
        """
    )
    assert facts.gradient_loops == ()


def test_optimizer_attribute_and_amp_scaler_steps() -> None:
    facts = loops_of(
        """\
        class Trainer:
            def fit(self, loader):
                for x, y in loader:
                    self.optimizer.zero_grad()
                    self.scaler.scale(criterion(model(x), y)).backward()
                    self.scaler.step(self.optimizer)
        """
    )
    (loop,) = facts.gradient_loops
    assert loop.optimizers == ("self.optimizer",) and loop.zero_grad


def test_conditional_step_is_marked_and_not_ordered() -> None:
    facts = loops_of(
        """\
        for i, (x, y) in enumerate(train_loader):
            if i % 4 == 0:
                optimizer.step()
            criterion(model(x), y).backward()
        """
    )
    (loop,) = facts.gradient_loops
    assert loop.conditional_step and loop.step_before_backward is None


def test_tensorflow_gradient_tape_loop() -> None:
    facts = loops_of(
        """\
        import tensorflow as tf
        for images, labels in dataset:
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, net(images))
            grads = tape.gradient(loss, net.trainable_variables)
            opt.apply_gradients(zip(grads, net.trainable_variables))
        """,
        head="",
    )
    (loop,) = facts.gradient_loops
    assert loop.framework == "tensorflow" and loop.iterable == "dataset"


def test_step_function_outside_any_loop() -> None:
    facts = loops_of(
        """\
        def train_step(x, y):
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        """
    )
    (loop,) = facts.gradient_loops
    assert loop.function and not loop.zero_grad


# --- TRN301/TRN302 through the engine ----------------------------------------------------------


def test_missing_zero_grad_and_wrong_order_are_reported_on_their_calls() -> None:
    found = codes(
        """\
        for x, y in train_loader:
            loss = criterion(model(x), y)
            optimizer.step()
            loss.backward()
        """
    )
    assert found == [(3, "TRN302"), (4, "TRN301")]


def test_zero_grad_in_a_helper_of_this_file_counts() -> None:
    found = codes(
        """\
        def reset(opt):
            opt.zero_grad(set_to_none=True)
        for x, y in train_loader:
            reset(optimizer)
            criterion(model(x), y).backward()
            optimizer.step()
        """
    )
    assert found == []


def test_zero_grad_of_another_optimizer_between_backward_and_step_is_fine() -> None:
    found = codes(
        """\
        other = torch.optim.Adam(model.parameters())
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            other.zero_grad()
            optimizer.step()
        """
    )
    assert found == []


def test_delayed_update_pattern_is_not_reported() -> None:
    found = codes(
        """\
        for x, y in train_loader:
            loss = criterion(model(x), y)
            optimizer.step()
            optimizer.zero_grad()
            loss.backward()
        """
    )
    assert found == []


# --- evaluation loops ---------------------------------------------------------------------------


def test_evaluation_loop_records_mode_and_no_grad() -> None:
    facts = loops_of(
        """\
        model.train()
        with torch.no_grad():
            for x, y in val_loader:
                out = model(x)
                loss = criterion(out, y)
        """
    )
    calls = {loop.callee: loop for loop in facts.evaluation_loops}
    assert set(calls) == {"model", "criterion"}
    assert calls["model"].mode == "train" and calls["model"].no_grad
    assert not calls["model"].model_from_caller


def test_eval_of_any_receiver_counts_and_train_of_another_does_not() -> None:
    facts = loops_of(
        """\
        teacher = nn.Linear(4, 2)
        model.eval()
        teacher.train()
        for x, y in test_loader:
            out = model(x)
        """
    )
    (loop,) = [loop for loop in facts.evaluation_loops if loop.callee == "model"]
    assert loop.mode == "eval"


def test_train_with_a_variable_flag_is_unknown() -> None:
    facts = loops_of(
        """\
        model.train(training)
        for x in test_loader:
            model(x)
        """
    )
    assert facts.evaluation_loops[0].mode == "unknown"


def test_loops_that_train_are_not_evaluation_loops() -> None:
    facts = loops_of(
        """\
        for x, y in val_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        """
    )
    assert facts.evaluation_loops == ()


def test_model_from_the_caller_and_decorated_functions() -> None:
    facts = loops_of(
        """\
        @torch.no_grad()
        def evaluate(net, test_loader):
            for x, y in test_loader:
                net(x)
        """
    )
    (loop,) = facts.evaluation_loops
    assert loop.model_from_caller and loop.no_grad
    assert "evaluate" in facts.no_grad_in or loop.no_grad


def test_eval_in_the_caller_silences_trn303_for_a_function() -> None:
    found = codes(
        """\
        def evaluate(test_loader):
            with torch.no_grad():
                for x, y in test_loader:
                    model(x)
        model.eval()
        evaluate(loader)
        """
    )
    assert found == []


def test_pretrained_models_are_models() -> None:
    facts = loops_of(
        "from torchvision import models\nnet = models.resnet50(pretrained=True).cuda()\n"
    )
    assert "net" in facts.pretrained_models


# --- accumulations, functional dropout, TF1, validation ------------------------------------------


def test_loss_accumulation_guards() -> None:
    facts = loops_of(
        """\
        total = 0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss
            losses.append(loss / 2)
            with torch.no_grad():
                kept = kept + loss
        print(total.item())
        """
    )
    kinds = {
        (item.kind, item.accumulator, item.used_as_tensor) for item in facts.loss_accumulations
    }
    assert kinds == {("augmented", "total", True), ("append", "losses", False)}


def test_functional_dropout_only_in_methods_without_training() -> None:
    facts = loops_of(
        """\
        class Net(nn.Module):
            def forward(self, x):
                x = F.dropout(x, 0.5)
                x = F.dropout(x, p=0.5, training=self.training)
                return F.dropout(x, 0.1, False)

        def helper(x):
            return F.dropout(x)
        """
    )
    assert [(item.function, item.method) for item in facts.functional_dropouts] == [
        ("dropout", "Net.forward")
    ]


def test_tf1_train_op_needs_a_session_and_an_unread_name() -> None:
    tf1 = """\
    import tensorflow as tf
    opt = tf.train.AdamOptimizer(0.01)
    train_op = opt.minimize(loss)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    sess.run(step)
    """
    facts = loops_of(tf1, head="")
    assert [(item.name, item.method) for item in facts.unrun_train_ops] == [
        ("train_op", "minimize")
    ]
    no_session = loops_of(tf1.replace("sess = tf.Session()", "sess = None"), head="")
    assert no_session.unrun_train_ops == ()


def test_validation_on_training_data() -> None:
    facts = loops_of(
        """\
        model.fit(x_train, y_train, validation_data=(x_train, y_train))
        model.fit(x_train, y_train, validation_data=(x_val, y_val))
        model.fit(ds, validation_data=ds)
        from torch.utils.data import DataLoader
        train_loader = DataLoader(train_set, shuffle=True)
        val_loader = DataLoader(train_set, batch_size=64)
        test_loader = DataLoader(train_set, sampler=test_sampler)
        """,
        head="",
    )
    assert [(item.source, item.data) for item in facts.validation_on_training] == [
        ("fit", "x_train, y_train"),
        ("fit", "ds"),
        ("DataLoader", "train_set"),
    ]


def test_training_calls_anchor_on_the_method_name() -> None:
    analysis = analyze_source("model.fit(x, y, epochs=3)\n")
    (call,) = analysis.facts.training_loops.training_calls
    assert (call.span.column, call.span.end_column, call.model, call.data) == (6, 9, "model", "x")


def test_odd_code_never_raises() -> None:
    text = """\
    for (a, *b) in c: a.backward(); b.step(*args, **kw)
    while True:
        opt.step(); loss.backward()
        break
    async def f():
        async for x in test_loader:
            model(*x)
    for x in val_loader: pass
    [].append(loss)
    x += loss
    """
    analysis = analyze_source(textwrap.dedent(text))
    assert not analysis.failures
