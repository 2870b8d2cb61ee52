"""Class-server tests: a real ``nnteach serve`` on 127.0.0.1, driven over HTTP and websockets.

No browser here (that tier is ``tests/ui``), except the JupyterHub test (``test_jupyterhub.py``),
which logs learners in through the hub's page; every request has a timeout, so no test can hang.
The helpers of ``tests/ui/ui_helpers.py`` (start and stop a server) are shared.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
