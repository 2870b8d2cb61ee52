"""How `nnteach serve` prepares Voila: the packaged template, JUPYTER_PATH, the kernel cap."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from tornado import web
from voila.paths import collect_template_paths

from nnteach import cli, serving
from nnteach._voila.kernels import ClassKernelManager, class_full_message
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


def test_the_kernel_cap_refuses_a_new_kernel_with_a_plain_503() -> None:
    manager = ClassKernelManager(max_kernels=2)
    manager._kernels = {"a": object(), "b": object()}  # two pages already hold the seats
    with pytest.raises(web.HTTPError) as refused:
        asyncio.run(manager.start_kernel(kernel_name="python3"))
    assert refused.value.status_code == 503
    assert refused.value.reason == "The class is full"
    assert refused.value.log_message == class_full_message(2)
    assert "Try again in a minute" in class_full_message(2)
