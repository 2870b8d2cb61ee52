"""The one table of lessons: file, title, one sentence, thumbnail — and the links made from it.

The index's cards and every lesson's "index · next lesson" links come from :data:`LESSONS`,
so adding or renaming a lesson is one edit here. The lessons are written in English, Japanese
and German (:data:`LANGUAGES`); a translation is the same notebook in ``lessons/ja/`` or
``lessons/de/``, and its cards and links are in its folder's language (:func:`page_language`),
with the thumbnails of the English folder.

Example:
    >>> LESSONS[0].notebook, LESSONS[0].thumbnail
    ('01_perceptron.ipynb', 'thumbnails/01_perceptron.png')
    >>> next_lesson("01_perceptron").title
    '2 · The MNIST digits'
    >>> next_lesson("09_what_the_network_learned") is None
    True
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnteach._lesson_words import TRANSLATED_CARDS, WORDS

if TYPE_CHECKING:
    import ipywidgets

__all__ = [
    "INDEX",
    "LANGUAGES",
    "LESSONS",
    "TEACHER_PAGES",
    "Lesson",
    "cards_html",
    "index_cards",
    "lesson",
    "lesson_links",
    "links_html",
    "next_lesson",
    "page_language",
    "title_in",
]

#: The index page's notebook.
INDEX = "index.ipynb"


@dataclass(frozen=True)
class Lesson:
    """One lesson: its notebook's stem, its title and the one sentence on its card."""

    stem: str
    title: str
    sentence: str

    @property
    def notebook(self) -> str:
        """The notebook's file name, relative to the lessons folder (also its link)."""
        return f"{self.stem}.ipynb"

    @property
    def thumbnail(self) -> str:
        """The card's picture, relative to the lessons folder (``scripts/make_thumbnails.py`` makes it)."""
        return f"thumbnails/{self.stem}.png"


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "01_perceptron",
        "1 · The perceptron",
        "A weighted sum and a threshold decide: dog or cat? Move the weights and watch the line.",
    ),
    Lesson(
        "02_mnist_data",
        "2 · The MNIST digits",
        "70,000 handwritten digits as 28×28 grids of numbers: browse them, count them, one-hot encode them.",
    ),
    Lesson(
        "03_softmax_regression",
        "3 · Softmax regression",
        "One layer of ten neurons: logits, softmax, argmax and the ten templates the neurons learn.",
    ),
    Lesson(
        "04_multilayer_perceptron",
        "4 · The multilayer perceptron",
        "Stack layers, count their 101,770 parameters, train, and see which digits the network gets wrong.",
    ),
    Lesson(
        "05_activation_functions",
        "5 · Activation functions",
        "Step, sigmoid, ReLU and friends, vanishing gradients, softmax and cross-entropy.",
    ),
    Lesson(
        "06_dropout_and_overfitting",
        "6 · Dropout and overfitting",
        "Five dropout rates side by side: watch the validation loss tell when a network memorizes.",
    ),
    Lesson(
        "07_draw_your_digit",
        "7 · Draw your digit",
        "Draw a digit and see what the network sees — then test it on your class's handwriting.",
    ),
    Lesson(
        "08_playground",
        "8 · A network learning a pattern, live",
        "Points on a plane, a small network, Start: watch the borders bend, see why XOR needs a hidden layer.",
    ),
    Lesson(
        "09_what_the_network_learned",
        "9 · What the network learned",
        "Its 128 neurons as pictures, your digit inside it, where it looks — and how to fool it on purpose.",
    ),
)


#: The languages the lessons are written in: English in ``lessons/``, the others in ``lessons/<code>/``.
LANGUAGES: tuple[str, ...] = ("en", "ja", "de")


def page_language(folder: Path | str = ".") -> str:
    """The language of the lessons in ``folder``: a translation's folder name (``ja``, ``de``), else ``en``.

    A lesson's kernel runs in the lesson's folder (Voila, JupyterLab and nbclient all start it
    there), so the default, the current folder, is the language of the page being shown.

    Example:
        >>> page_language("lessons/ja"), page_language("lessons/de/"), page_language("lessons")
        ('ja', 'de', 'en')
    """
    name = Path(folder).resolve().name
    return name if name in LANGUAGES[1:] else "en"


def _word(text: str, language: str) -> str:
    return WORDS.get(language, {}).get(text, text)


def title_in(entry: Lesson, language: str) -> tuple[str, str]:
    """A lesson's card title and sentence in ``language`` (English for an unknown one).

    Example:
        >>> title_in(LESSONS[6], "ja")[0]
        '7 · 数字を描いてみよう'
        >>> title_in(LESSONS[6], "fr") == (LESSONS[6].title, LESSONS[6].sentence)
        True
    """
    translated = TRANSLATED_CARDS.get(language)
    return translated[LESSONS.index(entry)] if translated else (entry.title, entry.sentence)


def lesson(stem: str) -> Lesson:
    """The lesson whose notebook is ``<stem>.ipynb``.

    Example:
        >>> lesson("02_mnist_data").notebook
        '02_mnist_data.ipynb'
        >>> lesson("8_nope")
        Traceback (most recent call last):
        ...
        ValueError: There is no lesson '8_nope'. Expected one of 01_perceptron, 02_mnist_data, 03_softmax_regression, 04_multilayer_perceptron, 05_activation_functions, 06_dropout_and_overfitting, 07_draw_your_digit, 08_playground, 09_what_the_network_learned. Use a notebook name from nnteach.lessons.LESSONS, without '.ipynb'.
    """
    for entry in LESSONS:
        if entry.stem == stem:
            return entry
    raise ValueError(
        f"There is no lesson {stem!r}. Expected one of {', '.join(entry.stem for entry in LESSONS)}. "
        "Use a notebook name from nnteach.lessons.LESSONS, without '.ipynb'."
    )


