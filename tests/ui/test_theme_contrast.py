"""Every public widget is readable in JupyterLab 4 and Voila, dark and light (WCAG contrast >= 4.5:1).

``theme_gallery.ipynb`` shows a sample of every name in ``nnteach.widgets.__all__``. Each
(front end, theme) page is rendered once in Chromium; ``theme_probe.js`` reads every nnteach
text element's computed colour and the backgrounds behind it (the first opaque ancestor, with
any translucent layers on top), and every image's pixels as seen over its background. Each
widget is measured alone: the ``<style>`` blocks other widgets brought are off meanwhile, so an
old inline block of one widget cannot make another pass or fail. A failure lists every element
(widget, class, text, colours, ratio); screenshots of each widget go to ``tests/ui/artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from theme_gallery import DONE_TEXT, public_widgets
from ui_helpers import (
    VoilaServer,
    free_port,
    start_voila,
    stop_process,
    stop_voila,
    wait_for_kernel_text,
    wait_until_answers,
)

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
PROBE = (HERE / "theme_probe.js").read_text(encoding="utf-8")
WIDGETS = public_widgets()
VIEWS = [("lab", "dark"), ("lab", "light"), ("voila", "dark"), ("voila", "light")]
LAB_THEMES = {"dark": "JupyterLab Dark", "light": "JupyterLab Light"}
MINIMUM = 4.5  # WCAG 2 AA for normal text; applied to all text, large or not
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
RGB = tuple[float, float, float]


# -- WCAG arithmetic ------------------------------------------------------------------------------
def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour with 0-255 channels."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two opaque colours, from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(top: list[int] | tuple[int, ...], bottom: RGB) -> RGB:
    """``top`` (r, g, b, a with a in 0-255) composited over the opaque ``bottom``."""
    alpha = top[3] / 255
    return (
        top[0] * alpha + bottom[0] * (1 - alpha),
        top[1] * alpha + bottom[1] * (1 - alpha),
        top[2] * alpha + bottom[2] * (1 - alpha),
    )


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in rgb))


def test_contrast_matches_published_wcag_ratios() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)  # the AA grey
    assert contrast((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert contrast((0x1B, 0x1B, 0x1B), (0x11, 0x11, 0x11)) == pytest.approx(1.1, abs=0.05)  # issue 13's bars
    assert over((0, 0, 0, 0), (10, 20, 30)) == (10, 20, 30)


# -- what the probe measured, judged ------------------------------------------------------------
@dataclass
class Finding:
    widget: str
    nnteach: str
    element: str
    text: str
    colour: str
    background: str
    ratio: float

    def line(self) -> str:
        return (
            f"  {self.widget} {self.nnteach or '-'} <{self.element}> {self.text!r}: "
            f"{self.colour} on {self.background} = {self.ratio:.2f}:1"
        )


def text_findings(result: dict[str, Any]) -> tuple[list[Finding], int]:
    """Text elements under 4.5:1 (and how many were checked); disabled controls are exempt (WCAG 1.4.3)."""
    failing: list[Finding] = []
    checked = 0
    for item in result["texts"]:
        if item["disabled"]:
            continue
        background: RGB = (255.0, 255.0, 255.0)  # the canvas behind a page without a background
        for layer in reversed(item["backgrounds"]):
            background = over(layer["rgba"], background)
        colour = item["colour"]
        seen = over((colour[0], colour[1], colour[2], round(colour[3] * item["opacity"])), background)
        ratio = contrast(seen, background)
        checked += 1
        if ratio < MINIMUM:
            failing.append(
                Finding(
                    result["widget"], item["nnteach"], item["element"], item["text"],
                    hex_of(seen), hex_of(background), ratio,
                )
            )  # fmt: skip
    return failing, checked


def image_findings(result: dict[str, Any]) -> list[str]:
    """Images whose ink is unreadable: a transparent image over this page, or a plot without contrast.

    An image's "ink contrast" is the highest contrast of any of its pixels (as seen over the
    page) with its most common colour (its background). A fully opaque image looks the same in
    every theme; plots (``nnteach-plot``) must still show ink; a digit is exempt.
    """
    problems = []
    for image in result["images"]:
        name = f"  {result['widget']} {image['nnteach']} <{image['element']}> alt={image['alt']!r}"
        if not image["loaded"]:
            continue  # an empty Image (no value yet) shows nothing to read
        colours = {tuple(int(c) for c in key.split(",")): n for key, n in image["colours"].items()}
        ground = max(colours, key=colours.__getitem__)
        ink = max(contrast(colour, ground) for colour in colours)
        transparent = image["transparent_pixels"] > 0
        if (transparent or "nnteach-plot" in image["element"]) and ink < MINIMUM:
            share = image["transparent_pixels"] / image["pixels"]
            problems.append(
                f"{name}: ink contrast {ink:.2f}:1 on {hex_of(ground)} ({share:.0%} of its pixels transparent)"
            )
    return problems


# -- servers and pages ----------------------------------------------------------------------------
@dataclass
class LabServer:
    url: str
    token: str
    process: subprocess.Popen[bytes]
    settings: Path
    log: Path


def _gallery_folder(tmp: Path) -> Path:
    folder = tmp / "gallery"
    folder.mkdir()
    for name in ("theme_gallery.ipynb", "theme_gallery.py"):
        shutil.copy(HERE / name, folder / name)
    return folder


def _write_settings(settings: Path, theme: str) -> None:
    """JupyterLab user settings: the theme, and no news or update checks (nothing leaves the machine)."""
    apputils = settings / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True, exist_ok=True)
    (apputils / "themes.jupyterlab-settings").write_text(json.dumps({"theme": LAB_THEMES[theme]}))
    (apputils / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # Every cell and output laid out (not only those in view), none trimmed: the probe reads all of them.
    notebook = settings / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True, exist_ok=True)
    (notebook / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none", "maxNumberOutputs": 10_000})
    )


# No announcements, update checks, extension manager look-ups or language servers: nothing leaves the machine.
_LAB_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "extension_manager": "readonly",
        "expose_app_in_browser": True,
    },
    "ServerApp": {"jpserver_extensions": {"jupyter_lsp": False}},
}


# Through the app Lab exposes with ``expose_app_in_browser``: the notebook's session, then its Run All.
_RUN_ALL = """async () => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.context.sessionContext.ready;
    await app.commands.execute("notebook:run-all-cells");
}"""


def start_lab(folder: Path, work: Path) -> LabServer:
    """``jupyter lab`` on 127.0.0.1, a free port and a token, with settings, workspaces and config in ``work``."""
    port, token = free_port(), os.urandom(12).hex()
    settings = work / "lab-settings"
    _write_settings(settings, "dark")
    env = {
        **os.environ,
        "NNTEACH_QUICK": "1",
        "NNTEACH_WORKDIR": str(work),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "lab-workspaces"),
        "JUPYTER_CONFIG_DIR": str(work / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(work / "jupyter-runtime"),
    }
    env.pop("DISPLAY", None)
    config = work / "jupyter-config"
    config.mkdir(exist_ok=True)
    (config / "jupyter_server_config.json").write_text(json.dumps(_LAB_CONFIG))
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--ServerApp.allow_root=True",
    ]  # fmt: skip
    log = work / "lab.log"
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(process, f"{url}/api/status?token={token}", log, "jupyter lab", seconds=90)
    return LabServer(url, token, process, settings, log)


def stop_lab(server: LabServer) -> None:
    stop_process(server.process)


def _shut_down_kernels(server: LabServer) -> None:
    headers = {"Authorization": f"token {server.token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{server.url}/api/sessions", headers=headers)) as answer:
        sessions = json.load(answer)
    for session in sessions:
        request = urllib.request.Request(f"{server.url}/api/sessions/{session['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(request).close()


def _offline_context(browser: Any, blocked: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return context


def _wait_for_gallery(tab: Any) -> None:
    """Wait for the kernel's closing line, then for every widget's view and every image."""
    total = len(WIDGETS)
    # "... of 15 widgets shown": the count is the kernel's; a widget it could not show is reported by name.
    wait_for_kernel_text(tab, DONE_TEXT.format(shown="", total=total).strip(), timeout_ms=180_000)
    try:
        tab.wait_for_function(f"() => {_PENDING}.length === 0", timeout=120_000)
    except Exception as error:  # Playwright's timeout, said with the widgets it waited for
        raise AssertionError(f"No view appeared within 120 s for: {tab.evaluate(_PENDING)}") from error


# Widgets whose output shows neither an nnteach element, nor the kernel's "could not show", nor
# ipywidgets' "Error displaying widget"; and images still loading.
_PENDING = """(() => {
    const pending = [];
    for (const heading of document.querySelectorAll('.theme-gallery-heading')) {
        const next = heading.closest('.jp-OutputArea-child').nextElementSibling;
        const said = next ? next.innerText : '';
        const settled = said.includes('could not show') || said.includes('Error displaying widget');
        if (!settled && !(next && next.querySelector('[class*=nnteach]'))) pending.push(heading.dataset.widget);
    }
    for (const image of document.querySelectorAll('[class*=nnteach] img')) {
        if (!image.complete) pending.push('an image: ' + image.alt);
    }
    return pending;
})()"""


def _measure(tab: Any, frontend: str, theme: str) -> dict[str, Any]:
    measured = tab.evaluate(PROBE)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"theme-{frontend}-{theme}.png"))
    for result in measured["results"]:
        shot = tab.locator(f"[data-theme-gallery='{result['widget']}']").first
        if shot.count():
            shot.screenshot(path=str(ARTIFACTS / f"theme-{frontend}-{theme}-{result['widget']}.png"))
    return measured


@pytest.fixture(scope="session")
def themed_pages(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str, str], dict[str, Any]]]:
    """``themed_pages(frontend, theme)``: the probe's results for that page, rendered once per session."""
    work = tmp_path_factory.mktemp("theme-contrast")
    folder = _gallery_folder(work)
    pages: dict[tuple[str, str], dict[str, Any] | Exception] = {}
    servers: dict[str, Any] = {}

    def render(frontend: str, theme: str) -> dict[str, Any]:
        if (frontend, theme) not in pages:
            try:
                pages[(frontend, theme)] = measure(frontend, theme)
            except Exception as error:  # noqa: BLE001 - every widget's test of this page reports it, once rendered
                pages[(frontend, theme)] = error
        page = pages[(frontend, theme)]
        if isinstance(page, Exception):
            raise AssertionError(f"The {frontend}-{theme} page could not be measured: {page}") from page
        return page

    def measure(frontend: str, theme: str) -> dict[str, Any]:
        blocked: list[str] = []
        context = _offline_context(browser, blocked)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
        try:
            if frontend == "lab":
                if "lab" not in servers:
                    servers["lab"] = start_lab(folder, work)
                lab = servers["lab"]
                _write_settings(lab.settings, theme)
                tab.goto(f"{lab.url}/lab/tree/theme_gallery.ipynb?reset&token={lab.token}")
                tab.wait_for_selector(
                    f"body[data-jp-theme-name='{LAB_THEMES[theme]}']", state="attached", timeout=120_000
                )
                tab.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=120_000)
                # Run All once the notebook's kernel is connected (a run asked for sooner can be lost).
                tab.evaluate(_RUN_ALL)
            else:
                if "voila" not in servers:
                    servers["voila"] = start_voila(folder, work / "voila.log", {"NNTEACH_WORKDIR": str(work)})
                voila: VoilaServer = servers["voila"]
                tab.goto(voila.render_url("theme_gallery.ipynb", f"?theme={theme}"))
            _wait_for_gallery(tab)
            measured = _measure(tab, frontend, theme)
        except Exception as error:
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"theme-{frontend}-{theme}-failed.png"), full_page=True)
            if errors:
                raise AssertionError(f"The page's errors: {errors[:5]}") from error
            raise
        finally:
            context.close()
            if frontend == "lab" and "lab" in servers:
                _shut_down_kernels(servers["lab"])
        measured["blocked"], measured["page_errors"] = blocked, errors
        return measured

    yield render
    if "lab" in servers:
        stop_lab(servers["lab"])
    if "voila" in servers:
        stop_voila(servers["voila"])


