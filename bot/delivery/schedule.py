"""When a chat wants its alerts: digest times and quiet hours in its time zone.

Pure functions of a :class:`~bot.models.DeliveryPrefs` and a UTC instant, so
they are tested with any clock.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import DeliveryPrefs

DIGEST_MODES = ("off", "hourly", "daily")
_HHMM = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")  # ASCII digits only


def parse_hhmm(text: str) -> str | None:
    """``"7:5"`` is not a time; ``"7:05"`` → ``"07:05"``; None when not a time of day."""
    m = _HHMM.match(text.strip())
    return None if m is None else f"{int(m[1]):02d}:{m[2]}"


def zone(name: str) -> ZoneInfo | None:
    """The IANA time zone ``name`` (``Europe/Kyiv``), or None if there is none such."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _tz(prefs: DeliveryPrefs) -> ZoneInfo:
    return zone(prefs.timezone) or ZoneInfo("UTC")


def _at(day: datetime, hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def next_digest(prefs: DeliveryPrefs, now: datetime) -> datetime | None:
    """The next digest time after ``now`` (UTC), or None when digests are off."""
    local = now.astimezone(_tz(prefs))
    if prefs.digest == "hourly":
        top = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return top.astimezone(UTC)
    if prefs.digest == "daily":
        due = _at(local, prefs.digest_time or "08:00")
        if due <= local:
            due = _at(local + timedelta(days=1), prefs.digest_time or "08:00")
        return due.astimezone(UTC)
    return None


def quiet_end(prefs: DeliveryPrefs, at: datetime) -> datetime | None:
    """When the quiet hours that ``at`` falls in end (UTC); None outside quiet hours."""
    if not prefs.quiet_start or not prefs.quiet_end or prefs.quiet_start == prefs.quiet_end:
        return None
    local = at.astimezone(_tz(prefs))
    start = time.fromisoformat(prefs.quiet_start)
    end = time.fromisoformat(prefs.quiet_end)
    now = local.time()
    if start < end:
        inside, next_day = start <= now < end, False
    else:  # wraps midnight: 22:00-07:00
        inside, next_day = now >= start or now < end, now >= start
    if not inside:
        return None
    day = local + timedelta(days=1) if next_day else local
    return _at(day, prefs.quiet_end).astimezone(UTC)


def hold_until(prefs: DeliveryPrefs, now: datetime) -> tuple[datetime, str] | None:
    """Whether an alert due ``now`` waits: (until when, why) — the chat's next
    digest (``digest``), pushed past quiet hours, or the end of quiet hours
    (``quiet``); None to send it now."""
    due = next_digest(prefs, now)
    reason = "digest" if due is not None else "quiet"
    due = due or now
    end = quiet_end(prefs, due)
    if end is not None:
        due = end
    return (due, reason) if due > now else None


def describe(prefs: DeliveryPrefs) -> tuple[str, str]:
    """(mode, quiet hours) as /status shows them."""
    if prefs.digest == "hourly":
        mode = "hourly digest"
    elif prefs.digest == "daily":
        mode = f"daily digest at {prefs.digest_time or '08:00'}"
    else:
        mode = "each alert as it comes"
    quiet = (
        f"{prefs.quiet_start}-{prefs.quiet_end}"
        if prefs.quiet_start and prefs.quiet_end and prefs.quiet_start != prefs.quiet_end
        else "off"
    )
    return mode, quiet
