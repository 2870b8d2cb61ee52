"""`nnteach serve` pages in headless Chromium: the nnteach template, offline, projector mode,
a plain "kernel stopped" banner with a reload button, and the "class is full" page.

A small folder is served through the real ``nnteach serve`` with a copy of
``lessons/voila.json``: an ``index.ipynb`` with a ``$...$`` formula, an nnteach-styled HTML
widget and a button with a Font Awesome icon.
"""

from __future__ import annotations

import json
import os
import re
import signal
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from ui_helpers import ROOT, VoilaServer, assert_no_traceback, start_voila, stop_voila, wait_for_kernel_text

HELLO = "kernel says hello"
# A link, script or import that would leave the server (a CDN), in the HTML as sent.
OUTSIDE_LINK = re.compile(
    r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|import\(["']https?:|cdnjs|jsdelivr"""
)
CODE = f"""\
import ipywidgets as widgets
from nnteach.widgets._parts import STYLE_CSS

label = widgets.HTML(STYLE_CSS + "<span class='hello'>{HELLO}</span>")
label.add_class("nnteach-scale")
button = widgets.Button(description="Check", icon="check")
button.on_click(lambda _: setattr(label, "value", "the button reached the kernel"))
widgets.VBox([label, button])
"""


def write_served_folder(folder: Path, config: dict[str, object] | None = None) -> Path:
    """A folder with the test ``index.ipynb`` and ``lessons/voila.json`` (``config`` merged in)."""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "# Serving check\n\nThe sigmoid $\\sigma(z) = \\frac{1}{1 + e^{-z}}$ squashes any number."
        ),
        nbformat.v4.new_code_cell(CODE),
    ]
    nbformat.write(notebook, folder / "index.ipynb")
    settings = json.loads((ROOT / "lessons" / "voila.json").read_text())
    for section, values in (config or {}).items():
        settings.setdefault(section, {}).update(values)  # type: ignore[arg-type]
    (folder / "voila.json").write_text(json.dumps(settings, indent=2))
    return folder


@pytest.fixture(scope="module")
def served(voila_server: Callable[[Path], VoilaServer], tmp_path_factory: pytest.TempPathFactory) -> VoilaServer:
    return voila_server(write_served_folder(tmp_path_factory.mktemp("served") / "site"))


def kernel_id_of(page: object) -> str:
    """The id of the kernel behind a rendered Voila page (from its page config)."""
    script = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    kernel_id: str = page.evaluate(script)  # type: ignore[attr-defined]
    return kernel_id


def kernel_pids(kernel_id: str) -> list[int]:
    """Processes of the kernel with ``kernel_id`` (its connection file is named after the id)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if f"kernel-{kernel_id}.json" in command and "ipykernel" in command:
                found.append(int(entry.name))
    return found


def test_root_leads_to_the_index_and_nothing_is_fetched_from_the_internet(served: VoilaServer, page: object) -> None:
    page.goto(served.url + "/")  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    assert page.url == served.render_url("index.ipynb")  # type: ignore[attr-defined]

    # $...$ in markdown was typeset by the locally served MathJax, not left as raw TeX.
    page.locator("mjx-container").first.wait_for(state="visible", timeout=30_000)  # type: ignore[attr-defined]
    assert "\\frac" not in page.inner_text("#rendered_cells")  # type: ignore[attr-defined]

    # The button's Font Awesome icon has its font (bundled with Voila, served locally).
    icon = page.locator(".widget-button i.fa-check")  # type: ignore[attr-defined]
    icon.wait_for(state="visible")
    assert "Font Awesome" in icon.evaluate("i => getComputedStyle(i).fontFamily")
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 5 Free\"')")  # type: ignore[attr-defined]

    page.get_by_role("button", name="Check").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "the button reached the kernel")
    assert_no_traceback(page)
    assert page.problems.blocked == []  # type: ignore[attr-defined]
    assert page.problems.page_errors == []  # type: ignore[attr-defined]


def test_listing_and_error_pages_need_no_internet(served: VoilaServer, page: object) -> None:
    page.goto(served.url + "/voila/tree")  # type: ignore[attr-defined]
    page.locator("a.nnteach-tree-index").wait_for(state="visible", timeout=30_000)  # type: ignore[attr-defined]
    assert page.url.endswith("/voila/tree")  # type: ignore[attr-defined]
    page.goto(served.url + "/voila/render/missing.ipynb")  # type: ignore[attr-defined]
    page.get_by_text("404").first.wait_for(state="visible")  # type: ignore[attr-defined]
    assert page.problems.blocked == []  # type: ignore[attr-defined]


def _font_size(page: object) -> float:
    """The widget text's size as drawn (projector mode zooms whole widgets: the computed font-size stays)."""
    height: float = page.locator(".nnteach-scale .hello").evaluate("e => e.getBoundingClientRect().height")  # type: ignore[attr-defined]
    return height