@pytest.mark.parametrize("widget", WIDGETS)
@pytest.mark.parametrize(("frontend", "theme"), VIEWS, ids=[f"{f}-{t}" for f, t in VIEWS])
def test_every_nnteach_text_is_readable(
    themed_pages: Callable[[str, str], dict[str, Any]], frontend: str, theme: str, widget: str
) -> None:
    page = themed_pages(frontend, theme)
    if frontend == "lab":
        assert page["theme_name"] == LAB_THEMES[theme], f"JupyterLab showed {page['theme_name']}"
    assert page["theme_light"] == ("false" if theme == "dark" else "true")
    results = {result["widget"]: result for result in page["results"]}
    assert widget in results, f"{widget} is not in the gallery page (names: {sorted(results)})"
    result = results[widget]
    failing, checked = text_findings(result)
    bad_images = image_findings(result)
    images = sum(image["loaded"] for image in result["images"])
    assert checked + images > 0, (
        f"{widget} showed no nnteach text or image to check in {frontend}-{theme}; the page says: {result['said']!r}"
    )
    own_styles = [style["head"] for style in result["styles"] if not style["page"]]
    why = (
        f"\n{widget} still carries {len(own_styles)} inline <style> block(s) of its own "
        f"(not the page stylesheet): {own_styles}"
        if own_styles
        else ""
    )
    assert not failing and not bad_images, (
        f"{len(failing)} of {checked} text elements of {widget} under {MINIMUM}:1 in {frontend}-{theme}"
        f" (screenshot: tests/ui/artifacts/theme-{frontend}-{theme}-{widget}.png):\n"
        + "\n".join([finding.line() for finding in failing] + bad_images)
        + why
    )


