"""The alert text: one line on the event, the fresh claims, the sources.

The one alert layout (:class:`AlertLayout`): platform-neutral lines of spans
and buttons that every adapter renders and escapes; no adapter lays out an
alert of its own.

A denial reads as what was denied. Its content is either the denial itself
("the claims are ‘totally unfounded’", "Ukraine was not involved") and is
shown after the speaker as it is, or the proposition the speaker denied
("many more Chinese citizens were fighting for Russia") and is shown as
"denied that …": printed bare after "Lin Jian" it would read as the opposite
of what was said. :func:`denial_text` decides, so every adapter and
/claims show it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from bot.analysis.cues import POSITION_PAST, WILL_CUES, is_outlet_name
from bot.models import Alert, AlertClaim, Button, Claim, Line, Link, Novelty, Span, Stance

MAX_CLAIM_CHARS = 280


def claim_tag(claim: Claim) -> str:
    if claim.novelty is Novelty.CONTRADICTION or claim.stance is Stance.DENY:
        return "DENIAL"
    if claim.novelty is Novelty.UPDATE:
        return "UPDATE"
    return "NEW"


# words with which a content states a denial by itself
_SAYS_NO = re.compile(
    r"\b(?:not|no|never|nothing|none|nobody|neither|nor|n[o']t|cannot|unfounded|baseless|"
    r"groundless|false(?:hood)?s?|untrue|lies?|lying|nonsense|absurd|fake|fabricat\w*|"
    r"ridiculous|stupid|rubbish|deni(?:ed|es|al)|deny|reject\w*|refut\w*|dismiss\w*|"
    r"incorrect|wrong|misleading|disinformation|propaganda|slander\w*|smear)\b",
    re.IGNORECASE,
)
# a finite verb, not right after a determiner ("the leaked memo" has none)
_FINITE = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bits )(?<!\bany )"
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|can|did|does|do|"
    r"\w+ed)\b",
    re.IGNORECASE,
)


def denial_text(text: str) -> str:
    """A denial's content as it reads after its speaker: as it is when it says
    no by itself, else "denied that …" (or "denied …" for what is not a
    clause, or a headline's words: "denied blowing up the dam", "denied the
    report", "denied Kyiv Claims, Urges Talks")."""
    text = " ".join(text.split())
    if not text or _SAYS_NO.search(text):
        return text
    clause = re.match(r"that\s+", text, flags=re.IGNORECASE)
    if clause:
        return f"denied that {text[clause.end() :]}"
    words = re.findall(r"[A-Za-z][\w’'-]*", text)
    headline = len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
    if headline or not (_FINITE.search(text) or _IRREGULAR.search(text) or _PRESENT_S.search(text)):
        return f"denied {text}"  # not a clause: "denied any role", "denied similar accusations"
    return f"denied that {text}"


# a wire dateline left at the start of a content: "(Reuters) – ", "Reuters) - "
_DATELINE = re.compile(r"^\(?[A-Z][\w.&' ]{1,30}\)\s*[-–—]\s*")


def claim_text(text: str, stance: Stance, cue: str = "") -> str:
    """A claim's content as alerts and /claims show it: without a wire
    dateline left at its start, a denial as what was denied (see
    :func:`denial_text`), and the object of a verb that takes one ("the US
    for prolonging the war", "Russia of blowing up the dam") with its verb
    ("blamed the US for prolonging the war"): a noun phrase and its "for" are
    no proposition by themselves."""
    text = _DATELINE.sub("", " ".join(text.split()), count=1)
    if stance is Stance.DENY:
        return denial_text(text)
    return with_verb(text, cue)


# what is left of "blamed the US for prolonging the war", "accused Russia of
# blowing up the dam", "urged China to use its influence": an object, then
# "for"/"of" and a verb in -ing or a noun phrase, or "to" and a verb
_OBJECT_THEN = re.compile(
    r"^(?:(?:the|a|an|its|their|his|her)\s+)?(?:[A-Z][\w’'.-]*(?:\s+(?:(?:of|and|the)\s+)*[A-Z][\w’'.-]*)*|"
    r"each other|one another|[a-z]+ (?:officials|authorities|forces|government))\s+"
    r"(?:(?:of|for)\s+[a-z]|to\s+[a-z]+\b)"
)
# a cue verb that reads right before its object ("blamed", "accused", "urged")
_OBJECT_CUE = re.compile(r"^[a-z]+(?:ed|d)$|^(?:blames?|accuses?|urges?|calls? on|asks?)$")


def with_verb(text: str, cue: str) -> str:
    """``text`` with its cue in front when it is the cue's object and what
    follows it ("the US for prolonging the war" → "blamed the US for
    prolonging the war"); a demand or a proposal given by a participle in
    the past ("calling for an inquiry" → "called for an inquiry"); else
    ``text`` as it is."""
    first = text.split(" ", 1)[0]
    if first.lower() in POSITION_PAST and " " in text:
        return POSITION_PAST[first.lower()] + text[len(first) :]
    cue = " ".join(cue.split())
    if not cue or not _OBJECT_THEN.match(text) or not _OBJECT_CUE.match(cue.lower()):
        return text
    if cue.lower() in ("said", "told", "reported", "stated", "added", "announced"):
        return text
    return f"{cue.lower()} {text}"


def _verb_first(text: str, cue: str) -> bool:
    return bool(cue) and text.lower().startswith(cue.lower().strip() + " ")


def claim_spans(speaker: str, text: str, stance: Stance, cue: str = "") -> tuple[Span, ...]:
    """Speaker and content on one line, so that it reads right: "Lin Jian
    denied that …", "Beijing: the claims are ‘totally unfounded’", "Kyiv — …",
    "China blamed the US for prolonging the war"."""
    shown = claim_text(text, stance, cue)
    sep = _separator(shown, stance, shown != text and _verb_first(shown, cue))
    return (Span(speaker, bold=True), Span(f"{sep}{shown}"))


def _separator(shown: str, stance: Stance, cue_first: bool) -> str:
    """What stands between a speaker and a content as shown: nothing but a
    space when the content opens with its verb ("denied that …", "called for
    an inquiry", "called the claims unfounded", "blamed the US for …"), a
    colon before a denial that says no by itself, else a dash."""
    opens_with_verb = bool(_POSITION_OPENS.match(shown) or _LABEL_OPENS.match(shown))
    if stance is Stance.DENY:
        return " " if shown.startswith("denied ") or opens_with_verb else ": "
    return " " if cue_first or opens_with_verb else " — "


# --------------------------------------------------------------- which claims an alert shows

# words that make a content a proposition: an auxiliary or modal, a past
# form, a present form in -s (a form in -ing alone is not one: "the ferry's
# sinking off Korvel")
_PREDICATE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|can|should|may|"
    r"might|must|shall|did|does|do|says|said|\w{3,}ed)\b",
    re.IGNORECASE,
)
_IRREGULAR = re.compile(
    r"\b(?:took|made|found|came|went|gave|told|saw|knew|left|got|held|kept|began|brought|sent|"
    r"paid|lost|built|rose|fell|shot|wrote|sank|won|ran|met|hit|set|put|quit|cut|struck|"
    r"stood|led|fled|spoke|broke|chose|drove|flew|grew|threw|fought|caught|bought|thought|"
    r"sought|meant|felt|heard|sold|paid|slid|spent)\b",
    re.IGNORECASE,
)
# a present form in -s, after a word that is not a determiner or preposition
# ("the mission continues", not "in the dozens", "their plans")
_PRESENT_S = re.compile(
    r"\b(?!(?:the|a|an|its|their|his|her|our|your|my|of|in|on|for|to|with|by|at|from|"
    r"these|those|some|many|few|several|all|any|two|three|similar|such|other|recent|"
    r"earlier|previous|new|more|further|media|western)\s)[\w’'-]+\s+\w{2,}[^s\W’']s\b",
    re.IGNORECASE,
)
_FUNCTION_END = frozenset(
    str.split(
        "a an the of for to with on in at by and or but that which who whose its their his her"
    )
)
# what is left of "accused Russia of blowing up the dam", "notified Boeing of the
# investigation": the object and its "of", not a proposition
_OBJECT_OF = re.compile(
    r"^(?:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*|each other|one another)\s+of\s+[a-z]"
)
# a predicate with its subject left behind ("were destroyed in the country")
_NO_SUBJECT = re.compile(r"^(?:is|are|was|were|has|have|had|been)\s", re.IGNORECASE)
_OPENS_AS_QUESTION = re.compile(
    r"^[\"“‘']?(?:should|would|could|if|whether|unless)\s+(?:they|he|she|it|we|you|i)\b",
    re.IGNORECASE,
)


