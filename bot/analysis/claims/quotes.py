"""Quotations: where they are, which cue they belong to, and quote paragraphs
that continue a speaker."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.analysis.claims.base import _Ctx, _Draft, _finish, _Speaker, _stance
from bot.analysis.claims.speakers import _kind

_OPEN = {"“": "”", "«": "»", "„": "“"}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Interior character spans of quotations, in order.

    Curly, guillemet and straight double quotes are recognised, and single
    quotes within a paragraph. A paragraph
    that ends inside a quote and a next paragraph that opens a quote again
    continue one quotation (the newspaper convention for long quotes)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    closer = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        width = 1
        if text.startswith(("''", "``"), i):
            # typewriter double quotes made of two single marks (''…'', ``…'')
            ch, width = '"', 2
        if start is None:
            if ch in _OPEN:
                start, closer = i + 1, _OPEN[ch]
            elif ch == '"':
                start, closer = i + width, '"'
                i += width - 1
        elif ch == closer or (closer == "”" and ch == '"') or (closer == '"' and ch == "”"):
            if i > start:
                spans.append((start, i))
            start = None
            i += width - 1
        elif ch == "\n":
            # a paragraph ends inside the quote: continue it when the next
            # paragraph reopens a quote, else close it here
            j = i
            while j < n and text[j] in "\n \t":
                j += 1
            reopen = 0
            if j < n and text[j] in ('"', "“", "«") and j > i:
                reopen = 1
            elif text.startswith(("''", "``"), j) and j > i:
                reopen = 2
            if reopen and not (_cued_again(text, j + reopen) and _after_quotation(text, start)):
                i = j + reopen
                continue
            if i > start:
                spans.append((start, i))
            start = None
        i += 1
    if start is not None and n > start:
        spans.append((start, n))
    return _with_single_quotes(text, spans)


# a quotation's first part closed on a comma, then the cue ("“…,” she said")
_CLOSED_FOR_CUE = re.compile(r",\s*(?:”|\"|'')")


def _after_quotation(text: str, start: int) -> bool:
    """Whether the quotation open at a paragraph's end follows another one of
    the same paragraph (“A,” Roth said. “B …): a cued paragraph, not a stray
    opening mark."""
    para = text.rfind("\n", 0, start) + 1
    return re.search(r"”|\"|''", text[para : max(para, start - 2)]) is not None


def _cued_again(text: str, begin: int) -> bool:
    """Whether the quotation a paragraph reopens closes on a comma before its
    cue (“…,” Sexton said. “…”): the paragraph then has a cue of its own, and
    the quotation of the paragraph before ends there."""
    end = text.find("\n", begin)
    para = text[begin : len(text) if end < 0 else end]
    close = re.search(r"”|\"|''", para)
    return close is not None and _CLOSED_FOR_CUE.match(para, max(0, close.start() - 1)) is not None


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(:—–\[]))[‘'](?=\w)", re.MULTILINE)


# a closing single quote follows punctuation ("…fight,’ he said") or comes
# before it ("the ‘new normal’, she said"); "workers’ union" is an apostrophe
_SINGLE_CLOSE = re.compile(r"(?<=[.,!?…])[’'](?=[\s)—–]|$)|(?<=\w)[’'](?=[.,;:!?)—–]|$)")


def _with_single_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add quotations in single quotes (‘We will fight,’ he said.) that lie
    outside double-quoted ones; one paragraph at most, so that apostrophes
    ("workers' union", "Russia's") cannot open or run on."""
    out = list(spans)
    pos = 0
    while True:
        m = _SINGLE_OPEN.search(text, pos)
        if m is None:
            break
        begin = m.end()
        pos = begin
        if any(a - 1 <= m.start() < b + 1 for a, b in spans):
            continue
        para_end = text.find("\n", begin)
        para_end = len(text) if para_end < 0 else para_end
        close = _SINGLE_CLOSE.search(text, begin, min(para_end, begin + 800))
        if close is None or close.start() - begin < 2:
            continue
        out.append((begin, close.start()))
        pos = close.end()
    return sorted(out)


def _speaker_room(cue: Any, start: int, ctx: _Ctx) -> int:
    """How many words may lie between a quotation and its cue: a few, or a
    long speaker phrase when that is all there is ("…,'' James Comey, the
    director of the Federal Bureau of Investigation, said")."""
    subj = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
    if subj is None:
        return 12
    phrase = {t.i for t in subj.subtree}
    between = ctx.doc.char_span(start, cue.idx, alignment_mode="contract")
    if between is not None and all(t.i in phrase or t.is_punct or t.is_space for t in between):
        return 30
    return 12


