"""Fixtures shared by every test tier."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _learner_work_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own learner work folder, so nothing lands in the real home."""
    folder = tmp_path_factory.mktemp("nnteach-work")
    monkeypatch.setenv("NNTEACH_WORKDIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def mnist() -> tuple[tuple[object, object], tuple[object, object]]:
    """The real MNIST arrays (fetched offline-first by nnteach itself)."""
    from nnteach.data import load_mnist

    return load_mnist()
