"""Which widgets a lesson names for teacher links, read from the notebook itself (no kernel).

A lesson names its widgets once, in ``lesson_links(stem, builder=builder, monitor=monitor)`` (or
``page_links(builder=builder, …)``); the
classes come from the lesson's own assignments (``builder = LayerStackBuilder(...)``).

Example:
    >>> import json, tempfile, pathlib
    >>> cell = "view = OneHotSoftmaxView()\\npage_links(softmax=view)\\n"
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "lesson.ipynb"
    >>> _ = path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": cell}]}))
    >>> lesson_widget_classes(path)
    {'softmax': 'OneHotSoftmaxView'}
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

__all__ = ["lesson_widget_classes", "lesson_widget_names"]


def _trees(notebook: Path) -> list[ast.Module]:
    document = json.loads(notebook.read_text(encoding="utf-8"))
    trees = []
    for cell in document.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            trees.append(ast.parse(source if isinstance(source, str) else "".join(source)))
        except SyntaxError:
            continue
    return trees


def _called(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        return getattr(node.func, "id", getattr(node.func, "attr", ""))
    return ""


def lesson_widget_classes(notebook: Path) -> dict[str, str]:
    """``{link name: widget class name}`` for the widgets a lesson gives ``page_links``."""
    classes: dict[str, str] = {}
    named: dict[str, str] = {}
    for tree in _trees(notebook):
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _called(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        classes[target.id] = _called(node.value)
            if _called(node) in ("page_links", "lesson_links"):
                for keyword in node.keywords:  # type: ignore[attr-defined]
                    if keyword.arg:
                        value = keyword.value
                        named[keyword.arg] = (
                            classes.get(value.id, "") if isinstance(value, ast.Name) else _called(value)
                        )
    return named


def lesson_widget_names(notebook: Path) -> list[str]:
    """The names a lesson notebook gives its widgets in ``page_links(name=widget, …)``."""
    return list(lesson_widget_classes(notebook))
