"""A learner's side of the class server, without a browser: render a page, talk to its kernel.

Everything is bounded in time: HTTP requests and websocket reads carry timeouts.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import psutil
import websocket
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from ui_helpers import ROOT, VoilaServer, start_voila

V1 = "v1.kernel.websocket.jupyter.org"
COOKIE_PREFIX = "nnteach-kernel-"
HELLO = "kernel says hello"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')

# A page like a lesson's: widgets whose state carries binary buffers (a drawn canvas, an image).
CODE = f"""\
import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas

canvas = Canvas(width=28, height=28)
canvas.put_image_data(np.full((28, 28, 3), 200, dtype=np.uint8), 0, 0)
picture = widgets.Image(value=bytes(range(256)) * 4, format="png")
label = widgets.HTML("<span class='hello'>{HELLO}</span>")
widgets.VBox([label, canvas, picture])
"""


def write_site(folder: Path, config: dict[str, dict[str, object]] | None = None) -> Path:
    """A served folder: ``index.ipynb`` (the page above) and ``lessons/voila.json`` with ``config`` merged in."""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [nbformat.v4.new_markdown_cell("# A class page"), nbformat.v4.new_code_cell(CODE)]
    nbformat.write(notebook, folder / "index.ipynb")
    settings = json.loads((ROOT / "lessons" / "voila.json").read_text())
    for section, values in (config or {}).items():
        settings.setdefault(section, {}).update(values)
    (folder / "voila.json").write_text(json.dumps(settings, indent=2))
    return folder


def serve_site(tmp_path: Path, config: dict[str, dict[str, object]] | None = None) -> VoilaServer:
    folder = write_site(tmp_path / "site", config)
    return start_voila(folder, tmp_path / "voila.log", {"NNTEACH_WORKDIR": str(tmp_path / "work")})


def stop_hard(server: VoilaServer) -> None:
    """Stop ``nnteach serve``, Voila and its kernels; kill what does not stop within 10 s."""
    try:
        tree = [psutil.Process(server.process.pid)]
        tree += tree[0].children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(tree, timeout=10)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=10)


@dataclass
class Client:
    """One browser's worth of cookies (or none), talking to one server."""

    server: VoilaServer
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    address: str = "127.0.0.1"

    def request(
        self, path: str, method: str = "GET", timeout: float = 120, body: bytes | None = None
    ) -> tuple[int, str]:
        """Status and body of ``method path``; an ``_xsrf`` cookie and header are sent as a page would."""
        headers = {"X-XSRFToken": "nnteach-test", "Cookie": self.cookie_header(extra={"_xsrf": "nnteach-test"})}
        req = urllib.request.Request(self.server.url + path, data=body, method=method, headers=headers)
        opener = urllib.request.build_opener()  # cookies are sent by hand above, set ones are kept below
        try:
            with opener.open(req, timeout=timeout) as response:
                self._keep(response, req)
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def _keep(self, response: Any, req: urllib.request.Request) -> None:
        self.jar.extract_cookies(response, req)

    def cookie_header(self, extra: dict[str, str] | None = None) -> str:
        pairs = {cookie.name: cookie.value or "" for cookie in self.jar}
        pairs.update(extra or {})
        return "; ".join(f"{name}={value}" for name, value in pairs.items())

    def render(self, notebook: str = "index.ipynb", timeout: float = 180) -> str:
        """Render a page as a browser would; returns its kernel id."""
        status, body = self.request(f"/voila/render/{notebook}", timeout=timeout)
        assert status == 200, (status, body[-2000:])
        found = KERNEL_ID.search(body)
        assert found, body[-2000:]
        return found.group(1)

    def channels(self, kernel_id: str, protocols: list[str] | None = (V1,), timeout: float = 60) -> websocket.WebSocket:  # type: ignore[assignment]
        """Open the kernel websocket, offering ``protocols`` (None: the legacy protocol, no offer)."""
        url = self.server.url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}"
        return websocket.create_connection(
            url, timeout=timeout, subprotocols=protocols, cookie=self.cookie_header(), origin=self.server.url
        )


def message(msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
    header = {
        "msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "learner", "session": uuid.uuid4().hex,
        "date": "2026-01-01T00:00:00Z", "version": "5.3",
    }  # fmt: skip
    return {
        "header": header,
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def send(ws: websocket.WebSocket, msg: dict[str, Any]) -> None:
    if ws.subprotocol == V1:
        ws.send_binary(
            serialize_msg_to_ws_v1(
                [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")],
                msg["channel"],
            )
        )
    else:
        ws.send(json.dumps(msg))


def receive(ws: websocket.WebSocket, deadline: float) -> Iterator[dict[str, Any]]:
    """Messages from the kernel until ``deadline`` (``time.monotonic()``)."""
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data = ws.recv()
        except websocket.WebSocketTimeoutException:
            return
        if isinstance(data, bytes) and ws.subprotocol == V1:
            channel, parts = deserialize_msg_from_ws_v1(data)
            yield {"channel": channel, "header": json.loads(parts[0]), "content": json.loads(parts[3])}
        elif isinstance(data, str):
            yield json.loads(data)


def request_every_state(ws: websocket.WebSocket, timeout: float = 20) -> list[str]:
    """What Voila's front end does on connect: list the widget comms, ask each for its state.

    Returns the comm ids asked.
    """
    send(ws, message("comm_info_request", {"target_name": "jupyter.widget"}))
    deadline = time.monotonic() + timeout
    for reply in receive(ws, deadline):
        if reply["header"]["msg_type"] == "comm_info_reply":
            comms = list(reply["content"]["comms"])
            for comm_id in comms:
                send(ws, message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}}))
            return comms
    raise AssertionError("no comm_info_reply within the timeout")


def answers_quickly(server: VoilaServer, path: str = "/voila/tree", limit_s: float = 1.0) -> float:
    """Seconds ``GET path`` took; raises when the server does not answer within ``limit_s``."""
    start = time.monotonic()
    with urllib.request.urlopen(server.url + path, timeout=limit_s) as response:
        response.read()
    return time.monotonic() - start
