"""The commands a router knows: an object made by :func:`handlers.router.default_registry`
(or by a test) and passed along, never a module-level table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.models import MenuEntry

if TYPE_CHECKING:
    from handlers.base import Handler


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    handler: Handler
    args: str
    summary: str
    changes_state: bool = False  # in groups, only the chat's admins may run it
    in_menu: bool = True
    operator_only: bool = False  # only users named in ADMIN_USER_IDS
    linkable: bool = False  # a link may carry it (a Telegram start link runs it on a click)
    max_chars: int | None = None  # a longer text than COMMAND_MAX_CHARS (a pasted document)
    takes_file: bool = False  # a file sent with it (or replied to) is downloaded for it


class Registry:
    """Command name → :class:`Spec`, in the order given."""

    def __init__(self, specs: Iterable[Spec]) -> None:
        self._specs: dict[str, Spec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"command /{spec.name} registered twice")
            self._specs[spec.name] = spec

    def get(self, name: str) -> Spec | None:
        return self._specs.get(name)

    def __iter__(self) -> Iterator[Spec]:
        return iter(self._specs.values())

    def menu(self) -> tuple[MenuEntry, ...]:
        """The commands shown in a menu and in /help, with their one-line summary,
        whether only a group's admins may use them, whether a link may carry them and
        whether they read a file."""
        return tuple(
            MenuEntry(
                spec.name,
                spec.summary[:1].upper() + spec.summary[1:],
                admins_only=spec.changes_state,
                linkable=spec.linkable,
                takes_file=spec.takes_file,
            )
            for spec in self
            if spec.in_menu
        )
