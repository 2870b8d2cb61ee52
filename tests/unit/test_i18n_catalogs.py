"""The ja and de catalogs hold every message nnteach shows, the compiled .mo match the .po, and widget text goes through _().

The oracle for "every message" is Babel's own extractor run over src/nnteach (the same run as
``make catalogs``); the oracle for the .mo files is Babel's compiler.
"""

from __future__ import annotations

import ast
import gettext
import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import nnteach

SRC = Path(nnteach.__file__).parent
LOCALE = SRC / "locale"
TRANSLATED = ("ja", "de")
FIELD = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdrf]|%[sdrf]")


def _extracted() -> set[str | tuple[str, str]]:
    """Every msgid in src/nnteach, as ``make catalogs`` extracts it (pgettext ones with their context)."""
    found: set[str | tuple[str, str]] = set()
    # Every folder but hidden ones: Babel's default also skips "_"-folders, and nnteach._voila has messages.
    extracted = extract_from_dir(
        SRC, method_map=[("**.py", "python")], directory_filter=lambda path: not Path(path).name.startswith(".")
    )
    for _file, _line, message, _comments, context in extracted:
        key = message if isinstance(message, str) else message[0]
        found.add((context, key) if context else key)
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE / lang / "LC_MESSAGES" / "nnteach.po").open("rb") as file:
        return read_po(file, locale=lang)


