"""Project files agree with each other: one version, the declared license, the changelog, notebooks without outputs."""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

import nnteach

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_version_is_written_once_in_the_package() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/nnteach/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", nnteach.__version__)


def test_the_installed_metadata_has_the_package_version() -> None:
    """A stale editable install (metadata of an older version) fails here: reinstall with `make`."""
    assert importlib.metadata.version("nnteach") == nnteach.__version__


def test_the_changelog_has_unreleased_and_the_current_version_on_top() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert headings[1] == nnteach.__version__, f"the newest release in CHANGELOG.md is {headings[1]}"
    assert re.search(rf"^## \[{re.escape(nnteach.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, flags=re.MULTILINE)


def test_license_is_the_bsd_3_clause_that_pyproject_declares() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert PYPROJECT["project"]["license"] == "BSD-3-Clause"
    assert text.startswith("BSD 3-Clause License")
    assert "Neither the name of the copyright holder nor the names of its" in text
    assert f"Copyright (c) 2026, {PYPROJECT['project']['authors'][0]['name']}" in text


@pytest.mark.parametrize(
    "notebook",
    sorted([*ROOT.glob("lessons/*.ipynb"), *ROOT.glob("widgets/*.ipynb")]),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_notebooks_are_committed_without_outputs(notebook: Path) -> None:
    cells = json.loads(notebook.read_text())["cells"]
    run = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell["outputs"] or cell["execution_count"])
    ]
    assert not run, f"cells {run} have outputs: run `.venv/bin/jupyter nbconvert --clear-output --inplace {notebook}`"


def test_pre_commit_hooks_run_locally_from_the_venv() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "strip-notebook-outputs"}
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["entry"].startswith(".venv/bin/"), hook
