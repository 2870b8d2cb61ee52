"""Packaging stays consistent: environment.yml vs pyproject, pinned constraints, what the wheel carries."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

import nnteach

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _lesson_requirements() -> list[str]:
    """Core dependencies plus the `lessons` extra, with `nnteach[...]` self-references expanded."""
    extras = PYPROJECT["project"]["optional-dependencies"]
    pending, found = ["lessons"], list(PYPROJECT["project"]["dependencies"])
    while pending:
        for requirement in extras[pending.pop()]:
            if requirement.startswith("nnteach["):
                pending.extend(requirement[len("nnteach[") : -1].split(","))
            else:
                found.append(requirement)
    return found


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_names_the_same_dependencies_as_pyproject() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    listed = sorted(requirement for requirement in pip_section if not requirement.startswith("-e"))
    expected = sorted(_lesson_requirements())
    assert listed == expected
    assert "-e .[lessons]" in pip_section
    assert any(str(item).startswith("python=3.1") for item in environment["dependencies"])


def test_constraints_pin_every_dependency_exactly() -> None:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    for requirement in _lesson_requirements():
        name = _name(requirement)
        if name == "tensorflow":  # only used off Linux x86_64, where CI never runs
            continue
        assert name in pins, f"{name} is not pinned in constraints.txt"


def test_linux_x86_64_gets_the_cpu_only_tensorflow() -> None:
    dependencies = PYPROJECT["project"]["optional-dependencies"]["keras"]
    assert any(d.startswith("tensorflow-cpu") and "platform_machine == 'x86_64'" in d for d in dependencies)
    assert not any(_name(d).startswith(("tensorflow", "keras")) for d in PYPROJECT["project"]["dependencies"])
    assert not any(_name(d).startswith("nvidia") for d in dependencies)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=600,
    )
    return next(out.glob("nnteach-*.whl"))


def test_wheel_is_named_with_the_package_version(wheel: Path) -> None:
    assert wheel.name.startswith(f"nnteach-{nnteach.__version__}-py3-none-any")


def test_wheel_carries_lessons_gallery_weights_and_types(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "nnteach/_bundled/lessons/index.ipynb",
        "nnteach/_bundled/lessons/voila.json",
        "nnteach/_weights/reference_mlp.npz",
        "nnteach/_weights/reference_softmax_regression.npz",
        "nnteach/py.typed",
        # The translations: compiled catalogs (what gettext reads) and their sources.
        *(f"nnteach/locale/{lang}/LC_MESSAGES/nnteach.{kind}" for lang in ("ja", "de") for kind in ("mo", "po")),
    ):
        assert expected in names
    assert any(name.startswith("nnteach/_bundled/widgets/") and name.endswith(".ipynb") for name in names)
    lessons = sorted(path.name for path in (ROOT / "lessons").glob("*.ipynb"))
    for folder in ("", "ja/", "de/"):  # the English lessons and their Japanese and German translations
        missing = [name for name in lessons if f"nnteach/_bundled/lessons/{folder}{name}" not in names]
        assert not missing, f"the wheel lacks these notebooks of lessons/{folder}: {missing}"
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "nnteach = nnteach.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
