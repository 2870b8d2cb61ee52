"""The class's digits as a file for homework, in the layout of ``load_mnist()``'s arrays.

Example:
    >>> import tempfile, pathlib, numpy as np
    >>> from nnteach.classroom import ClassStore
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> store = ClassStore(f"sqlite:///{folder}/class.db")
    >>> _ = store.join("notebook:mia", "Mia")
    >>> _ = store.share_digit("notebook:mia", 4, np.full((28, 28), 9, np.uint8))
    >>> export_digits(store, folder / "our-digits.npz")
    1
    >>> with np.load(folder / "our-digits.npz") as saved:
    ...     saved["x"].shape, saved["x"].dtype, saved["y"].tolist()
    ((1, 28, 28), dtype('uint8'), [4])
    >>> store.close()
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nnteach._atomic import atomic_write_bytes

if TYPE_CHECKING:
    from nnteach.classroom.store import ClassStore

__all__ = ["export_digits"]


def export_digits(store: ClassStore, path: Path) -> int:
    """Write the class's digits to ``path`` (``.npz``: ``x`` uint8 ``(n, 28, 28)``, ``y`` uint8); return n.

    The file is written atomically: an interrupted export leaves the old file or none.
    """
    images, labels = store.digit_arrays()
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=images, y=labels)
    atomic_write_bytes(Path(path), buffer.getvalue())
    return len(labels)
