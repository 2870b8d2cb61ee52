"""A real JupyterHub with deploy/'s settings: three learners log in, draw in lesson 7, share into one class.

The hub (``hub_server.start_hub``) reads ``deploy/jupyterhub_config.py``, which reads the chart's
``deploy/z2jh/values.yaml``; its proxy is the real configurable-http-proxy, every request below
goes through it. Each learner logs in through the hub's login page in headless Chromium (every
non-localhost request blocked), lands on the Voila lesson index (the chart's default URL),
follows the card to lesson 7, draws a 1 and shares it. The rows of the one class database are
then read with plain ``sqlite3``, not with nnteach's store.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hub_server import Hub, start_hub, stop_hub
from playwright.sync_api import Browser, Page, expect
from ui_helpers import assert_no_traceback, chromium_browser, wait_for_kernel_text

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "ui" / "artifacts"
LOCAL = re.compile(r"^(http://(127\.0\.0\.1|localhost)[:/]|data:|blob:)")
LOAD = 180_000  # a first spawn on a busy 2-core machine: server start, then the index's kernel
# Hub user name -> the name the learner types for the class (entries belong to the hub user).
LEARNERS = {"learner-a": "Aiko", "learner-b": "Ben", "learner-c": "Chidi"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    running = start_hub(tmp_path_factory.mktemp("jupyterhub"))
    yield running
    stop_hub(running)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(running.log, ARTIFACTS / "jupyterhub.log")  # the hub's, its proxy's and servers' log


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as chromium:
        yield chromium


def _tab(browser: Browser, blocked: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if LOCAL.match(url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    return context.new_page()


def _log_in(page: Page, hub: Hub, user: str) -> None:
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill("any password: the test hub's dummy authenticator")
    page.locator("#login_submit").click()


def _draw_a_one(page: Page) -> None:
    canvas = page.locator(".nnteach-digit-canvas").first
    canvas.wait_for(state="visible", timeout=LOAD)
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 140, box["y"] + 45)
    page.mouse.down()
    for step in range(1, 20):
        page.mouse.move(box["x"] + 140, box["y"] + 45 + 10 * step, steps=2)
    page.mouse.up()


def test_three_learners_draw_through_the_hub_into_one_class_database(hub: Hub, browser: Browser) -> None:
    hub.add_users(list(LEARNERS))  # as the teacher adds the class list; the chart allows existing users
    blocked: list[str] = []
    errors: list[str] = []
    pages = {user: _tab(browser, blocked) for user in LEARNERS}
    for user, page in pages.items():  # all three log in at once: their servers start together
        page.on("pageerror", lambda error, user=user: errors.append(f"{user}: {error}"))
        _log_in(page, hub, user)
    for user, page in pages.items():
        page.wait_for_url(f"{hub.url}/user/{user}/voila/render/index.ipynb**", timeout=LOAD)  # the default URL
        wait_for_kernel_text(page, "is ready", timeout_ms=LOAD)
        page.locator('a.nnteach-card[href="07_draw_your_digit.ipynb"]').click()
    for user, page in pages.items():
        name = LEARNERS[user]
        page.wait_for_url(f"{hub.url}/user/{user}/voila/render/07_draw_your_digit.ipynb**", timeout=LOAD)
        # nnteach's page template, named in deploy/jupyter_server_config.json, is the one Voila used.
        expect(page.locator(".nnteach-projector-toggle")).to_be_visible(timeout=LOAD)
        _draw_a_one(page)
        wait_for_kernel_text(page, "Prediction: 1", timeout_ms=60_000)
        page.locator(".nnteach-label select").first.select_option(label="1")
        row = page.locator(".nnteach-share-row").first
        row.locator("input[type=text]").fill(name)
        row.locator("input[type=text]").press("Enter")
        row.get_by_role("button", name="Share with class").click()
        expect(row).to_contain_text("Shared your 1 with the class", timeout=60_000)
        assert_no_traceback(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"jupyterhub_{user}.png"), full_page=True)
        page.context.close()
    assert errors == [], errors
    assert blocked == [], f"pages under the hub asked for outside addresses: {blocked[:5]}"

    servers = {user: hub.api("GET", f"/users/{user}")["servers"][""] for user in LEARNERS}  # type: ignore[index]
    assert {user: server["url"] for user, server in servers.items()} == {user: f"/user/{user}/" for user in LEARNERS}
    with sqlite3.connect(hub.class_db) as db:
        rows = db.execute(
            "SELECT l.identity, l.display_name, d.label, d.image FROM nnteach_digits d "
            "JOIN nnteach_learners l ON l.id = d.learner_id"
        ).fetchall()
    assert sorted((identity, shown, label) for identity, shown, label, _ in rows) == sorted(
        (f"hub:{user}", name, 1) for user, name in LEARNERS.items()
    )
    for *_, image in rows:
        assert len(image) == 28 * 28 and max(image) > 200, "each row holds that learner's own drawing"


def test_only_users_the_teacher_added_can_log_in(hub: Hub, browser: Browser) -> None:
    page = _tab(browser, [])
    _log_in(page, hub, "stranger")
    expect(page.get_by_text("Invalid username or password")).to_be_visible(timeout=30_000)
    assert "/user/stranger" not in page.url
    page.context.close()


def test_the_hub_runs_the_idle_culler_with_the_charts_settings(hub: Hub) -> None:
    cull = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())["cull"]
    culler = hub.api("GET", "/services")["jupyterhub-idle-culler"]  # type: ignore[index]
    assert culler["pid"] > 0, "the culler runs as a hub-managed service"
    assert f"--timeout={cull['timeout']}" in culler["command"]
    assert f"--cull-every={cull['every']}" in culler["command"]
