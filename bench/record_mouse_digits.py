"""Record the mouse evaluation set: draw the ten digits with the mouse in Chromium on a DigitCanvas in Voila.

Run once (it writes ``bench/data/mouse_digits.json``; the file is then frozen, see
``bench/handwriting_sets.py``):

    .venv/bin/python -m bench.record_mouse_digits

Each drawing is a real sequence of browser mouse events on the canvas (``tests/ui/digit_shapes.py``
gives the hand-like paths); what is saved is what the kernel received, the strokes of
``DigitCanvas.strokes``, with the brush width. Five drawings of each digit: three with the
default brush (normal, off-centre, small in a corner) and two with the thinnest brush (large, normal).
"""

from __future__ import annotations

import datetime
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.handwriting_sets import MOUSE

ROOT = Path(__file__).resolve().parents[1]
CORNERS = [(40.0, 40.0), (240.0, 40.0), (40.0, 240.0), (240.0, 240.0)]

#: (brush width, name, box of digit d)
PLANS: list[tuple[float, str, Any]] = [
    (18.0, "normal", lambda _d: (140.0, 140.0, 180.0)),
    (18.0, "off-centre", lambda d: (110.0 + 6 * d, 170.0 - 5 * d, 140.0)),
    (18.0, "small in a corner", lambda d: (*CORNERS[d % 4], 45.0 + 2 * d)),
    (4.0, "large", lambda _d: (140.0, 140.0, 255.0)),
    (4.0, "normal", lambda d: (150.0 - 4 * d, 135.0 + 3 * d, 170.0)),
]


def _draw(page: Any, strokes: list[list[tuple[float, float]]]) -> None:
    box = page.locator(".nnteach-digit-canvas").first.bounding_box()
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.up()


def record() -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from digit_shapes import digit_strokes, fit  # type: ignore[import-not-found]
    from playwright.sync_api import sync_playwright
    from ui_helpers import start_voila, stop_voila  # type: ignore[import-not-found]

    drawings = []
    work = Path(tempfile.mkdtemp(prefix="nnteach-record-"))
    server = start_voila(ROOT / "bench" / "recording", work / "voila.log", {"NNTEACH_WORKDIR": str(work)})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
            for width in sorted({plan[0] for plan in PLANS}, reverse=True):
                page.goto(server.render_url("record_digits.ipynb", f"?brush={width:g}"))
                page.get_by_text("recorded 0 strokes").first.wait_for(timeout=180_000)
                for seed, (plan_width, name, place) in enumerate(PLANS):
                    if plan_width != width:
                        continue
                    for digit in range(10):
                        x, y, height = place(digit)
                        strokes = digit_strokes(digit, fit(280.0, (x, y), height), seed=seed)
                        page.locator(".nnteach-clear").click()
                        page.get_by_text("recorded 0 strokes").first.wait_for()
                        _draw(page, strokes)
                        page.get_by_text(f"recorded {len(strokes)} strokes").first.wait_for()
                        saved = json.loads((work / "recorded.json").read_text())
                        assert saved["width"] == width, saved["width"]
                        drawings.append({"label": digit, "plan": name, **saved})
                        print(digit, name, width, len(saved["strokes"]), flush=True)
            browser.close()
    finally:
        stop_voila(server)
    return drawings


def main() -> None:
    drawings = record()
    about = {
        "about": "Mouse drawings of the ten digits in Chromium on a DigitCanvas in Voila (bench/record_mouse_digits.py); "
        "strokes as the kernel received them, in canvas pixels of a 280 px canvas. Evaluation only, never training.",
        "recorded": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "drawings": drawings,
    }
    MOUSE.write_text(json.dumps(about, separators=(",", ":")) + "\n")
    print(f"wrote {len(drawings)} drawings to {MOUSE}")


if __name__ == "__main__":
    main()
