"""ProbabilityBars: values as DOM text, argmax marked by more than colour, one render per update."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances as open_widgets

from nnteach.widgets import ProbabilityBars
from nnteach.widgets._base import NNTeachValueError, page_style, stylesheet
from nnteach.widgets._parts import ErrorArea
from nnteach.widgets.probability_bars import ProbabilityBarsError, TraitValueError


@pytest.fixture
def make(closing: Any) -> Any:
    """Build ProbabilityBars widgets that are closed after the test (nothing is left open)."""
    return lambda *args, **kwargs: closing(ProbabilityBars(*args, **kwargs))


class _Rows(HTMLParser):
    """Reads each bar row of the rendered HTML: its classes and the text of each part."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._part: str | None = None

    def handle_starttag(self, _tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "nnteach-bar-row" in classes:
            self.rows.append({"classes": " ".join(classes), "aria": dict(attrs).get("aria-label") or ""})
        for part in ("label", "value", "marks"):
            if f"nnteach-bar-{part}" in classes:
                self._part = part
                self.rows[-1][part] = ""

    def handle_endtag(self, _tag: str) -> None:
        self._part = None

    def handle_data(self, data: str) -> None:
        if self._part:
            self.rows[-1][self._part] += data


def rows_of(bars: ProbabilityBars) -> list[dict[str, str]]:
    parser = _Rows()
    parser.feed(bars.value)
    return parser.rows


def test_default_is_ten_empty_classes_with_nothing_highlighted(make: Any) -> None:
    bars = make()
    rows = rows_of(bars)
    assert [row["label"] for row in rows] == [str(i) for i in range(10)]
    assert [row["value"] for row in rows] == ["0.000"] * 10
    assert bars.highlight is None
    assert all("nnteach-bar-top" not in row["classes"] for row in rows)
    assert "nnteach-probability-bars" in bars.get_state()["_dom_classes"]


def test_values_are_text_and_the_argmax_is_bold_and_marked(make: Any) -> None:
    probabilities = np.array([0.05, 0.6, 0.1, 0.25], dtype=np.float32)
    bars = make(values=probabilities, labels=("cat", "dog", "fox", "owl"))
    rows = rows_of(bars)
    assert [row["value"] for row in rows] == [f"{p:.3f}" for p in probabilities]
    assert [row["label"] for row in rows] == ["cat", "dog", "fox", "owl"]
    assert bars.highlight == 1
    top = [row for row in rows if "nnteach-bar-top" in row["classes"]]
    assert len(top) == 1
    assert top[0]["label"] == "dog"
    assert top[0]["marks"] == "◀ top"  # a text marker, not only a colour
    assert "most likely" in top[0]["aria"]
    # The top row's label is bold, by the page's one stylesheet (no <style> in each update).
    assert re.search(r"\.nnteach-bar-top \.nnteach-bar-label[^{]*\{[^}]*font-weight: 700", stylesheet())
    assert "<style" not in bars.value


def test_true_class_has_its_own_text_marker(make: Any) -> None:
    bars = make(values=(0.7, 0.2, 0.1), true_class=2)
    marks = [row["marks"] for row in rows_of(bars)]
    assert marks == ["◀ top", "", "✓ true"]
    bars.true_class = 0
    assert rows_of(bars)[0]["marks"] == "◀ top ✓ true"
    assert "true class" in rows_of(bars)[0]["aria"]


def test_highlight_follows_the_argmax_unless_set_explicitly(make: Any) -> None:
    bars = make(values=(0.2, 0.8))
    bars.values = (0.9, 0.1)
    assert bars.highlight == 0
    fixed = make(values=(0.2, 0.8), highlight=0)
    assert fixed.follow_argmax is False
    fixed.values = (0.1, 0.9)
    assert fixed.highlight == 0
    fixed.follow_argmax = True
    assert fixed.highlight == 1


def test_each_update_is_one_html_assignment(make: Any) -> None:
    bars = make()
    renders: list[str] = []
    bars.observe(lambda change: renders.append(change["new"]), names="value")
    rng = np.random.default_rng(0)
    for _ in range(20):
        bars.values = rng.dirichlet(np.ones(10))
    assert len(renders) == 20
    bars.update(rng.dirichlet(np.ones(4)), labels=("a", "b", "c", "d"), true_class=3)
    assert len(renders) == 21
    assert [row["label"] for row in rows_of(bars)] == ["a", "b", "c", "d"]


def test_update_resizes_and_drops_stale_labels_and_true_class(make: Any) -> None:
    bars = make(values=[0.1] * 10, true_class=9)
    bars.update((0.25, 0.75))
    assert bars.true_class is None
    assert bars.shown_labels() == ("0", "1")
    named = make(values=(0.5, 0.5), labels=("no", "yes"))
    named.update((0.2, 0.3, 0.5))
    assert named.labels == ()


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ((2.0, -1.0, 1.0), r"between 0 and 1\. Received 2 at position 0; if these are logits"),
        ((0.5, float("nan")), r"finite numbers .* Received NaN or infinity"),
        ((), r"at least one value\. Received an empty list"),
        ([[0.5, 0.5]], r"flat list .* Received shape \(1, 2\)"),
        (("a", "b"), r"expects numbers for `values`"),
    ],
)
def test_bad_values_are_refused_with_a_plain_sentence_and_the_last_state_kept(
    values: object, match: str, make: Any
) -> None:
    bars = make(values=(0.3, 0.7))
    before = bars.value
    with pytest.raises(ValueError, match=match):
        bars.values = values
    assert bars.values == (0.3, 0.7)
    assert bars.value == before