def _keys(catalog) -> set[str | tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {
        (m.context, m.id if isinstance(m.id, str) else m.id[0])
        if m.context
        else (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id
    }


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_in_the_code_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    missing = sorted(map(str, _extracted() - _keys(catalog)))
    assert not missing, (
        f"{len(missing)} messages of src/nnteach are not in {lang}'s catalog (run make catalogs): {missing[:20]}"
    )
    untranslated = [
        m.id for m in catalog if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert not untranslated, f"{lang}: untranslated or fuzzy entries: {untranslated[:20]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_entry_is_left_over_from_removed_code(lang: str) -> None:
    stale = sorted(map(str, _keys(_catalog(lang)) - _extracted()))
    assert not stale, f"{lang}'s catalog has entries no code uses any more (run make catalogs): {stale[:20]}"


def test_ja_and_de_have_the_same_entries() -> None:
    assert _keys(_catalog("ja")) == _keys(_catalog("de"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang: str) -> None:
    wrong = []
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        fields = [set(FIELD.findall(source)) for source in ids]  # a translation may repeat one, never lose or add
        wrong += [(ids[0], text) for text in strings if set(FIELD.findall(text)) not in fields]
    assert not wrong, f"{lang}: translations that lose or add a {{placeholder}}: {wrong[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_mo_matches_its_po(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with (LOCALE / lang / "LC_MESSAGES" / "nnteach.mo").open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    stale = []
    for message in _catalog(lang):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            pairs = [(shipped.ngettext(*message.id, n), expected.ngettext(*message.id, n)) for n in (1, 2, 5)]
        elif message.context:
            pairs = [(shipped.pgettext(message.context, message.id), expected.pgettext(message.context, message.id))]
        else:
            pairs = [(shipped.gettext(message.id), expected.gettext(message.id))]
        stale.extend(message.id for got, wanted in pairs if got != wanted)
    assert not stale, f"{lang}'s nnteach.mo is older than its .po (run make catalogs): {stale[:10]}"


# --- Widget text goes through _() ---------------------------------------------------------------

WIDGETS = SRC / "widgets"
# A line may keep a literal that is a name, not prose (Keras' `optimizer`), with "# not translated: <why>".
#: Modules whose visible strings are not wrapped yet (each entry is a known gap, see the README).
NOT_YET_WRAPPED: set[str] = set()
_PROSE = re.compile(r"[A-Za-z]{2,}[ ,.:;!?'’]+[A-Za-z]")
_SHOWN_KEYWORDS = {"description", "tooltip", "placeholder", "button_text", "label", "title", "text"}
_TRANSLATING = {"_", "N_", "ngettext", "pgettext", "gettext"}
_NOT_SHOWN_KEYWORDS = {
    "loc",
    "color",
    "marker",
    "linestyle",
    "icon",
    "button_style",
    "help",
    "layout",
    "style",
    "_dom_classes",
    "names",
    "css",
    "format",
    "json_format",
}
_NOT_SHOWN_CALLS = {
    "add_class",
    "remove_class",
    "Layout",
    "getLogger",
    "debug",
    "info",
    "warning",
    "log",
    "startswith",
    "endswith",
    "split",
    "replace",
    "join",
    "strip",
    "get",
    "getattr",
    "setattr",
    "hasattr",
    "observe",
    "unobserve",
    "tag",
    "set_trait",
    "hold_trait_notifications",
    "compile",
    "search",
    "match",
    "sub",
    "findall",
    "fullmatch",
    "encode",
    "decode",
    "open",
    "Path",
    "deprecated",
    "deprecated_alias",
    "warn",
    "joinpath",
    "files",
    "exception",
    "error",
    # errors for programmers, never shown in a widget (learners' errors are ValueError/TypeError)
    "AttributeError",
    "RuntimeError",
    "NotImplementedError",
    "ImportError",
    "KeyError",
}


def _text_of(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(_text_of(value) for value in node.values if isinstance(value, ast.Constant))
    return ""


def _visible(text: str) -> bool:
    if (
        re.fullmatch(r"[\w.]+(?:\(\))?", text)
        or re.fullmatch(r"\s*(?:[\w-]+-[\w-]+\s*)+", text)
        or re.match(r"\s*[a-z-]+\s*:[^;]*;", text)
    ):
        return False  # code names ("model.add"), CSS class lists ("nnteach-a nnteach-b"), declarations ("width: 3em;")
    bare = re.sub(r"(?s)<style>.*?</style>|<[^>]*>|\{[^{}]*\}|&\w+;|https?://\S+", " ", text)
    return bool(_PROSE.search(bare))


def _call_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _not_shown(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a literal is a docstring, a help text, a CSS value, a translated message or a programmer's error."""
    here = node
    while here in parents:
        parent = parents[here]
        if (
            (isinstance(parent, ast.Expr) and isinstance(here, ast.Constant))  # docstrings, bare strings
            or (isinstance(parent, ast.keyword) and parent.arg in _NOT_SHOWN_KEYWORDS)
            or (isinstance(parent, ast.Call) and _call_name(parent) in _TRANSLATING | _NOT_SHOWN_CALLS)
            or isinstance(parent, ast.Assert | ast.Compare | ast.Subscript)
            or (isinstance(parent, ast.Dict) and here in parent.keys)  # a key, not what is shown
        ):
            return True
        here = parent
    return False


def _untranslated_literals(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    kept = {number for number, line in enumerate(source.splitlines(), 1) if "# not translated" in line}
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and any(
            isinstance(call, ast.Call) and _call_name(call) in _TRANSLATING for call in ast.walk(node)
        ):  # gettext's extractors do not look inside f-strings: the message would never reach the catalogs
            found.append(f"{path.name}:{node.lineno}: _() inside an f-string")
        if not isinstance(node, ast.Constant | ast.JoinedStr) or isinstance(parents.get(node), ast.JoinedStr):
            continue
        text = _text_of(node)
        holder = parents.get(node)
        labelled = isinstance(holder, ast.keyword) and holder.arg in _SHOWN_KEYWORDS and re.search("[A-Za-z]{2}", text)
        if text and (labelled or _visible(text)) and node.lineno not in kept and not _not_shown(node, parents):
            found.append(f"{path.name}:{node.lineno}: {text[:60]!r}")
    return found


def test_visible_strings_in_widget_modules_go_through_the_translation_function() -> None:
    found = []
    for path in sorted(WIDGETS.glob("*.py")):
        if path.name not in NOT_YET_WRAPPED:
            found.extend(_untranslated_literals(path))
    assert not found, f"{len(found)} widget strings are shown untranslated; wrap them in _(): " + "\n".join(found[:40])


def test_the_literal_check_finds_an_unwrapped_label(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "from nnteach.i18n import _\n"
        'button = Button(description=_("Train the model"), tooltip="Starts the training run")\n'
        'note = f"Trained {n} epochs on the data"\n'
        'ok = Layout(border="1px solid red")\n'
        'clear = Button(description="Clear")\n'
        "title = f\"<b>{_('Title')}</b>\"\n"
    )
    found = sorted(_untranslated_literals(module))
    assert len(found) == 4, found
    assert "Starts the training" in found[0] and "Trained" in found[1], found
    assert "Clear" in found[2] and "inside an f-string" in found[3], found


# --- Words outside Python ------------------------------------------------------------------------

TEMPLATES = SRC / "_voila" / "voila" / "templates" / "nnteach"


def test_the_page_script_carries_the_catalogs_words_in_each_language() -> None:
    from nnteach._voila.page_text import SCRIPT_TEXTS
    from nnteach.i18n import LANGUAGES, translator

    script = (TEMPLATES / "static" / "nnteach.js").read_text(encoding="utf-8")
    found = re.search(r"var TEXTS = (\{.*?\n  \});", script, re.DOTALL)
    assert found, "nnteach.js has no TEXTS table"
    table = json.loads(found.group(1))
    expected = {lang: {key: translator(lang).gettext(text) for key, text in SCRIPT_TEXTS.items()} for lang in LANGUAGES}
    assert table == expected, "nnteach.js' TEXTS differ from the catalogs: copy them from page_text.SCRIPT_TEXTS"
    assert table["ja"]["stopped"] != table["en"]["stopped"] and table["de"]["reload"] == "Seite neu laden"


def test_the_error_page_translates_every_word_it_shows() -> None:
    from nnteach._voila.page_text import TEMPLATE_TEXTS

    page = (TEMPLATES / "error.html").read_text(encoding="utf-8")
    shown = set(re.findall(r't\("([^"]+)"\)', page))
    assert shown == set(TEMPLATE_TEXTS), "error.html and page_text.TEMPLATE_TEXTS name different words"
    visible = re.sub(r"(?s)\{[{%#].*?[}%#]\}|<[^>]*>|<script>.*?</script>", " ", page.split("{%- block body -%}")[1])
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", visible), f"untranslated words in error.html: {visible!r}"