def _adjacent_quote(cue: Any, sent: Any, ctx: _Ctx) -> tuple[int, int] | None:
    """A quotation that ends just before the cue's clause ("“…,” he said") or
    starts just after the cue ("he said: “…”") in the same sentence."""
    text = ctx.text
    s_start, s_end = sent.start_char, sent.end_char
    best: tuple[int, int] | None = None
    for qs, qe in ctx.quotes:
        if qe - qs < 8:
            continue
        if _quoted_phrase(qs, qe, ctx):
            # nearer than any quotation before it; none after it is the cue's
            if qs > cue.idx:
                break
            best = None
            continue
        # a quotation ending in "?" or "!" is a sentence of its own to the
        # parser: '"Who pays?" the mayor asked.' opens the cue's sentence
        # a closing mark of two characters ("''") ends one further on
        close = qe + (2 if text.startswith("''", qe) else 1)
        ends_before = (
            qe < s_start - 1
            and text[close:s_start].strip() == ""
            and text[qs:qe].rstrip(" \"'”’").endswith(("?", "!"))
        )
        if qe <= cue.idx and (qe >= s_start - 1 or ends_before):
            between = text[qe + 1 : cue.idx]
            if "\n" in between:
                continue
            if (
                cue.tag_ == "VBG"
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
                and re.search(r"\w", between)
            ):
                continue  # "… to back “the plan” while adding": a participle's quotation follows it
            if len(between.split()) <= _speaker_room(cue, qe + 1, ctx) and not any(
                a >= qe + 1 and b <= cue.idx for a, b in ctx.quotes
            ):
                best = (qs, qe)
        elif qs > cue.idx and qs - 1 < s_end + 2:
            between = text[cue.idx + len(cue.text) : qs - 1]
            words = between.split()
            if "\n" in between and not between.strip().endswith(":"):
                break
            if (
                len(words) <= 8
                and ("," in between or ":" in between or between.strip() == "" or len(words) <= 3)
                and best is None
                and not _another_verb(cue, qs, ctx)
            ):
                return (qs, qe)
    return best


def _another_verb(cue: Any, qs: int, ctx: _Ctx) -> bool:
    """ "… who reports to the mayor, and called for “…”": a finite verb
    coordinated between the cue and a quotation after it; the quotation is
    that verb's ("said as he arrived: “…”" is the cue's)."""
    span = ctx.doc.char_span(cue.idx + len(cue.text), qs, alignment_mode="contract")
    return span is not None and any(
        t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP") and t.dep_ == "conj" for t in span
    )


def _quoted_phrase(qs: int, qe: int, ctx: _Ctx) -> bool:
    """Whether a quotation is a few words set in quotes inside a phrase of
    the sentence (a “creative” use, Olsen “laughed” and said, a "Stop
    Brandt" campaign), not words someone said that stand on their own: it
    has no verb, or two words at most, and the phrase runs on straight
    before it (an article or a word, no comma or colon) or after it (a word)."""
    text = ctx.text
    inner = ctx.doc.char_span(qs, qe, alignment_mode="expand")
    if inner is None:
        return False
    words = [t for t in inner if not (t.is_punct or t.is_space)]
    if (
        not words
        or words[-1].text in ("?", "!")
        or text[qs:qe].rstrip(" ,").endswith((".", "?", "!"))
    ):
        return False
    if len(words) > 2 and any(t.pos_ in ("VERB", "AUX") for t in words):
        return False
    # the word before the opening mark: an article, a possessive, an adjective
    prev = ctx.doc[inner.start - 1] if inner.start > 0 else None
    while prev is not None and prev.i > 0 and (prev.is_quote or prev.is_space):
        prev = ctx.doc[prev.i - 1]
    runs_in = prev is not None and prev.tag_ in ("DT", "PRP$", "POS", "JJ", "IN")
    close = qe + (2 if text.startswith("''", qe) else 1)
    after = text[close : close + 40].lstrip(" \t")
    return runs_in or (bool(after) and after[0].isalnum())


def _one_per_quote(drafts: list[_Draft]) -> list[_Draft]:
    """A quotation has one speaker: the cue nearest to it wins."""
    best: dict[tuple[int, int], _Draft] = {}
    for d in drafts:
        if not d.direct or d.tokens is not None or d.cue_pos < 0:
            continue
        key = (d.start, d.end)
        dist = min(abs(d.cue_pos - d.start), abs(d.cue_pos - d.end))
        old = best.get(key)
        if old is None or dist < min(abs(old.cue_pos - old.start), abs(old.cue_pos - old.end)):
            best[key] = d
    return [
        d
        for d in drafts
        if not d.direct or d.tokens is not None or d.cue_pos < 0 or best.get((d.start, d.end)) is d
    ]


