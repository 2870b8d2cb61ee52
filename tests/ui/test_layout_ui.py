"""Issue 15 items 6 and 7 in the page: digit grids fit their width, labels are never cut off, projector mode scales.

A DigitGrid wider than its container hides columns (10 of 100 images, 6 of 20 mistakes at 1280 px);
a fixed-width label cut to "weigh…" cannot be read. Measured in headless Chromium on Voila pages
at 1280 px and in projector mode at 1920×1080.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from test_digit_canvas_ui import _stroke
from ui_helpers import VoilaServer, assert_no_traceback, wait_for_kernel_text

from conftest import ARTIFACTS, LOCAL_HOSTS

# JavaScript: every digit grid whose cells reach past its widget, or an element on the way that scrolls.
GRID_OVERFLOW = """() => Array.from(document.querySelectorAll('.nnteach-digit-grid')).flatMap(grid => {
  const widget = grid.closest('.nnteach-digit-grid-widget') || grid.closest('.nnteach-widget');
  const edge = Math.min(widget.getBoundingClientRect().right, document.documentElement.clientWidth);
  const problems = [];
  for (let el = grid; el && el !== widget.parentElement; el = el.parentElement) {
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  const right = Math.max(...Array.from(grid.children).map(cell => cell.getBoundingClientRect().right));
  if (right > edge + 1) problems.push(`cells reach ${right} px, the widget ends at ${edge} px`);
  return problems;
})"""

# JavaScript: nnteach labels whose text is cut off (text-overflow or hidden overflow, text wider than the box).
TRUNCATED = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('.nnteach-widget *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    const clips = style.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(style.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 1) cut.push(`${el.tagName}.${el.className}: "${el.textContent.trim()}"`);
  }
  return [...new Set(cut)];
}"""

# JavaScript: the font size as drawn on screen (projector mode zooms widgets: the computed size stays).
DRAWN_FONT = (
    """e => parseFloat(getComputedStyle(e).fontSize) * (e.getBoundingClientRect().width / (e.offsetWidth || 1))"""
)

# A gallery notebook and a text its kernel writes into a widget once the page is up.
PAGES = {
    "perceptron_view.ipynb": "AND",
    "activation_explorer.ipynb": "ReLU",
    "layer_stack_builder.ipynb": "Total params",
    "training_monitor.ipynb": "Start",
    "digit_canvas.ipynb": "Save as example",
    "digit_grid.ipynb": "wrong on this page",
    "run_comparison.ipynb": "dropout",
    "onehot_softmax.ipynb": "loss",
}


@pytest.fixture
def wide_page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A 1920×1080 tab (a projector), every non-localhost request blocked; screenshot saved after the test."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[attr-defined]
    blocked: list[str] = []

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOCAL_HOSTS:
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def _open(tab: object, server: VoilaServer, notebook: str, query: str = "") -> None:
    tab.goto(server.render_url(notebook, query))  # type: ignore[attr-defined]
    wait_for_kernel_text(tab, PAGES[notebook])
    tab.locator(".nnteach-widget").first.wait_for(state="visible")  # type: ignore[attr-defined]
    assert_no_traceback(tab)


def test_the_digit_grids_fit_at_1280_px(gallery: VoilaServer, page: object) -> None:
    _open(page, gallery, "digit_grid.ipynb")
    page.get_by_text("MNIST training images").wait_for(state="visible")  # type: ignore[attr-defined]
    assert page.locator(".nnteach-digit-grid").count() == 2  # type: ignore[attr-defined]
    assert page.evaluate(GRID_OVERFLOW) == []  # type: ignore[attr-defined]
    widths = page.evaluate(  # type: ignore[attr-defined]
        "() => Array.from(document.querySelectorAll('.nnteach-digit-grid img')).map(i => i.getBoundingClientRect().width)"
    )
    assert len(widths) == 150 and min(widths) >= 28, "every digit shown, none smaller than MNIST's own 28 px"


@pytest.mark.parametrize("notebook", list(PAGES))
def test_no_label_is_cut_off_at_1280_px(gallery: VoilaServer, page: object, notebook: str) -> None:
    _open(page, gallery, notebook)
    assert page.evaluate(TRUNCATED) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("notebook", list(PAGES))
def test_projector_mode_scales_and_cuts_off_no_label(gallery: VoilaServer, wide_page: object, notebook: str) -> None:
    _open(wide_page, gallery, notebook, "?projector=1")
    assert wide_page.evaluate("document.documentElement.classList.contains('nnteach-projector')")  # type: ignore[attr-defined]
    assert wide_page.evaluate(TRUNCATED) == []  # type: ignore[attr-defined]
    assert wide_page.evaluate(GRID_OVERFLOW) == []  # type: ignore[attr-defined]
    sizes = wide_page.evaluate(  # type: ignore[attr-defined]
        "() => Array.from(document.querySelectorAll('.nnteach-widget .widget-label, .nnteach-widget button'))"
        f".filter(e => e.offsetWidth).map({DRAWN_FONT})"
    )
    assert sizes and min(sizes) >= 18, f"projector text of at least 18 px, got {sorted(sizes)[:5]}"


def test_projector_mode_enlarges_the_drawing_area(gallery: VoilaServer, wide_page: object) -> None:
    _open(wide_page, gallery, "digit_canvas.ipynb", "?projector=1")
    box = wide_page.locator(".nnteach-digit-canvas").first.bounding_box()  # type: ignore[attr-defined]
    assert box["width"] >= 400 and box["height"] >= 400, box
    bars = wide_page.evaluate(  # type: ignore[attr-defined]
        f"() => Array.from(document.querySelectorAll('.nnteach-bar-label')).filter(e => e.offsetWidth).map({DRAWN_FONT})"
    )
    assert bars and min(bars) >= 20, bars
    _stroke(wide_page, [(box["width"] / 2, box["height"] * (0.16 + 0.034 * i)) for i in range(20)])
    wait_for_kernel_text(wide_page, "Prediction: 1")  # the mouse still lands where it is drawn


def test_the_keras_code_looks_like_code_and_copies(gallery: VoilaServer, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if (urlparse(route.request.url).hostname or "") in LOCAL_HOSTS or route.request.url.startswith("data:")
            else route.abort()
        ),
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=gallery.url)
    tab = context.new_page()
    try:
        _open(tab, gallery, "layer_stack_builder.ipynb")
        tab.locator(".nnteach-code-toggle").click()
        code = tab.locator("pre.nnteach-code-text")
        code.get_by_text("keras.Sequential").wait_for(state="visible")
        style = code.evaluate(
            "e => { const s = getComputedStyle(e); return [s.fontFamily, parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"
        )
        family, size, line = style
        assert any(mono in family.lower() for mono in ("mono", "menlo", "consolas", "courier")), family
        assert line <= 1.5 * size, f"line spacing {line} px for {size} px text"
        widths = tab.evaluate(
            "() => { const c = document.createElement('canvas').getContext('2d');"
            " c.font = getComputedStyle(document.querySelector('pre.nnteach-code-text')).font;"
            " return [c.measureText('iiii').width, c.measureText('MMMM').width]; }"
        )
        assert abs(widths[0] - widths[1]) < 0.5, f"a monospace font draws i and M equally wide: {widths}"
        tab.locator(".nnteach-copy-code").click()
        tab.locator(".nnteach-copy-code").get_by_text("Copied").wait_for(state="visible")
        assert tab.evaluate("navigator.clipboard.readText()") == code.inner_text()
        tab.screenshot(path=str(ARTIFACTS / "test_the_keras_code_looks_like_code_and_copies.png"), full_page=True)
    finally:
        context.close()


# A lesson and a text its kernel writes into a widget (the lesson's own prose does not contain it).
LESSON_PAGES = {
    "04_multilayer_perceptron.ipynb": ("Ready to build", ".nnteach-builder"),
    "07_draw_your_digit.ipynb": ("Draw a digit", ".nnteach-prediction"),
}


@pytest.mark.parametrize("lesson", list(LESSON_PAGES))
def test_lessons_in_projector_mode_cut_off_no_label(lessons: VoilaServer, wide_page: object, lesson: str) -> None:
    text, widget = LESSON_PAGES[lesson]
    wide_page.goto(lessons.render_url(lesson, "?projector=1"))  # type: ignore[attr-defined]
    wide_page.locator(widget).get_by_text(text).first.wait_for(state="visible", timeout=120_000)  # type: ignore[attr-defined]
    assert_no_traceback(wide_page)
    assert wide_page.evaluate(TRUNCATED) == []  # type: ignore[attr-defined]
    assert wide_page.evaluate(GRID_OVERFLOW) == []  # type: ignore[attr-defined]
