"""The passes over one story, in order, and the claims they make."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.analysis.claims.base import (
    _Ctx,
    _datelines,
    _Draft,
    _finish,
    _named_outside,
    _overlap,
    _paragraphs,
    _sentence_index,
    _union,
)
from bot.analysis.claims.nominal_cues import (
    _according_claim,
    _colon_claim,
    _headline_claim,
    _intro_block_claims,
    _message_claim,
    _source_relative,
    _statement_claim,
    _view_claim,
)
from bot.analysis.claims.quotes import (
    _continuation,
    _join_split_quotes,
    _one_per_quote,
    _run_on_quotes,
    quote_spans,
    signed_quotes,
)
from bot.analysis.claims.sides import _learn_sides, _speaker_side
from bot.analysis.claims.split import split_clauses
from bot.analysis.claims.uncued import _belief_claims, _carry_over, _outlet_fact
from bot.analysis.claims.verb_cues import _aux_cue_lemma, _cue_lemma, _verb_claim
from bot.analysis.cues import (
    CLAUSE_ONLY_CUES,
    CUE_VERBS,
    POSITION_CUES,
    RECORD_CUES,
    is_outlet_name,
)
from bot.analysis.nlp import text_of
from bot.analysis.numbers import extract_numbers
from bot.models import Claim, Mention, Stance


def extract_claims(doc: Any, mentions: Sequence[Mention], outlet: str | None) -> list[Claim]:
    """The attributed claims of a parsed story, in text order."""
    sent_of, sents = _sentence_index(doc)
    text = text_of(doc)
    datelines = _datelines(doc, text, mentions)
    ctx = _Ctx(
        doc=doc,
        text=text,
        mentions=_named_outside(mentions, datelines),
        outlet=outlet,
        quotes=quote_spans(text),
        sent_of=sent_of,
        para_of=_paragraphs(text, sents),
        datelines=datelines,
        breaks=[m.start() for m in re.finditer(r"\n", text)],
    )
    _learn_sides(ctx)
    starts = [s.start_char for s in sents]

    def sent_at(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    headline = _headline_claim(ctx, sent_at)
    drafts: list[_Draft] = []
    covered_quotes: set[tuple[int, int]] = set()
    for k, sent in enumerate(sents):
        found: list[_Draft] = []
        cues = [
            t
            for t in sent
            if (
                _cue_lemma(t) in CUE_VERBS or t.lemma_.lower() in POSITION_CUES or _aux_cue_lemma(t)
            )
            and not ctx.in_quote(t.idx)
            and not ctx.in_dateline(t.idx)
        ]
        for cue in cues:
            d = _verb_claim(cue, sent, k, ctx)
            if d is not None:
                found.append(d)
        # a relay ("…, UNIAN has reported") whose content holds another claim
        found = _drop_relays(found, ctx)
        for t in sent:
            if ctx.in_quote(t.idx):
                continue
            if t.lower_ == "according":
                others = [f for f in found if not _source_relative(t, f, ctx)]
                d = _according_claim(t, sent, k, ctx, has_other=bool(others))
                if d is not None:
                    found.append(d)
            elif t.dep_ == "prep" and t.lower_ in ("in", "during"):
                d = _statement_claim(t, sent, k, ctx)
                same = [f for f in found if d is not None and f.cue_pos == d.cue_pos]
                if d is not None and same:
                    # "In a statement, the Red Cross appealed for …": the
                    # position's verb is in the content, the statement is the cue
                    same[0].cue = d.cue
                elif d is not None and not any(_overlap(d, f) for f in found):
                    found.append(d)
            elif t.dep_ == "prep" and t.lower_ == "for":
                d = _view_claim(t, sent, k, ctx)
                if d is not None and not any(_overlap(d, f) for f in found):
                    found.append(d)
        found.extend(_belief_claims(sent, k, ctx, found))
        if headline is not None and k > headline.sentence:
            # "Vale: Dorn thinks …" parsed as two sentences: the belief is the headline's
            found = [
                f
                for f in found
                if not (
                    f.cue_lemma in CLAUSE_ONLY_CUES and headline.start <= f.cue_pos < headline.end
                )
            ]
        if headline is not None and headline.sentence == k:
            # "Vale: ‘We Will Rebuild’" heads the story
            if not any(_overlap(headline, f) for f in found):
                found.append(headline)
        elif not found:
            d = _colon_claim(sent, k, ctx) or _message_claim(sent, k, ctx)
            if d is not None:
                found.append(d)
        elif _opens_turn(sent, ctx):
            # "BENENSON: This is a man who said …": the turn is the speaker's,
            # the claim inside it another's
            d = _colon_claim(sent, k, ctx)
            if d is not None:
                found.append(d)
        block = _intro_block_claims(sent, ctx, sent_at)
        if block and all(f.end <= block[0].end and f.start >= block[0].start for f in found):
            # "… shared this message:" and the quoted paragraphs after it
            found = []
            drafts.extend(block)
            ctx.history.append(replace(block[0].speaker, pos=sent.start_char))
        found = _dedupe(_drop_nested_reports(_drop_nested_beliefs(found), ctx))
        for d in found:
            ctx.history.append(replace(d.speaker, pos=sent.start_char, minor=_in_relative(d, ctx)))
        drafts.extend(found)
    signed = signed_quotes(ctx, sent_at)
    if signed:
        # "“…” ― Ana Ruiz": the signer's words, not a cue's nearby
        drafts = [d for d in drafts if not any(_overlap(d, s) for s in signed)]
        drafts.extend(signed)
    drafts = _one_per_quote(drafts)
    _join_split_quotes(drafts, ctx)
    drafts = _run_on_quotes(drafts, ctx, sent_at)
    for d in drafts:
        if d.direct or d.joined:
            for q in ctx.quotes:
                if q[0] < d.end and d.start < q[1]:
                    covered_quotes.add(q)
    # second pass: sentences without an attribution of their own
    claimed = {d.sentence for d in drafts}
    quoted = _union((d.start, d.end) for d in drafts if d.direct or d.joined)
    quoted_starts = [q[0] for q in quoted]
    for k, sent in enumerate(sents):
        i = bisect_right(quoted_starts, sent.start_char) - 1
        if i >= 0 and sent.start_char < quoted[i][1]:
            claimed.add(k)
    extra: list[_Draft] = []
    lead = _lead_end(sents, ctx)
    # the latest claim before each sentence, walked in step (not re-sorted per sentence)
    ordered = sorted(drafts, key=lambda d: d.sentence)
    nxt = 0
    latest: _Draft | None = None
    for k, sent in enumerate(sents):
        while nxt < len(ordered) and ordered[nxt].sentence < k:
            if (latest is None or ordered[nxt].sentence >= latest.sentence) and not (
                _held(ordered[nxt])
            ):
                latest = ordered[nxt]
            nxt += 1
        if k in claimed:
            continue
        before = [latest] if latest is not None else []
        d = _continuation(sent, k, ctx, before, covered_quotes)
        if d is None:
            d = _carry_over(sent, k, ctx, before)
        if d is None and ctx.para_of[k] <= lead:
            d = _outlet_fact(sent, k, ctx)
        if d is not None:
            extra.append(d)
            latest = d
    drafts.extend(extra)
    links = _link_list(sents, ctx)
    drafts = [d for d in drafts if d.sentence not in links]
    drafts = [e for d in drafts for e in (d, *(replace(d, speaker=sp) for sp in d.also))]
    claims = [_with_parts(d, ctx) for d in sorted(drafts, key=lambda d: (d.sentence, d.start))]
    return _once_each(claims)


_LINKS_WORDS = re.compile(r"related|read more|see also|also read", re.I)
_LINKS_LABEL = re.compile(
    r"^\W*(related|related (stories|coverage|articles|links)|read more|see also|also read)\W*$",
    re.I,
)


def _a_title(text: str) -> bool:
    """A line in title case ("Candidates Reject The Idea Of A Wage Hike"):
    most of its longer words capitalized, and short."""
    words = [w for w in re.findall(r"[^\W\d_][\w’']*", text) if len(w) > 3]
    return 0 < len(words) <= 20 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _link_list(sents: list[Any], ctx: _Ctx) -> set[int]:
    """The sentences of a list of links to other stories: the title-case
    lines after a paragraph that is only a label ("Related:", "Read more:").
    They are other stories' headlines, no claims of this one."""
    if not _LINKS_WORDS.search(ctx.text):
        return set()
    paras: dict[int, list[int]] = {}
    for k in range(len(sents)):
        paras.setdefault(ctx.para_of[k], []).append(k)
    out: set[int] = set()
    listing = False
    for _, ks in sorted(paras.items()):
        text = ctx.text[sents[ks[0]].start_char : sents[ks[-1]].end_char].strip()
        if _LINKS_LABEL.match(text):
            listing = True
        elif listing and _a_title(text):
            out.update(ks)
        else:
            listing = False
    return out


