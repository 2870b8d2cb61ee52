"""The lesson and gallery pages load only the front-end extensions they use — and every one they need."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARE = Path(sys.prefix) / "share" / "jupyter"


def _allowlist(folder: str) -> list[str]:
    return json.loads((ROOT / folder / "voila.json").read_text())["VoilaConfiguration"]["extension_allowlist"]


def test_lessons_and_gallery_allow_the_same_extensions() -> None:
    assert _allowlist("lessons") == _allowlist("widgets")


def test_every_allowed_extension_is_installed_and_the_widget_managers_are_allowed() -> None:
    allowed = _allowlist("lessons")
    installed = {
        str(path.parent.relative_to(base))
        for base in (SHARE / "labextensions", SHARE / "voila" / "labextensions")
        for path in base.glob("**/package.json")
        if base in (path.parent.parent, path.parent.parent.parent)
    }
    assert set(allowed) <= installed, f"allowed but not installed: {set(allowed) - installed}"
    assert "@voila-dashboards/widgets-manager8" in allowed, "without it no page renders a widget"
    assert "@jupyter-widgets/jupyterlab-manager" in allowed and "ipycanvas" in allowed
    assert {"bqplot", "bqscales"} <= set(allowed), "the plots that change are drawn by bqplot, which loads bqscales"
    assert not any(name.startswith("@jupyter-notebook/") for name in allowed), "its shared modules break Voila"
