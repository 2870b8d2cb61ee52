"""The bad-input corpus of issue 16: what a browser or a crafted client can send, by category.

Each category is a list of ``(label, value)`` pairs. ``test_bad_input_corpus.py`` crosses them
with every public widget's controls (the kinds of control a category applies to are in
:data:`APPLIES_TO`) and public traits and methods.
"""

from __future__ import annotations

import functools
import io
import json
from typing import Any

import numpy as np

INJECTION = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
#: Markers of the injected HTML: none may appear raw in any widget's HTML value.
RAW_MARKERS = ("<img src=x", "<script>alert")

NUMBERS: list[tuple[str, Any]] = [
    ("nan", float("nan")),
    ("inf", float("inf")),
    ("-inf", float("-inf")),
    ("1e308", 1e308),
    ("-1e308", -1e308),
    ("negative", -1),
    ("zero", 0),
    ("huge int", 10**30),
    ("-huge int", -(10**30)),
    ("tiny", 5e-324),
]

TEXTS: list[tuple[str, Any]] = [
    ("empty", ""),
    ("spaces", "   "),
    ("word", "abc"),
    ("5000 ones", "1" * 5000),
    ("nan text", "nan"),
    ("inf text", "inf"),
    ("negative text", "-1"),
    ("1e308 text", "1e308"),
    ("unicode", "数字 🙂 \u202eevil"),
    ("html", INJECTION),
    ("script", SCRIPT),
    ("dotdot path", "../../etc/passwd"),
    ("absolute path", "/tmp/x"),  # noqa: S108 - a name a crafted client sends, never opened
    ("windows path", "C:\\x"),
    ("nul", "a\x00b"),
    ("long", "x" * 10_000),
]

WRONG_TYPES: list[tuple[str, Any]] = [
    ("null", None),
    ("empty list", []),
    ("dict", {"a": 1}),
    ("list of 2", [1, 2]),
    ("bool", True),
    ("html as value", INJECTION),
]

INDEXES: list[tuple[str, Any]] = [
    ("index -1", -1),
    ("index 999", 999),
    ("index null", None),
    ("index text", "x"),
    ("index float", 1.5),
    ("index huge", 10**30),
    ("index list", [0, 1]),
]

LISTS: list[tuple[str, Any]] = [
    ("0 elements", []),
    ("1 element", [0.5]),
    ("1000 elements", [0.1] * 1000),
    ("nan elements", [float("nan")] * 10),
    ("inf elements", [float("inf"), float("-inf")] * 5),
    ("text elements", ["a"] * 10),
    ("html elements", [INJECTION] * 10),
    ("nested", [[[1]]]),
]

#: (category, kinds of control it is sent to). Kinds are ipywidgets class names.
APPLIES_TO: dict[str, tuple[str, ...]] = {
    "numbers": (
        "FloatSlider",
        "IntSlider",
        "FloatLogSlider",
        "BoundedIntText",
        "BoundedFloatText",
        "FloatText",
        "IntText",
    ),
    "texts": ("Text", "Textarea"),
    "wrong_types": (
        "FloatSlider",
        "IntSlider",
        "FloatLogSlider",
        "BoundedIntText",
        "BoundedFloatText",
        "FloatText",
        "IntText",
        "Text",
        "Checkbox",
        "ToggleButton",
    ),
    "indexes": ("Dropdown", "ToggleButtons", "RadioButtons", "Select", "SelectMultiple"),
}

CATEGORIES: dict[str, list[tuple[str, Any]]] = {
    "numbers": NUMBERS,
    "texts": TEXTS,
    "wrong_types": WRONG_TYPES,
    "indexes": INDEXES,
}

