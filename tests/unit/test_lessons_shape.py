"""The lessons are prose and widget cells: short public-API code a teacher can read and change.

Counts every lesson's non-blank code lines, and checks that no lesson reads ``NNTEACH_QUICK``
(``nnteach.settings`` is the one place), uses a private attribute, or mentions the tests; that
the numbered lessons are exactly the table in ``nnteach.lessons``; and that each ends with its
links to the index and the next lesson, made from that table.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import nbformat
import pytest

from nnteach.lessons import LESSONS, links_html

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
NOTEBOOKS = sorted(LESSONS_DIR.glob("*.ipynb"))
MAX_CODE_LINES = 200  # issue 13: lessons 1–7 and the index together (414 before the refactor)
MAX_LESSON_LINES = 50  # any one lesson, later ones included
FIRST_SEVEN = [f"{lesson.stem}.ipynb" for lesson in LESSONS[:7]] + ["index.ipynb"]


def _code_cells(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def _code_lines(path: Path) -> int:
    return sum(1 for source in _code_cells(path) for line in source.splitlines() if line.strip())


def test_lesson_code_is_short() -> None:
    lines = {path.name: _code_lines(path) for path in NOTEBOOKS}
    first = {name: lines[name] for name in FIRST_SEVEN}
    assert sum(first.values()) <= MAX_CODE_LINES, (
        f"{sum(first.values())} code lines in lessons 1–7 and the index: {first}"
    )
    long = {name: count for name, count in lines.items() if count > MAX_LESSON_LINES}
    assert not long, f"lessons with more than {MAX_LESSON_LINES} code lines: {long}; move hand-made parts into widgets"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_lesson_never_mentions_the_tests(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for word in ("NNTEACH_QUICK", "pytest", "nbclient", "by the tests", "QUICK"):
        assert word not in text, f"{path.name} mentions {word!r}: lessons leave test settings to nnteach.settings"


def _private_attributes(source: str) -> list[str]:
    """``obj._x`` in a cell (dunder names such as ``__version__`` are public)."""
    tree = ast.parse(re.sub(r"^\s*[%!].*$", "", source, flags=re.MULTILINE))
    return [
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
    ]


def test_private_attribute_finder_finds_one() -> None:
    assert _private_attributes("view._render()\nprint(nnteach.__version__)") == ["_render"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_lesson_uses_no_private_attribute(path: Path) -> None:
    found = [name for source in _code_cells(path) for name in _private_attributes(source)]
    assert not found, f"{path.name} uses private attributes {found}: expose a documented part instead"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_lesson_outputs_are_stripped(path: Path) -> None:
    cells = nbformat.read(path, as_version=4).cells
    assert all(
        not cell.get("outputs") and cell.get("execution_count") is None for cell in cells if cell.cell_type == "code"
    )


def test_the_numbered_lessons_are_the_table() -> None:
    numbered = [path.stem for path in NOTEBOOKS if re.match(r"^\d\d_", path.name)]
    assert numbered == [lesson.stem for lesson in LESSONS], (
        "every numbered lesson has one row in nnteach.lessons.LESSONS (its card and links come from there), "
        "and one entry in scripts/make_thumbnails.py's SHOTS for its thumbnail"
    )
    assert all((LESSONS_DIR / lesson.thumbnail).exists() for lesson in LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_each_lesson_ends_with_its_links(lesson: object) -> None:
    stem = lesson.stem  # type: ignore[attr-defined]
    last = _code_cells(LESSONS_DIR / f"{stem}.ipynb")[-1]
    assert f'lesson_links("{stem}"' in last, last
    assert 'href="index.ipynb"' in links_html(stem)


def test_links_follow_the_table() -> None:
    for current, following in itertools.pairwise(LESSONS):
        assert f'href="{following.notebook}">Next: {following.title}' in links_html(current.stem)
    assert "last lesson" in links_html(LESSONS[-1].stem)