def _continuation(
    sent: Any, k: int, ctx: _Ctx, drafts: list[_Draft], covered: set[tuple[int, int]]
) -> _Draft | None:
    """A quotation paragraph with no cue of its own continues the previous
    speaker when it follows that speaker's claim closely."""
    text = ctx.text
    first = sent.start_char
    while first < sent.end_char and text[first] in " \n\t":
        first += 1
    if first >= len(text) or text[first] not in "\"“«‘'":
        return None
    q = ctx.quote_at(first + 1)
    if q is None or q in covered or not drafts:
        return None
    prev = drafts[-1]
    if k - prev.sentence > 3 or ctx.para_of[k] - ctx.para_of[prev.sentence] > 1:
        return None
    if prev.speaker.kind == "other" and prev.cue == "reported":
        return None
    covered.add(q)
    content, start, end = _finish(text, q[0], q[1], None, ctx)
    if len(content.split()) < 3:
        return None
    return _Draft(prev.speaker, prev.cue, _stance("say", content, []), True, start, end, None, k, 0)


def _join_split_quotes(drafts: list[_Draft], ctx: _Ctx) -> None:
    """ "“A,” he said. “B.”" and "“A,” he said, “B”": a quotation broken by
    its cue is one claim; the part after the cue joins the part before it
    when no other cue claims it (in place)."""
    text = ctx.text
    taken = [(d.start, d.end) for d in drafts]
    for d in drafts:
        end = _quoted_end(d, ctx)
        if end is None or d.cue_pos < end:
            continue
        nxt = next((q for q in ctx.quotes if q[0] > d.cue_pos), None)
        if nxt is None or nxt[1] - nxt[0] < 8 or not ctx.same_para(end, nxt[0]):
            continue
        between = text[end : nxt[0]].strip(" \t\"“”«»'`")
        # "“A,” he said, but “B”": the quotation goes on past a conjunction
        conj = re.search(r",\s+(but|and)$", between)
        between = between[: conj.start() + 1] if conj is not None else between
        # the cue and its speaker, with a long title or a relative clause
        # ("said Gregory Slayton, whom the president appointed …, and who …")
        if len(between.split()) > 30 or not between.endswith((",", ".", ":", ";", "—")):
            continue
        if "\n" in between or _SENTENCE_END.search(between[:-1]):
            continue
        if any(a < nxt[1] and nxt[0] < b for a, b in taken if (a, b) != (d.start, d.end)):
            continue
        if _other_speaker_between(ctx, d.cue_pos, nxt[0]):
            continue
        own = d.tokens
        if own is None:
            first = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
            second = ctx.doc.char_span(nxt[0], nxt[1], alignment_mode="expand")
        else:
            # a reported clause keeps its quotation marks: the words up to
            # the closing mark, the second quotation with its own
            last = own[-1].idx + len(own[-1].text)
            rest = ctx.doc.char_span(last, end + 1, alignment_mode="expand")
            first = own + [t for t in rest or () if t.i > own[-1].i]
            second = ctx.doc.char_span(nxt[0] - 1, nxt[1] + 1, alignment_mode="expand")
        if first is None or second is None:
            continue
        d.joined = own is not None
        # the conjunction stays between the parts ("I admire Tom, but when …")
        link = _last_word(ctx, end, nxt[0], conj.group(1)) if conj is not None else []
        d.tokens = (
            [t for t in first if not t.is_space] + link + [t for t in second if not t.is_space]
        )
        d.end = nxt[1]


def _last_word(ctx: _Ctx, start: int, end: int, word: str) -> list[Any]:
    """The last token ``word`` between two offsets, as a list of one or none."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand") or ()
    return [t for t in span if t.lower_ == word][-1:]


def _quoted_end(d: _Draft, ctx: _Ctx) -> int | None:
    """Where a content ends when it ends with a quotation: a quotation by
    itself, or a reported clause whose last words are quoted ("Yet, “it is
    hard to tell,” he added"); None for other contents."""
    if d.direct and d.tokens is None:
        return d.end
    if d.direct or not d.tokens or d.cut:
        return None
    words = [t for t in d.tokens if not (t.is_punct or t.is_space)]
    q = ctx.quote_at(words[-1].idx) if words else None
    if q is None or q[0] <= d.tokens[0].idx:
        return None
    if any(t.idx >= q[1] and not (t.is_punct or t.is_space) for t in d.tokens):
        return None
    return q[1]


def _other_speaker_between(ctx: _Ctx, cue_pos: int, quote_start: int) -> bool:
    """ "“A,” Vance said as the heckler yelled: “B”": a verb with a subject of
    its own between the cue and the next quotation introduces someone else."""
    span = ctx.doc.char_span(cue_pos, quote_start, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    cue = span[0]
    if cue.sent.end_char <= quote_start:
        return False  # a quotation that opens the next sentence goes on with the speaker
    own = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return any(
        t.idx > cue_pos
        and t.pos_ == "VERB"
        and t.dep_ in ("advcl", "conj")
        and t.head.idx == cue_pos
        and any(
            c.dep_ == "nsubj"
            and c.idx > cue_pos
            and c.pos_ != "PRON"
            and (own is None or c.lower_ != own.lower_)
            for c in t.children
        )
        for t in span
    )


# a full stop that ends a sentence, not one after a title or an initial
# ("Ms. Boxer said.", "John J. Ferriola said.")
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)"
    r"(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bCol)(?<!\bLt)(?<!\bProf)"
    r"[.?!] "
)


