"""`nnteach serve` starts Voila in the served folder, so that folder's voila.json takes effect.

The cheaper tier of Voila's own tests: fetch the rendered page over HTTP, no browser.
"""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

from ui_helpers import ROOT, start_voila, stop_voila


def _rendered(folder: Path, log: Path) -> str:
    server = start_voila(folder, log)
    try:
        with urllib.request.urlopen(server.render_url("index.ipynb"), timeout=120) as response:
            return str(response.read().decode())
    finally:
        stop_voila(server)


def test_voila_json_of_the_served_folder_is_applied(tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    folder.mkdir()
    shutil.copy(ROOT / "lessons" / "index.ipynb", folder)
    plain = _rendered(folder, tmp_path / "plain.log")
    assert 'data-jp-theme-light="true"' in plain
    assert "is ready" in plain, "the kernel's output is in the rendered page"

    (folder / "voila.json").write_text('{"VoilaConfiguration": {"theme": "dark"}}')
    dark = _rendered(folder, tmp_path / "dark.log")
    assert 'data-jp-theme-light="false"' in dark


def test_lessons_voila_json_strips_sources(tmp_path: Path) -> None:
    page = _rendered(ROOT / "lessons", tmp_path / "lessons.log")
    assert "is ready" in page
    assert "reference_mlp()" not in page, "sources must be stripped from lesson pages"