def _lead_end(sents: list[Any], ctx: _Ctx) -> int:
    """The last paragraph of the story's lead: the headline and the first
    paragraph after it that holds a full sentence. An outlet states the news
    there; a fact sentence further down is background (history, context
    figures) that the outlet gives, not a claim to alert on."""
    for k, sent in enumerate(sents):
        words = [t for t in sent if t.is_alpha]
        if ctx.para_of[k] > 0 and len(words) >= 8:
            return ctx.para_of[k]
    return 1


def _opens_turn(sent: Any, ctx: _Ctx) -> bool:
    """Whether a sentence opens a transcript turn: a name in capitals and a
    colon at the start of a paragraph ("KOVAL: …")."""
    head = [t for t in sent[:5] if not t.is_space]
    colon = next((n for n, t in enumerate(head) if t.text == ":"), None)
    if colon is None or colon == 0:
        return False
    if ctx.text[: sent.start_char].rstrip(" \t")[-1:] not in ("", "\n"):
        return False
    words = [t for t in head[:colon] if t.is_alpha]
    return bool(words) and all(t.text.isupper() and len(t.text) > 1 for t in words)


def _held(d: _Draft) -> bool:
    """A belief, a view or a finding (not speech): a quotation after it does
    not go on with its words ("Many voters see him as a fighter. “…”")."""
    return d.cue_lemma in CLAUSE_ONLY_CUES and not d.direct


