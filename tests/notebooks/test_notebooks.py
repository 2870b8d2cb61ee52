"""Every gallery and lesson notebook runs headless with nbclient, then its check runs in the same kernel.

A notebook ``widgets/foo.ipynb`` or ``lessons/foo.ipynb`` may have a check file
``tests/notebooks/checks/foo.py``: its code is appended as a last cell, so it can assert on the
widget state the notebook left (and, for NumPy-only notebooks, that TensorFlow was never imported).
The translated lessons (``lessons/ja/foo.ipynb``, ``lessons/de/foo.ipynb``) run with the same check
as the English one, in their own folder, as Voila runs them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
CHECKS = Path(__file__).resolve().parent / "checks"
TRANSLATIONS = ("ja", "de")
NOTEBOOKS = sorted(
    [
        *ROOT.glob("widgets/*.ipynb"),
        *ROOT.glob("lessons/*.ipynb"),
        *(path for language in TRANSLATIONS for path in ROOT.glob(f"lessons/{language}/*.ipynb")),
    ]
)

pytestmark = pytest.mark.notebook


def _check_for(notebook: Path) -> Path:
    return CHECKS / f"{notebook.stem}.py"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_notebook_runs_and_leaves_expected_state(
    notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = _check_for(notebook)
    assert check.exists(), f"{notebook.name} has no check file {check.relative_to(ROOT)}: say what it must leave behind"
    document = nbformat.read(notebook, as_version=4)
    document.cells.append(nbformat.v4.new_code_cell(check.read_text()))
    monkeypatch.setenv("NNTEACH_QUICK", "1")
    monkeypatch.setenv("NNTEACH_WORKDIR", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = NotebookClient(
        document, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    )
    client.execute()
    errors = [
        output
        for cell in document.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error" or output.get("name") == "stderr"
    ]
    assert not errors, f"{notebook.name} wrote errors: {errors}"


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
