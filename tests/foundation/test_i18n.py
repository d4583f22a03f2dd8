"""Every user-visible string has its Chinese text, with the same placeholders.

The strings are found the way translators find them: Babel extracts every call of
``_``/``gettext``/``ngettext``/``N_`` from the package source. A string wrapped in
the code but missing from the catalogues fails here, naming the file and line.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

pytest.importorskip("babel")

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jhmatch import i18n

SRC = Path(i18n.__file__).parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> dict[str | tuple[str, str], list[str]]:
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        key = tuple(message) if isinstance(message, (list, tuple)) else message
        if not key:
            continue
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_wrapped_string_has_chinese_text():
    cat = i18n.catalogue("zh")
    missing = [f"{where[0]}: {key!r}" for key, where in _extracted().items() if key not in cat]
    assert not missing, "strings without a Chinese translation (add them to a .po file under " \
        "src/jhmatch/locale/zh/LC_MESSAGES/):\n" + "\n".join(sorted(missing))


def test_translations_keep_their_placeholders():
    bad = []
    for key, text in i18n.catalogue("zh").items():
        sources = key if isinstance(key, tuple) else (key,)
        targets = text if isinstance(text, tuple) else (text,)
        want = set().union(*(_fields(s) for s in sources))
        for t in targets:
            if _fields(t) != want:
                bad.append(f"{key!r}: {sorted(_fields(t))} vs {sorted(want)}")
    assert not bad, "placeholders differ between original and translation:\n" + "\n".join(bad)


def test_catalogues_parse_and_agree():
    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    files = sorted((SRC / "locale" / "zh" / "LC_MESSAGES").glob("*.po"))
    assert files, "no catalogue found"
    for path in files:
        with path.open("rb") as fh:
            cat = read_po(fh)
        for message in cat:
            if not message.id or isinstance(message.id, (list, tuple)):
                continue
            if message.id in seen and seen[message.id][1] != message.string:
                conflicts.append(f"{message.id!r}: {seen[message.id][0]} vs {path.name}")
            seen[message.id] = (path.name, message.string)
    assert not conflicts, "the same message translated differently:\n" + "\n".join(conflicts)


def test_no_latin_words_left_in_translations():
    """A translation may keep codes and names in Latin letters, not English sentences."""
    sentence = re.compile(r"\b(?:the|and|of|to|is|not|expected|got|row|column|file)\b", re.IGNORECASE)
    bad = [f"{k!r} -> {v!r}" for k, v in i18n.catalogue("zh").items()
           if isinstance(v, str) and sentence.search(re.sub(r"\{[^}]*\}", "", v))]
    assert not bad, "\n".join(bad)


def test_language_switches_and_rejects_unknown():
    from jhmatch.errors import ParameterError

    with i18n.language("zh"):
        assert i18n.gettext("placed") == "已安置"
        with i18n.language("en"):
            assert i18n.gettext("placed") == "placed"
    with pytest.raises(ParameterError, match="xx"):
        with i18n.language("xx"):
            pass


def test_default_language_follows_environment(monkeypatch):
    monkeypatch.delenv("JHMATCH_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.default_language() == "zh"
    monkeypatch.setenv("JHMATCH_LANG", "en")
    assert i18n.default_language() == "en"
    monkeypatch.setenv("JHMATCH_LANG", "fr")
    from jhmatch.errors import ParameterError

    with pytest.raises(ParameterError):
        i18n.default_language()


def test_no_translation_without_a_use():
    """A catalogue entry whose message the code no longer uses is dead weight: remove it."""
    used = set(_extracted())
    stale = []
    for path in sorted((SRC / "locale" / "zh" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh):
                key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
                if key and key not in used:
                    stale.append(f"{path.name}: {key!r}")
    assert not stale, "translations of messages no longer in the code:\n" + "\n".join(stale)
