"""The Japanese and German lessons are the English ones with the prose rewritten, never other code.

The English notebooks in ``lessons/`` are the source. ``lessons/ja/`` and ``lessons/de/`` hold
one notebook per English notebook, with the same code cells (same count, same order, same
source, same tags): only markdown differs, so the three can never drift. A language folder
that does not exist yet is skipped with a reason; once it exists, every notebook must be there.

Every lesson (in all three languages) starts with one line linking to itself in the other
languages, the current one in bold, e.g. in ``lessons/ja/01_perceptron.ipynb``::

    [English](../01_perceptron.ipynb) · **日本語** · [Deutsch](../de/01_perceptron.ipynb)

and in the English one ``**English** · [日本語](ja/01_perceptron.ipynb) · [Deutsch](de/01_perceptron.ipynb)``.
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

import nbformat
import pytest

from nnteach.lessons import LESSONS, cards_html, links_html, page_language, title_in

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
ENGLISH = sorted(LESSONS_DIR.glob("*.ipynb"))
TRANSLATIONS = ("ja", "de")
NAMES = {"en": "English", "ja": "日本語", "de": "Deutsch"}
PAIRS = [(language, english) for language in TRANSLATIONS for english in ENGLISH]


def _folder(language: str) -> Path:
    return LESSONS_DIR if language == "en" else LESSONS_DIR / language


def _translated(language: str, english: Path) -> Path:
    folder = _folder(language)
    if not folder.is_dir():
        pytest.skip(f"lessons/{language}/ does not exist yet")
    return folder / english.name


def _code_cells(path: Path) -> list[tuple[str, list[str]]]:
    """Each code cell's source and tags, in order."""
    cells = nbformat.read(path, as_version=4).cells
    return [(cell.source, list(cell.metadata.get("tags", []))) for cell in cells if cell.cell_type == "code"]


def test_english_lessons_are_found() -> None:
    assert len(ENGLISH) >= 12 and (LESSONS_DIR / "index.ipynb") in ENGLISH, ENGLISH


@pytest.mark.parametrize(("language", "english"), PAIRS, ids=lambda value: getattr(value, "name", value))
def test_translation_has_the_english_code_cells(language: str, english: Path) -> None:
    translated = _translated(language, english)
    assert translated.exists(), (
        f"lessons/{language}/{english.name} is missing: every English lesson has a translation in lessons/{language}/"
    )
    theirs, ours = _code_cells(english), _code_cells(translated)
    assert len(ours) == len(theirs), (
        f"lessons/{language}/{english.name} has {len(ours)} code cells, the English one {len(theirs)}. "
        "Translate only markdown cells; copy the code cells from the English notebook."
    )
    for position, (source_tags, english_tags) in enumerate(zip(ours, theirs, strict=True), 1):
        assert source_tags == english_tags, (
            f"code cell {position} of lessons/{language}/{english.name} differs from the English one: "
            f"received {source_tags!r}, expected {english_tags!r}. Code stays identical in every language."
        )


@pytest.mark.parametrize(("language", "english"), PAIRS, ids=lambda value: getattr(value, "name", value))
def test_translation_rewrites_the_prose_and_has_no_outputs(language: str, english: Path) -> None:
    translated = _translated(language, english)
    if not translated.exists():
        pytest.fail(f"lessons/{language}/{english.name} is missing")
    cells = nbformat.read(translated, as_version=4).cells
    english_prose = {cell.source for cell in nbformat.read(english, as_version=4).cells if cell.cell_type == "markdown"}
    copied = [cell.source[:60] for cell in cells if cell.cell_type == "markdown" and cell.source in english_prose]
    assert not copied, f"lessons/{language}/{english.name} has English markdown cells left untranslated: {copied}"
    assert all(
        not cell.get("outputs") and cell.get("execution_count") is None for cell in cells if cell.cell_type == "code"
    ), f"lessons/{language}/{english.name} is committed with outputs: strip them"