def _once_each(claims: list[Claim]) -> list[Claim]:
    """A headline repeated as the lead is one claim: the same speaker saying
    the same words again in one story is kept once, where first said."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in claims:
        key = (c.speaker.casefold(), re.sub(r"\W+", " ", c.text).strip().casefold())
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _dedupe(found: list[_Draft]) -> list[_Draft]:
    out: list[_Draft] = []
    for d in sorted(found, key=lambda d: d.end - d.start, reverse=True):
        same = [o for o in out if o.start == d.start and o.end == d.end]
        if same:
            continue
        # a content inside another claim's content by the same speaker (not
        # one the other's content leaves out: "…, which he called “…”")
        inner = [
            o
            for o in out
            if o.speaker.name == d.speaker.name
            and o.start <= d.start
            and d.end <= o.end
            and (o.tokens is None or d.tokens is None or _token_subset(d.tokens, o.tokens))
        ]
        if inner and d.stance is Stance.ASSERT:
            continue
        out.append(d)
    return sorted(out, key=lambda d: d.start)


def _token_subset(inner: list[Any], outer: list[Any]) -> bool:
    """Whether every word of ``inner`` is among ``outer``'s tokens."""
    have = {t.i for t in outer}
    return all(t.i in have for t in inner if not t.is_punct)


def _drop_nested_beliefs(found: list[_Draft]) -> list[_Draft]:
    """ "OpenAI said a review found he was not candid": a belief or finding
    reported inside another claim belongs to that claim, not beside it; so
    does a claim someone only may make ("says Beijing may claim the men
    are volunteers": the general's guess, not Beijing's claim)."""
    return [
        d
        for d in found
        if (
            d.cue_lemma not in CLAUSE_ONLY_CUES | RECORD_CUES
            and not (
                d.stance is Stance.QUESTION and CUE_VERBS.get(d.cue_lemma) is not Stance.QUESTION
            )
        )
        or not any(o is not d and o.start <= d.cue_pos < o.end for o in found)
    ]


