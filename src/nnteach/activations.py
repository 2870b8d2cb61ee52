"""Activation functions and their derivatives in NumPy, checked against Keras (no TensorFlow needed).

A neuron computes a weighted sum ``z = b + Σ xᵢ wᵢ`` and passes it through an activation
``f(z)``. Training by gradient descent needs ``f′(z)``: this module gives both, stable for
large ``|z|``, with the same defaults and the same values at kinks as Keras 3 / TensorFlow.

Example:
    >>> relu = get("relu")
    >>> relu.value([-1.0, 0.0, 2.0]).tolist(), relu.derivative([-1.0, 0.0, 2.0]).tolist()
    ([0.0, 0.0, 2.0], [0.0, 0.0, 1.0])
    >>> get("leaky_relu").params
    {'negative_slope': 0.2}
    >>> "step" in NAMES and "step" not in KERAS_NAMES and "softmax" in KERAS_NAMES
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnteach.i18n import N_, _

__all__ = ["KERAS_NAMES", "NAMES", "ActivationFunction", "as_values", "get", "params_for", "vanishing_gradient"]

FloatArray = NDArray[np.float64]
_Kernel = Callable[[FloatArray, Mapping[str, float]], FloatArray]

_SQRT_2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_erf = np.frompyfunc(math.erf, 1, 1)


def as_values(x: ArrayLike, what: str = "x") -> FloatArray:
    """``x`` as a float64 array, or a ``TypeError`` saying what was received and what is expected.

    Example:
        >>> as_values([1, 2]).dtype
        dtype('float64')
    """
    if isinstance(x, str | bytes):
        raise TypeError(
            _("Expected numbers for {what}. Received the text {x}: type a number such as 0.5.").format(
                what=what, x=f"{x!r}"
            )
        )
    try:
        array = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            _("Expected numbers for {what}. Received {x} of type {name__}: pass a number or a list of numbers.").format(
                what=what, x=f"{x!r}", name__=type(x).__name__
            )
        ) from error
    if not np.isfinite(array).all():
        raise ValueError(
            _("Expected finite numbers for {what}. Received NaN or infinity: pass ordinary numbers.").format(what=what)
        )
    return array


# --- the functions, vectorized and written so that no branch overflows ---------------------------


def _sigmoid(z: FloatArray) -> FloatArray:
    # exp(-|z|) never overflows; both halves of the usual formula are rewritten with it.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _step(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return (z > 0).astype(np.float64)


def _zero(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return np.zeros_like(z)


def _linear(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return z.copy()


def _one(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return np.ones_like(z)


def _sigmoid_value(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return _sigmoid(z)


def _sigmoid_derivative(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return np.tanh(z)


def _tanh_derivative(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return np.maximum(z, 0.0)


def _relu_derivative(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return (z > 0).astype(np.float64)  # TensorFlow: relu′(0) = 0


def _leaky_relu(z: FloatArray, p: Mapping[str, float]) -> FloatArray:
    return np.where(z > 0, z, p["negative_slope"] * z)


def _leaky_relu_derivative(z: FloatArray, p: Mapping[str, float]) -> FloatArray:
    return np.where(z > 0, 1.0, p["negative_slope"])  # TensorFlow: the slope at 0


def _elu(z: FloatArray, p: Mapping[str, float]) -> FloatArray:
    return np.where(z > 0, z, p["alpha"] * np.expm1(np.minimum(z, 0.0)))


def _elu_derivative(z: FloatArray, p: Mapping[str, float]) -> FloatArray:
    # TensorFlow: α·eᶻ for z ≤ 0, so elu′(0) = α (= 1 with Keras' default α = 1).
    return np.where(z > 0, 1.0, p["alpha"] * np.exp(np.minimum(z, 0.0)))


def _softplus(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return np.logaddexp(0.0, z)


def _swish(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return z * _sigmoid(z)


def _swish_derivative(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    s = _sigmoid(z)
    return s + z * s * (1.0 - s)


def _normal_cdf(z: FloatArray) -> FloatArray:
    return 0.5 * (1.0 + np.asarray(_erf(z / _SQRT_2), dtype=np.float64))


def _gelu(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    return z * _normal_cdf(z)


def _gelu_derivative(z: FloatArray, _: Mapping[str, float]) -> FloatArray:
    # d/dz z·Φ(z) = Φ(z) + z·φ(z); beyond |z| = 40, z·φ(z) is below 1e-340, so clipping changes nothing.
    clipped = np.clip(z, -40.0, 40.0)
    return _normal_cdf(z) + clipped * np.exp(-0.5 * clipped * clipped) * _INV_SQRT_2PI


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivationFunction:
    """One activation: its value, its derivative, its default parameters and how to explain it.

    Example:
        >>> elu = get("elu")
        >>> round(float(elu.value(-1.0)), 4), float(elu.derivative(0.0, alpha=0.5))
        (-0.6321, 0.5)
    """

    name: str
    latex: str
    keras_name: str | None
    description: str
    _value: _Kernel = field(repr=False)
    _derivative: _Kernel = field(repr=False)
    _defaults: Mapping[str, float] = field(default_factory=dict, repr=False)

    @property
    def explanation(self) -> str:
        """``description`` in the language widgets speak (``description`` itself stays English)."""
        return _(self.description)

    @property
    def params(self) -> dict[str, float]:
        """The parameters this function takes, with Keras 3's defaults."""
        return dict(self._defaults)

    def resolve_params(self, **params: Any) -> dict[str, float]:
        """Defaults overridden by ``params``; unknown names and non-numbers raise a clear error."""
        unknown = sorted(set(params) - set(self._defaults))
        if unknown:
            takes = ", ".join(self._defaults) or _("no parameters")
            raise ValueError(
                _("{name} takes {takes}. Received {join}: remove it.").format(
                    name=self.name, takes=takes, join=", ".join(unknown)
                )
            )
        resolved = dict(self._defaults)
        for key, raw in params.items():
            if isinstance(raw, bool) or not isinstance(raw, int | float | np.integer | np.floating):
                raise TypeError(
                    _("Expected a number for {key}. Received {raw}: type a number such as 0.2.").format(
                        key=key, raw=f"{raw!r}"
                    )
                )
            if not math.isfinite(float(raw)):
                raise ValueError(
                    _("Expected a finite number for {key}. Received {raw}: type a number such as 0.2.").format(
                        key=key, raw=f"{raw!r}"
                    )
                )
            resolved[key] = float(raw)
        return resolved

    def value(self, x: ArrayLike, **params: Any) -> FloatArray:
        """f(x), elementwise, as float64."""
        return self._value(as_values(x), MappingProxyType(self.resolve_params(**params)))

    def derivative(self, x: ArrayLike, **params: Any) -> FloatArray:
        """f′(x), elementwise, as float64 (at kinks, the value TensorFlow's gradient uses)."""
        return self._derivative(as_values(x), MappingProxyType(self.resolve_params(**params)))