def test_mismatched_labels_and_bad_indices_are_refused(make: Any) -> None:
    bars = make(values=(0.3, 0.7))
    with pytest.raises(ValueError, match=r"one label per value\. Received 3 labels for 2 values"):
        bars.labels = ("a", "b", "c")
    with pytest.raises(ValueError, match=r"one label per value\. Received 3 values for 2 labels"):
        make(values=(0.3, 0.7), labels=("a", "b")).values = (0.1, 0.2, 0.7)
    with pytest.raises(ValueError, match=r"`true_class` between 0 and 1, or None\. Received 5"):
        bars.true_class = 5
    with pytest.raises(ValueError, match=r"`highlight` between 0 and 1, or None\. Received -1"):
        bars.highlight = -1
    with pytest.raises(ValueError, match="one label per value"):
        bars.update((0.2, 0.8), labels=("only one",))
    assert bars.values == (0.3, 0.7)
    assert bars.labels == ()


def test_errors_show_plainly_in_an_error_area(make: Any) -> None:
    area = ErrorArea()
    bars = make()
    with area.guard():
        bars.values = [5.0] * 10
    assert area.message.startswith("ProbabilityBars expects probabilities between 0 and 1.")
    assert issubclass(ProbabilityBarsError, ValueError)
    for part in (area, area.layout, area.style):
        part.close()


def test_labels_are_escaped_and_values_clipped_from_rounding(make: Any) -> None:
    bars = make(values=(1.0000001, -1e-9), labels=("<b>x</b>", "y & z"), decimals=2)
    assert "<b>x</b>" not in bars.value
    assert [row["label"] for row in rows_of(bars)] == ["<b>x</b>", "y & z"]
    assert bars.values == (1.0, 0.0)
    assert [row["value"] for row in rows_of(bars)] == ["1.00", "0.00"]


def test_unknown_arguments_are_refused(make: Any) -> None:
    with pytest.raises(TypeError, match="unexpected argument 'colour'"):
        make(colour="red")


def test_a_crafted_browser_update_cannot_rewrite_the_bars(make: Any) -> None:
    bars = make(values=(0.3, 0.7))
    shown = bars.value
    forged = {"value": "<b>forged</b>", "values": [1.0, 0.0], "highlight": 0, "render_count": 99}
    message = {"content": {"data": {"method": "update", "state": forged, "buffer_paths": []}}, "buffers": []}
    bars._handle_msg(message)  # noqa: SLF001, RUF100 - the entry point a comm message from the browser takes
    assert (bars.value, bars.values, bars.highlight) == (shown, (0.3, 0.7), 1)
    assert bars.render_count < 99


def test_shown_on_its_own_it_brings_the_page_stylesheet_and_close_releases_everything() -> None:
    page_style()  # the page's shared stylesheet lives on; it is not the bars'
    before = set(open_widgets)
    bars = ProbabilityBars(values=(0.2, 0.8))
    bundle = bars._repr_mimebundle_()  # noqa: SLF001, RUF100 - what IPython's display() calls
    shown = open_widgets[bundle["application/vnd.jupyter.widget-view+json"]["model_id"]]
    assert isinstance(shown, widgets.Box)
    assert shown.children == (page_style(), bars)
    bars.close()
    assert set(open_widgets) == before
    assert page_style().comm is not None


def test_old_error_names_still_work(make: Any) -> None:
    assert issubclass(ProbabilityBarsError, NNTeachValueError)
    assert TraitValueError is NNTeachValueError
    with pytest.raises(TraitValueError, match="between 0 and 1"):
        make(values=(2.0, 0.0))