def _run_on_quotes(drafts: list[_Draft], ctx: _Ctx, sent_at: Any) -> list[_Draft]:
    """A quotation that runs over several paragraphs without reopening them
    ("Quote from X: “… ¶ … ¶ … claims.”"): the paragraphs up to the one that
    closes it are the same speaker's, one claim each. Claims read inside
    them are quoted speech, not attributions of their own. ``sent_at`` maps
    a character offset to its sentence index."""
    text = ctx.text
    added: list[_Draft] = []
    spans: list[tuple[int, int]] = []
    for d in drafts:
        if not d.direct or d.tokens is not None or d.end >= len(text) or text[d.end] != "\n":
            continue
        q = ctx.quote_at(d.start)
        if q is None or q[1] != d.end:
            continue
        paras: list[tuple[int, int]] = []
        pos = d.end
        closed = False
        while pos < len(text) and len(paras) < 6:
            while pos < len(text) and text[pos] in " \t\n":
                pos += 1
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            para = text[pos:end]
            if not para or para[0] in _OPENERS:
                break
            close = min((i for i in (para.find("”"), para.find('"')) if i >= 0), default=-1)
            if close >= 0:
                paras.append((pos, pos + close))
                closed = "“" not in para[:close]
                break
            paras.append((pos, end))
            pos = end
        if not closed:
            continue
        for a, b in paras:
            content, start, stop = _finish(text, a, b, None, ctx)
            if len(content.split()) >= 3:
                stance = _stance(d.cue_lemma or "say", content, [])
                added.append(
                    replace(d, start=start, end=stop, sentence=sent_at(a), stance=stance, also=[])
                )
        spans.append((paras[0][0], paras[-1][1]))
    inside = [d for d in drafts if any(a <= max(d.cue_pos, d.start) < b for a, b in spans)]
    return [d for d in drafts if d not in inside] + added


_OPENERS = ("“", '"', "«")


# "“…” ― Ana Ruiz", "“…” — Tom Brask (@tbrask) May 2, 2024": a quotation
# signed by a dash and a name at the end of its paragraph (pull quotes,
# readers' voices, posts copied into a story)
_SIGNATURE = re.compile(
    r"[”\"]\s*[―—–]\s*(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})"
    r"(?:\s*\(@\w+\))?(?:\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?[\s.\u00a0]*$"
)


def signed_quotes(ctx: _Ctx, sent_at: Any) -> list[_Draft]:
    """Each quotation signed at the end of its paragraph with a dash and a
    name ("“The plan will fail.” ― Ana Ruiz"): the signer's words, whoever
    the paragraphs around it quote."""
    text = ctx.text
    out: list[_Draft] = []
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        m = _SIGNATURE.search(text, pos, end)
        if m is not None:
            opening = pos
            while opening < m.start() and text[opening] in " \t\u00a0":
                opening += 1
            # the paragraph opens the quotation (a closing mark stands for an
            # opening one in some copy: "”The plan …” ― Ana Ruiz")
            if opening < m.start() and text[opening] in '“”"':
                q = (opening + 1, m.start())
                name_start, name_end = m.start("name"), m.end("name")
                mention = next(
                    (
                        x
                        for x in ctx.mentions_in(name_start, name_end)
                        if x.start >= name_start and x.entity.type in ("PERSON", "ORG")
                    ),
                    None,
                )
                span = ctx.doc.char_span(name_start, name_end, alignment_mode="expand")
                if span is not None:
                    name = mention.entity.name if mention is not None else text[name_start:name_end]
                    speaker = _Speaker(
                        name,
                        mention.entity.id if mention is not None else None,
                        _kind(mention, span[-1]) if mention is not None else "person",
                        name_start,
                    )
                    content, start, stop = _finish(text, q[0], q[1], None, ctx)
                    if len(content.split()) >= 3:
                        out.append(
                            _Draft(
                                speaker,
                                "―",
                                _stance("say", content, []),
                                True,
                                start,
                                stop,
                                None,
                                sent_at(start),
                                0,
                            )
                        )
        pos = end + 1
    return out