_REGISTRY: dict[str, ActivationFunction] = {
    item.name: item
    for item in (
        ActivationFunction(
            "step",
            r"f(z) = 1 \text{ if } z > 0 \text{ else } 0",
            None,
            N_(
                "Answers yes (1) or no (0), like the first perceptron; its slope is 0 everywhere, so gradients cannot train it."
            ),
            _step,
            _zero,
        ),
        ActivationFunction(
            "linear",
            r"f(z) = z",
            "keras.activations.linear",
            N_("Passes the weighted sum through unchanged; layers of it stacked are still one straight line."),
            _linear,
            _one,
        ),
        ActivationFunction(
            "sigmoid",
            r"f(z) = \frac{1}{1 + e^{-z}}",
            "keras.activations.sigmoid",
            N_("Squashes any number into 0..1, a smooth step read as a probability; its slope is at most 0.25."),
            _sigmoid_value,
            _sigmoid_derivative,
        ),
        ActivationFunction(
            "tanh",
            r"f(z) = \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
            "keras.activations.tanh",
            N_("Squashes any number into -1..1, centred on 0; flat (slope near 0) for large inputs."),
            _tanh,
            _tanh_derivative,
        ),
        ActivationFunction(
            "relu",
            r"f(z) = \max(0, z)",
            "keras.activations.relu",
            N_(
                "Keeps positive sums, turns negative ones into 0; its slope is 1 when active, so gradients do not fade."
            ),
            _relu,
            _relu_derivative,
        ),
        ActivationFunction(
            "leaky_relu",
            r"f(z) = z \text{ if } z > 0 \text{ else } a z",
            "keras.activations.leaky_relu",
            N_("Like ReLU, but negative sums keep a small slope a, so a neuron never goes completely silent."),
            _leaky_relu,
            _leaky_relu_derivative,
            {"negative_slope": 0.2},
        ),
        ActivationFunction(
            "elu",
            r"f(z) = z \text{ if } z > 0 \text{ else } \alpha (e^{z} - 1)",
            "keras.activations.elu",
            N_("Like ReLU for positive sums, a smooth curve down to -α for negative ones."),
            _elu,
            _elu_derivative,
            {"alpha": 1.0},
        ),
        ActivationFunction(
            "softplus",
            r"f(z) = \ln(1 + e^{z})",
            "keras.activations.softplus",
            N_("A smooth ReLU: never exactly 0, and its slope is the sigmoid."),
            _softplus,
            _sigmoid_value,
        ),
        ActivationFunction(
            "swish",
            r"f(z) = z \cdot \sigma(z) = \frac{z}{1 + e^{-z}}",
            "keras.activations.swish",
            N_("The input times its sigmoid (also called SiLU): a smooth ReLU that dips slightly below 0."),
            _swish,
            _swish_derivative,
        ),
        ActivationFunction(
            "gelu",
            r"f(z) = z \cdot \Phi(z) = \frac{z}{2} \left(1 + \mathrm{erf}(z / \sqrt{2})\right)",
            "keras.activations.gelu",
            N_("The input times the chance a standard normal value is below it: the smooth ReLU used in transformers."),
            _gelu,
            _gelu_derivative,
        ),
    )
}

