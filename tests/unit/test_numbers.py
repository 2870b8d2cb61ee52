"""Issue 15 item 18: readouts never show "-0.000", and a typed temperature of 5 reads 5.00."""

from __future__ import annotations

import math

import pytest

from nnteach.numbers import fixed
from nnteach.widgets._activation_plot import readout
from nnteach.widgets._onehot_parts import _temperature, loss_sentence


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(-0.0, 3, "0.000"), (-1e-17, 4, "0.0000"), (-0.00004, 4, "0.0000"), (-0.00006, 4, "-0.0001"), (2.5, 1, "2.5")],
)
def test_fixed_never_writes_minus_zero(value: float, decimals: int, expected: str) -> None:
    assert fixed(value, decimals) == expected
    assert float(fixed(value, decimals)) == pytest.approx(round(value, decimals))


def test_the_loss_of_a_certain_right_answer_is_zero_not_minus_zero() -> None:
    loss = -math.log(1.0)
    assert f"{loss:.3f}" == "-0.000", "Python's own formatting, the defect"
    text, markup = loss_sentence(1, 1.0, loss)
    assert text.endswith("−log(1.000) = 0.000") and "-0.000" not in markup


def test_the_activation_readout_has_no_minus_zero() -> None:
    text, markup = readout(-6.0, [("gelu", -6.1e-9, -1.2e-7)], show_derivative=True)
    assert "f(x) = 0.0000, f′(x) = 0.0000" in text and "-0.0000" not in markup


def test_a_typed_temperature_of_5_reads_5_00() -> None:
    slider = _temperature()
    try:
        # The browser snaps a log slider's exponent to its step: 10 ** (round(log10(5) / step) * step).
        snapped = slider.base ** (round(math.log(5.0, slider.base) / slider.step) * slider.step)
        assert f"{snapped:{slider.readout_format}}" == "5.00"
        assert f"{slider.base ** (round(math.log10(5.0) / 0.05) * 0.05):.2f}" == "5.01", "the old step's reading"
    finally:
        slider.close()
