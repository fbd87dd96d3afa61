"""/watch, /unwatch, /watching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import (
    DEFAULT_LEVEL,
    Button,
    Command,
    Line,
    Reply,
    Span,
    StartLinks,
    Subscription,
    WatchLevel,
    WatchTerm,
    canonical_terms,
    term_key,
)
from bot.start_links import encode_payload
from bot.watch import phrase_in, term_label, watch_label, watch_spec
from handlers.base import Context, Resolved, did_you_mean, resolve
from handlers.watch_syntax import TypedTerm, WatchSyntaxError, WatchWords, read_watch_words

MIN_PHRASE_CHARS = 2
"""The shortest phrase watched (letters and digits, spaces between words not counted)."""
RECENT_STORIES = 200
"""How many of the latest stories a new phrase watch is checked against."""
MIN_RECENT = 20
"""Fewer stories than this say nothing about how common a phrase is."""
COMMON_SHARE = 0.5
"""A phrase in more than this share of the recent stories would alert on nearly all."""
LEVEL_BUTTON_WATCHES = 3
"""/watching offers level buttons for this many watches (the rest change by command)."""

LEVEL_SUMMARY = {
    WatchLevel.EVENTS: "new events only; later news updates the event's first alert",
    WatchLevel.MAJOR: (
        "new events and major developments (denials, updated figures, a side heard "
        "for the first time); other news updates the event's first alert"
    ),
    WatchLevel.ALL: "every new, updated or disputed claim",
}
LEVEL_SHORT = {
    WatchLevel.EVENTS: "new events only",
    WatchLevel.MAJOR: "major developments",
    WatchLevel.ALL: "every claim",
}


def split_level(args: list[str]) -> tuple[list[str], WatchLevel | None]:
    """``china all`` → (``[china]``, ALL): the last word names a level when it is one
    and something to watch comes before it; else the words are left whole."""
    if len(args) >= 2:
        word = args[-1].casefold()
        if word in WatchLevel.__members__.values():
            return args[:-1], WatchLevel(word)
    return args, None


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # a word list; no model is loaded

    return frozenset(STOP_WORDS)


async def phrase_problem(ctx: Context, name: str, phrase: str) -> str | None:
    """Why ``phrase`` (the keyword form of ``name``) cannot be watched, or None."""
    if not phrase:
        return (
            f"“{name}” has no letters or digits to look for in stories. "
            "Watch a name or a phrase of words."
        )
    if all(word in _stopwords() for word in phrase.split()):
        return (
            f"“{name}” is too common a word to watch: it is in nearly every story. "
            "Watch a name or a more specific phrase."
        )
    if len(phrase.replace(" ", "")) < MIN_PHRASE_CHARS:
        return f"“{name}” is too short to watch: use at least {MIN_PHRASE_CHARS} letters."
    texts = await ctx.store.recent_story_texts(RECENT_STORIES)
    if len(texts) >= MIN_RECENT:
        hits = sum(1 for text in texts if phrase_in(phrase, text))
        if hits > COMMON_SHARE * len(texts):
            return (
                f"“{name}” is in {hits} of the last {len(texts)} stories, so watching it "
                "would alert on nearly everything. Watch a name or a more specific phrase."
            )
    return None


def _words(cmd: Command, args: list[str]) -> WatchWords | Reply:
    try:
        return read_watch_words(args, cmd.usage)
    except WatchSyntaxError as exc:
        return Reply.error(str(exc))


def _terms(
    main: Resolved, typed: Sequence[tuple[TypedTerm, Resolved]]
) -> tuple[list[tuple[WatchTerm, Resolved]], str | None]:
    """Each typed term as resolved like a watch's name (an entity, else a phrase),
    and why they cannot be used together (None when they can)."""
    out: list[tuple[WatchTerm, Resolved]] = []
    for term, found in typed:
        if found.target.key == main.target.key:
            sign = "+" if term.required else "-"
            return out, (
                f"“{sign}{term.name}” is what the watch is about: a term names something else."
            )
        out.append((WatchTerm(term.required, found.target), found))
    keys = {term_key(t) for t, _ in out}
    for t, _ in out:
        if ("-" if t.required else "+", t.target.kind, t.target.key) in keys:
            return out, f"{t.target.name} is both required (+) and excluded (-): keep one."
    return out, None


async def _term_problem(ctx: Context, resolved: Sequence[tuple[WatchTerm, Resolved]]) -> str | None:
    """Why a phrase term cannot be used (the checks of a phrase watch), or None."""
    for term, found in resolved:
        if found.entity is None and (
            why := await phrase_problem(ctx, term.target.name, term.target.key)
        ):
            return f"In the term {term.sign}{term.target.name}: {why}"
    return None


def _describe(terms: Sequence[WatchTerm]) -> str:
    """``only stories where Russia is a main subject too, and none where Taiwan is one``
    (a main subject: salient, as :func:`bot.watch.terms_hold` checks)."""
    parts: list[str] = []
    required = [t.target.name for t in terms if t.required]
    excluded = [t.target.name for t in terms if not t.required]
    if required:
        verb = "is a main subject" if len(required) == 1 else "are main subjects"
        parts.append(f"only stories where {' and '.join(required)} {verb} too")
    if excluded:
        head = "and none" if required else "skipping stories"
        parts.append(f"{head} where {' or '.join(excluded)} is a main subject")
    return ", ".join(parts)


def _phrase_notes(resolved: Sequence[tuple[WatchTerm, Resolved]]) -> list[str]:
    lines: list[str] = []
    for term, found in resolved:
        if found.entity is None:
            line = (
                f"No entity called “{term.target.name}” is known yet, so for "
                f"{term_label(term)} I look for the phrase “{term.target.key}” in a story's "
                "title and opening lines."
            )
            lines.append(" ".join(filter(None, [line, did_you_mean(found.suggestions)])))
    return lines


def _level_line(cmd: Command, sub: Subscription) -> str:
    label = watch_label(sub.target, sub.filters)
    others = " or ".join(
        cmd.usage(f"watch {label} {level}") for level in WatchLevel if level != sub.level
    )
    return f"Level: {LEVEL_SUMMARY[sub.level]}. Change it with {others}."


async def _change_level(cmd: Command, ctx: Context, sub: Subscription, level: WatchLevel) -> Reply:
    label = watch_label(sub.target, sub.filters)
    if sub.level == level:
        return Reply.text(f"You already watch {label}.", _level_line(cmd, sub))
    changed = await ctx.store.set_subscription_level(cmd.chat, sub.target.key, level, sub.filters)
    if changed is None:  # removed meanwhile
        return Reply.error(f"This chat no longer watches {label}.")
    await ctx.subscriptions_changed()
    return Reply.text(f"{label}: {LEVEL_SUMMARY[level]}.")


def _names(sub: Subscription, name: str, found: Resolved, loose: bool) -> bool:
    """Whether ``name`` (as typed, and resolved to ``found``) names ``sub``'s target:
    by key (an alert's buttons send keys), and with ``loose`` by display name too."""
    return sub.target.key in {found.target.key, name, name.casefold()} or (
        loose and sub.target.name.casefold() == name.casefold()
    )


def _term_names(term: WatchTerm, typed: TypedTerm, found: Resolved, loose: bool) -> bool:
    return term.required == typed.required and (
        term.target.key in {found.target.key, typed.name, typed.name.casefold()}
        or (loose and term.target.name.casefold() == typed.name.casefold())
    )


@dataclass(frozen=True, slots=True)
class _Lookup:
    """A /watch or /unwatch text read against the chat's watches."""

    found: Resolved  # what the name resolves to
    typed: list[tuple[TypedTerm, Resolved]]  # each term as typed, and what it resolves to
    on_target: list[Subscription]  # the chat's watches on that target, any terms
    exact: list[Subscription]  # ... with exactly the terms typed


async def _lookup(
    ctx: Context, subs: Sequence[Subscription], words: WatchWords, *, loose: bool
) -> _Lookup:
    found = await resolve(ctx, words.name)
    typed = [(t, await resolve(ctx, t.name)) for t in words.terms]
    on_target = [s for s in subs if _names(s, words.name, found, loose)]
    exact = [
        s
        for s in on_target
        if len(s.filters) == len(typed)
        and all(any(_term_names(term, t, r, loose) for t, r in typed) for term in s.filters)
        and all(any(_term_names(term, t, r, loose) for term in s.filters) for t, r in typed)
    ]
    return _Lookup(found, typed, on_target, exact)


def _filtered_reply(
    cmd: Command,
    sub: Subscription,
    found: Resolved,
    resolved: Sequence[tuple[WatchTerm, Resolved]],
) -> Reply:
    label = watch_label(sub.target, sub.filters)
    lines = [f"Watching {label}: {_describe(sub.filters)}."]
    if found.entity is None:
        lines.append(
            f"No entity called “{found.target.name}” is known yet, so I watch the phrase "
            f"“{found.target.key}” in stories and claims."
            + (f" {hint}" if (hint := did_you_mean(found.suggestions)) else "")
        )
    lines.extend(_phrase_notes(resolved))
    lines.append(
        f"{cmd.usage('watching')} lists this chat's watches; "
        f"{cmd.usage('unwatch ' + label)} stops this one."
    )
    return Reply.text(*lines, _level_line(cmd, sub))


async def watch(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    args, level = split_level(args)
    if not args:
        return Reply.error(f"Tell me what to watch, e.g. {cmd.usage('watch china')}")
    words = _words(cmd, args)
    if isinstance(words, Reply):
        return words
    name = words.name
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    look = await _lookup(ctx, subs, words, loose=False)
    found = look.found
    if look.exact:
        current = look.exact[0]
        if level is not None:
            return await _change_level(cmd, ctx, current, level)
        already = (
            f"the phrase “{current.target.key}”"
            if current.target.kind == "keyword" and not current.filters
            else watch_label(current.target, current.filters)
        )
        return Reply.text(f"You already watch {already}.", _level_line(cmd, current))
    resolved, why = _terms(found, look.typed)
    if why:
        return Reply.error(why)
    cap = ctx.settings.max_watches_per_chat
    if len(subs) >= cap:
        return Reply.error(
            f"This chat already watches {len(subs)} things, the most it may "
            f"(MAX_WATCHES_PER_CHAT is {cap}). Make room with "
            f"{cmd.usage('unwatch NAME')}; {cmd.usage('watching')} lists them."
        )
    if found.entity is None and (why := await phrase_problem(ctx, name, found.target.key)):
        return Reply.error(why)
    if why := await _term_problem(ctx, resolved):
        return Reply.error(why)
    terms = canonical_terms(t for t, _ in resolved)
    sub, _ = await ctx.store.add_subscription(
        cmd.chat, found.target, ctx.clock(), level or DEFAULT_LEVEL, filters=terms
    )
    await ctx.subscriptions_changed()
    if terms:
        return _filtered_reply(cmd, sub, found, resolved)
    if found.entity is None:
        lines = [
            f"No entity called “{name}” is known yet, so I watch the phrase “{found.target.key}” "
            "in stories and claims."
        ]
        if hint := did_you_mean(found.suggestions):
            lines.append(hint)
        return Reply.text(*lines, _level_line(cmd, sub))
    return Reply.text(
        f"Watching {found.entity.name}. You will be notified of {LEVEL_SUMMARY[sub.level]}.",
        f"{cmd.usage('claims ' + name)} shows what has been claimed lately.",
        _level_line(cmd, sub),
    )


async def unwatch(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if not args:
        return Reply.error(f"Tell me what to stop watching, e.g. {cmd.usage('unwatch china')}")
    words = _words(cmd, args)
    if isinstance(words, Reply):
        return words
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    look = await _lookup(ctx, subs, words, loose=True)
    on_target, exact = look.on_target, look.exact
    if not exact and not look.typed and len(on_target) == 1:
        exact = on_target  # the one watch on it, whatever its terms
    if len(exact) == 1:
        sub = exact[0]
        await ctx.store.remove_subscription(cmd.chat, sub.target.key, sub.filters)
        await ctx.subscriptions_changed()
        return Reply.text(f"Stopped watching {watch_label(sub.target, sub.filters)}.")
    if on_target:
        ways = [cmd.usage("unwatch " + watch_label(s.target, s.filters)) for s in on_target]
        return Reply.error(
            f"This chat watches {on_target[0].target.name} in {len(on_target)} ways. "
            f"Say which to stop: {' or '.join(ways)}."
            if len(on_target) > 1
            else f"This chat watches {watch_label(on_target[0].target, on_target[0].filters)}, "
            f"not “{' '.join(args)}”. To stop it: {ways[0]}."
        )
    watched = ", ".join(watch_label(s.target, s.filters) for s in subs)
    return Reply.error(
        f"This chat does not watch “{' '.join(args)}”."
        + (f" It watches: {watched}." if watched else " It watches nothing yet.")
    )


async def watching(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    if not subs:
        return Reply.text(f"This chat watches nothing yet. Try {cmd.usage('watch china')}")
    lines = ["This chat watches:"]
    ordered = sorted(subs, key=lambda s: (s.target.name.casefold(), len(s.filters)))
    for sub in ordered:
        kind = "phrase" if sub.target.kind == "keyword" else "entity"
        paused = " (paused)" if sub.paused else ""
        label = watch_label(sub.target, sub.filters)
        lines.append(f"• {label} — {kind}{paused} · {LEVEL_SHORT[sub.level]}")
    lines.append(
        f"Levels: {cmd.usage('watch NAME events')} (new events only), "
        f"{cmd.usage('watch NAME major')} (the default: events and major developments), "
        f"{cmd.usage('watch NAME all')} (every claim)."
    )
    buttons = tuple(
        Button(
            f"{watch_label(sub.target, sub.filters)}: {LEVEL_SHORT[level]}",
            "watch",
            f"{watch_spec(sub.target, sub.filters)} {level}",
        )
        for sub in ordered[:LEVEL_BUTTON_WATCHES]
        for level in WatchLevel
        if level != sub.level
    )
    reply = Reply.text(*lines)
    shared = share_lines(cmd.start_links, ordered) if cmd.start_links is not None else ()
    return Reply(reply.lines + shared, buttons=buttons)


def share_lines(links: StartLinks, subs: list[Subscription]) -> tuple[Line, ...]:
    """Links that start the same watch (at the same level) elsewhere: in a private
    chat with the bot, or in a group the bot is added to. A watch too long for a
    link has none."""
    out: list[Line] = []
    for sub in subs:
        name = watch_label(sub.target, sub.filters)  # the terms travel with the watch
        payload = encode_payload(
            "watch", name if sub.level == DEFAULT_LEVEL else f"{name} {sub.level}"
        )
        if payload is None:
            continue
        out.append(
            (
                Span(f"{name}: "),
                Span("watch in a private chat", url=links.private + payload),
                Span(" · "),
                Span("add to a group", url=links.group + payload),
            )
        )
    if not out:
        return ()
    return ((Span("Share a watch — each link starts it where it is opened:"),), *out)