def next_lesson(stem: str) -> Lesson | None:
    """The lesson after ``stem``, or None after the last one."""
    position = LESSONS.index(lesson(stem))
    return LESSONS[position + 1] if position + 1 < len(LESSONS) else None


def _thumbnail_html(entry: Lesson, folder: Path) -> str:
    """The card's thumbnail inlined (no extra request), or a numbered tile when it is missing.

    A translation's folder has no thumbnails of its own: they are the English folder's, one up.
    """
    path = folder / entry.thumbnail
    if not path.exists() and page_language(folder) != "en":
        path = folder.resolve().parent / entry.thumbnail
    if path.exists():
        data = base64.b64encode(path.read_bytes()).decode()
        return f'<img src="data:image/png;base64,{data}" alt="" class="nnteach-card-thumb">'
    return f'<div class="nnteach-card-thumb nnteach-card-number">{LESSONS.index(entry) + 1}</div>'


#: Pages for the teacher, linked under the cards: the class space and the link maker.
TEACHER_PAGES: tuple[tuple[str, str], ...] = (
    ("class.ipynb", "Our class — everyone's runs and digits"),
    ("teacher_links.ipynb", "Teacher links — open a lesson as you want it"),
)


def cards_html(folder: Path | str = ".") -> str:
    """The index's cards, one per lesson, linking to each notebook, in the language of ``folder``.

    Thumbnails are read from ``folder`` (from the English folder for a translation's folder).

    Example:
        >>> cards_html().count('class="nnteach-card"')
        9
        >>> "7 · 数字を描いてみよう" in cards_html("lessons/ja")
        True
    """
    language = page_language(folder)
    parts = []
    for entry in LESSONS:
        title, sentence = title_in(entry, language)
        parts.append(
            f'<a class="nnteach-card" href="{html.escape(entry.notebook)}">{_thumbnail_html(entry, Path(folder))}'
            f"<b>{html.escape(title)}</b><span>{html.escape(sentence)}</span></a>"
        )
    teacher = " · ".join(
        f'<a href="{html.escape(notebook)}">{html.escape(_word(title, language))}</a>'
        for notebook, title in TEACHER_PAGES
    )
    return (
        f'<nav class="nnteach-cards" aria-label="{_word("Lessons", language)}">{"".join(parts)}</nav>'
        f'<nav class="nnteach-teacher-pages" aria-label="{_word("For teachers", language)}">'
        f"<b>{_word('For teachers', language)}:</b> {teacher}</nav>"
    )


def links_html(stem: str, language: str = "en") -> str:
    """A lesson's way on: a link to the index and one to the next lesson (the last links back to the index).

    The links are relative, so a translation's lesson links to its own folder's index and next lesson.

    Example:
        >>> print(links_html("06_dropout_and_overfitting"))  # doctest: +NORMALIZE_WHITESPACE
        <nav class="nnteach-lesson-links" aria-label="Lessons"><a href="index.ipynb">← All lessons</a>
        <a href="07_draw_your_digit.ipynb">Next: 7 · Draw your digit →</a></nav>
        >>> print(links_html("09_what_the_network_learned", "ja"))  # doctest: +NORMALIZE_WHITESPACE
        <nav class="nnteach-lesson-links" aria-label="レッスン"><a href="index.ipynb">← レッスン一覧</a>
        <span>これが最後のレッスンです。</span></nav>
    """
    following = next_lesson(stem)
    parts = [f'<a href="{INDEX}">{_word("← All lessons", language)}</a>']
    if following is not None:
        title = html.escape(title_in(following, language)[0])
        parts.append(
            f'<a href="{html.escape(following.notebook)}">{_word("Next: {title} →", language).format(title=title)}</a>'
        )
    else:
        parts.append(f"<span>{_word('This was the last lesson.', language)}</span>")
    label = _word("Lessons", language)
    return f'<nav class="nnteach-lesson-links" aria-label="{label}">{chr(10).join(parts)}</nav>'


def index_cards(folder: Path | str = ".") -> ipywidgets.Box:
    """The index's cards as a widget with the page stylesheet (the lessons folder is the cwd).

    Example:
        >>> box = index_cards()
        >>> "07_draw_your_digit.ipynb" in box.children[-1].value
        True
    """
    import ipywidgets as widgets

    from nnteach.widgets._base import styled

    cards = widgets.HTML(cards_html(folder))
    cards.add_class("nnteach-index")
    return styled(cards)


def lesson_links(stem: str, /, **page_widgets: Any) -> ipywidgets.Box:
    """A lesson's links to the index and the next lesson, as a widget (for the end of each lesson).

    The links are in the language of the lesson's folder (the kernel's current folder).

    Given the lesson's widgets by name (``builder=builder, monitor=monitor``), it also applies
    the page's teacher link to them and adds **Link to this view** (see :mod:`nnteach.links`).

    Example:
        >>> "Next: 2 · The MNIST digits" in lesson_links("01_perceptron").children[-1].value
        True
    """
    import ipywidgets as widgets

    from nnteach.widgets._base import styled

    links = widgets.HTML(links_html(stem, page_language()))
    links.add_class("nnteach-lesson-links-box")
    box = styled(links)
    if page_widgets:
        from nnteach.widgets.link_to_view import page_links

        box.children = (*box.children, page_links(**page_widgets))
    return box
