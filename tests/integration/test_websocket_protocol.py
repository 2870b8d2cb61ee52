"""Fault 1 of issue 14: a kernel websocket without the v1 subprotocol froze the whole server.

A legacy client (no ``Sec-WebSocket-Protocol``) gets kernel messages with buffers packed by
jupyter_server's ``serialize_binary_message``; Voila 0.5.13's handler then parsed those bytes
as v1 and looped over a huge offset count. nnteach's server refuses the handshake instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import websocket
from class_client import V1, Client, answers_quickly, receive, request_every_state, serve_site, stop_hard
from ui_helpers import VoilaServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    served = serve_site(tmp_path_factory.mktemp("protocol"))
    yield served
    stop_hard(served)  # a frozen server ignores SIGTERM


@pytest.mark.timeout(180)
def test_a_legacy_protocol_client_is_refused_and_the_server_keeps_answering(server: VoilaServer) -> None:
    learner = Client(server)
    kernel_id = learner.render()
    assert answers_quickly(server) < 1.0

    try:
        ws = learner.channels(kernel_id, protocols=None)
    except websocket.WebSocketBadStatusException as error:
        refused = error
    else:  # the fault: the socket opens; asking for the widgets' state then freezes the server
        try:
            request_every_state(ws, timeout=10)
            for _ in range(8):
                answers_quickly(server)  # raises a timeout while the event loop is blocked
        finally:
            ws.close(timeout=1)
        pytest.fail("a websocket without the v1 subprotocol was accepted")

    assert refused.status_code == 400
    assert V1 in refused.resp_body.decode(errors="replace")
    for _ in range(8):
        assert answers_quickly(server) < 1.0


@pytest.mark.timeout(180)
def test_the_v1_protocol_that_voilas_page_speaks_still_gets_every_widget_state(server: VoilaServer) -> None:
    learner = Client(server)
    kernel_id = learner.render()
    ws = learner.channels(kernel_id)
    try:
        assert ws.subprotocol == V1
        comms = request_every_state(ws)
        assert len(comms) >= 3
        deadline = time.monotonic() + 20
        states = set()
        for reply in receive(ws, deadline):
            if reply["header"]["msg_type"] == "comm_msg" and reply["content"]["data"].get("method") == "update":
                states.add(reply["content"]["comm_id"])
                if states >= set(comms):
                    break
            assert answers_quickly(server) < 1.0
        assert states >= set(comms)
    finally:
        ws.close(timeout=1)
    assert answers_quickly(server) < 1.0


def test_the_reproduction_is_written_next_to_the_workaround() -> None:
    source = (Path(__file__).resolve().parents[2] / "src" / "nnteach" / "_voila" / "handlers.py").read_text()
    assert "read_header_from_binary_message" in source
    assert "serialize_binary_message" in source
