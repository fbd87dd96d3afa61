"""Export and import of what people set up: feeds (OPML) and chats' watches and
settings (a versioned JSON document).

Platform-neutral values and functions over a :class:`~storage.base.Store`:
``claimwatch feeds export``, ``claimwatch watches export|import`` call them,
and so do the chat commands (a chat's ``/export`` is :func:`export_watches`
with that one chat; ``/import`` is :func:`import_watches` with ``into`` set
to it, :mod:`handlers.exchange`).

The watches document (``docs/deploy.md``)::

    {"format": "claimwatch-watches", "version": 2, "exported_at": "...",
     "chats": [{"chat": "telegram:-100123",
                "watches": [{"kind": "entity", "key": "gpe:china", "name": "China",
                             "level": "major"}],
                "settings": {"digest": "daily", "digest_time": "08:00",
                             "quiet_start": null, "quiet_end": null,
                             "timezone": "Europe/Kyiv", "muted_until": null}}]}

Version 2 added each watch's ``level`` (events, major, all); a version 1
document (no levels) still imports, its watches at the default level.

Import is idempotent (a watch the chat has keeps its target; its level and the
settings are set to the file's values, and only a change is written) and never
removes anything.
Each chat entry and each watch is validated on its own: a bad one is reported
with its place in the document and skipped, the rest are imported.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from bot.delivery.schedule import DIGEST_MODES, parse_hhmm, zone
from bot.errors import InputError
from bot.models import DEFAULT_LEVEL, ChatRef, DeliveryPrefs, WatchLevel, WatchTarget
from bot.sources import Feed
from bot.watch import normalise_phrase
from storage.base import Store

FORMAT = "claimwatch-watches"
VERSION = 2
"""1: watches and settings; 2: each watch's level."""
MAX_TEXT = 200
"""Longest chat id, watch key or name accepted from a file."""

_PLATFORM = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_SETTING_KEYS = ("digest", "digest_time", "quiet_start", "quiet_end", "timezone", "muted_until")


# --------------------------------------------------------------------------- feeds (OPML)


def feeds_opml(feeds: Sequence[Feed], now: datetime) -> str:
    """An OPML 2.0 document of ``feeds`` that :func:`bot.ingest.feed_parsing.parse_opml`
    (``claimwatch feeds import``) and feed readers read back."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "ClaimWatch feeds"
    ET.SubElement(head, "dateCreated").text = format_datetime(now.astimezone(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attrs["title"] = feed.title
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


# --------------------------------------------------------------------------- watches


@dataclass(frozen=True, slots=True)
class ChatSetup:
    """One chat's watches and settings, as exported or read from a document.

    ``prefs`` and ``muted_until`` are None when a document gives no settings
    (import then keeps the chat's own)."""

    chat: ChatRef
    watches: tuple[WatchTarget, ...]
    prefs: DeliveryPrefs | None = None
    muted_until: datetime | None = None
    levels: Mapping[str, WatchLevel] = field(default_factory=dict)  # by key; default if absent

    def level(self, key: str) -> WatchLevel:
        return self.levels.get(key, DEFAULT_LEVEL)


Vet = Callable[[ChatRef, WatchTarget], Awaitable["WatchTarget | str"]]
"""The checks a watch passes before it is added (``/watch``'s): the target to
add (its entity resolved here) or why it is refused."""


@dataclass
class ImportReport:
    """What :func:`import_watches` did; ``problems`` name each skipped entry,
    ``added_names`` and ``present_names`` the watches added and already there."""

    chats: int = 0
    added: int = 0
    present: int = 0
    settings_changed: int = 0
    levels_changed: int = 0
    problems: list[str] = field(default_factory=list)
    added_names: list[str] = field(default_factory=list)
    present_names: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.chats} chats: {self.added} watches added, {self.present} already there, "
            f"settings changed in {self.settings_changed}, levels changed for "
            f"{self.levels_changed} watches, {len(self.problems)} entries skipped"
        )


