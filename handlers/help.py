"""/start and /help."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.models import Command, Reply, Span

if TYPE_CHECKING:
    from handlers.base import Context

COMMANDS: dict[str, Any] = {}  # filled by handlers.router


def usage(cmd: Command, name: str) -> str:
    spec = COMMANDS[name]
    return f"{cmd.usage(name)}{' ' + spec.args if spec.args else ''} — {spec.summary}"


async def start(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    return Reply(
        (
            (
                Span("ClaimWatch", bold=True),
                Span(" follows the news for you and alerts this chat only when something is new:"),
            ),
            (Span("a new event, a new claim, an updated figure, or a denial — with sources."),),
            (
                Span("Start with "),
                Span(cmd.usage("watch china"), code=True),
                Span(", then "),
                Span(cmd.usage("claims china"), code=True),
                Span("."),
            ),
            (Span(f"Send {cmd.usage('help')} for every command."),),
        )
    )


async def help_(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if args:
        name = args[0].lstrip("/").casefold()
        if name not in COMMANDS:
            return Reply.error(
                f"No command {cmd.usage(name)}. Send {cmd.usage('help')} for the list."
            )
        spec = COMMANDS[name]
        extra = " Only admins may use it in groups." if spec.changes_state else ""
        return Reply.text(usage(cmd, name) + "." + extra)
    lines = ["Commands:"] + [usage(cmd, n) for n, s in COMMANDS.items() if s.in_menu]
    if cmd.chat_type != "private":
        lines.append("In groups, only admins may change what the chat watches.")
    return Reply.text(*lines)
