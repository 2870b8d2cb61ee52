"""Make the index's lesson thumbnails from the lessons as Voila really serves them.

Run from the repository root (about two minutes; needs Debian's ``chromium`` and the
``lessons`` and test extras, offline):

    .venv/bin/python scripts/make_thumbnails.py [--only 04_multilayer_perceptron]

It starts ``nnteach serve`` on ``lessons/`` (a fresh, empty work folder; no test settings),
opens each lesson of ``nnteach.lessons.LESSONS`` in headless Chromium at 1280×800 with every
request outside 127.0.0.1 refused, waits until the kernel has drawn the part that tells what
the lesson shows (below), screenshots that part and writes ``lessons/thumbnails/<stem>.png``
(384×216, the card's 16:9). Lesson 7 first draws a 7 on the canvas with the mouse, so its
card shows a drawing and the network's answer. Waits are on selectors and kernel-written
text, never on sleeps.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from PIL import Image

from nnteach._atomic import atomic_write_bytes
from nnteach.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[1]
LESSONS_DIR = ROOT / "lessons"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SIZE = (384, 216)
LOAD_MS = 180_000  # a lesson page's kernel runs every cell before its widgets render


def draw_a_seven(page: Any, part: Any) -> None:
    """Draw a 7 on lesson 7's canvas with the mouse and wait for the network's answer."""
    canvas = part.locator(".nnteach-digit-canvas").first
    box = canvas.bounding_box()
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(left + 0.25 * width, top + 0.22 * height)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(left + (0.25 + 0.06 * step) * width, top + 0.22 * height)
    for step in range(1, 11):
        page.mouse.move(left + (0.73 - 0.03 * step) * width, top + (0.22 + 0.06 * step) * height)
    page.mouse.up()
    part.locator(".nnteach-prediction").filter(has_text="Prediction:").first.wait_for(state="visible", timeout=60_000)


@dataclass(frozen=True)
class Shot:
    """What a lesson's card shows: the part of the page (a CSS selector) and how it fits the card."""

    selector: str
    fit: str = "contain"  # "contain": the whole part, padded; "top": full width, its top cropped to 16:9
    text: str = ""  # kernel-written text the part must show first
    width: int | None = None  # keep only the part's left ``width`` pixels (parts that span the page)
    prepare: Callable[[Any, Any], None] | None = None


SHOTS = {
    "01_perceptron": Shot(".nnteach-perceptron-view", "top"),
    "02_mnist_data": Shot(".nnteach-digit-image .nnteach-digit-body", "contain"),
    "03_softmax_regression": Shot(".nnteach-templates", "contain", "Weights of the packaged", width=940),
    "04_multilayer_perceptron": Shot(".nnteach-builder", "top", "101,770"),
    "05_activation_functions": Shot(".nnteach-activation-explorer", "top"),
    "06_dropout_and_overfitting": Shot(".nnteach-run-comparison .nnteach-compare-plot", "contain"),
    "07_draw_your_digit": Shot(".nnteach-digit-canvas-widget", "top", prepare=draw_a_seven),
}


def fit(png: bytes, how: str, keep_width: int | None = None) -> bytes:
    """Scale a screenshot onto a white 384×216 card: whole (``contain``) or full width, top part (``top``)."""
    shot = Image.open(io.BytesIO(png)).convert("RGB")
    if keep_width is not None and shot.width > keep_width:
        shot = shot.crop((0, 0, keep_width, shot.height))
    width, height = SIZE
    scale = min(width / shot.width, height / shot.height) if how == "contain" else width / shot.width
    scaled = shot.resize((max(1, round(shot.width * scale)), max(1, round(shot.height * scale))), Image.LANCZOS)
    card = Image.new("RGB", SIZE, "white")
    offset = ((width - scaled.width) // 2, (height - scaled.height) // 2) if how == "contain" else (0, 0)
    card.paste(scaled.crop((0, 0, min(scaled.width, width), min(scaled.height, height))), offset)
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(work: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``nnteach serve`` on the lessons, answering HTTP on a free local port."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NNTEACH_")}
    env["NNTEACH_WORKDIR"] = str(work)
    command = [sys.executable, "-m", "nnteach.cli", "serve", "--no-browser", f"--port={port}", str(LESSONS_DIR)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nnteach serve exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):  # noqa: S310 - our own server on 127.0.0.1
                return process, url
        except OSError:
            time.sleep(0.2)  # polling a port that is not open yet; no page is involved
    process.terminate()
    raise RuntimeError(f"nnteach serve did not answer within 60 s:\n{log.read_text(errors='replace')}")


def offline(route: Any) -> None:
    """Refuse every request that is not to this machine: the thumbnails show the offline page."""
    if urlparse(route.request.url).hostname in {"127.0.0.1", "localhost"}:
        route.continue_()
    else:
        route.abort()


def shoot(browser: Any, url: str, stem: str, shot: Shot) -> bytes:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", offline)
    page = context.new_page()
    try:
        page.goto(f"{url}/voila/render/{stem}.ipynb", timeout=LOAD_MS)
        part = page.locator(shot.selector).filter(has_text=shot.text).first
        part.wait_for(state="visible", timeout=LOAD_MS)
        part.scroll_into_view_if_needed()
        page.wait_for_function(  # every picture inside the part has arrived from the kernel
            "(el) => [...el.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0)",
            arg=part.element_handle(),
            timeout=LOAD_MS,
        )
        if shot.prepare is not None:
            shot.prepare(page, part)
        body = page.inner_text("body")
        if "Traceback" in body or "cannot be built" in body:
            raise RuntimeError(f"{stem}: the page shows an error, not the lesson:\n{body[-1500:]}")
        return fit(part.screenshot(), shot.fit, shot.width)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="a lesson stem (repeat for several); default: all")
    args = parser.parse_args(argv)
    stems = args.only or [lesson.stem for lesson in LESSONS]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="nnteach-thumbnails-") as folder:
        process, url = start_server(Path(folder), Path(folder) / "voila.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
                for stem in stems:
                    if stem not in SHOTS:
                        print(f"{stem}: no entry in SHOTS (which part shows the lesson?); skipped", file=sys.stderr)
                        continue
                    png = shoot(browser, url, stem, SHOTS[stem])
                    atomic_write_bytes(LESSONS_DIR / "thumbnails" / f"{stem}.png", png)
                    print(f"thumbnails/{stem}.png: {len(png):,} bytes")
                browser.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