def _drop_nested_reports(found: list[_Draft], ctx: _Ctx) -> list[_Draft]:
    """ "Ortiz said a panel estimated that …", "aides said the mayor had
    rejected the idea": a claim not in quotation marks whose cue is the top
    word of another claim's content (its head outside that content) is what
    the other speaker reports, part of that claim and no claim beside it (on
    PolNeAR train such inner reports match no attribution of their own, 13
    times in 14); so is a participle after a preposition anywhere in that
    content (``_subordinate_participle``). Reads each claim's cue token and
    the other contents' spans."""
    out = []
    for d in found:
        if d.cue_pos >= 0 and not d.direct:
            span = ctx.doc.char_span(d.cue_pos, d.cue_pos + 1, alignment_mode="expand")
            tok = span[0] if span is not None and len(span) else None
            if tok is not None and any(
                o is not d
                and o.start <= d.cue_pos < o.end
                and (not (o.start <= tok.head.idx < o.end) or _subordinate_participle(tok))
                for o in found
            ):
                continue
        out.append(d)
    return out


def _subordinate_participle(tok: Any) -> bool:
    """ "said he had given no speeches since announcing his candidacy", "was
    like saying …", "leaning toward supporting Trump": a participle after a
    preposition is a circumstance of the reported clause, no report beside it
    (on PolNeAR train, 4 such claims of 4 matched nothing); so is a cue in a
    condition ("… if he refuses to divulge his plans"). Reads the cue token's
    tag, dependency and subordinator."""
    if tok.tag_ == "VBG" and tok.dep_ == "pcomp":
        return True
    # "insisted his position will be strongest if he refuses to divulge
    # his plans": a condition, nothing said
    return bool(
        tok.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children)
    )


def _drop_relays(found: list[_Draft], ctx: _Ctx) -> list[_Draft]:
    out = []
    for d in found:
        if is_outlet_name(d.speaker.name, ctx.outlet):
            others = [o for o in found if o is not d and not is_outlet_name(o.speaker.name)]
            if others:
                continue
        if d.cue_lemma == "report" and any(
            o is not d and d.start <= o.start and o.end <= d.end + 1 for o in found
        ):
            continue
        out.append(d)
    return out


def _with_parts(d: _Draft, ctx: _Ctx) -> Claim:
    """The claim, with the propositions its content holds when it holds several."""
    whole = _to_claim(d, ctx)
    parts = split_clauses(d, ctx)
    if len(parts) < 2:
        return whole
    return replace(whole, parts=tuple(_to_claim(p, ctx) for p in parts))


def _to_claim(d: _Draft, ctx: _Ctx) -> Claim:
    text = ctx.text
    if d.tokens is not None:
        content, _, _ = _finish(text, d.start, d.end, d.tokens, ctx, d.cut)
    else:
        content, _, _ = _finish(text, d.start, d.end, None, ctx)
    ents: list[str] = []
    for m in ctx.mentions_in(d.start, d.end):
        if m.entity.id != d.speaker.id and m.entity.id not in ents:
            ents.append(m.entity.id)
    return Claim(
        speaker=d.speaker.name,
        cue=d.cue,
        stance=d.stance,
        direct=d.direct,
        text=content,
        speaker_id=d.speaker.id,
        entities=tuple(ents),
        numbers=extract_numbers(content),
        sentence=d.sentence,
        speaker_side=_speaker_side(d.speaker, ctx),
    )


def _in_relative(d: _Draft, ctx: _Ctx) -> bool:
    """Whether a claim's cue sits in a relative clause ("a rival who said")."""
    if d.cue_pos < 0:
        return False
    span = ctx.doc.char_span(d.cue_pos, d.cue_pos + 1, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].dep_ == "relcl"
