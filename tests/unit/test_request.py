"""How a preheated kernel reads its page's request (``nnteach.request``): once, and only when it must.

A warm kernel (``nnteach serve --warm``) runs its lesson before any page asks for it. What only
the request decides waits for it (``page_request``, ``when_requested``); the widgets' language
does not (the class server gives a warm kernel only to a page asking for its language).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nnteach import i18n, request


class FakePage:
    """Stands in for Voila's query socket: the kernel's fetch blocks until a page takes the kernel."""

    def __init__(self, payload: dict[str, str]) -> None:
        self.payload = payload
        self.taken = threading.Event()
        self.fetches = 0

    def fetch(self, url: str, key: str) -> dict[str, str]:
        self.fetches += 1
        assert key == "kernel-key" and url.endswith("/voila/query/k1")
        assert self.taken.wait(20), "no page took the kernel"
        return self.payload


@pytest.fixture
def warm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePage]:
    page = FakePage({"QUERY_STRING": "lang=de&canvas.brush_width=30"})
    for name, value in {"VOILA_PREHEAT": "True", "NNTEACH_QUERY_KEY": "kernel-key", "VOILA_KERNEL_ID": "k1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("QUERY_STRING", "NNTEACH_LANG", "HTTP_ACCEPT_LANGUAGE"):
        monkeypatch.setenv(name, "")  # recorded, so the request the fake page writes into os.environ is undone
        monkeypatch.delenv(name)
    monkeypatch.setattr(request, "_WAITED", [])
    monkeypatch.setattr(request, "_fetch_with_key", page.fetch)
    i18n.set_language(None)
    yield page
    page.taken.set()
    monkeypatch.undo()  # first: set_language(None) decides the language again from the environment
    i18n.set_language(None)


def test_a_warm_kernel_is_pending_until_a_page_takes_it(warm: FakePage) -> None:
    assert request.request_pending()
    warm.taken.set()
    assert request.page_query() == "lang=de&canvas.brush_width=30"
    assert not request.request_pending()
    assert request.page_query() == "lang=de&canvas.brush_width=30"
    assert warm.fetches == 1  # read once per kernel


def test_when_requested_waits_for_the_page_while_the_cells_run_on(warm: FakePage) -> None:
    seen: list[str] = []
    done = threading.Event()
    request.when_requested(lambda: seen.append(request.page_query()))
    request.when_requested(lambda: (seen.append("second"), done.set()))
    assert seen == []  # the cell returned at once: nothing waited for the page yet
    warm.taken.set()
    assert done.wait(20)
    assert seen == ["lang=de&canvas.brush_width=30", "second"]
    assert warm.fetches == 1
    request.when_requested(lambda: seen.append("now"))  # the request is known: called at once
    assert seen[-1] == "now"


def test_the_language_of_a_warm_kernel_does_not_wait_for_its_page(
    warm: FakePage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert i18n.language() == "en"  # the page's ?lang=de is not read: the server routes it to a cold kernel
    assert warm.fetches == 0
    monkeypatch.setenv("NNTEACH_LANG", "ja")
    i18n.set_language(None)
    assert i18n.language() == "ja"  # nnteach serve --lang ja: warm kernels speak it
    (tmp_path / "de").mkdir()
    monkeypatch.chdir(tmp_path / "de")
    i18n.set_language(None)
    assert i18n.language() == "de"  # a lesson in lessons/de
    assert warm.fetches == 0


def test_a_cold_kernel_reads_the_language_from_its_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "lang=de")
    monkeypatch.delenv("NNTEACH_LANG", raising=False)
    i18n.set_language(None)
    try:
        assert i18n.language() == "de"
    finally:
        monkeypatch.undo()
        i18n.set_language(None)
