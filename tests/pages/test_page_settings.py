"""The page settings: PUBLIC_URL must be a web address; pages are on only with it."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def test_public_url_is_a_web_address_without_a_trailing_slash() -> None:
    s = load_settings(_env_file=None, public_url=" https://news.example.org/cw/ ")
    assert s.public_url == "https://news.example.org/cw" and s.pages_on
    assert load_settings(_env_file=None, public_url="").public_url is None
    for bad in ("news.example.org", "ftp://news.example.org", "https://x.example/?a=1"):
        with pytest.raises(ConfigError, match="PUBLIC_URL"):
            load_settings(_env_file=None, public_url=bad)
    with pytest.raises(ConfigError, match="PAGES"):
        load_settings(_env_file=None, pages="open")


def test_pages_are_on_only_with_a_public_url_and_not_off() -> None:
    assert not load_settings(_env_file=None).pages_on
    assert not load_settings(_env_file=None, public_url="https://x.example", pages="off").pages_on
    assert load_settings(_env_file=None, public_url="https://x.example", pages="public").pages_on


def test_the_pages_secret_never_shows() -> None:
    s = load_settings(_env_file=None, pages_secret="very-secret-key")
    assert "very-secret-key" not in repr(s) and "very-secret-key" not in str(s)
