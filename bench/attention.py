"""Attention: how many messages notify a chat that follows an event.

    .venv/bin/python bench/attention.py [--level major|events|all|every] [--set NAME]...

Replays each set of stories, in order, through the whole pipeline and the
real Telegram adapter (python-telegram-bot) to the fake Bot API
(:mod:`tests.fakes.telegram_server`, in this process) for one private chat
that watches the set's names at ``--level`` (default: ``major``, the
default level; ``every`` runs the three levels). The sets:

- ``seeds``: ``../shared/seeds``, watching China (skipped when absent);
- ``examples``: ``examples/``, watching Bulgaria (the demo's watch);
- ``dev``: ``dev/articles``, watching Ukraine, Nigeria and Nimbra Cloud.

The flood guard and the interval between outlet updates are off (a replay
brings days of news in seconds). Prints,
per event the chat heard of: stories (of the event, alerting or
not) · messages with notification · silent messages · edits of the first
alert; then a total per set. It checks that no development is lost: every
claim an alert carried is shown in the event's first alert as it finally
reads or in a reply; a claim that is only counted in the summary's "+N more
claims" line is reported apart, and one neither shown nor counted is lost
(the bench then exits 1).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.telegram import TelegramAdapter
from bot.config import load_settings
from bot.ingest.files import FileProblem, read_stories
from bot.models import Command, WatchLevel
from bot.runtime import Services
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage

ROOT = Path(__file__).resolve().parents[1]
CHAT = 4242
SETS: dict[str, tuple[Path, tuple[str, ...]]] = {
    "seeds": (ROOT.parent / "shared" / "seeds", ("china",)),
    "examples": (ROOT / "examples", ("bulgaria",)),
    "dev": (ROOT / "dev" / "articles", ("ukraine", "nigeria", "nimbra cloud")),
}
_MORE = re.compile(r"^\+(\d+) more claims?$", re.MULTILINE)


@dataclass
class EventTally:
    title: str = ""
    stories: int = 0
    notified: int = 0
    silent: int = 0
    edits: int = 0
    first: SentMessage | None = None
    replies: list[SentMessage] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  # the text of every claim alerted


@dataclass
class Result:
    events: dict[str, EventTally]
    lost: list[tuple[str, str]]  # claims neither shown nor counted
    folded: int  # claims not shown, only counted in the summary's "+N more claims"


async def replay(folder: Path, watches: tuple[str, ...], level: WatchLevel) -> Result:
    async with FakeTelegramServer() as server:
        with tempfile.TemporaryDirectory(prefix="claimwatch-attention-") as tmp:
            settings = load_settings(
                _env_file=None,
                database_url=f"sqlite:///{tmp}/attention.db",
                telegram_bot_token=server.token,
                telegram_api_url=server.api_url,
                per_chat_per_second=100.0,
                global_per_second=100.0,
                flood_max_alerts=0,  # a replay comes in seconds; the flood guard is for days
                outlet_edit_interval_seconds=0,  # and so is the pace of outlet updates
            )
            adapter = TelegramAdapter(settings, poll_timeout=1)
            services = await Services.open(settings, [adapter])
            await adapter.start(services.router)
            try:
                return await _replay(services, server, folder, watches, level)
            finally:
                await adapter.stop()
                await services.close()


async def _replay(
    services: Services,
    server: FakeTelegramServer,
    folder: Path,
    watches: tuple[str, ...],
    level: WatchLevel,
) -> Result:
    for name in watches:
        reply = await services.router(
            Command("telegram", str(CHAT), str(CHAT), f"/watch {name} {level}")
        )
        if not reply.ok:
            raise SystemExit(f"/watch {name}: {reply.plain}")
    events: dict[str, EventTally] = defaultdict(EventTally)
    for item in read_stories([folder]):
        if isinstance(item, FileProblem):
            print(f"skipped {item.path}: {item.reason}", file=sys.stderr)
            continue
        outcome = await services.pipeline.process(item)
        if outcome.event_id is None:
            continue
        tally = events[outcome.event_id]
        tally.stories += 1
        before = len(server.messages_to(CHAT))
        edits_before = server.edits_to(CHAT)
        await services.dispatcher.drain()
        sent = server.messages_to(CHAT)[before:]
        tally.edits += server.edits_to(CHAT) - edits_before
        for alert in outcome.alerts:
            tally.title = tally.title or alert.event_title
            tally.claims.extend(c.text for c in alert.claims)
        for message in sent:
            tally.notified += message.notified
            tally.silent += not message.notified
            if message.reply_to_message_id is None and tally.first is None:
                tally.first = message
            else:
                tally.replies.append(message)
    lost: list[tuple[str, str]] = []
    folded = 0
    for event_id, tally in events.items():
        shown = [m.plain for m in ([tally.first] if tally.first else []) + tally.replies]
        missing = [c for c in dict.fromkeys(tally.claims) if not any(c in t for t in shown)]
        more = _MORE.search(tally.first.plain) if tally.first else None
        counted = int(more.group(1)) if more else 0
        folded += min(counted, len(missing))
        lost.extend((event_id, c) for c in missing[counted:])
    return Result(dict(events), lost, folded)


def report(name: str, level: WatchLevel, result: Result) -> None:
    print(f"\n{name} · level {level}")
    print(f"  {'event':<10} {'stories':>7} {'notified':>8} {'silent':>6} {'edits':>5}  title")
    totals = [0, 0, 0, 0]
    for event_id, t in result.events.items():
        if not (t.notified or t.silent or t.edits):
            continue  # an event the chat does not watch
        row = [t.stories, t.notified, t.silent, t.edits]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(f"  {event_id:<10} {row[0]:>7} {row[1]:>8} {row[2]:>6} {row[3]:>5}  {t.title[:50]}")
    print(
        f"  {'total':<10} {totals[0]:>7} {totals[1]:>8} {totals[2]:>6} {totals[3]:>5}"
        f"  lost: {len(result.lost)} · only in '+N more claims': {result.folded}"
    )
    for event_id, text in result.lost:
        print(f"  LOST {event_id}: {text[:90]}")


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--level", default="major", choices=["major", "events", "all", "every"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    levels = list(WatchLevel) if args.level == "every" else [WatchLevel(args.level)]
    lost = 0
    for name in args.sets or list(SETS):
        folder, watches = SETS[name]
        if not folder.is_dir():
            print(f"\n{name}: {folder} is absent; skipped")
            continue
        for level in levels:
            result = await replay(folder, watches, level)
            report(name, level, result)
            lost += len(result.lost)
    return 1 if lost else 0


def run(argv: list[str] | None = None) -> Any:
    return asyncio.run(main(argv))


if __name__ == "__main__":
    sys.exit(run())
