import sys
from pathlib import Path

import ipywidgets as widgets

from nnteach.i18n import language
from nnteach.lessons import LESSONS, page_language, title_in

# The cards come from the one table of lessons: one link per lesson, in order, with its
# thumbnail inlined (no extra request) and its title and sentence.
cards_html = next(
    child.value
    for value in list(globals().values())
    if isinstance(value, widgets.Box)
    for child in value.children
    if isinstance(child, widgets.HTML) and '<nav class="nnteach-cards"' in child.value
)
# The index of a translation (lessons/ja, lessons/de) links its own folder's lessons, with the
# titles in its language and the English folder's thumbnails.
folder_language = page_language()
english_folder = Path.cwd() if folder_language == "en" else Path.cwd().parent
assert language() == folder_language, "the widgets speak the language of the lesson's folder"
positions = [cards_html.index(f'href="{lesson.notebook}"') for lesson in LESSONS]
assert len(positions) == len(LESSONS) >= 7 and positions == sorted(positions), positions
with_thumbnail = sum((english_folder / lesson.thumbnail).exists() for lesson in LESSONS)
assert with_thumbnail >= 7, "lessons 1-7 have thumbnails (scripts/make_thumbnails.py)"
assert cards_html.count('<img src="data:image/png;base64,') == with_thumbnail
assert all(title_in(lesson, folder_language)[0] in cards_html for lesson in LESSONS), (
    folder_language,
    cards_html[:300],
)
assert all(Path(lesson.notebook).exists() for lesson in LESSONS), "each card links a lesson in this folder"
assert model.count_params() == 101_770 and model.metadata["test_accuracy"] > 0.97
assert "tensorflow" not in sys.modules, "the index must not import TensorFlow"
