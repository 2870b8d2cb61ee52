"""How `nnteach serve` prepares Voila: the packaged template, JUPYTER_PATH, the kernel cap."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path

import pytest
from tornado import web
from voila.paths import collect_template_paths

from nnteach import cli, serving
from nnteach._voila.app import BROKEN_EXTENSIONS
from nnteach._voila.kernels import ClassKernelManager, class_full_message, too_many_starts_message
from nnteach._voila.seats import SeatBook, StartLimit
from nnteach.paths import gallery_dir, lessons_dir


def test_the_template_ships_inside_the_package_and_extends_lab() -> None:
    folder = serving.template_dir()
    assert folder.is_relative_to(Path(serving.__file__).parent)
    assert json.loads((folder / "conf.json").read_text()) == {"base_template": "lab"}
    for name in (
        "index.html.j2",
        "page.html",
        "tree-lab.html",
        "error.html",
        "static/nnteach.js",
        "static/nnteach.css",
    ):
        assert (folder / name).is_file(), name


def test_voila_finds_the_template_through_the_environment_serve_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    env = serving.voila_environment({"JUPYTER_PATH": os.pathsep.join(["/a", str(serving.template_root())])})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(serving.template_root()), "/a"]
    monkeypatch.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    paths = collect_template_paths(["voila", "nbconvert"], serving.TEMPLATE, prune=True)
    assert paths[0] == str(serving.template_dir())
    assert any(Path(path).parts[-3:] == ("voila", "templates", "lab") for path in paths)


def test_no_template_links_a_cdn() -> None:
    for path in serving.template_dir().rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "https://" not in text and "http://" not in text and "//cdn" not in text, path


def test_voila_command_renders_with_the_nnteach_template(tmp_path: Path) -> None:
    command, _ = cli.voila_command(tmp_path, port=9000, host="127.0.0.1", open_browser=False)
    assert "--template=nnteach" in command


def test_index_url_points_at_the_rendered_index_when_there_is_one(tmp_path: Path) -> None:
    assert serving.index_url("127.0.0.1", 8866, lessons_dir()) == "http://127.0.0.1:8866/voila/render/index.ipynb"
    assert serving.index_url("127.0.0.1", 8866, tmp_path) == "http://127.0.0.1:8866/"
    assert serving.index_url("0.0.0.0", 80, tmp_path) == "http://<this machine's address>:80/"  # noqa: S104


@pytest.mark.parametrize("folder", [lessons_dir(), gallery_dir()])
def test_served_folders_use_the_class_kernel_manager_and_safe_culling(folder: Path) -> None:
    settings = json.loads((folder / "voila.json").read_text())
    assert settings["VoilaConfiguration"]["multi_kernel_manager_class"] == "nnteach._voila.kernels.ClassKernelManager"
    assert settings["VoilaConfiguration"]["preheat_kernel"] is False
    assert settings["MappingKernelManager"]["cull_connected"] is False
    assert settings["MappingKernelManager"]["cull_idle_timeout"] >= 300


def test_the_kernel_cap_refuses_a_new_kernel_with_a_plain_503(monkeypatch: pytest.MonkeyPatch) -> None:
    manager = ClassKernelManager(max_kernels=2)
    monkeypatch.setattr(manager, "list_kernel_ids", lambda: ["a", "b"])  # two pages already hold the seats
    with pytest.raises(web.HTTPError) as refused:
        asyncio.run(manager.start_kernel(kernel_name="python3"))
    assert refused.value.status_code == 503
    assert refused.value.reason == "The class is full"
    assert refused.value.log_message == class_full_message(2)
    assert "Try again in a minute" in class_full_message(2)


def test_a_page_that_never_connects_frees_its_seat_a_grace_after_its_render_not_its_start() -> None:
    book = SeatBook(connect_grace=60, reconnect_grace=20)
    book.started("slow", now=0.0)
    assert book.to_free(now=500.0, connections={}) == []  # still rendering: never freed
    book.rendered("slow", now=100.0)  # a render that took 100 s under load
    assert book.to_free(now=159.0, connections={}) == []
    assert [kernel for kernel, _ in book.to_free(now=161.0, connections={})] == ["slow"]
    assert not book.may_cull("slow"), "idle culling must not take a page that has not connected"


def test_a_closed_tab_frees_its_seat_after_the_reconnect_grace_and_a_returning_one_keeps_it() -> None:
    book = SeatBook(connect_grace=60, reconnect_grace=20)
    for tab in ("first", "second"):  # two tabs of one learner: two seats, independent
        book.started(tab, now=0.0)
        book.rendered(tab, now=1.0)
        assert book.connected(tab, now=3.0) == 2.0
    assert book.may_cull("first")
    book.disconnected("first", now=10.0, connections=0)
    book.disconnected("second", now=10.0, connections=0)
    assert book.connected("second", now=12.0) is None  # a network blip: it came back
    book.started("streaming", now=0.0)
    assert book.connected("streaming", now=0.5) == 0.0  # connected while Voila still streamed its page
    assert book.to_free(now=29.0, connections={"second": 1}) == []
    freed = book.to_free(now=31.0, connections={"second": 1})
    assert freed == [("first", "its page left and did not come back within 20 s")]
    book.forget("first")
    assert book.to_free(now=1000.0, connections={"second": 1}) == []


def test_one_client_starts_a_few_kernels_a_minute_and_the_refusal_says_what_to_do() -> None:
    manager = ClassKernelManager(max_starts_per_minute=3)
    for _ in range(5):
        manager.admit("127.0.0.1")  # this machine (tests, a reverse proxy) is not limited by default
    for _ in range(3):
        manager.admit("10.0.0.7")
    manager.admit("10.0.0.8")  # another computer is not held back
    with pytest.raises(web.HTTPError) as refused:
        manager.admit("10.0.0.7")
    assert refused.value.status_code == 429
    assert refused.value.log_message == too_many_starts_message(3)
    assert re.search(r"opened more than 3 lesson pages in a minute.*Wait a minute", too_many_starts_message(3))
    assert StartLimit(per_minute=0).allow("anyone", 0.0)


def test_the_class_full_text_says_when_a_seat_frees(monkeypatch: pytest.MonkeyPatch) -> None:
    manager = ClassKernelManager(max_kernels=1, reconnect_grace=45)
    monkeypatch.setattr(manager, "list_kernel_ids", lambda: ["a"])
    with pytest.raises(web.HTTPError) as refused:
        asyncio.run(manager.start_kernel(kernel_name="python3"))
    assert "A seat frees 45 seconds after a classmate closes a lesson tab" in str(refused.value.log_message)


def test_pages_never_load_the_lab_extension_that_breaks_voilas_widgets() -> None:
    hub = json.loads((Path(__file__).resolve().parents[2] / "deploy" / "jupyter_server_config.json").read_text())
    lessons = json.loads((lessons_dir() / "voila.json").read_text())
    assert hub["VoilaConfiguration"]["extension_allowlist"] == lessons["VoilaConfiguration"]["extension_allowlist"]
    for settings in (hub, lessons, json.loads((gallery_dir() / "voila.json").read_text())):
        allowed = settings["VoilaConfiguration"]["extension_allowlist"]
        assert not set(allowed) & set(BROKEN_EXTENSIONS)


def test_the_printed_address_leads_to_the_index_in_the_chosen_language() -> None:
    from nnteach.paths import lessons_dir
    from nnteach.serving import index_url

    assert index_url("127.0.0.1", 8866, lessons_dir(), "de").endswith("/voila/render/de/index.ipynb")
    assert index_url("127.0.0.1", 8866, lessons_dir(), "en").endswith("/voila/render/index.ipynb")  # no en/ folder
    assert index_url("127.0.0.1", 8866, lessons_dir(), "../x").endswith("/voila/render/index.ipynb")