NAMES: tuple[str, ...] = tuple(_REGISTRY)
"""Every activation nnteach can draw, in teaching order."""

KERAS_NAMES: tuple[str, ...] = (*(name for name in NAMES if name != "step"), "softmax")
"""Activation names a Keras layer accepts (the layer builder's list): every name here but step, plus softmax."""


def get(name: str) -> ActivationFunction:
    """The activation called ``name`` (one of ``NAMES``).

    Example:
        >>> get("sigmoid").keras_name
        'keras.activations.sigmoid'
    """
    if not isinstance(name, str) or name not in _REGISTRY:
        hint = (
            _(" softmax turns a whole vector into probabilities: see OneHotSoftmaxView.") if name == "softmax" else ""
        )
        raise ValueError(
            _("Unknown activation {name}. Expected one of: {join}.{hint}").format(
                name=f"{name!r}", join=", ".join(NAMES), hint=hint
            )
        )
    return _REGISTRY[name]


def params_for(name: str, **available: float) -> dict[str, float]:
    """Of the parameters ``available`` (e.g. a page's sliders), the ones activation ``name`` takes.

    Example:
        >>> params_for("elu", negative_slope=0.3, alpha=2.0), params_for("relu", alpha=2.0)
        ({'alpha': 2.0}, {})
    """
    takes = get(name).params
    return {key: value for key, value in available.items() if key in takes}


def vanishing_gradient(name: str, depth: int, pre_activation: ArrayLike = 0.5, **params: Any) -> FloatArray:
    """How much of the gradient survives through 1, 2, ..., ``depth`` stacked layers.

    Backpropagation multiplies one derivative ``f′(z)`` per layer. At a typical pre-activation
    (``z = 0.5`` by default, or one value per layer) entry ``k`` is ``f′(z₁)·…·f′(zₖ₊₁)``: the
    sigmoid's shrinks at least as fast as ``0.25ᵏ⁺¹`` (its slope is never above 0.25), ReLU's stays 1.

    Example:
        >>> vanishing_gradient("sigmoid", 3, pre_activation=0.0).tolist()
        [0.25, 0.0625, 0.015625]
        >>> vanishing_gradient("relu", 3).tolist()
        [1.0, 1.0, 1.0]
    """
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
        raise ValueError(
            _("Expected a whole number of layers of at least 1. Received depth={depth}: use e.g. 10.").format(
                depth=f"{depth!r}"
            )
        )
    z = as_values(pre_activation, "pre_activation")
    if z.ndim == 0:
        z = np.full(int(depth), float(z))
    if z.shape != (depth,):
        raise ValueError(
            _("Expected one pre-activation or {depth} (one per layer). Received shape {shape}: pass a number.").format(
                depth=depth, shape=z.shape
            )
        )
    return np.cumprod(get(name).derivative(z, **params), dtype=np.float64)
