"""Fuzzing command parsing: every command name with hostile arguments, through
the real router and handlers on a real SQLite store. The answer is always a
reply, never "Something went wrong" (a handler that raised)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.models import Command, Reply
from bot.runtime import Services
from handlers.router import COMMANDS, RateLimiter, Router
from tests.fuzz.strategies import NASTY, text, words

COMMAND_TEXTS = 600

names = st.one_of(
    st.sampled_from(sorted(COMMANDS)),
    st.sampled_from(["FEEDS", "Watch", "claims@ClaimWatchBot", "", "x" * 40, "¹", "wätch"]),
    st.text(max_size=12),
)
arguments = st.one_of(
    words,
    st.sampled_from(["add", "remove", "rm", "list", "off", "hourly", "daily"]).flatmap(
        lambda verb: words.map(lambda rest: f"{verb} {rest}")
    ),
    st.sampled_from(["https://news.example/rss", "http://169.254.169.254/", "ftp://x/"]),
    st.sampled_from(["24h", "0", "9999d", "25:00-26:00", "09:00-17:00", "Europe/Kyiv", "../etc"]),
    st.sampled_from(NASTY).map(lambda n: f"china {n}"),
)


def test_any_command_text_gets_a_reply(tmp_path: Path, tried: Counter[str]) -> None:
    settings_ = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}",
        admin_user_ids="fuzz:boss",
        allow_private_urls=True,  # /feeds add stores without resolving names
        _env_file=None,
    )
    with asyncio.Runner() as runner:
        services = runner.run(Services.open(settings_))
        router = Router(services.router.ctx, RateLimiter(limit=10**9))
        try:
            n = 0

            @settings(max_examples=COMMAND_TEXTS)
            @given(
                name=names,
                args=arguments,
                prefix=st.sampled_from(["/", "/", "", " /", "//"]),
                user=st.sampled_from(["boss", "someone"]),
                chat_type=st.sampled_from(["private", "group", "channel"]),
                admin=st.booleans(),
                junk=st.one_of(st.just(""), text),
            )
            def check(
                name: str,
                args: str,
                prefix: str,
                user: str,
                chat_type: str,
                admin: bool,
                junk: str,
            ) -> None:
                nonlocal n
                n += 1
                tried["router: command text"] += 1
                cmd = Command(
                    platform="fuzz",
                    chat_id=f"c{n % 7}",
                    user_id=user,
                    text=f"{prefix}{name} {args}{junk}",
                    chat_type=chat_type,
                    is_admin=admin,
                )
                reply = runner.run(router(cmd))
                assert isinstance(reply, Reply)
                assert "Something went wrong" not in reply.plain, (cmd.text, reply.plain)
                assert reply.lines, cmd.text

            check()
        finally:
            runner.run(services.close())
