"""/export and /import: a chat's watches and settings as a file it (or another
chat) can import, in the versioned document of ``claimwatch watches export``
(:mod:`bot.exchange`), restricted to the one chat.

``/import`` takes the file sent with the command (a Telegram document with the
caption ``/import``, or ``/import`` in reply to one) or the document pasted
after the command (``/claimwatch import {...}`` in Slack). Every watch passes
the checks of ``/watch`` (:func:`vet_watch`) and the chat's cap; the answer
says what was added, what was already there and what was skipped and why. A
file that is not an export changes nothing.
"""

from __future__ import annotations

import json
import re

from bot.errors import InputError
from bot.exchange import export_watches, import_watches, load_document
from bot.models import ChatRef, Command, FileData, Reply, Span, WatchTarget
from handlers.base import Context, resolve
from handlers.watch import phrase_problem

MAX_IMPORT_BYTES = 64 * 1024
"""The largest document /import reads (a chat's export is a few kilobytes)."""
MAX_LISTED = 10
"""Names listed per kind in /import's answer; the rest are counted."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


async def vet_watch(ctx: Context, chat: ChatRef, target: WatchTarget) -> WatchTarget | str:
    """A watch from a file, checked as ``/watch`` checks a name: an entity id
    known here keeps it (with the name used here); a name that now resolves to
    an entity watches the entity; a phrase must be one ``/watch`` accepts.
    Returns the target to add, or why it is refused."""
    if target.kind == "entity":
        entity = ctx.gazetteer.entity(target.key) or await ctx.store.entity(target.key)
        if entity is not None:
            return WatchTarget("entity", entity.id, entity.name)
        found = await resolve(ctx, target.name)
        if found.entity is not None:
            return found.target
        return target  # not in any story here yet: it matches once stories name it
    found = await resolve(ctx, target.name or target.key)
    if found.entity is not None:
        return found.target
    phrase = found.target.key or target.key
    why = await phrase_problem(ctx, target.name or target.key, phrase)
    return why if why is not None else WatchTarget("keyword", phrase, target.name or phrase)


def export_name(chat: ChatRef, day: str) -> str:
    """The file name of a chat's export: ``claimwatch-telegram--100123-2026-03-12.json``."""
    platform, chat_id = (_UNSAFE.sub("_", part) for part in (chat.platform, chat.chat_id))
    return f"claimwatch-{platform}-{chat_id}-{day}.json"


async def export(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if args:
        return Reply.error(f"{cmd.usage('export')} takes no arguments: it exports this chat.")
    now = ctx.clock()
    doc = await export_watches(ctx.store, now, [cmd.chat])
    watches = len(doc["chats"][0]["watches"])
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    file = FileData(export_name(cmd.chat, f"{now:%Y-%m-%d}"), data)
    noun = "watch" if watches == 1 else "watches"
    return Reply(
        (
            (Span(f"This chat's {watches} {noun} and its settings, as a file."),),
            (
                Span("To set up this or another chat the same way, send the file there with "),
                Span(cmd.usage("import"), code=True),
                Span(" (as its caption, or in reply to it), or paste its text after "),
                Span(cmd.usage("import"), code=True),
                Span("."),
            ),
        ),
        file=file,
    )


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" +{len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


async def import_(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    data: bytes | str
    if cmd.file is not None:
        if cmd.file.problem is not None:
            return Reply.error(f"I could not read “{cmd.file.name}”: {cmd.file.problem}.")
        data, source = cmd.file.data, f"“{cmd.file.name}”"
    else:
        data, source = cmd.text.partition(" ")[2].strip(), "the pasted text"
        if not data:
            return Reply.error(
                f"Send a file made by {cmd.usage('export')} with the caption "
                f"{cmd.usage('import')} (or reply {cmd.usage('import')} to it), "
                f"or paste its text after {cmd.usage('import')}."
            )
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > MAX_IMPORT_BYTES:
        return Reply.error(
            f"{source} is {size // 1024} KB; a chat's export is at most "
            f"{MAX_IMPORT_BYTES // 1024} KB. Nothing was imported."
        )
    try:
        doc = load_document(data, source)
        report = await import_watches(
            ctx.store,
            doc,
            ctx.clock(),
            into=cmd.chat,
            vet=lambda chat, target: vet_watch(ctx, chat, target),
            max_watches=ctx.settings.max_watches_per_chat,
            on_change=ctx.subscriptions_changed,
        )
    except InputError as exc:
        return Reply.error(f"{exc}. Nothing was imported.")
    lines = [f"Imported from {source}:"]
    if report.added_names:
        lines.append(f"Added {len(report.added_names)}: {_names(report.added_names)}.")
    if report.present_names:
        lines.append(
            f"Already watched {len(report.present_names)}: {_names(report.present_names)}."
        )
    if report.levels_changed:
        lines.append(f"Levels set to the file's for {report.levels_changed} of them.")
    if not report.added_names and not report.present_names:
        lines.append("No watches added.")
    prefix = f"{cmd.chat}: "
    for problem in report.problems[:MAX_LISTED]:
        lines.append(f"Skipped {problem.removeprefix(prefix).rstrip('.')}.")
    if len(report.problems) > MAX_LISTED:
        lines.append(f"…and {len(report.problems) - MAX_LISTED} more skipped.")
    lines.append(
        "Settings changed to the file's." if report.settings_changed else "Settings unchanged."
    )
    return Reply.text(*lines)
