"""Voila's page templates are compiled once per server (``nnteach._voila.templates``)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from nnteach import serving
from nnteach._voila.templates import COMPILED, MemoryBytecodeCache, share_compiled_templates


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file names Jinja compiles from source while the test runs."""
    compiled: list[str] = []
    original = jinja2.Environment._compile  # noqa: SLF001 - where Jinja turns source into code

    def counting(self: jinja2.Environment, source: str, filename: str) -> object:
        compiled.append(filename)
        return original(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    return compiled


def test_a_second_page_reuses_the_compiled_nnteach_template(
    monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    monkeypatch.setenv("JUPYTER_PATH", serving.voila_environment(os.environ)["JUPYTER_PATH"])
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    paths = collect_template_paths(["voila", "nbconvert"], "nnteach")
    share_compiled_templates()
    share_compiled_templates()  # twice: still one wrapper
    COMPILED.clear()
    first = VoilaExporter(template_paths=paths, template_name="nnteach").template
    assert compiles == [first.filename] and first.filename.endswith("nnteach/index.html.j2")
    second = VoilaExporter(template_paths=paths, template_name="nnteach").template  # a new exporter, as per page
    assert compiles == [first.filename], "the second page compiled the template again"
    assert second is not first and second.environment is not first.environment


def test_an_edited_template_is_compiled_again(tmp_path: Path, compiles: list[str]) -> None:
    cache = MemoryBytecodeCache()
    page = tmp_path / "page.j2"

    def render() -> str:
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache)  # noqa: S701
        return environment.get_template("page.j2").render(name="class")

    page.write_text("Hello {{ name }}")
    assert (render(), render()) == ("Hello class", "Hello class")
    assert len(compiles) == 1 and len(cache) == 1
    page.write_text("Good morning {{ name }}")
    assert render() == "Good morning class"
    assert len(compiles) == 2