NAN = float("nan")
#: Mouse events on a 280-pixel canvas, as the browser (or a crafted client) sends them.
MOUSE: list[tuple[str, list[dict[str, Any]]]] = [
    ("outside", [{"event": "mouse_down", "x": -50, "y": -50}, {"event": "mouse_move", "x": 900, "y": 900}]),
    ("nan coordinates", [{"event": "mouse_down", "x": NAN, "y": NAN}, {"event": "mouse_move", "x": NAN, "y": 3}]),
    ("null coordinates", [{"event": "mouse_down", "x": 100, "y": 100}, {"event": "mouse_up", "x": None, "y": None}]),
    ("text coordinates", [{"event": "mouse_down", "x": "a", "y": "b"}, {"event": "mouse_up", "x": "a", "y": "b"}]),
    (
        "huge coordinates",
        [{"event": "mouse_down", "x": 1e308, "y": 100}, {"event": "mouse_move", "x": -1e308, "y": 100}],
    ),
    ("inf coordinates", [{"event": "mouse_down", "x": float("inf"), "y": 1}, {"event": "mouse_up", "x": 1, "y": 1}]),
    ("no coordinates", [{"event": "mouse_down"}, {"event": "mouse_move"}, {"event": "mouse_up"}]),
    ("up before down", [{"event": "mouse_up", "x": 10, "y": 10}, {"event": "mouse_move", "x": 20, "y": 20}]),
    ("out while drawing", [{"event": "mouse_down", "x": 10, "y": 10}, {"event": "mouse_out", "x": 999, "y": 9}]),
    ("touch without touches", [{"event": "touch_start"}, {"event": "touch_move"}, {"event": "touch_end"}]),
    ("touch with bad touches", [{"event": "touch_start", "touches": [{"x": 1}]}, {"event": "touch_end", "touches": 5}]),
    ("unknown event", [{"event": "key_down", "key": "a"}, {"event": None}]),
]

#: Strokes given to ``DigitCanvas.add_stroke``.
STROKES: list[tuple[str, Any]] = [
    ("huge", [(1e308, 100), (-1e308, 100)]),
    ("non-finite", [(NAN, 1), (float("inf"), 2), (3, float("-inf"))]),
    ("empty", []),
    ("one point", [(140, 140)]),
    ("outside", [(-1000, -1000), (5000, 5000)]),
    ("text", [("a", "b")]),
    ("ragged", [(1,), (1, 2, 3)]),
    ("none", None),
    ("100k points", [(140 + 100 * np.sin(i / 500), 140 + 100 * np.cos(i / 700)) for i in range(100_000)]),
]


def _npz(**arrays: Any) -> bytes:
    stream = io.BytesIO()
    np.savez(stream, **arrays)
    return stream.getvalue()


@functools.cache
def _many_images_npz() -> bytes:
    """A file of a few hundred KB holding 200k blank images (uint8, compressed)."""
    stream = io.BytesIO()
    np.savez_compressed(stream, images=np.zeros((200_000, 28, 28), np.uint8), labels=np.zeros(200_000, np.uint8))
    return stream.getvalue()


def _nested_json(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


#: Files a learner (or someone) could leave where an example set or a run log is loaded from.
FILES: list[tuple[str, Any]] = [
    ("empty", b""),
    ("random bytes", bytes(np.random.default_rng(16).integers(0, 256, 4096, dtype=np.uint8))),
    ("truncated npz", _npz(images=np.zeros((3, 28, 28), np.float32), labels=np.zeros(3, np.uint8))[:300]),
    ("wrong arrays", _npz(a=np.zeros(3))),
    ("wrong shapes", _npz(images=np.zeros((3, 5)), labels=np.zeros(7))),
    ("nan images", _npz(images=np.full((2, 28, 28), NAN, np.float32), labels=np.zeros(2, np.uint8))),
    ("text labels", _npz(images=np.zeros((1, 28, 28), np.float32), labels=np.array(["<img src=x>"]))),
    ("200k images", _many_images_npz),
    ("json garbage", b'{"runs": [1, 2, "x"]}'),
    ("json html", json.dumps({"runs": [{"name": INJECTION, "history": {"loss": [NAN]}}]}).encode()),
    ("deeply nested json", _nested_json(100_000)),
    ("not utf-8", b"\xff\xfe\x00bad"),
    ("huge", b"0" * (60 * 2**20)),
    ("a folder", None),
]
