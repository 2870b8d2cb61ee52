"""The class space in Voila + Chromium: two learners share, the teacher's page (via the printed link) sees and removes.

Learners share from the ShareRow gallery page (a digit and a run, no training needed); the
teacher opens the link ``nnteach serve --class`` printed, whose key is swapped for a cookie.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from ui_helpers import VoilaServer, start_voila, stop_voila

ROOT = Path(__file__).resolve().parents[2]
LOAD = 120_000
SCRIPT_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def class_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[VoilaServer, VoilaServer, str]]:
    """The lessons served with --class (teacher link printed) and the gallery, sharing one work folder."""
    work = tmp_path_factory.mktemp("class-work")
    env = {"NNTEACH_WORKDIR": str(work)}
    lessons = start_voila(ROOT / "lessons", work / "lessons.log", env, args=("--class",))
    gallery = start_voila(ROOT / "widgets", work / "gallery.log", env)
    printed = re.search(r"http://\S+/nnteach/teacher#key=\S+", lessons.log.read_text())
    assert printed, lessons.log.read_text()
    link = printed.group(0).split("/nnteach/", 1)[1]
    yield lessons, gallery, f"{lessons.url}/nnteach/{link}"
    stop_voila(lessons)
    stop_voila(gallery)


def _learner_shares(browser: Browser, gallery: VoilaServer, name: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    page = context.new_page()
    page.goto(gallery.render_url("share_row.ipynb"))
    digit_row, run_row = page.locator(".nnteach-share-row").nth(0), page.locator(".nnteach-share-row").nth(1)
    digit_row.locator("input[type=text]").wait_for(state="visible", timeout=LOAD)
    digit_row.locator("input[type=text]").fill(name)
    digit_row.locator("input[type=text]").press("Enter")
    digit_row.get_by_role("button", name="Share with class").click()
    expect(digit_row).to_contain_text("Shared MNIST's first test digit", timeout=60_000)
    run_row.get_by_role("button", name="Send to class board").click()
    expect(run_row).to_contain_text("Sent to the class board", timeout=60_000)
    context.close()


def test_two_learners_share_and_only_the_teachers_page_removes(
    class_servers: tuple[VoilaServer, VoilaServer, str], browser: Browser, page: Page
) -> None:
    lessons, gallery, teacher_link = class_servers
    _learner_shares(browser, gallery, SCRIPT_NAME)
    _learner_shares(browser, gallery, "Ben")

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(lessons.render_url("class.ipynb"))  # a learner's view of the class page: no key
    summary = page.locator(".nnteach-board-summary").first
    expect(summary).to_contain_text("2 learners · 2 shared digits · 2 runs", timeout=LOAD)
    expect(page.locator(".nnteach-board").first).to_contain_text(SCRIPT_NAME)  # shown as text
    expect(page.get_by_role("button", name="Remove run")).to_be_hidden()

    teacher = browser.new_context(viewport={"width": 1920, "height": 1080})
    teacher.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    teacher_page = teacher.new_page()
    teacher_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    teacher_page.goto(teacher_link)
    teacher_page.wait_for_url("**/voila/render/class.ipynb", timeout=30_000)
    assert "key=" not in teacher_page.url, "the key leaves the address bar"
    board = teacher_page.locator(".nnteach-board").first
    expect(board).to_contain_text("(run 1)", timeout=LOAD)
    teacher_page.locator(".nnteach-class-board input[type=number]").first.fill("1")
    teacher_page.get_by_role("button", name="Remove run").click()
    expect(teacher_page.locator(".nnteach-board-summary").first).to_contain_text(
        "2 learners · 2 shared digits · 1 runs"
    )
    teacher.close()

    expect(summary).to_contain_text("1 runs", timeout=30_000)  # the learner's page refreshes by itself
    assert dialogs == [], "no script from a learner's name ran"
    forged = browser.new_context()
    answer = forged.request.post(f"{lessons.url}/nnteach/teacher", form={"key": "guess"})
    assert answer.status == 403
    forged.close()
