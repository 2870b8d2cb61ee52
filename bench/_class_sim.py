"""A simulated learner: opens a Voila lesson page and uses its widgets over the Jupyter protocol.

What a browser does, without the browser: GET ``/voila/render/<lesson>`` (Voila runs the
notebook in a fresh kernel and puts the kernel id in the page), open the kernel's websocket
``/api/kernels/<id>/channels``, ask for every widget's state in one message (the
``jupyter.widget.control`` comm, as ipywidgets 8's front end does), then send the messages a
front end sends: a slider move is an
``update`` with the new ``value``, a button click and ipycanvas' mouse events are ``custom``
messages. The answer the learner waits for is the kernel's ``update`` of a readout widget.

Loopback only: every address is ``http://127.0.0.1:<port>``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import websocket

ROOT = Path(__file__).resolve().parents[1]
_VIEW = re.compile(r'widget-view\+json": \{"model_id": "([0-9a-f]+)"')
_KERNEL = re.compile(r'"kernelId": "([0-9a-f-]+)"')


# --- the class server ----------------------------------------------------------------------------
@dataclass
class ClassServer:
    """``nnteach serve --class`` on a copy of the lessons, on 127.0.0.1."""

    url: str
    process: subprocess.Popen[bytes]
    folder: Path
    log: Path

    def render_url(self, notebook: str) -> str:
        return f"{self.url}/voila/render/{notebook}"

    def kernels(self) -> list[psutil.Process]:
        """The lesson kernels running under this server (one per open page)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                continue
        return found

    def kernel_rss_mb(self) -> dict[str, float]:
        """RSS (MB) of each kernel, keyed by kernel id (from its connection file's name)."""
        sizes = {}
        for kernel in self.kernels():
            try:
                command = " ".join(kernel.cmdline())
                rss = kernel.memory_info().rss / 2**20
            except psutil.Error:
                continue
            match = re.search(r"kernel-([0-9a-f-]+)\.json", command)
            if match:
                sizes[match.group(1)] = rss
        return sizes

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_class_server(workdir: Path, config: dict[str, dict[str, Any]]) -> ClassServer:
    """Copy ``lessons/`` to ``workdir`` with ``voila.json`` updated by ``config``; serve it with ``--class``."""
    folder = workdir / "lessons"
    shutil.copytree(ROOT / "lessons", folder)
    settings = json.loads((folder / "voila.json").read_text())
    for section, values in config.items():
        settings.setdefault(section, {}).update(values)
    (folder / "voila.json").write_text(json.dumps(settings, indent=2))
    port = _free_port()
    env = {**os.environ, "NNTEACH_WORKDIR": str(workdir / "work")}
    for name in ("NNTEACH_QUICK", "DISPLAY"):
        env.pop(name, None)
    log = workdir / "voila.log"
    command = [sys.executable, "-m", "nnteach.cli", "serve", "--class", "--no-browser", f"--port={port}", str(folder)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Voila exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/voila/tree", timeout=2):  # noqa: S310 - loopback only
                return ClassServer(url, process, folder, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("Voila did not answer within 60 s.")


def get_page(url: str, timeout: float = 300, cookies: dict[str, str] | None = None) -> tuple[int, str, float]:
    """HTTP status, body and seconds for one page request.

    ``cookies`` is the browser's cookie store: sent with the request and updated from its
    answer (a page gives its browser the key to its kernel in a cookie).
    """
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            status, body = response.status, response.read().decode(errors="replace")
            set_cookies = response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode(errors="replace")
        set_cookies = []
    if cookies is not None:
        for line in set_cookies:
            name, _, value = line.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
    return status, body, time.perf_counter() - started


# --- the Jupyter protocol over the kernel websocket -------------------------------------------
PROTOCOL = "v1.kernel.websocket.jupyter.org"  # what JupyterLab's and Voila's front ends speak


def _encode(message: dict[str, Any]) -> bytes:
    """A message as one binary frame of the v1 kernel websocket protocol (jupyter_server's layout)."""
    parts = [json.dumps(message[key]).encode() for key in ("header", "parent_header", "metadata", "content")]
    channel = message["channel"].encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = struct.pack(f"<{len(offsets) + 1}Q", len(offsets), *offsets)
    return b"".join([head, channel, *parts])


def _decode(frame: str | bytes) -> dict[str, Any]:
    """One v1 frame as a message dict (header, parent_header, metadata, content, channel); buffers dropped."""
    if isinstance(frame, str):
        raise LearnerError("Expected binary frames of the v1 kernel protocol; the server sent text.")
    count = struct.unpack("<Q", frame[:8])[0]
    offsets = struct.unpack(f"<{count}Q", frame[8 : 8 * (count + 1)])
    channel = frame[offsets[0] : offsets[1]].decode()
    parts = [json.loads(frame[offsets[i] : offsets[i + 1]]) for i in range(1, 5)]
    header, parent, metadata, content = parts
    return {"channel": channel, "header": header, "parent_header": parent, "metadata": metadata, "content": content}


class LearnerError(RuntimeError):
    """One learner's page did not load or did not answer."""


@dataclass
class Learner:
    """One learner's page: its kernel, websocket and the widget states it has seen."""

    name: str
    server_url: str
    notebook: str
    kernel_id: str = ""
    views: list[str] = field(default_factory=list)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    load_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _ws: Any = None
    _session: str = field(default_factory=lambda: uuid.uuid4().hex)
    cookies: dict[str, str] = field(default_factory=dict)

    # -- page and connection --------------------------------------------------------------------
    def open(self) -> int:
        """Load the page; on 200 connect to its kernel. Returns the HTTP status."""
        status, body, self.load_s = get_page(f"{self.server_url}/voila/render/{self.notebook}", cookies=self.cookies)
        if status != 200:
            self.body = body
            return status
        match = _KERNEL.search(body)
        if not match:
            raise LearnerError(f"{self.name}: the page has no kernel id.")
        self.kernel_id = match.group(1)
        self.views = _VIEW.findall(body)
        self.connect()
        return status

    def connect(self) -> None:
        """(Re)open the websocket to this page's kernel, as a browser tab does after a network blip.

        This client answers the server's pings only while it reads, so a learner left unread for
        a long phase of the benchmark reconnects first; a browser tab answers them all the time.
        """
        self.close()
        ws_url = self.server_url.replace("http://", "ws://")
        self._ws = websocket.create_connection(
            f"{ws_url}/api/kernels/{self.kernel_id}/channels?session_id={self._session}",
            timeout=60,
            subprotocols=[PROTOCOL],
            cookie="; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        )

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None

    def leave(self) -> None:
        """Leave the page as a browser tab does: close the socket and send Voila's shutdown beacon."""
        self.close()
        if self.kernel_id:
            token = self.cookies.get("_xsrf") or uuid.uuid4().hex  # Voila's page sends its _xsrf cookie back
            jar = {**self.cookies, "_xsrf": token}
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), "X-XSRFToken": token}
            beacon = urllib.request.Request(  # noqa: S310 - loopback only
                f"{self.server_url}/voila/api/shutdown/{self.kernel_id}", data=b"", method="POST", headers=headers
            )
            with contextlib.suppress(urllib.error.URLError):
                urllib.request.urlopen(beacon, timeout=30).close()  # noqa: S310 - loopback only

    def send(self, comm_id: str, data: dict[str, Any], msg_type: str = "comm_msg", **content: Any) -> str:
        msg_id = uuid.uuid4().hex
        message = {
            "header": {
                "msg_id": msg_id,
                "msg_type": msg_type,
                "username": self.name,
                "session": self._session,
                "date": "",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": content.pop("metadata", {}),
            "content": {"comm_id": comm_id, "data": data, **content},
            "channel": "shell",
        }
        self._ws.send_binary(_encode(message))
        return msg_id

    def receive_until(self, done: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
        """Read messages (recording widget updates) until ``done(message)``; LearnerError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LearnerError(f"{self.name}: no answer from the kernel within {timeout:g} s.")
            self._ws.settimeout(left)
            try:
                message = _decode(self._ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if message["header"].get("msg_type") == "comm_msg":
                data = message["content"]["data"]
                if data.get("method") in ("update", "echo_update"):
                    self.states.setdefault(message["content"]["comm_id"], {}).update(data.get("state", {}))
            if done(message):
                return message

    def drain(self, seconds: float = 0.05) -> None:
        """Read whatever has arrived (answering the server's pings, as an open browser tab does)."""
        with contextlib.suppress(LearnerError):
            self.receive_until(lambda _message: False, timeout=seconds)

    @staticmethod
    def is_update(message: dict[str, Any], comm_id: str, key: str) -> bool:
        if message.get("header", {}).get("msg_type") != "comm_msg":
            return False
        content = message["content"]
        return bool(
            content.get("comm_id") == comm_id
            and content["data"].get("method") == "update"
            and key in content["data"].get("state", {})
        )

    def discover(self, timeout: float = 60) -> dict[str, dict[str, Any]]:
        """Every widget state of the page in one message, as Voila's and JupyterLab's widget managers ask.

        ipywidgets 8's front end opens a ``jupyter.widget.control`` comm and sends
        ``request_states``; the kernel answers with one ``update_states`` holding all states.
        """
        control = uuid.uuid4().hex
        self.send(control, {}, "comm_open", target_name="jupyter.widget.control", metadata={"version": "1.0.0"})
        self.send(control, {"method": "request_states"})

        def answered(message: dict[str, Any]) -> bool:
            content = message.get("content", {})
            return content.get("comm_id") == control and content.get("data", {}).get("method") == "update_states"

        reply = self.receive_until(answered, timeout=timeout)
        for comm_id, entry in reply["content"]["data"]["states"].items():
            self.states.setdefault(comm_id, {}).update({"_model_name": entry["model_name"], **entry["state"]})
        return self.states

    def find(self, test: Callable[[dict[str, Any]], bool]) -> str:
        for comm_id, state in self.states.items():
            if test(state):
                return comm_id
        classes = sorted({c for state in self.states.values() for c in state.get("_dom_classes") or ()})
        raise LearnerError(
            f"{self.name}: no such widget on {self.notebook} "
            f"({len(self.views)} views, {len(self.states)} widget states; classes seen: {', '.join(classes)[:200]})."
        )

    def find_class(self, css_class: str) -> str:
        return self.find(lambda state: css_class in state.get("_dom_classes", ()))

    # -- what learners do ------------------------------------------------------------------------
    def timed(self, comm_id: str, data: dict[str, Any], answer: str, check: Callable[[Any], bool]) -> float:
        """Send one message; milliseconds until ``answer`` (a readout comm) reports a value passing ``check``."""
        started = time.perf_counter()
        self.send(comm_id, data)
        self.receive_until(
            lambda m: self.is_update(m, answer, "value") and check(m["content"]["data"]["state"]["value"]), timeout=60
        )
        elapsed = (time.perf_counter() - started) * 1000.0
        self.latencies_ms.append(elapsed)
        return elapsed

    def click(self, comm_id: str) -> None:
        self.send(comm_id, {"method": "custom", "content": {"event": "click"}})


class SliderLearner(Learner):
    """Lesson 5: moves the neuron's "input x" slider; the kernel rewrites the neuron's readout."""

    def prepare(self) -> None:
        self.discover()
        self.slider = self.find(
            lambda s: s.get("_model_name") == "FloatSliderModel" and s.get("description") == "input x"
        )
        self.readout = self.find_class("nnteach-neuron-output")

    def interact(self, step: int) -> float:
        x = round(-4.5 + 0.3 * (step % 30) + (0.1 if step >= 30 else 0.0), 2)
        state = {"value": x}
        return self.timed(
            self.slider,
            {"method": "update", "state": state, "buffer_paths": []},
            self.readout,
            lambda v: shown_number(x) + " +" in v,
        )


def shown_number(x: float) -> str:
    """``x`` as NeuronView's readout writes it: three decimals, a typographic minus, never −0.000."""
    text = f"{x:.3f}"
    return "0.000" if text == "-0.000" else text.replace("-", "\u2212")


class CanvasLearner(Learner):
    """Lesson 7: draws one stroke on the DigitCanvas, waits for the prediction, then presses Clear."""

    def prepare(self) -> None:
        self.discover()
        self.canvas = self.find_class("nnteach-digit-canvas")
        self.label = self.find(
            lambda s: s.get("_model_name") == "HTMLModel" and "nnteach-prediction" in s.get("_dom_classes", ())
        )
        self.clear = self.find_class("nnteach-clear")
        self.send(self.canvas, {"method": "custom", "content": {"event": "client_ready"}})

    def _event(self, event: str, x: float, y: float) -> None:
        self.send(self.canvas, {"method": "custom", "content": {"event": event, "x": x, "y": y}})

    def interact(self, step: int) -> float:
        """A stroke like a "1" or a "7" (alternating); latency from mouse-up to the prediction text."""
        points = [(140, 40 + 40 * i) for i in range(6)] if step % 2 == 0 else [(60 + 30 * i, 50) for i in range(6)]
        if step % 2:
            points += [(230 - 20 * i, 50 + 40 * i) for i in range(1, 6)]
        self._event("mouse_down", *points[0])
        for point in points[1:-1]:
            self._event("mouse_move", *point)
        elapsed = self.timed(
            self.canvas,
            {"method": "custom", "content": {"event": "mouse_up", "x": points[-1][0], "y": points[-1][1]}},
            self.label,
            lambda v: "Prediction:" in v,
        )
        started = time.perf_counter()
        self.click(self.clear)
        self.receive_until(lambda m: self.is_update(m, self.label, "value"), timeout=60)
        self.latencies_ms.append((time.perf_counter() - started) * 1000.0)
        return elapsed


class TrainingLearner(Learner):
    """Lesson 4: sets the TrainingMonitor's epochs and presses Start; waits for state "done"."""

    def prepare(self) -> None:
        self.discover()
        self.monitor = self.find_class("nnteach-training-monitor")
        self.start_button = self.find_class("nnteach-train-start")
        self.epochs_box = self.find_class("nnteach-train-epochs")
        self.limits_text = self.states[self.find_class("nnteach-train-limits")].get("value", "")
        self.subset_value = self.states[self.find_class("nnteach-train-subset")].get("value")

    def start_training(self, epochs: int) -> None:
        self.send(self.epochs_box, {"method": "update", "state": {"value": str(epochs)}, "buffer_paths": []})
        self.started = time.perf_counter()
        self.click(self.start_button)
        self.receive_until(
            lambda m: self.is_update(m, self.monitor, "state") and m["content"]["data"]["state"]["state"] == "training"
        )

    def wait_done(self, timeout: float) -> float:
        message = self.receive_until(
            lambda m: (
                self.is_update(m, self.monitor, "state") and m["content"]["data"]["state"]["state"] in ("done", "error")
            ),
            timeout=timeout,
        )
        self.final_state = message["content"]["data"]["state"]["state"]
        return time.perf_counter() - self.started


def sample_memory(stop: Callable[[], bool], samples: list[float], every_s: float = 0.5) -> None:
    """Machine memory in use (MB), every ``every_s`` seconds until ``stop()``."""
    while not stop():
        samples.append(psutil.virtual_memory().used / 2**20)
        time.sleep(every_s)


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
