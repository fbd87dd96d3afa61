"""Delivery fixtures: a virtual clock the dispatcher sleeps on, and the storage
``store``/``backend`` fixtures (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.models import Alert, AlertClaim, ChatRef, Link
from tests.storage.builders import T0, make_alert
from tests.storage.conftest import backend, db_path, store

__all__ = ["Clock", "alert", "backend", "clock", "db_path", "store"]


class Clock:
    """Virtual time: ``now()`` for the store, ``mono()`` for the limiter, and a
    ``sleep`` that moves time forward instead of waiting."""

    def __init__(self, start: datetime = T0) -> None:
        self.now_at = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now_at

    def mono(self) -> float:
        return self.now_at.timestamp()

    def advance(self, seconds: float) -> None:
        self.now_at += timedelta(seconds=seconds)

    def set(self, at: datetime) -> None:
        self.now_at = at

    async def sleep(self, seconds: float) -> None:
        # Concurrent sleepers each move time to their own wake-up, never back.
        target = self.now_at + timedelta(seconds=max(seconds, 0.0))
        self.slept.append(seconds)
        await asyncio.sleep(0)
        self.now_at = max(self.now_at, target)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def alert(
    chat: ChatRef,
    key: str,
    *,
    event: str = "ev-1",
    title: str | None = None,
    claim: str | None = None,
    source: str = "https://example.com/a",
    outlet: str = "Reuters",
) -> Alert:
    base = make_alert(chat, key, event_id=event, claim_ids=(f"c-{key}",))
    return replace(
        base,
        event_title=title or f"Event {event}",
        claims=(AlertClaim(f"c-{key}", "Volodymyr Zelensky", claim or f"claim {key}", "NEW"),),
        links=(Link(outlet, source),),
    )