def is_fragment(text: str) -> bool:
    """A content that does not stand alone as a proposition: a few words with
    no predicate ("the dam's collapse on Russia", "the death toll in the
    hundreds"), one ending on a function word ("hopes for a"), a predicate
    without its subject ("were destroyed in the country"), the object of an
    accusation ("Russia of blowing up the dam"), or a conditional piece
    ("should they ‘choose to join’")."""
    words = re.findall(r"[\w’'-]+", text)
    if len(words) < 3:
        return True
    if words[-1].lower() in _FUNCTION_END:
        return True
    if any(p.match(text.strip()) for p in (_OPENS_AS_QUESTION, _NO_SUBJECT, _OBJECT_OF)):
        return True
    return len(words) <= 7 and not (
        _PREDICATE.search(text) or _IRREGULAR.search(text) or _PRESENT_S.search(text)
    )


# a speaker with a verb of saying in it is a clause, not a name ("Verge
# reported Altman")
_CLAUSE_SPEAKER = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|wrote|writes|added|according)\b"
)


def _outlet_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().removeprefix("the ")).strip()


def shown_rank(claim: Claim, outlet: str = "") -> int:
    """How fit a claim is to stand in an alert: 0 a named speaker's full
    proposition; 1 the outlet's own claim, another outlet's or a headline's
    (fine when no one else speaks); 2 a fragment, or a speaker that is a clause ("Verge
    reported Altman"), left out when anything better is there. A question
    ("asked whether …") claims nothing and ranks with the fragments."""
    if claim.stance is Stance.QUESTION:
        return 2
    shown = with_verb(claim.text, claim.cue) if claim.stance is not Stance.DENY else claim.text
    if (shown == claim.text and is_fragment(claim.text)) or _CLAUSE_SPEAKER.search(claim.speaker):
        return 2
    speaker = _outlet_key(claim.speaker)
    own = _outlet_key(outlet)
    if own and speaker and (speaker == own or speaker in own.split(" ") or own in speaker):
        return 1
    if is_outlet_name(claim.speaker):
        return 1  # another outlet relayed ("The New York Times reported"): fine when alone
    if claim.sentence == 0 and claim.speaker_id and claim.speaker_id.startswith("gpe:"):
        return 1  # a country as the speaker of a headline: the lead says who
    return 0


