"""Wait-then-assert helpers for the Voila + Chromium tests."""

from __future__ import annotations


def wait_for_kernel_text(tab: object, text: str, timeout_ms: int = 60_000) -> None:
    """Wait until ``text`` (written by the kernel into a widget) is visible on the page."""
    tab.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore[attr-defined]


def assert_no_traceback(tab: object) -> None:
    """No error output or traceback is visible in the page."""
    body = tab.inner_text("body")  # type: ignore[attr-defined]
    assert "Traceback" not in body, body[-2000:]
    assert tab.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0  # type: ignore[attr-defined]
