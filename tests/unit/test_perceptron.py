"""The perceptron: weighted sum, output, the learning rule, convergence on dogs/cats and non-convergence on XOR."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nnteach.perceptron import (
    DATASETS,
    dataset,
    decision_line,
    learning_state,
    learning_step,
    misclassified,
    misclassified_points,
    output,
    toy_dataset,
    train,
    weighted_sum,
    xor_dataset,
)


def test_weighted_sum_and_output_follow_the_formula() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2))
    w = np.array([0.7, -1.3])
    b = 0.4
    expected = np.array([b + row[0] * w[0] + row[1] * w[1] for row in x])  # b + Σ xᵢ wᵢ, written out
    np.testing.assert_allclose(weighted_sum(x, w, b), expected, rtol=1e-14)
    np.testing.assert_array_equal(output(x, w, b), (expected > 0).astype(float))
    np.testing.assert_allclose(output(x, w, b, "sigmoid"), 1 / (1 + np.exp(-expected)), rtol=1e-12)
    assert weighted_sum([1.0, 2.0], (1.0, 1.0), 0.0).tolist() == [3.0]  # one point as a flat list
    assert output([[0.0, 0.0]], [1.0, 1.0], 0.0).tolist() == [0.0]  # exactly 0 is "cat", like the step


def test_toy_dataset_is_separable_xor_is_not_by_any_line_on_a_grid() -> None:
    data = toy_dataset()
    assert data.x.shape == (16, 2)
    assert data.y.tolist().count(0) == data.y.tolist().count(1) == 8
    assert data.class_names == ("cat", "dog")
    assert data.class_symbols == ("●", "▲"), "the plot's markers, which every font draws (no emoji)"
    assert not data.x.flags.writeable
    assert not misclassified_points(data.x, data.y, [1.0, 1.0], -8.5).any()  # size + loudness > 8.5 means dog
    xor = xor_dataset()
    grid = np.linspace(-2, 2, 17)
    best = min(
        int(misclassified_points(xor.x, xor.y, [a, c], b).sum()) for a, b, c in itertools.product(grid, grid, grid)
    )
    assert best >= 1  # no line on the grid gets all four right
    assert [dataset(name).name for name in DATASETS] == ["dogs and cats", "XOR"]
    with pytest.raises(ValueError, match=r"Unknown dataset 'birds'\. Expected one of: 'dogs and cats', 'XOR'"):
        dataset("birds")


def test_one_learning_step_is_rosenblatts_rule() -> None:
    x = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5]])
    y = np.array([0, 1, 1])
    w, b = np.array([1.0, 1.0]), -1.0
    # sums: 2 (says 1, label 0: wrong), 1 (right), -2.5 (says 0, label 1: wrong)
    step = learning_step(x, y, w, b, learning_rate=0.5)
    assert step.index == 0
    np.testing.assert_allclose(step.weights, w + 0.5 * (0 - 1) * x[0])
    assert step.bias == pytest.approx(b + 0.5 * (0 - 1))
    assert step.next_start == 1
    later = learning_step(x, y, w, b, start=1, learning_rate=0.5)
    assert later.index == 2  # point 1 is right, so it is skipped
    np.testing.assert_allclose(later.weights, w + 0.5 * (1 - 0) * x[2])
    assert later.next_start == 0
    wrapped = learning_step(x, y, [0.0, 1.0], 0.0, start=2)  # sums 2, -1, 0.5: point 2 is right, so wrap to 0
    assert (wrapped.index, wrapped.next_start) == (0, 1)
    right = learning_step([[1.0, 1.0]], [1], [1.0, 1.0], 0.0, start=0)
    assert right.converged
    assert (right.weights, right.bias) == ((1.0, 1.0), 0.0)


@pytest.mark.parametrize(
    ("weights", "bias", "rate"), [((0.0, 0.0), 0.0, 1.0), ((1.0, -1.0), 0.0, 0.1), ((-2, 2), 5, 0.3)]
)
def test_learning_rule_converges_on_the_separable_toy_data(
    weights: tuple[float, float], bias: float, rate: float
) -> None:
    data = toy_dataset()
    result = train(data.x, data.y, weights, bias, learning_rate=rate)
    assert result.converged
    assert not result.cycled
    assert result.steps > 0
    assert not misclassified_points(data.x, data.y, result.weights, result.bias).any()
    assert result.message.startswith(f"Converged after {result.steps} steps")
    # Stepping by hand from the same start reaches the same line in the same number of steps.
    w, b, start = weights, float(bias), 0
    for _ in range(result.steps):
        step = learning_step(data.x, data.y, w, b, start=start, learning_rate=rate)
        w, b, start = step.weights, step.bias, step.next_start
    assert (w, b) == (result.weights, result.bias)
    assert learning_step(data.x, data.y, w, b, start=start).converged


def test_learning_rule_reports_non_convergence_on_xor() -> None:
    xor = xor_dataset()
    result = train(xor.x, xor.y)
    assert not result.converged
    assert result.cycled
    assert misclassified_points(xor.x, xor.y, result.weights, result.bias).any()
    assert "No straight line separates these points" in result.message
    capped = train(xor.x, xor.y, max_steps=3)
    assert (capped.converged, capped.cycled, capped.steps) == (False, False, 3)
    assert capped.message.startswith("Not converged after 3 steps:")


def test_decision_line_lies_on_the_boundary() -> None:
    for weights, bias in [((1.0, 2.0), -11.0), ((0.5, -0.25), 1.0), ((2.0, 0.0), -6.0)]:
        line = decision_line(weights, bias, (0.0, 10.0), (0.0, 10.0))
        assert line is not None
        xs, ys = line
        assert len(xs) == len(ys) == 2
        np.testing.assert_allclose(weighted_sum(np.column_stack([xs, ys]), weights, bias), 0.0, atol=1e-12)
    assert decision_line((0.0, 0.0), 1.0, (0.0, 10.0), (0.0, 10.0)) is None


def test_bad_inputs_get_plain_messages() -> None:
    with pytest.raises(ValueError, match=r"Expected one weight per input \(2\)\. Received 3 weights"):
        weighted_sum([[1.0, 2.0]], [1.0, 2.0, 3.0], 0.0)
    with pytest.raises(TypeError, match=r"Expected numbers for the weights\. Received the text 'x'"):
        weighted_sum([[1.0, 2.0]], "x", 0.0)
    with pytest.raises(TypeError, match=r"Expected numbers for the bias"):
        weighted_sum([[1.0, 2.0]], [1.0, 2.0], "big")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Expected activation 'step' or 'sigmoid'\. Received 'relu'"):
        output([[1.0, 2.0]], [1.0, 2.0], 0.0, "relu")
    with pytest.raises(ValueError, match=r"Expected one label \(0 or 1\) per point \(2\)\. Received \[0, 2\]"):
        misclassified_points([[1.0, 2.0], [0.0, 0.0]], [0, 2], [1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match=r"Expected a positive learning rate\. Received -1"):
        learning_step([[1.0, 2.0]], [1], [0.0, 0.0], 0.0, learning_rate=-1)
    with pytest.raises(ValueError, match=r"Expected a whole number of steps \(0 or more\)\. Received max_steps=-2"):
        train([[1.0, 2.0]], [1], max_steps=-2)


def test_each_step_reports_the_error_sign_y_minus_y_hat() -> None:
    x = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5]])
    y = np.array([0, 1, 1])
    said = (weighted_sum(x, [1.0, 1.0], -1.0) > 0).astype(int)  # the step's answers: 1, 1, 0
    first = learning_step(x, y, [1.0, 1.0], -1.0)
    assert first.error == y[0] - said[0] == -1  # said 1 (dog), should have said 0: w moves away from x
    later = learning_step(x, y, [1.0, 1.0], -1.0, start=1)
    assert later.error == y[2] - said[2] == 1
    assert learning_step([[1.0, 1.0]], [1], [1.0, 1.0], 0.0).error == 0  # converged: nothing to fix


def test_learning_state_notices_the_cycle_on_xor_where_train_does() -> None:
    data = xor_dataset()
    result = train(data.x, data.y)
    assert result.cycled
    seen: set[tuple[tuple[float, ...], float, int]] = set()
    w, b, start = (0.0, 0.0), 0.0, 0
    steps = 0
    while learning_state(w, b, start) not in seen and steps < 100:
        seen.add(learning_state(w, b, start))
        step = learning_step(data.x, data.y, w, b, start=start)
        w, b, start = step.weights, step.bias, step.next_start
        steps += 1
    assert steps == result.steps  # the same step at which train stopped
    assert learning_state([0.1 + 0.2], 0.3, 1) == learning_state([0.3], 0.1 + 0.2, 1)  # float noise rounded away


def test_the_old_name_misclassified_still_works_but_warns() -> None:
    data = xor_dataset()
    with pytest.deprecated_call(match="use nnteach.perceptron.misclassified_points"):
        old = misclassified(data.x, data.y, [1.0, 1.0], -0.5)
    assert old.tolist() == misclassified_points(data.x, data.y, [1.0, 1.0], -0.5).tolist()
    assert old.tolist() == [False, False, False, True]  # XOR: only (1, 1) lands on the wrong side of x + y = 0.5