def is_development(claim: Claim) -> bool:
    """A denial or an updated figure: news an alert must not leave out."""
    return claim_tag(claim) != "NEW"


def choose_shown(ranked: Sequence[Claim], outlet: str = "", limit: int = 4) -> list[Claim]:
    """The claims an alert shows, from ``ranked`` (best first by the watch's
    order): named speakers' full propositions first, denials and updated
    figures before new claims of the same rank; the outlet's own claims (and
    a country's headline) only when no one named speaks or when they bring a
    denial or an updated figure; fragments and questions only when nothing
    else is there; one denial per side (a second denial by the same side in
    one story says no again: "X denied …", "a X official called it
    unfounded"); at most ``limit``."""
    ranks = [shown_rank(c, outlet) for c in ranked]
    best = min(ranks, default=2)

    def kept(rank: int, claim: Claim) -> bool:
        if rank == best:
            return True
        return rank == 1 and is_development(claim)

    order = sorted(
        (
            (r, not is_development(c), n, c)
            for n, (r, c) in enumerate(zip(ranks, ranked, strict=True))
            if kept(r, c)
        ),
        key=lambda x: x[:3],
    )
    out: list[Claim] = []
    denied: set[str] = set()
    for *_, c in order:
        if claim_tag(c) == "DENIAL":
            side = _side_key(c)
            if side in denied:
                continue
            denied.add(side)
        out.append(c)
    return out[:limit]


