"""Fixtures and guards shared by every test tier.

The tiers (see CONTRIBUTING.md): ``tests/unit`` without the ``keras``/``mnist`` markers is the
fast tier (``make fast``: no TensorFlow, no network); ``make keras`` runs the marked unit tests;
``tests/integration``, ``tests/notebooks`` and ``tests/ui`` are the slower tiers.

:class:`TensorFlowGuard` keeps the fast tier honest: a test (or doctest) that imports TensorFlow
or Keras without ``@pytest.mark.keras`` fails, and so does a test module that imports them
when it is collected (that alone would cost every fast run the seconds TensorFlow takes to load).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from helpers import heavy_loaded

ROOT = Path(__file__).resolve().parents[1]

# Doctests of src/nnteach that build Keras models or read MNIST: the keras tier runs them.
KERAS_DOCTESTS: frozenset[str] = frozenset()

_LOADED_BEFORE = pytest.StashKey[set[str]]()


class TensorFlowGuard:
    """Fails whatever imports TensorFlow or Keras in-process without the ``keras`` marker."""

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        before = heavy_loaded()
        report = yield
        new = heavy_loaded() - before
        if new and isinstance(collector, pytest.Module) and report.passed:
            report.outcome = "failed"
            report.longrepr = (
                f"{collector.nodeid} imports {', '.join(sorted(new))} when it is collected, which slows every fast run. "
                "Import TensorFlow/Keras inside the tests marked @pytest.mark.keras instead."
            )
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        item.stash[_LOADED_BEFORE] = heavy_loaded()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        result = yield
        new = heavy_loaded() - item.stash.get(_LOADED_BEFORE, set())
        if new and item.get_closest_marker("keras") is None:
            pytest.fail(
                f"{item.nodeid} imported {', '.join(sorted(new))} but is not marked @pytest.mark.keras. "
                "Mark it (the fast tier then skips it), or keep the code it runs free of TensorFlow.",
                pytrace=False,
            )
        return result


class LearnerWorkDir:
    """Every test, doctests of src/nnteach included, gets its own learner work folder."""

    @pytest.fixture(autouse=True)
    def _learner_work_dir(self, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
        """Nothing a test saves lands in the real home."""
        folder = tmp_path_factory.mktemp("nnteach-work")
        monkeypatch.setenv("NNTEACH_WORKDIR", str(folder))
        return folder


def pytest_configure(config: pytest.Config) -> None:
    # Plugins, not conftest hooks and fixtures: those would not reach the doctests of src/nnteach.
    config.pluginmanager.register(TensorFlowGuard(), "nnteach-tensorflow-guard")
    config.pluginmanager.register(LearnerWorkDir(), "nnteach-learner-work-dir")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--strict-comms",
        action="store_true",
        help="fail a unit test that leaves a widget comm open (default: list them at the end of the run)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in KERAS_DOCTESTS:
            item.add_marker(pytest.mark.keras)


@pytest.fixture(scope="session")
def mnist() -> tuple[tuple[object, object], tuple[object, object]]:
    """The real MNIST arrays (fetched offline-first by nnteach itself)."""
    from nnteach.data import load_mnist

    return load_mnist()
