"""CLI tests run in English unless a test asks for Chinese (``--lang zh``), whatever the machine's locale."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    monkeypatch.setenv("JHMATCH_LANG", "en")


_ENGLISH = re.compile(r"\b(the|and|of|to|is|are|not|no|placed|seekers|written|error|warning|rows|valid|status|"
                      r"plan|file|column|expected|missing|optimal|targets?|met|reading|scoring|allocating|"
                      r"writing|steps?|persons|posts|usage|options|arguments|show|this|message|help|with|for)\b",
                      re.IGNORECASE)


def _english_words(text: str) -> list[str]:
    """English words left in planner-facing text, once paths, options with their values and ids are removed."""
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths (and url-like text)
    text = re.sub(r"--?[a-zA-Z][\w-]*(?:[= ][A-Za-z_][\w.]*)?", " ", text)  # --option value
    text = re.sub(r"\b[A-Z]+\d+\w*\b", " ", text)  # ids such as P000001
    text = re.sub(r"\S+\.(?:csv|xlsx|md|toml|json|parquet)\b", " ", text)  # file names
    return _ENGLISH.findall(text)


@pytest.fixture()
def chinese_only():
    """``chinese_only(result)``: fail when a command's output holds a traceback or English words."""

    def check(result) -> None:
        text = result.stdout + "\n" + result.stderr
        assert "Traceback" not in text
        assert _english_words(text) == [], text

    return check
