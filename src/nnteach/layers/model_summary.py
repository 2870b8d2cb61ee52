"""What Keras' ``model.summary()`` prints, computed from a ``ModelSpec`` without TensorFlow, with the arithmetic.

Example:
    >>> from nnteach.layers.spec import PRESETS
    >>> result = summary(PRESETS["mlp"])
    >>> [(row.name, row.output_shape, row.params) for row in result.rows][1]
    ('dense', (None, 128), 100480)
    >>> result.rows[1].arithmetic
    '784 × 128 + 128 = 100,480'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nnteach.i18n import _
from nnteach.layers.kinds import Activation, BatchNormalization, Dense, Dropout, Flatten, Layer
from nnteach.layers.spec import ModelSpec
from nnteach.layers.validation import output_shapes
from nnteach.numbers import grouped, percent

__all__ = ["Summary", "SummaryRow", "readable_memory_size", "summary"]

_WIDTHS = (33, 24, 15)  # the column widths Keras uses for a Sequential model on a terminal


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary: Keras' layer name, class name, output shape (None = batch) and parameters."""

    name: str
    kind: str
    output_shape: tuple[int | None, ...]
    params: int
    trainable_params: int
    non_trainable_params: int
    arithmetic: str
    explanation: str


@dataclass(frozen=True)
class Summary:
    """The rows and totals of ``model.summary()``; ``to_text()`` prints them laid out like Keras."""

    rows: tuple[SummaryRow, ...]
    total_params: int
    trainable_params: int
    non_trainable_params: int
    model_name: str = "sequential"

    def to_text(self) -> str:
        """The summary as Keras 3 prints it (table with box drawing, then the three totals)."""
        a, b, c = _WIDTHS

        def line(left: str, fill: str, middle: str, right: str) -> str:
            return left + fill * a + middle + fill * b + middle + fill * c + right

        def cells(first: str, second: str, third: str, edge: str) -> str:
            return f"{edge} {first:<{a - 2}} {edge} {second:<{b - 2}} {edge} {third:>{c - 2}} {edge}"

        lines = [f'Model: "{self.model_name}"', line("┏", "━", "┳", "┓")]
        lines.append(cells("Layer (type)", "Output Shape", "Param #", "┃"))
        lines.append(line("┡", "━", "╇", "┩"))
        for number, row in enumerate(self.rows):
            label = f"{row.name} ({row.kind})"
            parts = [label] if len(label) <= a - 2 else [row.name, f"({row.kind})"]
            shape = str(row.output_shape)
            for part_number, part in enumerate(parts):
                first_line = part_number == 0
                lines.append(cells(part, shape if first_line else "", f"{row.params:,}" if first_line else "", "│"))
            lines.append(line("├", "─", "┼", "┤") if number < len(self.rows) - 1 else line("└", "─", "┴", "┘"))
        if not self.rows:
            lines.append(line("└", "─", "┴", "┘"))
        for title, count in (
            ("Total params", self.total_params),
            ("Trainable params", self.trainable_params),
            ("Non-trainable params", self.non_trainable_params),
        ):
            lines.append(f" {title}: {count:,} ({readable_memory_size(count * 4)})")
        return "\n".join(lines)


def readable_memory_size(size: float) -> str:
    """Bytes as Keras' summary shows them: ``410.00 KB`` (powers of 1024)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _snake_case(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()


def _shape_words(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape)


def _explain(layer: Layer, shape_in: tuple[int, ...], trainable: int, non_trainable: int) -> tuple[str, str]:
    """The short arithmetic and one sentence saying where the parameters come from (in the widgets' language)."""
    if isinstance(layer, Dense):
        inputs, units = shape_in[-1], layer.units
        short = f"{inputs:,} × {units:,} + {units:,} = {trainable:,}"
        rows = math.prod(shape_in[:-1])
        shared = (
            _(" (the same weights are used for each of the {rows} rows)").format(rows=grouped(rows))
            if len(shape_in) > 1
            else ""
        )
        sentence = _("{inputs} inputs × {units} units weights + {units} biases = {total}{shared}.")
        return short, sentence.format(
            inputs=grouped(inputs), units=grouped(units), total=grouped(trainable), shared=shared
        )
    if isinstance(layer, BatchNormalization):
        features = shape_in[-1]
        short = f"4 × {features:,} = {trainable + non_trainable:,}"
        return short, _(
            "For each of {features} features: scale γ and shift β (trainable, {trainable}) and a moving mean "
            "and variance (not trainable, {non_trainable})."
        ).format(features=grouped(features), trainable=grouped(trainable), non_trainable=grouped(non_trainable))
    if isinstance(layer, Flatten):
        return "0", _("No parameters: reshapes {shape} into {count} values.").format(
            shape=_shape_words(shape_in), count=grouped(math.prod(shape_in))
        )
    if isinstance(layer, Dropout):
        return "0", _("No parameters: while training, sets {percent} of the values to zero at random.").format(
            percent=percent(layer.rate)
        )
    if isinstance(layer, Activation):
        return "0", _("No parameters: applies {name} to each value.").format(name=layer.name)
    raise TypeError(f"Expected a layer from nnteach.layers. Received: {layer!r}.")  # pragma: no cover


def summary(spec: ModelSpec) -> Summary:
    """The summary Keras would print for ``to_keras(spec)`` in a fresh session, computed without TensorFlow.

    Raises ``ValueError`` if a layer's shape cannot be computed (for example ``Dense(0)``);
    other problems (unknown activation, too many parameters) do not stop the summary.
    """
    shapes = output_shapes(spec)
    counters: dict[str, int] = {}
    rows = []
    inputs = [spec.input_shape, *shapes][: len(shapes)]
    for layer, shape_in, shape_out in zip(spec.layers, inputs, shapes, strict=True):
        base = _snake_case(layer.kind)
        seen = counters.get(base, 0)
        counters[base] = seen + 1
        trainable, non_trainable = layer.param_counts(shape_in)
        arithmetic, explanation = _explain(layer, shape_in, trainable, non_trainable)
        rows.append(
            SummaryRow(
                name=base if seen == 0 else f"{base}_{seen}",
                kind=layer.kind,
                output_shape=(None, *shape_out),
                params=trainable + non_trainable,
                trainable_params=trainable,
                non_trainable_params=non_trainable,
                arithmetic=arithmetic,
                explanation=explanation,
            )
        )
    trainable_total = sum(row.trainable_params for row in rows)
    frozen_total = sum(row.non_trainable_params for row in rows)
    return Summary(tuple(rows), trainable_total + frozen_total, trainable_total, frozen_total)