@pytest.mark.parametrize(("language", "english"), PAIRS, ids=lambda value: getattr(value, "name", value))
def test_translation_has_the_english_cell_layout(language: str, english: Path) -> None:
    """Cell for cell the same kinds in the same order: a paragraph added in English is missed in no language."""
    translated = _translated(language, english)
    if not translated.exists():
        pytest.fail(f"lessons/{language}/{english.name} is missing")
    theirs = [cell.cell_type for cell in nbformat.read(english, as_version=4).cells]
    ours = [cell.cell_type for cell in nbformat.read(translated, as_version=4).cells]
    assert ours == theirs, (
        f"lessons/{language}/{english.name} has the cells {ours}, the English one {theirs}: "
        "translate each English markdown cell into one markdown cell at the same place"
    )


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translation_folder_has_no_notebook_without_an_english_source(language: str) -> None:
    folder = _folder(language)
    if not folder.is_dir():
        pytest.skip(f"lessons/{language}/ does not exist yet")
    orphans = sorted({path.name for path in folder.glob("*.ipynb")} - {path.name for path in ENGLISH})
    assert not orphans, f"lessons/{language}/ has notebooks with no English source: {orphans}"


def _language_line(language: str, name: str) -> str:
    """The first line every lesson starts with: the other languages linked, this one in bold."""
    parts = []
    for other, label in NAMES.items():
        if other == language:
            parts.append(f"**{label}**")
        else:
            prefix = "" if language == "en" else "../"
            target = name if other == "en" else f"{other}/{name}"
            parts.append(f"[{label}]({prefix}{target})")
    return " · ".join(parts)


def test_language_line_links_upwards_from_a_translation() -> None:
    assert (
        _language_line("de", "index.ipynb") == "[English](../index.ipynb) · [日本語](../ja/index.ipynb) · **Deutsch**"
    )


@pytest.mark.parametrize("language", ["en", *TRANSLATIONS])
@pytest.mark.parametrize("english", ENGLISH, ids=lambda path: path.name)
def test_each_lesson_starts_with_links_to_its_other_languages(language: str, english: Path) -> None:
    path = _folder(language) / english.name
    if not path.exists():
        pytest.skip(f"lessons/{language}/{english.name} does not exist yet (the code-cell test names what is missing)")
    first = nbformat.read(path, as_version=4).cells[0]
    expected = _language_line(language, english.name)
    assert first.cell_type == "markdown" and first.source.splitlines()[0] == expected, (
        f"lessons/{path.relative_to(LESSONS_DIR)} starts with {first.source.splitlines()[:1]}; "
        f"expected its first markdown line to be: {expected}"
    )
    for target in re.findall(r"\]\(([^)]+\.ipynb)\)", expected):
        if (path.parent / target).parent.is_dir():  # a language folder not yet written is skipped above
            assert (path.parent / target).resolve().is_file(), f"{path.name} links to {target}, which does not exist"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translated_index_cards_are_in_the_folders_language_with_the_english_thumbnails(language: str) -> None:
    cards = cards_html(LESSONS_DIR / language)
    english = cards_html(LESSONS_DIR)
    assert cards.count('<img src="data:image/png;base64,') == english.count('<img src="data:image/png;base64,') >= 9
    titles = [title_in(entry, language) for entry in LESSONS]
    for entry, (title, sentence) in zip(LESSONS, titles, strict=True):
        assert title.split(" · ")[0] == entry.title.split(" · ")[0], (title, entry.title)  # same lesson number
        assert f'href="{entry.notebook}"' in cards and html.escape(title) in cards and html.escape(sentence) in cards
        assert entry.title not in cards, f"the {language} index shows the English title {entry.title!r}"
    assert 'href="class.ipynb"' in cards and 'href="teacher_links.ipynb"' in cards


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translated_lesson_links_stay_in_their_folder(language: str) -> None:
    for current, following in itertools.pairwise(LESSONS):
        links = links_html(current.stem, language)
        assert 'href="index.ipynb"' in links and f'href="{following.notebook}"' in links, links
        assert html.escape(title_in(following, language)[0]) in links and "Next:" not in links, links
    assert "last lesson" not in links_html(LESSONS[-1].stem, language)
    assert page_language(LESSONS_DIR / language) == language and page_language(LESSONS_DIR) == "en"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translated_lessons_name_controls_as_the_widgets_show_them(language: str) -> None:
    """A **label** (bold or italic) the widgets translate is written translated: the learner sees no English button."""
    from nnteach.i18n import translator

    catalog = translator(language)
    folder = _folder(language)
    wrong = [
        f"{path.name}: **{label}** (the widget shows **{catalog.gettext(label)}**)"
        for path in sorted(folder.glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "markdown"
        for label in re.findall(r"\*\*?([^*\n]+)\*?\*", cell.source)  # **bold** and *italic*
        if catalog.gettext(label) != label
    ]
    assert not wrong, f"lessons/{language}/ names controls in English that its widgets show translated: {wrong}"
