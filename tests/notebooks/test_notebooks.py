"""Every gallery and lesson notebook runs headless with nbclient, then its check runs in the same kernel.

A notebook ``widgets/foo.ipynb`` or ``lessons/foo.ipynb`` may have a check file
``tests/notebooks/checks/foo.py``: its code is appended as a last cell, so it can assert on the
widget state the notebook left (and, for NumPy-only notebooks, that TensorFlow was never imported).

The translated lessons (``lessons/ja/foo.ipynb``, ``lessons/de/foo.ipynb``) run with the same
check as the English one, each in its own kernel started in its own folder, as Voila runs them.
Their code cells equal the English ones (``tests/unit/test_lesson_translations.py``), so what a
translated run adds is the folder: relative links, thumbnails, the page's language. The
translations of one lesson run side by side (one kernel each, at the same time), so they cost
about one more run of the lessons rather than two.
"""

from __future__ import annotations

import ast
import asyncio
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
CHECKS = Path(__file__).resolve().parent / "checks"
NOTEBOOKS = sorted([*ROOT.glob("widgets/*.ipynb"), *ROOT.glob("lessons/*.ipynb")])
LESSONS = sorted(ROOT.glob("lessons/*.ipynb"))
TRANSLATIONS = ("ja", "de")

pytestmark = pytest.mark.notebook


def _check_for(notebook: Path) -> Path:
    return CHECKS / f"{notebook.stem}.py"


async def _run_with_check(notebook: Path, workdir: Path) -> list[Any]:
    """Run ``notebook`` in its own folder with its check appended; the error and stderr outputs it wrote."""
    check = _check_for(notebook)
    assert check.exists(), f"{notebook.name} has no check file {check.relative_to(ROOT)}: say what it must leave behind"
    document = nbformat.read(notebook, as_version=4)
    document.cells.append(nbformat.v4.new_code_cell(check.read_text()))
    env = {**os.environ, "NNTEACH_QUICK": "1", "NNTEACH_WORKDIR": str(workdir), "MPLBACKEND": "Agg"}
    client = NotebookClient(
        document, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    )
    await client.async_execute(env=env)
    return [
        output
        for cell in document.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error" or output.get("name") == "stderr"
    ]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_notebook_runs_and_leaves_expected_state(notebook: Path, tmp_path: Path) -> None:
    errors = asyncio.run(_run_with_check(notebook, tmp_path))
    assert not errors, f"{notebook.name} wrote errors: {errors}"


@pytest.mark.parametrize("english", LESSONS, ids=lambda path: path.name)
def test_translated_lesson_runs_and_leaves_expected_state(english: Path, tmp_path: Path) -> None:
    folders = [ROOT / "lessons" / language for language in TRANSLATIONS if (ROOT / "lessons" / language).is_dir()]
    if not folders:
        pytest.skip("no lessons/ja or lessons/de yet")
    translated = [folder / english.name for folder in folders]
    missing = [str(path.relative_to(ROOT)) for path in translated if not path.exists()]
    assert not missing, f"{missing} missing: every English lesson has its translations"

    async def run_side_by_side() -> list[list[Any] | BaseException]:
        runs = (_run_with_check(path, tmp_path / path.parent.name) for path in translated)
        return await asyncio.gather(*runs, return_exceptions=True)

    outcomes = dict(zip((path.parent.name for path in translated), asyncio.run(run_side_by_side()), strict=True))
    failed = {language: outcome for language, outcome in outcomes.items() if outcome}
    assert not failed, f"translations of {english.name} failed or wrote errors: {failed}"


def test_every_check_belongs_to_a_notebook_and_asserts_something() -> None:
    assert NOTEBOOKS, "no notebooks found"
    orphans = [path.name for path in CHECKS.glob("*.py") if not any(nb.stem == path.stem for nb in NOTEBOOKS)]
    assert not orphans, f"check files without a notebook: {orphans}"
    hollow = [
        path.name
        for path in sorted(CHECKS.glob("*.py"))
        if not any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(path.read_text())))
    ]
    assert not hollow, f"check files that assert nothing, so they cannot fail: {hollow}"