def parse_chat(text: object) -> ChatRef:
    """``platform:chat_id`` → :class:`ChatRef`; :class:`InputError` when it is not one."""
    if not isinstance(text, str):
        raise InputError("a chat is a string platform:chat_id")
    platform, sep, chat_id = text.strip().partition(":")
    if not sep or not _PLATFORM.match(platform):
        raise InputError(
            f"chat {text!r} is not platform:chat_id (e.g. telegram:-1001234567890, slack:C0123)"
        )
    if not chat_id or len(chat_id) > MAX_TEXT or not _printable(chat_id) or " " in chat_id:
        raise InputError(f"chat {text!r}: the chat id must be 1-{MAX_TEXT} visible characters")
    return ChatRef(platform, chat_id)


async def chat_setups(
    store: Store, chats: Sequence[ChatRef] | None, now: datetime
) -> list[ChatSetup]:
    """The setups of ``chats`` (None: every chat with something to carry)."""
    wanted = list(chats) if chats is not None else await store.chats()
    out: list[ChatSetup] = []
    for chat in wanted:
        subs = await store.chat_subscriptions(chat)
        prefs = await store.chat_delivery(chat)
        muted = await store.chat_muted_until(chat)
        if muted is not None and muted <= now:
            muted = None
        levels = {s.target.key: s.level for s in subs}
        setup = ChatSetup(chat, tuple(s.target for s in subs), prefs, muted, levels)
        if chats is None and not setup.watches and prefs == DeliveryPrefs() and muted is None:
            continue  # nothing anyone set up
        out.append(setup)
    return out


def watches_document(setups: Sequence[ChatSetup], now: datetime) -> dict[str, Any]:
    """The versioned JSON document of ``setups``."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.astimezone(UTC).isoformat(),
        "chats": [
            {
                "chat": str(s.chat),
                "watches": [
                    {"kind": w.kind, "key": w.key, "name": w.name, "level": s.level(w.key).value}
                    for w in s.watches
                ],
                "settings": _settings_json(s.prefs or DeliveryPrefs(), s.muted_until),
            }
            for s in setups
        ],
    }


async def export_watches(
    store: Store, now: datetime, chats: Sequence[ChatRef] | None = None
) -> dict[str, Any]:
    """The document of ``chats`` (None: every chat with watches or settings)."""
    return watches_document(await chat_setups(store, chats, now), now)


def _settings_json(prefs: DeliveryPrefs, muted: datetime | None) -> dict[str, Any]:
    return {
        "digest": prefs.digest,
        "digest_time": prefs.digest_time,
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "timezone": prefs.timezone,
        "muted_until": None if muted is None else muted.astimezone(UTC).isoformat(),
    }


# --------------------------------------------------------------------------- reading


def load_document(data: bytes | str, source: str = "the file") -> Mapping[str, Any]:
    """Parse and check the envelope of a watches document; :class:`InputError`
    for anything that is not one (nothing is imported from it then)."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{source} is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{source}: expected a JSON object with format {FORMAT!r}")
    if doc.get("format") != FORMAT:
        raise InputError(f"{source}: not a ClaimWatch watches export (format is not {FORMAT!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(f"{source}: version must be a whole number, got {version!r}")
    if version > VERSION:
        raise InputError(
            f"{source}: version {version} is newer than this ClaimWatch reads ({VERSION}); "
            "upgrade ClaimWatch first"
        )
    if not isinstance(doc.get("chats"), list):
        raise InputError(f"{source}: 'chats' must be a list")
    return doc


def read_setups(doc: Mapping[str, Any]) -> tuple[list[ChatSetup], list[str]]:
    """Every valid chat entry of a checked document, and a line per bad entry
    (a bad watch or bad settings skip only themselves)."""
    setups: list[ChatSetup] = []
    problems: list[str] = []
    for i, entry in enumerate(doc["chats"]):
        where = f"chats[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected an object with 'chat' and 'watches'")
            continue
        try:
            chat = parse_chat(entry.get("chat"))
        except InputError as exc:
            problems.append(f"{where}: {exc}")
            continue
        where = f"{where} ({chat})"
        raw_watches = entry.get("watches", [])
        if not isinstance(raw_watches, list):
            problems.append(f"{where}: 'watches' must be a list")
            raw_watches = []
        watches: list[WatchTarget] = []
        levels: dict[str, WatchLevel] = {}
        for j, raw in enumerate(raw_watches):
            try:
                target = read_watch(raw)
                level = read_level(raw)
            except InputError as exc:
                problems.append(f"{where}.watches[{j}]: {exc}")
                continue
            if target.key not in {w.key for w in watches}:
                watches.append(target)
                levels[target.key] = level
        setup = ChatSetup(chat, tuple(watches), levels=levels)
        if entry.get("settings") is not None:
            try:
                setup = replace(setup, **_read_settings(entry["settings"]))
            except InputError as exc:
                problems.append(
                    f"{where}.settings: {exc}; the chat's settings were left as they are"
                )
        setups.append(setup)
    return setups, problems


