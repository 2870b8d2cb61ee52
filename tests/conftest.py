"""Fixtures and guards shared by every test tier.

The tiers (see CONTRIBUTING.md): ``tests/unit`` without the ``keras``/``mnist`` markers is the
fast tier (``make fast``: no TensorFlow, no network); ``make keras`` runs the marked unit tests;
``tests/integration``, ``tests/notebooks`` and ``tests/ui`` are the slower tiers.

:class:`TensorFlowGuard` keeps the fast tier honest: a test (or doctest) that imports TensorFlow
or Keras without ``@pytest.mark.keras`` fails, and so does a test module that imports them
when it is collected (that alone would cost every fast run the seconds TensorFlow takes to load).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from helpers import heavy_loaded

ROOT = Path(__file__).resolve().parents[1]

# Doctests of src/nnteach that build Keras models or read the real MNIST arrays, with their
# marker: the fast tier skips them, `make keras` runs them.
DOCTEST_MARKERS: dict[str, str] = {
    "nnteach.data": "mnist",
    "nnteach.data._MnistLoader.__call__": "mnist",
    "nnteach.evaluation.accuracy_two_ways": "keras",
    "nnteach.models.saved": "keras",
    "nnteach.training.dropout.DropoutExperiment": "keras",
    "nnteach.training.dropout.dropout_experiment": "keras",
    "nnteach.training.run": "keras",
    "nnteach.training.run.TrainingRun": "keras",
    "nnteach.training.seed_model.seed_mlp": "keras",
}

_LOADED_BEFORE = pytest.StashKey[set[str]]()
_HOW_TO_MARK = {False: "@pytest.mark.keras", True: "a doctest: add it to DOCTEST_MARKERS in tests/conftest.py"}


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
                f"Mark it ({_HOW_TO_MARK[isinstance(item, pytest.DoctestItem)]}; the fast tier then skips it), "
                "or keep the code it runs free of TensorFlow.",
                pytrace=False,
            )
        return result


_LOCAL_HOSTS = ("127.", "::1", "localhost", "0.0.0.0")  # noqa: S104 - a prefix to compare with, not a bind


class NoNetwork:
    """``--offline``: a socket connection to anything but this machine fails the test that made it.

    The connection is refused with an ``OSError`` (what a machine without network gives) and the
    test fails afterwards even if the code under test caught that error and fell back.
    """

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self._connect = socket.socket.connect

    def guarded_connect(self, sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not str(address[0]).startswith(_LOCAL_HOSTS):
            self.attempts.append(f"{address[0]}:{address[1]}")
            raise OSError(f"the offline test tier refused a connection to {address[0]}:{address[1]}")
        self._connect(sock, address)

    def pytest_sessionstart(self) -> None:
        guard = self

        def connect(sock: socket.socket, address: Any) -> None:
            guard.guarded_connect(sock, address)

        socket.socket.connect = connect  # type: ignore[method-assign]

    def pytest_sessionfinish(self) -> None:
        socket.socket.connect = self._connect  # type: ignore[method-assign]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        self.attempts.clear()
        result = yield
        if self.attempts:
            pytest.fail(
                f"{item.nodeid} tried to reach {', '.join(self.attempts)} in the offline tier. "
                "If it needs the real MNIST arrays, mark it @pytest.mark.mnist (a doctest: add it to "
                "DOCTEST_MARKERS in tests/conftest.py); otherwise give it local data.",
                pytrace=False,
            )
        return result


class DoctestsOfSourceOnly:
    """``--doctest-modules`` (``make fast``) reads the doctests of src/nnteach, not test files a second time."""

    @pytest.hookimpl(wrapper=True)
    def pytest_collect_file(self, file_path: Path) -> Generator[None, list[pytest.Collector], list[pytest.Collector]]:
        collected = yield
        if file_path.is_relative_to(ROOT / "tests"):
            return [collector for collector in collected if type(collector).__name__ != "DoctestModule"]
        return collected


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
    config.pluginmanager.register(DoctestsOfSourceOnly(), "nnteach-doctests-of-source-only")
    if config.getoption("--offline"):
        config.pluginmanager.register(NoNetwork(), "nnteach-no-network")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--offline",
        action="store_true",
        help="fail a test that opens a connection to another machine (the fast tier runs with it)",
    )
    parser.addoption(
        "--strict-comms",
        action="store_true",
        help="fail a unit test that leaves a widget comm open (default: list them at the end of the run)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # KERAS_BACKEND=jax (make keras-jax) runs the keras tier on JAX: TensorFlow-only tests are skipped there.
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in DOCTEST_MARKERS:
            item.add_marker(getattr(pytest.mark, DOCTEST_MARKERS[item.name]))
        if backend != "tensorflow" and item.get_closest_marker("tensorflow") is not None:
            item.add_marker(pytest.mark.skip(reason=f"TensorFlow-specific; this run has KERAS_BACKEND={backend}"))


def pytest_report_header() -> str:
    return f"nnteach: Keras backend {os.environ.get('KERAS_BACKEND', 'tensorflow')} (KERAS_BACKEND)"


@pytest.fixture(scope="session")
def mnist() -> tuple[tuple[object, object], tuple[object, object]]:
    """The real MNIST arrays (fetched offline-first by nnteach itself)."""
    from nnteach.data import load_mnist

    return load_mnist()
