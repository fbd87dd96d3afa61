"""``claimwatch watches export|import``: chats' watches and settings as a JSON
document, for operators moving or backing up what people set up
(:mod:`bot.exchange` does the work)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import InputError
from bot.exchange import chat_setups, import_watches, load_document, parse_chat, watches_document
from bot.runtime import Services
from handlers.exchange import vet_watch


def add_watches_parser(sub: Any) -> None:
    w = sub.add_parser("watches", help="export or import chats' watches and settings (JSON)")
    wa = w.add_subparsers(dest="watches_action", required=True, metavar="ACTION")
    exp = wa.add_parser("export", help="print the watches and settings of every chat (or some)")
    exp.add_argument(
        "--chat",
        action="append",
        metavar="PLATFORM:ID",
        help="only this chat, e.g. telegram:-1001234567890 (repeatable)",
    )
    imp = wa.add_parser("import", help="add the watches and set the settings of an export")
    imp.add_argument("file", help="a file written by `watches export` (- reads standard input)")


async def cmd_watches(settings: Settings, args: argparse.Namespace) -> int:
    if args.watches_action == "export":
        chats = None if not args.chat else [parse_chat(c) for c in args.chat]
        return await _export(settings, chats)
    return await _import(settings, args.file)


async def _export(settings: Settings, chats: list[Any] | None) -> int:
    services = await Services.open(settings)
    try:
        now = services.pipeline.clock()
        setups = await chat_setups(services.store, chats, now)
    finally:
        await services.close()
    empty = [s.chat for s in setups if chats is not None and not s.watches]
    for chat in empty:
        print(f"claimwatch: {chat} watches nothing", file=sys.stderr)
    print(json.dumps(watches_document(setups, now), ensure_ascii=False, indent=2))
    total = sum(len(s.watches) for s in setups)
    print(f"exported {total} watches of {len(setups)} chats", file=sys.stderr)
    return 1 if empty else 0


async def _import(settings: Settings, file: str) -> int:
    if file == "-":
        data = await asyncio.to_thread(sys.stdin.buffer.read)
        source = "standard input"
    else:
        try:
            data = await asyncio.to_thread(Path(file).read_bytes)
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None
        source = file
    doc = load_document(data, source)  # a document we cannot read changes nothing
    services = await Services.open(settings)
    try:
        ctx = services.router.ctx
        # the checks of /watch and /import: entities resolved, phrases vetted, the cap
        report = await import_watches(
            services.store,
            doc,
            services.pipeline.clock(),
            vet=lambda chat, target: vet_watch(ctx, chat, target),
            max_watches=settings.max_watches_per_chat,
        )
    finally:
        await services.close()
    for problem in report.problems:
        print(f"claimwatch: skipped {problem}", file=sys.stderr)
    print(f"{report.summary()} from {source}")
    return 1 if report.problems else 0