def _side_key(claim: Claim) -> str:
    """Whom a claim's speaker speaks for, as a key: the side, else the speaker."""
    return claim.speaker_side or claim.speaker_id or _outlet_key(claim.speaker)


def shorten(text: str, limit: int = MAX_CLAIM_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def alert_claim(claim: Claim) -> AlertClaim:
    return AlertClaim(
        claim_id=claim.id or "",
        speaker=claim.speaker,
        text=shorten(claim_text(claim.text, claim.stance, claim.cue)),
        tag=claim_tag(claim),
        stance=claim.stance,
    )


@dataclass(frozen=True, slots=True)
class AlertLayout:
    """The one alert layout, platform-neutral: what an alert says and in which
    order. Line-based chats (Telegram, the console) show :meth:`lines`; Slack
    puts ``title`` in a header block, each claim line in a section and
    ``links`` with ``coverage`` in a context block — the same parts."""

    headline: Line  # "New event · China: <event title>"
    title: str  # the event's title (the story's when the event has none)
    subtitle: Line | None  # the story's own title, when it differs
    claims: tuple[Line, ...]  # one line per fresh claim
    links: Line  # the source links, " · " between them
    coverage: str  # "2 outlets"
    buttons: tuple[Button, ...]
    more: str = ""  # a living summary: "+3 more claims", the claims it leaves out

    def lines(self) -> tuple[Line, ...]:
        return _compose(
            self.headline, self.subtitle, self.claims, self.links, self.coverage, self.more
        )


def _compose(
    headline: Line,
    subtitle: Line | None,
    claims: Iterable[Line],
    links: Line,
    coverage: str,
    more: str = "",
) -> tuple[Line, ...]:
    """The parts as lines: headline, subtitle, claims, how many more, then the sources."""
    head = (headline,) if subtitle is None else (headline, subtitle)
    more_line = ((Span(more),),) if more else ()
    return (*head, *claims, *more_line, (Span(f"Sources ({coverage} so far): "), *links))


def more_claims(count: int) -> str:
    """``+3 more claims``: what a living summary leaves out; empty for none."""
    if count <= 0:
        return ""
    return f"+{count} more claim" + ("" if count == 1 else "s")


def claim_line(claim: AlertClaim) -> Line:
    """``[TAG] Speaker — what they said``, a denial as it reads (``Lin Jian denied
    that …``, ``Beijing: the claims are ‘totally unfounded’``; its text is
    already :func:`denial_text`'s, see :func:`alert_claim`): the tag first, so
    a reader sees what kind of news a line is before reading it, the speaker bold."""
    speaker, text = claim.speaker.strip(), claim.text.strip()
    # opened with its cue: "Kyiv blamed the US for …", "UN called for an inquiry"
    sep = _separator(text, claim.stance, bool(_VERB_OPENS.match(text)))
    return (Span(f"[{claim.tag}] "), Span(speaker, bold=True), Span(f"{sep}{text}"))


def coverage(outlets: int) -> str:
    return f"{outlets} outlet" + ("" if outlets == 1 else "s")


def links_line(links: Sequence[Link]) -> Line:
    spans: list[Span] = []
    for n, link in enumerate(links):
        if n:
            spans.append(Span(" · "))
        spans.append(Span(link.label, url=link.url))
    return tuple(spans)


def _title(watch: str, event_title: str, story_title: str) -> str:
    return event_title or story_title or watch


def _headline(watch: str, title: str, new_event: bool) -> Line:
    head = "New event" if new_event else "Update"
    return (Span(f"{head} · {watch}: ", bold=True), Span(title, bold=True))


def _subtitle(story_title: str, title: str) -> Line | None:
    shown = story_title and story_title != title and not is_furniture(story_title)
    return (Span(story_title),) if shown else None


def layout(
    *,
    watch: str,
    event_title: str,
    new_event: bool,
    story_title: str,
    claims: Sequence[AlertClaim],
    links: Sequence[Link],
    outlets: int,
    buttons: tuple[Button, ...],
    more: int = 0,
) -> AlertLayout:
    title = _title(watch, event_title, story_title)
    return AlertLayout(
        headline=_headline(watch, title, new_event),
        title=title,
        subtitle=_subtitle(story_title, title),
        claims=tuple(map(claim_line, claims)),
        links=links_line(links),
        coverage=coverage(outlets),
        buttons=buttons,
        more=more_claims(more),
    )


def alert_layout(alert: Alert) -> AlertLayout:
    """The layout of ``alert``, from its fields; its own buttons, else the defaults."""
    return layout(
        watch=alert.watch,
        event_title=alert.event_title,
        new_event=alert.new_event,
        story_title=alert.story_title,
        claims=alert.claims,
        links=alert.links,
        outlets=alert.outlets,
        buttons=alert.buttons or alert_buttons(alert.event_id, alert.watch_key),
        more=alert.more_claims,
    )


def alert_message(alert: Alert) -> tuple[tuple[Line, ...], tuple[Button, ...]]:
    """The lines and buttons a line-based chat shows for ``alert``: the lines
    stored with it (made by this layout when it was queued), else its layout now."""
    shown = alert_layout(alert)
    return alert.lines or shown.lines(), shown.buttons


def alert_lines(
    *,
    watch: str,
    event_title: str,
    new_event: bool,
    story_title: str,
    claims: Sequence[AlertClaim],
    links: Sequence[Link],
    outlets: int,
    more: int = 0,
) -> tuple[Line, ...]:
    """The lines of an alert (stored with it in the outbox): :meth:`AlertLayout.lines`
    of the same parts, without building the layout (this runs for every watched
    target a story alerts)."""
    title = _title(watch, event_title, story_title)
    return _compose(
        _headline(watch, title, new_event),
        _subtitle(story_title, title),
        map(claim_line, claims),
        links_line(links),
        coverage(outlets),
        more_claims(more),
    )


MAX_SUMMARY_CLAIMS = 12
"""The most claims a living summary shows: the first alert's, then later ones."""
MAX_SUMMARY_CHARS = 3000
"""The most characters of claims (speaker and text) a living summary shows, so
that it stays one message (Telegram's 4096)."""
MAX_SUMMARY_LINKS = 8
"""The most source links a living summary shows: the first, then the latest."""


def living_summary(thread: Sequence[Alert], replied: Collection[str] = ()) -> Alert:
    """The first alert of an event as it reads after the later ones (``thread``,
    the first first): its own claims, then the later developments, "+N more
    claims" for those that do not fit, every outlet's link (the first and the
    latest when there are many) and the outlet count so far.

    ``replied``: the keys of the alerts that went out as replies in the
    thread. When not all later claims fit, theirs give way first (a reader
    finds them in the thread), then the oldest."""
    first = thread[0]
    seen: set[str] = set()
    claims: list[tuple[AlertClaim, bool]] = []  # (claim, shown in a reply)
    for alert in thread:
        for claim in alert.claims:
            ident = claim.claim_id or claim.text
            if ident not in seen:
                seen.add(ident)
                claims.append((claim, alert.key in replied and alert is not first))
    head = [c for c, _ in claims[: len({c.claim_id or c.text for c in first.claims})]]
    later = claims[len(head) :]
    budget = MAX_SUMMARY_CHARS - sum(len(c.speaker) + len(c.text) for c in head)
    room = MAX_SUMMARY_CLAIMS - len(head)
    kept: set[int] = set()
    # not in a reply before in a reply, newest before oldest
    for n in sorted(range(len(later)), key=lambda n: (later[n][1], -n)):
        size = len(later[n][0].speaker) + len(later[n][0].text)
        if room <= 0 or size > budget:
            continue
        kept.add(n)
        room -= 1
        budget -= size
    shown = (*head, *(later[n][0] for n in sorted(kept)))
    hidden = len(later) - len(kept)
    links: list[Link] = []
    urls: set[str] = set()
    for alert in thread:
        for link in alert.links:
            if link.url not in urls:
                urls.add(link.url)
                links.append(link)
    if len(links) > MAX_SUMMARY_LINKS:
        links = links[:1] + links[len(links) - MAX_SUMMARY_LINKS + 1 :]
    outlets = max(alert.outlets for alert in thread)
    return replace(
        first,
        claims=shown,
        links=tuple(links),
        outlets=outlets,
        more_claims=hidden,
        lines=alert_lines(
            watch=first.watch,
            event_title=first.event_title,
            new_event=first.new_event,
            story_title=first.story_title,
            claims=shown,
            links=links,
            outlets=outlets,
            more=hidden,
        ),
    )


# a text that :func:`with_verb` opened with its cue ("blamed the US for …")
_VERB_OPENS = re.compile(
    r"^[a-z]+(?:ed|d|s)\s+(?:(?:the|a|an|its|their|his|her)\s+)?"
    r"(?:[A-Z]|each other|one another|[a-z]+ (?:officials|authorities|forces|government))"
)


# a label put on someone or something, which opens with its verb and what
# is labelled ("called the claims unfounded", "labelled Beijing a decisive
# enabler"), never a noun ("calls to the hotline rose")
_LABEL_VERBS = frozenset(
    {"called", "described", "labelled", "labeled", "branded", "characterized", "characterised"}
)
_LABEL_OPENS = re.compile(
    r"^(?:call(?:ed|s)|label(?:l?ed|s)|brand(?:ed|s)|describ(?:ed|es)|"
    r"characteri[sz](?:ed|es))\s+"
    r"(?=(?:the|a|an|his|her|its|their|him|them|it|this|that|these|those|both)\b|[A-Z“\"‘'])"
)
# a position, which opens with its verb ("called for an inquiry", "urged the
# city to reopen the talks", "refused to resign", "slammed the board for …"):
# the past forms are those :func:`with_verb` gives a participle
_POSITION_OPENS = re.compile(
    r"^(?:call(?:ed|s)\s+(?:for|on)|appeals\s+(?:for|to)|(?:push|press)es\s+for|"
    r"urges|endorses|backs|supports|opposes|wanted|cites|"
    # the present of what a side wants, plans, vows … to do ("wants", "vows")
    + "|".join(sorted(f"{verb}s" for verb in WILL_CUES))
    + "|"
    + "|".join(sorted(set(POSITION_PAST.values()) - _LABEL_VERBS))
    + r")\s",
    re.IGNORECASE,
)


# page furniture: a photo caption, a credit, a "watch"/"read more" line, a
# sign-up box. Never the line that sums up a story.
_FURNITURE = re.compile(
    r"^\W*(?:(?:in\s+)?(?:this|these|the|a)\s+(?:(?:file|handout|undated|aerial|satellite)\s+)?"
    r"(?:photo(?:graph)?s?|pictures?|images?|videos?|screen ?(?:shot|grab)s?|still)\b"
    r"(?:\s+(?:provided|released|taken|made|distributed|obtained|posted|shared|published|"
    r"dated|from|by|shows?|showing|shot|courtesy))|"
    r"(?:file(?: photo)?|photo(?:graph)?|picture|image|caption|credit|watch|video|listen|"
    r"advertisement|related|read more|see also|sign up|subscribe|click here)\s*[:|–—-])"
    r"|\((?:AP|AFP|Reuters|EPA|Getty)[^)]*(?:Photo|Images)[^)]*\)\s*$"
    r"|\bsee (?:the )?video below\b",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    """A line of page furniture rather than news: a photo caption ("In this
    photo provided by …", "FILE - …", "… (AP Photo/Jane Roe)"), a credit, a
    "Watch:" or "Read more:" line."""
    return bool(_FURNITURE.search(" ".join(line.split())))


def alert_buttons(event_id: str, watch_key: str, page: str | None = None) -> tuple[Button, ...]:
    """The buttons under every alert: Sources, Mute 24h, Unwatch; first Timeline
    when the event has a page."""
    timeline = (Button("Timeline", "event", event_id, url=page),) if page else ()
    return (
        *timeline,
        Button("Sources", "sources", event_id),
        Button("Mute 24h", "mute", "24h"),
        Button("Unwatch", "unwatch", watch_key),
    )