def test_projector_mode_scales_nnteach_widgets_and_can_be_toggled(served: VoilaServer, page: object) -> None:
    page.goto(served.render_url("index.ipynb", "?projector=1"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    assert page.evaluate("document.documentElement.classList.contains('nnteach-projector')")  # type: ignore[attr-defined]
    big = _font_size(page)
    markdown_big = page.locator(".jp-RenderedMarkdown p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )  # type: ignore[attr-defined]

    toggle = page.locator(".nnteach-projector-toggle")  # type: ignore[attr-defined]
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert not page.evaluate("document.documentElement.classList.contains('nnteach-projector')")  # type: ignore[attr-defined]
    assert "projector" not in page.url  # type: ignore[attr-defined]
    small = _font_size(page)
    markdown_small = page.locator(".jp-RenderedMarkdown p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )  # type: ignore[attr-defined]
    assert big >= 1.4 * small, (big, small)
    assert markdown_big >= 1.4 * markdown_small, (markdown_big, markdown_small)

    toggle.click()
    assert "projector=1" in page.url  # type: ignore[attr-defined]
    assert _font_size(page) == big


def wait_for_stopped_banner(page: object) -> None:
    banner = page.locator(".nnteach-kernel-lost")  # type: ignore[attr-defined]
    banner.wait_for(state="visible", timeout=60_000)
    assert "This page has stopped" in banner.inner_text()
    assert "Reload the page" in banner.inner_text()


def test_a_killed_kernel_is_announced_with_a_reload_button(served: VoilaServer, page: object) -> None:
    page.goto(served.render_url("index.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    kernel_id = kernel_id_of(page)
    pids = kernel_pids(kernel_id)
    assert pids, f"no process found for kernel {kernel_id}"
    assert page.locator(".nnteach-kernel-lost").count() == 0  # type: ignore[attr-defined]
    for pid in pids:
        os.kill(pid, signal.SIGKILL)

    wait_for_stopped_banner(page)
    page.get_by_role("button", name="Reload the page").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    assert kernel_id_of(page) != kernel_id
    assert page.locator(".nnteach-kernel-lost").count() == 0  # type: ignore[attr-defined]
    page.get_by_role("button", name="Check").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, "the button reached the kernel")
    assert page.problems.blocked == []  # type: ignore[attr-defined]


@pytest.fixture
def tiny_class(tmp_path: Path) -> Iterator[VoilaServer]:
    """A class of one: ``max_kernels`` 1; a page that never connects frees its seat 4 s after loading."""
    folder = write_served_folder(
        tmp_path / "class",
        {
            "ClassKernelManager": {"max_kernels": 1, "connect_grace": 4, "seat_check_interval": 0.5},
            "MappingKernelManager": {"cull_idle_timeout": 4, "cull_interval": 1},
        },
    )
    server = start_voila(folder, tmp_path / "voila.log")
    yield server
    stop_voila(server)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_full_class_gets_a_plain_page_and_a_freed_seat_lets_the_next_learner_in(
    tiny_class: VoilaServer, page: object
) -> None:
    first, body = _get(tiny_class.render_url("index.ipynb"))
    assert first == 200 and "kernelId" in body
    # The first page's kernel now holds the only seat (no tab connects, so its seat frees soon).
    page.goto(tiny_class.render_url("index.ipynb"))  # type: ignore[attr-defined]
    page.get_by_text("The class is full").first.wait_for(state="visible", timeout=30_000)  # type: ignore[attr-defined]
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Try again in a minute" in text
    assert "Traceback" not in text
    assert page.locator("button.nnteach-reload").is_visible()  # type: ignore[attr-defined]
    assert page.problems.blocked == []  # type: ignore[attr-defined]

    # Once the page that never connected has lost its seat (the server logs it), "Try again now" gets the learner in.
    waited_ms = 0
    while "a seat is free" not in tiny_class.log.read_text(errors="replace") and waited_ms < 60_000:
        page.wait_for_timeout(500)  # type: ignore[attr-defined]  # polling the server log, not the page
        waited_ms += 500
    log = tiny_class.log.read_text(errors="replace")
    assert "its page never connected within 4 s of loading" in log
    assert "Culling 'idle' kernel" not in log, "idle culling must leave pages that have not connected to the seat check"
    assert "nnteach: a seat is free (0 of 1 lesson pages running)" in log
    page.locator("button.nnteach-reload").click()  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    assert "The class is full" not in page.inner_text("body")  # type: ignore[attr-defined]


def test_rendered_pages_link_nothing_outside_the_server(served: VoilaServer) -> None:
    # The cheap tier: the HTML itself, as the server sends it.
    for url in (served.url + "/", served.render_url("index.ipynb"), served.render_url("missing.ipynb")):
        _, body = _get(url)
        assert not OUTSIDE_LINK.search(body.replace(served.url, "")), (url, OUTSIDE_LINK.search(body))
    _, page = _get(served.render_url("index.ipynb"))
    assert "/voila/templates/nnteach/static/nnteach.js" in page
    assert "/voila/templates/nnteach/static/nnteach.css" in page


def test_two_tabs_of_one_browser_keep_their_kernels_and_another_browser_gets_403(
    served: VoilaServer, page: object, browser: object
) -> None:
    page.goto(served.render_url("index.ipynb"))  # type: ignore[attr-defined]
    wait_for_kernel_text(page, HELLO)
    second_tab = page.context.new_page()  # type: ignore[attr-defined]
    second_tab.goto(served.render_url("index.ipynb"))
    wait_for_kernel_text(second_tab, HELLO)
    first, second = kernel_id_of(page), kernel_id_of(second_tab)
    assert first != second
    for tab in (page, second_tab):
        tab.get_by_role("button", name="Check").click()  # type: ignore[attr-defined]
        wait_for_kernel_text(tab, "the button reached the kernel")

    keys = {c["name"]: c for c in page.context.cookies() if c["name"].startswith("nnteach-kernel-")}  # type: ignore[attr-defined]
    assert set(keys) == {f"nnteach-kernel-{first}", f"nnteach-kernel-{second}"}
    assert all(cookie["httpOnly"] for cookie in keys.values())
    assert "nnteach-kernel-" not in page.evaluate("document.cookie")  # type: ignore[attr-defined]

    other = browser.new_context()  # type: ignore[attr-defined]
    try:
        for kernel_id in (first, second):
            response = other.request.get(f"{served.url}/api/kernels/{kernel_id}")
            assert response.status == 403, response.text()
    finally:
        other.close()
    second_tab.get_by_role("button", name="Check").click()
    wait_for_kernel_text(second_tab, "the button reached the kernel")
    second_tab.close()