# -- plots: opaque PNGs whose text contrasts with the figure's own background (no browser) -----------
def _plots(widget: Any) -> list[Any]:
    """Every ``PlotImage`` in ``widget``'s tree of children."""
    from nnteach.widgets import PlotImage

    found, stack = [], [widget]
    while stack:
        node = stack.pop()
        if isinstance(node, PlotImage):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


@pytest.mark.parametrize("widget", WIDGETS)
def test_plot_text_contrasts_with_an_opaque_figure(widget: str) -> None:
    import io

    from matplotlib.colors import to_rgba
    from matplotlib.text import Text
    from PIL import Image
    from theme_gallery import sample

    shown = sample(widget)
    try:
        failing = []
        for plot in _plots(shown):
            plot.refresh()
            alpha = Image.open(io.BytesIO(plot.value)).convert("RGBA").getextrema()[3]
            assert alpha == (255, 255), f"{widget}'s plot PNG has transparent pixels (alpha {alpha})"
            figure_rgba = to_rgba(plot.figure.get_facecolor())
            assert figure_rgba[3] == 1.0, f"{widget}'s figure background is not opaque: {figure_rgba}"
            figure_bg: RGB = (figure_rgba[0] * 255, figure_rgba[1] * 255, figure_rgba[2] * 255)
            for text in plot.figure.findobj(Text):
                if not text.get_visible() or not text.get_text().strip():
                    continue
                background = figure_bg
                if text.axes is not None:
                    background = over([c * 255 for c in to_rgba(text.axes.get_facecolor())], figure_bg)
                colour = over([c * 255 for c in to_rgba(text.get_color())], background)
                ratio = contrast(colour, background)
                if ratio < MINIMUM:
                    failing.append(f"  {text.get_text()!r}: {hex_of(colour)} on {hex_of(background)} = {ratio:.2f}:1")
        assert not failing, f"{widget}'s plot text under {MINIMUM}:1:\n" + "\n".join(failing)
    finally:
        shown.close()
