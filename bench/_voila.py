"""Voila + headless Chromium for the benchmarks: serve lessons, time a page to interactive, find its kernel.

A page is **interactive** when, on the page's own clock (``performance.now()``, 0 = the moment
the browser started the navigation request):

1. every widget the kernel displayed is rendered: each ``application/vnd.jupyter.widget-view+json``
   output in the HTML Voila sent has become a ``.jp-OutputArea-output`` holding a ``.jupyter-widgets``
   view (its state fetched from the kernel over the page's websocket), and the lesson's ready text
   (written by the kernel) is in the page, and
2. a first kernel round trip is answered: a ``kernel_info_request`` sent on the page's kernel
   websocket right after (1) got its ``kernel_info_reply``, i.e. the kernel is idle and answers.

Every load gets a fresh kernel (Voila starts one per page request; preheated kernels are off in
``lessons/voila.json``). The browser's HTTP cache is the caller's choice (:func:`new_context`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ui"))
from ui_helpers import VoilaServer, start_voila, stop_voila  # type: ignore[import-not-found]  # noqa: E402

__all__ = [
    "LESSONS",
    "Load",
    "VoilaServer",
    "chromium",
    "copy_lessons",
    "kernel_process",
    "load_until_interactive",
    "new_context",
    "new_page",
    "peak_rss_mb",
    "serve",
    "shutdown_kernel",
    "stop_voila",
    "uses_tensorflow",
    "wait_until",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Offline like a school without internet: every host but this machine is unresolvable. (Playwright's
    # request routing would do it too, but routing turns the HTTP cache off, and learners have one.)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]  # fmt: skip
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Every page of lessons/, with text its kernel writes once the page is up (as in tests/ui/test_lessons_ui.py).
LESSONS = {
    "index.ipynb": "is ready",
    "01_perceptron.ipynb": "step gives 1: dog",
    "02_mnist_data.ipynb": "(60000, 28, 28)",
    "03_softmax_regression.ipynb": "mean(predictions == y_test): 0.92",
    "04_multilayer_perceptron.ipynb": "101,770",
    "05_activation_functions.ipynb": "softmax([2, -1, 1, 1])",
    "06_dropout_and_overfitting.ipynb": "Packaged runs: the seed MLP at 5 dropout rates",
    "07_draw_your_digit.ipynb": "Draw a digit",
}

# Runs before any page script: remember the kernel websocket, and note (page clock) when
# the number of rendered widget outputs first reached each count and when the ready text showed.
_INIT = """
(() => {
  const bench = (window.__bench = { sockets: [], widgets: {}, text: null, ready: %s });
  const Native = window.WebSocket;
  const Watched = function (url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (/\\/api\\/kernels\\/[0-9a-fA-F-]{36}\\/channels/.test(String(url))) bench.sockets.push(socket);
    return socket;
  };
  Watched.prototype = Native.prototype;
  for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Watched[name] = Native[name];
  window.WebSocket = Watched;
  const poll = () => {
    const now = performance.now();
    let rendered = 0;
    for (const output of document.querySelectorAll(".jp-OutputArea-output")) {
      if (output.querySelector(".jupyter-widgets")) rendered += 1;
    }
    for (let count = 0; count <= rendered; count += 1) {
      if (!(count in bench.widgets)) bench.widgets[count] = now;
    }
    if (bench.text === null && document.body && document.body.innerText.includes(bench.ready)) bench.text = now;
  };
  setInterval(poll, 20);
})();
"""

# After the page is rendered: one kernel_info_request on the page's kernel socket (JSON or the
# binary v1 protocol, whichever the page negotiated), resolved with the page time of the reply.
_ROUND_TRIP = """
async ([expected, timeoutMs]) => {
  const bench = window.__bench;
  const deadline = performance.now() + timeoutMs;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  const socketOpen = () => bench.sockets.find((s) => s.readyState === WebSocket.OPEN);
  while (!(expected in bench.widgets && bench.text !== null && socketOpen())) {
    if (performance.now() > deadline) {
      return { error: `not interactive after ${timeoutMs} ms`, widgets: bench.widgets, text: bench.text };
    }
    await pause();
  }
  const socket = socketOpen();
  const msgId = "bench-" + Math.random().toString(16).slice(2);
  const header = { msg_id: msgId, msg_type: "kernel_info_request", username: "bench", session: msgId,
                   date: new Date().toISOString(), version: "5.3" };
  const binary = socket.protocol === "v1.kernel.websocket.jupyter.org";
  const encoder = new TextEncoder(), decoder = new TextDecoder();
  const parentOf = (data) => {
    if (typeof data === "string") {
      const message = JSON.parse(data);
      return [message.header.msg_type, message.parent_header.msg_id];
    }
    const view = new DataView(data);
    const offsets = [];
    const count = Number(view.getBigUint64(0, true));
    for (let i = 0; i < count; i += 1) offsets.push(Number(view.getBigUint64(8 * (i + 1), true)));
    const part = (i) => JSON.parse(decoder.decode(new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i])));
    return [part(1).msg_type, part(2).msg_id];
  };
  const sent = performance.now();
  const reply = new Promise((resolve) => {
    const listen = (event) => {
      try {
        const [type, parent] = parentOf(event.data);
        if (type === "kernel_info_reply" && parent === msgId) {
          socket.removeEventListener("message", listen);
          resolve(performance.now());
        }
      } catch (error) { /* a message that is not ours */ }
    };
    socket.addEventListener("message", listen);
  });
  if (binary) {
    const parts = ["shell", JSON.stringify(header), "{}", "{}", "{}"].map((p) => encoder.encode(p));
    const offsets = [8 * (parts.length + 2)];
    for (const p of parts) offsets.push(offsets[offsets.length - 1] + p.length);
    const frame = new Uint8Array(offsets[offsets.length - 1]);
    const view = new DataView(frame.buffer);
    view.setBigUint64(0, BigInt(offsets.length), true);
    offsets.forEach((offset, i) => view.setBigUint64(8 * (i + 1), BigInt(offset), true));
    parts.forEach((p, i) => frame.set(p, offsets[i]));
    socket.send(frame.buffer);
  } else {
    socket.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content: {}, channel: "shell", buffers: [] }));
  }
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), Math.max(0, deadline - performance.now())));
  const answered = await Promise.race([reply, timeout]);
  if (answered === null) return { error: "no kernel_info_reply" };
  const navigation = performance.getEntriesByType("navigation")[0];
  return { widgets: bench.widgets[expected], text: bench.text, sent, answered,
           responseStart: navigation.responseStart, responseEnd: navigation.responseEnd,
           kernelId: JSON.parse(document.getElementById("jupyter-config-data").textContent).kernelId };
}
"""


@dataclass
class Load:
    """One page load, in ms on the page's clock from the navigation request."""

    notebook: str
    kernel_id: str
    widgets: int
    first_byte_ms: float
    html_done_ms: float
    rendered_ms: float
    interactive_ms: float


