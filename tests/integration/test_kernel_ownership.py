"""Fault 2 of issue 14: anyone with a kernel id controlled that kernel.

A page's kernel belongs to the browser that rendered it (an HttpOnly cookie per kernel id);
every kernel endpoint refuses another client with 403, even with a forged ``_xsrf`` pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import websocket
from class_client import COOKIE_PREFIX, Client, serve_site, stop_hard
from ui_helpers import VoilaServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    served = serve_site(tmp_path_factory.mktemp("ownership"))
    yield served
    stop_hard(served)


def refused_everywhere(intruder: Client, kernel_id: str) -> dict[str, int]:
    """Status of every kernel endpoint for ``intruder``."""
    statuses = {
        "GET kernel": intruder.request(f"/api/kernels/{kernel_id}", timeout=10)[0],
        "DELETE kernel": intruder.request(f"/api/kernels/{kernel_id}", "DELETE", 10)[0],
        "POST shutdown beacon": intruder.request(f"/voila/api/shutdown/{kernel_id}", "POST", 10, b"")[0],
    }
    try:
        intruder.channels(kernel_id).close()
        statuses["websocket"] = 101
    except websocket.WebSocketBadStatusException as refused:
        statuses["websocket"] = refused.status_code
    return statuses


@pytest.mark.timeout(240)
def test_only_the_browser_that_rendered_a_page_reaches_its_kernel(server: VoilaServer) -> None:
    learner = Client(server)
    first = learner.render()
    second = learner.render()  # a second tab of the same browser: both keys kept
    assert {COOKIE_PREFIX + first, COOKIE_PREFIX + second} <= {cookie.name for cookie in learner.jar}
    assert all(
        cookie.has_nonstandard_attr("HttpOnly") for cookie in learner.jar if cookie.name.startswith(COOKIE_PREFIX)
    )

    stranger = Client(server)
    forger = Client(server)
    forger.jar.set_cookie(_cookie(COOKIE_PREFIX + first, "guessed"))
    for intruder in (stranger, forger):
        statuses = refused_everywhere(intruder, first)
        assert set(statuses.values()) == {403}, statuses
    assert "belongs to the browser that opened the page" in stranger.request(f"/api/kernels/{first}")[1]

    for kernel_id in (first, second):
        status, body = learner.request(f"/api/kernels/{kernel_id}", timeout=10)
        assert status == 200 and kernel_id in body
        ws = learner.channels(kernel_id)
        ws.close(timeout=1)
    assert learner.request(f"/voila/api/shutdown/{first}", "POST", 10, b"")[0] == 204
    assert learner.request(f"/api/kernels/{first}", timeout=10)[0] == 404
    assert learner.request(f"/api/kernels/{second}", timeout=10)[0] == 200


@pytest.mark.timeout(240)
def test_preheated_pages_are_owned_too(tmp_path: Path) -> None:
    served = serve_site(tmp_path, {"VoilaConfiguration": {"preheat_kernel": True, "default_pool_size": 1}})
    try:
        learner = Client(served)
        kernel_id = learner.render()
        assert learner.request(f"/api/kernels/{kernel_id}", timeout=10)[0] == 200
        stranger = Client(served)
        statuses = refused_everywhere(stranger, kernel_id)
        query = served.url.replace("http", "ws", 1) + f"/voila/query/{kernel_id}"
        try:
            websocket.create_connection(query, timeout=10).close()
            statuses["query socket"] = 101
        except websocket.WebSocketBadStatusException as refused:
            statuses["query socket"] = refused.status_code
        assert set(statuses.values()) == {403}, statuses
        ws = websocket.create_connection(query, timeout=10, cookie=learner.cookie_header())
        ws.close()
    finally:
        stop_hard(served)


def _cookie(name: str, value: str) -> object:
    import http.cookiejar

    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )
