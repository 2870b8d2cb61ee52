"""What LayerStackBuilder shows, as HTML computed from a ``ModelSpec``: summary table, diagram, problems.

Pure functions of the spec and its summary (no widgets), so each is easy to test and reuse.
"""

from __future__ import annotations

import html
import math
from typing import Any

from nnteach.i18n import N_, _
from nnteach.layers import Activation, BatchNormalization, Dense, Dropout, Flatten, Layer, ModelSpec, Problem
from nnteach.layers.model_summary import Summary, readable_memory_size

__all__ = [
    "COLORS",
    "CUSTOM",
    "NEW_LAYERS",
    "NO_ACTIVATION",
    "PRESET_LABELS",
    "diagram_html",
    "parse_number",
    "problem_html",
    "summary_table_html",
]

PRESET_LABELS = {
    "softmax_regression": N_("Softmax regression: Flatten → Dense(10)"),
    "mlp": N_("MLP: Flatten → Dense(128, relu) → Dropout(0.2) → Dense(10, softmax)"),
    "mlp_batchnorm": N_("MLP with BatchNormalization"),
    "mlp_sigmoid_relu": N_("MLP: Dense(256, sigmoid) → Dense(128, relu) → Dense(10, softmax)"),
}
CUSTOM = "custom"
NEW_LAYERS: dict[str, Layer] = {
    "Dense": Dense(64, "relu"),
    "Dropout": Dropout(0.2),
    "Flatten": Flatten(),
    "BatchNormalization": BatchNormalization(),
    "Activation": Activation("relu"),
}
COLORS = {
    "Input": "#90a4ae",
    "Flatten": "#b0bec5",
    "Dense": "#1e88e5",
    "Dropout": "#ffb300",
    "BatchNormalization": "#8e24aa",
    "Activation": "#43a047",
}
NO_ACTIVATION = N_("none (linear)")


def parse_number(text: str) -> Any:
    """What the learner typed, as a number when it is one (``validate`` explains anything else).

    Example:
        >>> parse_number(" 64 "), parse_number("0.2"), parse_number("abc")
        (64, 0.2, 'abc')
    """
    stripped = text.strip()
    for convert in (int, float):
        try:
            number = convert(stripped)
        except ValueError:
            continue
        # "1"*5000 is too long for int() and overflows float() to inf: it stays text, not "units=inf"
        return (
            number if math.isfinite(number) or stripped.lower().lstrip("+-") in {"inf", "infinity", "nan"} else stripped
        )
    return stripped


def problem_html(problems: list[Problem]) -> str:
    """Each problem as one line: ✗ for what blocks building, ⚠ for a warning (never colour alone)."""
    parts = []
    for problem in problems:
        mark = "✗" if problem.blocking else "⚠"
        parts.append(
            f'<div class="nnteach-problem-{problem.severity}" role="alert">{mark} {html.escape(problem.message)}</div>'
        )
    return "".join(parts)


def summary_table_html(result: Summary) -> str:
    """The summary as an HTML table: Layer (type), Output shape, Param # and the arithmetic behind it.

    Example:
        >>> from nnteach.layers import PRESETS, summary
        >>> "784 × 128 + 128 = 100,480" in summary_table_html(summary(PRESETS["mlp"]))
        True
    """
    rows = [
        # Keras' own column names, as model.summary() prints them; only the last column is nnteach's.
        '<table class="nnteach-summary-table"><tr><th>#</th><th>Layer (type)</th><th>Output shape</th>'  # not translated
        "<th>Param #</th><th>" + html.escape(_("How")) + "</th></tr>"  # not translated: Keras' names
    ]
    for number, row in enumerate(result.rows, start=1):
        rows.append(
            f'<tr title="{html.escape(row.explanation)}"><td>{number}</td><td>{row.name} ({row.kind})</td>'
            f'<td>{row.output_shape}</td><td class="num">{row.params:,}</td>'
            f'<td class="how">{html.escape(row.arithmetic)}</td></tr>'
        )
    for title, count in (
        ("Total params", result.total_params),  # not translated: Keras' summary
        ("Trainable params", result.trainable_params),  # not translated: Keras' summary
        ("Non-trainable params", result.non_trainable_params),  # not translated: Keras' summary
    ):
        rows.append(
            f'<tr class="nnteach-total"><td></td><td colspan="2"><b>{title}</b></td>'
            f'<td class="num"><b>{count:,}</b></td><td class="how">{readable_memory_size(4 * count)}</td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)


def diagram_html(spec: ModelSpec, result: Summary) -> str:
    """One bar per layer (and the input), widths proportional to the values each passes on (the units for Dense)."""
    entries = [("Input", f"Input {spec.input_shape}", _size(spec.input_shape))]
    for layer, row in zip(spec.layers, result.rows, strict=True):
        entries.append((layer.kind, f"{layer} → {row.output_shape}", _size(row.output_shape[1:])))
    widest = max(size for _, _, size in entries) or 1
    bars = ['<table class="nnteach-stack">']
    for kind, label, size in entries:
        width = 100.0 * size / widest
        bars.append(
            f'<tr class="nnteach-stack-row"><td class="nnteach-stack-track"><div class="nnteach-stack-bar" '
            f'style="width: {width:.2f}%; background: {COLORS[kind]}"></div></td>'
            f'<td class="nnteach-stack-label">{html.escape(label)}</td></tr>'
        )
    bars.append("</table>")
    return "".join(bars)


def _size(shape: tuple[Any, ...]) -> int:
    size = 1
    for n in shape:
        size *= int(n)
    return size
