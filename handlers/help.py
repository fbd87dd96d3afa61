"""/start and /help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.models import Command, Reply, Span

if TYPE_CHECKING:
    from handlers.base import Context
    from handlers.registry import Spec


def usage(cmd: Command, spec: Spec) -> str:
    return f"{cmd.usage(spec.name)}{' ' + spec.args if spec.args else ''} — {spec.summary}"


async def start(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    welcome = _welcome(cmd)
    if not args:
        return welcome
    # What is left after /start is a start link the adapter could not read.
    shown = " ".join(args)[:64]
    problem = (
        Span("That link asks for "),
        Span(shown, code=True),
        Span(", which is not a command ClaimWatch can start from a link. Here is how to begin:"),
    )
    return Reply((problem, *welcome.lines), ok=False)


def _welcome(cmd: Command) -> Reply:
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
        spec = ctx.registry.get(name)
        if spec is None:
            return Reply.error(
                f"No command {cmd.usage(name)}. Send {cmd.usage('help')} for the list."
            )
        extra = " Only admins may use it in groups." if spec.changes_state else ""
        return Reply.text(usage(cmd, spec) + "." + extra)
    lines = ["Commands:"] + [usage(cmd, s) for s in ctx.registry if s.in_menu]
    if cmd.chat_type != "private":
        lines.append("In groups, only admins may change what the chat watches.")
    if cmd.start_links is not None:
        lines.append(
            f"{cmd.usage('watching')} also gives a link for each watch: "
            "whoever opens it starts the same watch."
        )
    return Reply.text(*lines)