def copy_lessons(work: Path, voila_settings: dict[str, dict[str, Any]] | None = None) -> Path:
    """A copy of ``lessons/`` in ``work`` whose ``voila.json`` merges ``voila_settings`` (e.g. tiny cull timeouts)."""
    copy = work / "lessons"
    shutil.copytree(ROOT / "lessons", copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = json.loads((copy / "voila.json").read_text())
    for section, values in (voila_settings or {}).items():
        settings.setdefault(section, {}).update(values)
    (copy / "voila.json").write_text(json.dumps(settings, indent=2))
    return copy


def serve(folder: Path, work: Path) -> VoilaServer:
    """``nnteach serve`` on ``folder`` (its ``voila.json`` applies), work files and log in ``work``."""
    server: VoilaServer = start_voila(folder, work / "voila.log", {"NNTEACH_WORKDIR": str(work)})
    return server


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Any) -> Any:
    """A browser context with its own HTTP cache (empty at first, then kept, as in a learner's browser)."""
    return browser.new_context(viewport={"width": 1280, "height": 900})


def new_page(context: Any, ready_text: str) -> Any:
    """A tab in ``context`` that records, from its first moment, when widgets render and ``ready_text`` shows."""
    page = context.new_page()
    page.add_init_script(_INIT % json.dumps(ready_text))
    return page


def load_until_interactive(page: Any, server: VoilaServer, notebook: str, timeout_ms: int = 120_000) -> Load:
    """Request ``notebook`` in ``page`` (from :func:`new_page`) and time it to interactive (module docstring)."""
    response = page.goto(server.render_url(notebook), wait_until="commit", timeout=timeout_ms)
    expected = response.text().count(WIDGET_VIEW)  # waits for the whole HTML; the page keeps its own clock
    found = page.evaluate(_ROUND_TRIP, [expected, timeout_ms])
    if "error" in found:
        raise RuntimeError(f"{notebook}: {found['error']} (widgets seen {found.get('widgets')}, expected {expected})")
    return Load(
        notebook=notebook,
        kernel_id=found["kernelId"],
        widgets=expected,
        first_byte_ms=found["responseStart"],
        html_done_ms=found["responseEnd"],
        rendered_ms=max(found["widgets"], found["text"]),
        interactive_ms=found["answered"],
    )


def kernel_process(kernel_id: str) -> psutil.Process | None:
    """The ipykernel process of ``kernel_id`` (its connection file is named after the id)."""
    for process in psutil.process_iter(["cmdline"]):
        command = " ".join(process.info["cmdline"] or [])
        if f"kernel-{kernel_id}.json" in command and "ipykernel" in command:
            return process
    return None


def uses_tensorflow(process: psutil.Process) -> bool:
    """Whether the kernel process has TensorFlow's shared libraries mapped (it imported TensorFlow)."""
    try:
        return "tensorflow" in Path(f"/proc/{process.pid}/maps").read_text()
    except OSError:
        return False


def peak_rss_mb(process: psutil.Process) -> float:
    """Peak resident memory of ``process`` so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def shutdown_kernel(server: VoilaServer, kernel_id: str) -> None:
    """Shut a page's kernel down through the server (as culling would), so loads do not pile up.

    Jupyter Server checks the ``_xsrf`` double-submit cookie on DELETE: send the same token as
    cookie and header. If the server still refuses, end the process (SIGTERM) instead.
    """
    token = os.urandom(16).hex()
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1, our own server
        f"{server.url}/api/kernels/{kernel_id}",
        method="DELETE",
        headers={"Cookie": f"_xsrf={token}", "X-XSRFToken": token},
    )
    try:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - same request
            return
    except urllib.error.HTTPError:
        process = kernel_process(kernel_id)
        if process is not None:
            os.kill(process.pid, signal.SIGTERM)


def wait_until(condition: Any, timeout_s: float, every_s: float = 0.25) -> bool:
    """Poll server-side state (no page involved) until ``condition()`` holds or time runs out."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every_s)
    return True
