"""Settings: every one documented in .env.example, secrets never shown."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def documented() -> dict[str, str]:
    """NAME → the comment block above it, for every `NAME=` or `# NAME=` line."""
    out: dict[str, str] = {}
    comment: list[str] = []
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if m:
            out[m.group(1)] = " ".join(comment)
            comment = []
        elif line.startswith("#"):
            comment.append(line.lstrip("# "))
        else:
            comment = []
    return out


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    docs = documented()
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in docs]
    assert not missing, f"settings missing from .env.example: {missing}"
    bare = [name for name, comment in docs.items() if not comment.strip()]
    assert not bare, f"settings without a comment in .env.example: {bare}"
    unknown = [name for name in docs if name.lower() not in Settings.model_fields]
    assert not unknown, f".env.example names settings that do not exist: {unknown}"


def test_every_setting_is_in_the_docs() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [n.upper() for n in Settings.model_fields if f"`{n.upper()}`" not in text]
    assert not missing, f"settings missing from docs/configuration.md: {missing}"


def test_tokens_are_masked_in_repr_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    s = load_settings(
        telegram_bot_token="123456:SECRET-TOKEN", slack_bot_token="xoxb-secret", _env_file=None
    )
    assert s.telegram_bot_token is not None
    assert s.telegram_bot_token.get_secret_value() == "123456:SECRET-TOKEN"
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("settings: %s %r", s, s)
    for shown in (repr(s), str(s), caplog.text):
        assert "SECRET-TOKEN" not in shown and "xoxb-secret" not in shown


def test_env_overrides_and_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_WINDOW_DAYS", "3")
    assert load_settings(_env_file=None).event_window_days == 3
    monkeypatch.setenv("EVENT_WINDOW_DAYS", "soon")
    with pytest.raises(ConfigError, match="EVENT_WINDOW_DAYS"):
        load_settings(_env_file=None)


def test_default_database_is_a_sqlite_file_in_the_working_directory() -> None:
    assert load_settings(_env_file=None).database_url == "sqlite:///claimwatch.db"