def read_watch(raw: object) -> WatchTarget:
    """One watch of a document; :class:`InputError` naming what is wrong."""
    if not isinstance(raw, dict):
        raise InputError("expected an object with kind, key and name")
    kind, key, name = raw.get("kind"), raw.get("key"), raw.get("name")
    if kind not in ("entity", "keyword"):
        raise InputError(f'kind must be "entity" or "keyword", got {kind!r}')
    for label, value in (("key", key), ("name", name)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"{label} must be a string")
    key = " ".join((key or "").split())
    name = " ".join((name or "").split())
    for label, value in (("key", key), ("name", name)):
        if len(value) > MAX_TEXT or not _printable(value):
            raise InputError(f"{label} must be at most {MAX_TEXT} visible characters")
    if kind == "keyword":
        phrase = normalise_phrase(key or name)
        if not phrase:
            raise InputError("a keyword watch needs a key or name with a word in it")
        return WatchTarget("keyword", phrase, name or phrase)
    if ":" not in key or " " in key or not key.split(":", 1)[1]:
        raise InputError(
            f"an entity watch needs its entity id as key (like gpe:china), got {key!r}"
        )
    return WatchTarget("entity", key, name or key)


def read_level(raw: object) -> WatchLevel:
    """A watch's ``level`` (absent: the default); :class:`InputError` for another value."""
    value = raw.get("level") if isinstance(raw, dict) else None
    if value is None:
        return DEFAULT_LEVEL
    try:
        return WatchLevel(value)
    except ValueError:
        names = ", ".join(level.value for level in WatchLevel)
        raise InputError(f"level must be one of {names}, got {value!r}") from None


