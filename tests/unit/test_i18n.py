"""Choosing the language: set_language, ?lang=, NNTEACH_LANG, Accept-Language, English; widgets speak it when made."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

import nnteach
from nnteach import i18n
from nnteach.layers import Dropout
from nnteach.numbers import decimal, grouped
from nnteach.widgets import LayerStackBuilder


@pytest.fixture(autouse=True)
def _automatic_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("QUERY_STRING", "NNTEACH_LANG", "HTTP_ACCEPT_LANGUAGE", "VOILA_PREHEAT"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def test_english_when_nothing_asks_for_another_language() -> None:
    assert i18n.language() == "en"
    assert i18n._("Add layer") == "Add layer"


def test_set_language_is_exported_and_changes_the_text() -> None:
    assert nnteach.set_language("ja") == "ja"
    assert i18n._("Add layer") == "層を追加"
    assert nnteach.set_language("de-DE") == "de"
    assert i18n._("Add layer") == "Schicht hinzufügen"


@pytest.mark.parametrize("bad", ["fr", "", "japanese", 3, None.__class__])
def test_set_language_refuses_a_language_it_does_not_speak(bad: object) -> None:
    with pytest.raises(ValueError, match=r"nnteach speaks en, ja, de\. Received set_language\(.*\)\. Pass one"):
        nnteach.set_language(bad)  # type: ignore[arg-type]
    assert i18n.language() == "en"


def test_nnteach_lang_chooses_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_LANG", "ja")
    i18n.set_language(None)
    assert i18n.language() == "ja"
    assert i18n._("Remove") == "削除"


def test_the_page_query_wins_over_nnteach_lang_and_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "projector=1&lang=de")
    monkeypatch.setenv("NNTEACH_LANG", "ja")
    monkeypatch.setenv("HTTP_ACCEPT_LANGUAGE", "ja-JP,ja;q=0.9")
    i18n.set_language(None)
    assert i18n.language() == "de"
    assert i18n.language_note() == ""


def test_the_browser_language_is_used_when_nothing_else_chooses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_ACCEPT_LANGUAGE", "fr-FR,fr;q=0.9,de;q=0.7,ja;q=0.3")
    i18n.set_language(None)
    assert i18n.language() == "de"


def test_set_language_wins_over_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=de")
    monkeypatch.setenv("NNTEACH_LANG", "de")
    nnteach.set_language("ja")
    assert i18n.language() == "ja"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-CH", "de"),
        ("en-US,en;q=0.9,ja;q=0.8", "en"),
        ("ja;q=0.2, de;q=0.9", "de"),
        ("de;q=0, ja", "ja"),
        ("fr, it", None),
        ("ja;q=abc", None),
        ("x" * 10_000 + ",ja", None),
        ("", None),
    ],
)
def test_accept_language_follows_the_weights(header: str, expected: str | None) -> None:
    assert i18n.accept_language(header) == expected


@pytest.mark.parametrize(
    "query", ["lang=fr", "lang=%3Cscript%3E", "lang=" + "j" * 5000, "lang=../../etc/passwd", "lang=ja%00"]
)
def test_a_bad_lang_in_the_address_falls_back_with_a_note(query: str) -> None:
    lang, note = i18n.choose_language({"QUERY_STRING": query, "HTTP_ACCEPT_LANGUAGE": "de"})
    assert lang == "de"
    assert note.startswith("Received lang=")
    assert "Expected one of en, ja, de; showing German. Use e.g. ?lang=ja." in note
    assert len(note) < 200


def test_a_bad_nnteach_lang_falls_back_to_english_with_a_note() -> None:
    lang, note = i18n.choose_language({"NNTEACH_LANG": "klingon"})
    assert lang == "en"
    assert note == (
        "Received NNTEACH_LANG='klingon'. Expected one of en, ja, de; showing English. "
        "Set NNTEACH_LANG=ja (or serve with --lang ja)."
    )


def test_a_widget_made_after_the_choice_speaks_the_language() -> None:
    builder = LayerStackBuilder("mlp")
    try:
        assert builder.controls["add"].description == "Add layer"
    finally:
        builder.close()
    nnteach.set_language("de")
    builder = LayerStackBuilder("mlp")
    try:
        assert builder.controls["add"].description == "Schicht hinzufügen"
        assert "101.770 Parameter" in builder.views["status"].value
        builder.add_layer(Dropout(1.0))
        assert builder.error.startswith("Schicht 5 (Dropout) hat rate 1.0")
        assert builder.controls["optimizer"].description == "optimizer"  # Keras' own name stays
    finally:
        builder.close()
    nnteach.set_language("ja")
    builder = LayerStackBuilder("mlp")
    try:
        builder.add_layer(Dropout(1.0))
        assert builder.error.startswith("5 層目 (Dropout) の rate が 1.0 です。")
    finally:
        builder.close()


def test_numbers_are_written_as_the_language_writes_them() -> None:
    assert (grouped(101770, "en"), grouped(101770, "de"), grouped(101770, "ja")) == ("101,770", "101.770", "101,770")
    assert (decimal(0.975, 1, "de"), decimal(-0.001, 2, "de")) == ("1,0", "0,00")
    nnteach.set_language("de")
    assert grouped(5_000_000) == "5.000.000"


def test_importing_nnteach_translates_nothing_yet() -> None:
    # Choosing a language after import must still work: no module translates while it is imported.
    code = (
        "import os; os.environ['NNTEACH_LANG'] = 'de'; import nnteach, nnteach.widgets, nnteach.i18n as i;"
        "assert 'resolved' not in i._state, 'a module translated at import time'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


ONE = [(140.0, 40.0), (142.0, 140.0), (141.0, 240.0)]


@pytest.mark.parametrize(
    ("lang", "empty", "caption", "clear"),
    [
        ("de", "Zeichne eine Ziffer", "Vorhersage: 1 ({percent} sicher)", "Löschen"),
        ("ja", "数字を書いてください", "予測: 1 （確信度 {percent}）", "消す"),
    ],
)
def test_the_digit_canvas_speaks_the_language_and_still_reads_the_digit(
    lang: str, empty: str, caption: str, clear: str
) -> None:
    from nnteach.models import reference_mlp
    from nnteach.preprocess import strokes_to_mnist
    from nnteach.widgets import DigitCanvas

    nnteach.set_language(lang)
    canvas = DigitCanvas()
    try:
        assert canvas.caption == empty
        assert canvas.controls["clear"].description == clear
        canvas.add_stroke(ONE)
        probability = float(reference_mlp().predict(strokes_to_mnist([ONE]))[0][1])
        shown = f"{round(100 * probability)}\xa0%" if lang == "de" else f"{round(100 * probability)}%"
        assert canvas.prediction == 1
        assert canvas.caption == caption.format(percent=shown)
        bars = canvas.bars.value
        assert ("0," if lang == "de" else "0.") in bars
    finally:
        canvas.close()


def test_serve_lang_gives_the_server_and_its_kernels_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from nnteach import cli
    from nnteach.paths import lessons_dir

    started: list[dict[str, str]] = []
    monkeypatch.setattr(cli, "_run_until_stopped", lambda _command, _cwd, env: started.append(env) or 0)
    assert cli.main(["serve", "--no-browser", "--lang", "ja", str(lessons_dir())]) == 0
    assert started[0]["NNTEACH_LANG"] == "ja"


def test_serve_refuses_a_language_it_does_not_speak(capsys: pytest.CaptureFixture[str]) -> None:
    from nnteach import cli

    assert cli.main(["serve", "--no-browser", "--lang", "fr"]) == 2
    assert "nnteach serve --lang: Received 'fr'. Expected one of en, ja, de. Run e.g.: nnteach serve --lang ja" in (
        capsys.readouterr().err
    )


def test_a_translated_lesson_speaks_its_folders_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    page = "/voila/render/ja/07_draw_your_digit.ipynb"
    assert i18n.choose_language({"SCRIPT_NAME": page, "NNTEACH_LANG": "de", "HTTP_ACCEPT_LANGUAGE": "de"})[0] == "ja"
    assert i18n.choose_language({"SCRIPT_NAME": page, "QUERY_STRING": "lang=en"})[0] == "en"  # the address wins
    assert i18n.choose_language({"SCRIPT_NAME": "/voila/render/07_draw_your_digit.ipynb"})[0] == "en"
    assert i18n.choose_language({"SCRIPT_NAME": "/voila/render/fr/07_draw_your_digit.ipynb"})[0] == "en"
    folder = tmp_path / "lessons" / "de"  # type: ignore[operator]
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)  # JupyterLab runs a notebook's kernel in the notebook's folder
    i18n.set_language(None)
    assert i18n.language() == "de"


def test_japanese_words_in_a_figure_are_drawn_with_a_font_that_has_them() -> None:
    import warnings

    from nnteach.images import figure_to_png, new_figure

    nnteach.set_language("ja")
    figure = new_figure(2, 1)
    figure.add_subplot().set_title(i18n._("Training loss"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure_to_png(figure)
    missing = [str(warning.message) for warning in caught if "missing from font" in str(warning.message)]
    assert not missing, f"{missing[:1]}: install a CJK font (Debian: apt-get install fonts-noto-cjk; make test does)"


@pytest.mark.parametrize(
    ("language", "words", "count", "share"),
    [
        ("en", "Test accuracy on", "10,000", "94.79%"),
        ("ja", "正解率", "10,000", "94.79%"),
        ("de", "Testgenauigkeit", "10.000", "94,79\xa0%"),
    ],
)
def test_the_monitors_accuracy_sentence_speaks_the_page_language(
    language: str, words: str, count: str, share: str
) -> None:
    from nnteach.evaluation import accuracy_sentence

    i18n.set_language(language)
    sentence = accuracy_sentence(10_000, 0.94789, 0.94791)
    assert words in sentence and count in sentence and sentence.count(share) == 2
    assert "model.evaluate" in sentence and "accuracy_score(y_test, argmax(model.predict(x_test)))" in sentence