def _read_settings(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InputError("expected an object")
    unknown = sorted(set(raw) - set(_SETTING_KEYS))
    if unknown:
        raise InputError(f"unknown settings {', '.join(map(repr, unknown))}")
    for k, v in raw.items():
        if v is not None and not isinstance(v, str):
            raise InputError(f"{k} must be a string or null")
    prefs = DeliveryPrefs()
    digest = raw.get("digest") or "off"
    if digest not in DIGEST_MODES:
        raise InputError(f"digest must be one of {', '.join(DIGEST_MODES)}, got {digest!r}")
    times: dict[str, str | None] = {}
    for k in ("digest_time", "quiet_start", "quiet_end"):
        value = raw.get(k)
        times[k] = None if value is None else parse_hhmm(value)
        if value is not None and times[k] is None:
            raise InputError(f"{k} must be a time of day HH:MM, got {value!r}")
    if digest == "daily" and times["digest_time"] is None:
        raise InputError("a daily digest needs digest_time HH:MM")
    start, end = times["quiet_start"], times["quiet_end"]
    if (start is None) != (end is None) or (start is not None and start == end):
        raise InputError("quiet_start and quiet_end go together and must differ")
    tz_name = raw.get("timezone") or "UTC"
    tz = zone(tz_name)
    if tz is None:
        raise InputError(f"{tz_name!r} is no time zone (use a name like Europe/Kyiv)")
    prefs = DeliveryPrefs(
        digest=digest,
        digest_time=times["digest_time"] if digest == "daily" else None,
        quiet_start=start,
        quiet_end=end,
        timezone=tz.key,
    )
    muted: datetime | None = None
    if raw.get("muted_until") is not None:
        try:
            muted = datetime.fromisoformat(raw["muted_until"])
        except ValueError:
            raise InputError(
                f"muted_until must be an ISO date and time, got {raw['muted_until']!r}"
            ) from None
        if muted.tzinfo is None:
            raise InputError("muted_until needs a UTC offset (e.g. 2026-03-12T09:30:00+00:00)")
        muted = muted.astimezone(UTC)
    return {"prefs": prefs, "muted_until": muted}


def _printable(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in text)


# --------------------------------------------------------------------------- writing


async def import_watches(
    store: Store,
    doc: Mapping[str, Any],
    now: datetime,
    *,
    only: ChatRef | None = None,
    into: ChatRef | None = None,
    vet: Vet | None = None,
    max_watches: int | None = None,
    on_change: Callable[[], Awaitable[None]] | None = None,
) -> ImportReport:
    """Add the document's watches and set its settings (see the module
    docstring). With ``only``, the entries of other chats are skipped and
    reported. With ``into`` (a chat's ``/import``), the document must hold one
    chat's setup, which is applied to ``into`` whichever chat it came from;
    :class:`InputError` otherwise, and nothing changes. ``vet`` checks each
    watch as ``/watch`` does (resolving its entity, refusing a phrase that
    cannot be watched), and ``max_watches`` is the most a chat may have: a
    refused watch, or one over the cap, is reported and skipped."""
    setups, problems = read_setups(doc)
    if into is not None:
        if len(doc["chats"]) != 1:
            raise InputError(
                f"the file holds {len(doc['chats'])} chats' setups; a chat imports the "
                "file of one chat (its /export)"
            )
        if not setups:  # the one entry was unreadable
            raise InputError("; ".join(problems) or "the file holds no chat")
        setups = [replace(setups[0], chat=into)]
    report = ImportReport(problems=problems)
    changed = False
    for setup in setups:
        if only is not None and setup.chat != only:
            report.problems.append(f"{setup.chat}: not this chat; skipped")
            continue
        report.chats += 1
        changed |= await _add_watches(store, setup, now, report, vet, max_watches)
        if setup.prefs is None:
            continue
        differs = False
        if await store.chat_delivery(setup.chat) != setup.prefs:
            await store.set_chat_delivery(setup.chat, setup.prefs)
            await store.release_held(setup.chat, now)  # held alerts follow the new settings
            differs = True
        muted = setup.muted_until if setup.muted_until and setup.muted_until > now else None
        current = await store.chat_muted_until(setup.chat)
        if current is not None and current <= now:
            current = None
        if current != muted:
            await store.mute_chat(setup.chat, muted)
            differs = True
        report.settings_changed += differs
    if changed and on_change is not None:
        await on_change()
    return report


async def _add_watches(
    store: Store,
    setup: ChatSetup,
    now: datetime,
    report: ImportReport,
    vet: Vet | None,
    max_watches: int | None,
) -> bool:
    """One chat's watches, each vetted and within the cap; whether any was added."""
    subs = await store.chat_subscriptions(setup.chat)
    have = {s.target.key for s in subs}
    levels = {s.target.key: s.level for s in subs}
    changed = False
    for target in setup.watches:
        level = setup.level(target.key)
        if vet is not None:
            vetted = await vet(setup.chat, target)
            if isinstance(vetted, str):
                report.problems.append(f"{setup.chat}: “{target.name}”: {vetted}")
                continue
            target = vetted
        if target.key in have:
            report.present += 1
            report.present_names.append(target.name)
            if levels.get(target.key, level) != level:
                await store.set_subscription_level(setup.chat, target.key, level)
                levels[target.key] = level
                report.levels_changed += 1
            continue
        if max_watches is not None and len(have) >= max_watches:
            report.problems.append(
                f"{setup.chat}: “{target.name}”: the chat already watches {len(have)} things, "
                f"the most it may (MAX_WATCHES_PER_CHAT is {max_watches})"
            )
            continue
        _, created = await store.add_subscription(setup.chat, target, now, level)
        have.add(target.key)
        report.added += created
        report.present += not created
        (report.added_names if created else report.present_names).append(target.name)
        changed |= created
    return changed


__all__: Sequence[str] = [
    "FORMAT",
    "VERSION",
    "ChatSetup",
    "ImportReport",
    "Vet",
    "chat_setups",
    "export_watches",
    "feeds_opml",
    "import_watches",
    "load_document",
    "parse_chat",
    "read_level",
    "read_setups",
    "read_watch",
    "watches_document",
]
