"""Nominal cues: "according to X", "in a statement", "X: …" (transcripts)."""

from __future__ import annotations

from typing import Any

from bot.analysis.claims.base import (
    _SUBJ,
    _according_to,
    _clean,
    _Ctx,
    _Draft,
    _finish,
    _pobj,
    _relay_tokens,
    _Speaker,
    _stance,
    _sub,
)
from bot.analysis.claims.speakers import _kind, _speaker, _transcript_speaker
from bot.analysis.claims.verb_content import _view_for
from bot.analysis.claims.verb_cues import _draft_from_tokens, _subject_of
from bot.analysis.cues import (
    CUE_VERBS,
    DOCUMENT_NOUNS,
    INSTITUTION_NOUNS,
    ROLE_NOUNS,
    STATEMENT_NOUNS,
    is_outlet_name,
)
from bot.models import Stance


def _active_speaker(verb: Any, ctx: _Ctx) -> tuple[Any, _Speaker] | None:
    """The subject of an active ``verb`` and the speaker it names, or None."""
    subj, passive = _subject_of(verb, ctx)
    if subj is None or passive:
        return None
    speaker = _speaker(subj, ctx)
    return None if speaker is None else (subj, speaker)


def _according_claim(tok: Any, sent: Any, k: int, ctx: _Ctx, has_other: bool) -> _Draft | None:
    pobj = _according_to(tok)
    if pobj is None:
        return None
    name = _clean(_sub(pobj))
    if has_other and (is_outlet_name(name, ctx.outlet) or pobj.pos_ != "PROPN"):
        return None
    # "“…,” Solberg said, according to Wirewatch": the phrase hangs on a cue
    # that has its own speaker, so it names a relay
    if has_other and tok.head.lemma_.lower() in CUE_VERBS:
        return None
    # "according to data from the health ministry": the source is the ministry
    target = pobj
    if pobj.pos_ == "NOUN" and pobj.lemma_.lower() not in ROLE_NOUNS | INSTITUTION_NOUNS:
        for c in pobj.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                inner = _pobj(c)
                if inner is not None:
                    target = inner
    skip = {t.i for t in tok.subtree}
    if pobj.i not in skip:
        # a name the parser left outside the phrase ("according to the F.A.A.")
        skip.update(range(tok.i, pobj.i + 1))
        skip.update(t.i for t in pobj.subtree)
    # "according to the talks' chair, UN envoy Halvard Munk." - an apposition
    # at the end of the sentence the parser hung elsewhere
    tail_start = max(skip) + 1
    tail = [t for t in sent if t.i >= tail_start]
    while tail and tail[-1].is_punct:
        tail = tail[:-1]
    if (
        tail
        and tail[0].text == ","
        and len(tail) <= 7
        and not any(t.pos_ in ("VERB", "AUX") for t in tail)
    ):
        people = [
            m
            for m in ctx.mentions_in(tail[0].idx, tail[-1].idx + len(tail[-1].text))
            if m.entity.type == "PERSON"
        ]
        skip.update(t.i for t in tail)
        if people:
            m = people[-1]
            speaker: _Speaker | None = _Speaker(m.entity.name, m.entity.id, "person", tail[0].idx)
        else:
            speaker = _speaker(target, ctx)
    else:
        speaker = _speaker(target, ctx)
    if speaker is None:
        return None
    head = tok.head
    toks = [t for t in _sub(head) if t.i not in skip] if head.i != tok.i else []
    if head.dep_ != "ROOT" and head.head.i != head.i:
        # attached low: take the whole sentence minus the phrase
        toks = [t for t in sent if t.i not in skip]
    relay = _relay_tokens(sent, ctx)
    toks = [t for t in toks if t.i not in relay and t.i not in _relative_after(pobj)]
    # "…, according to X, with …": one comma where the phrase was taken out
    toks = [t for n, t in enumerate(toks) if not (t.text == "," and n and toks[n - 1].text == ",")]
    while toks and toks[0].is_punct:
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in '”"»%':
        toks = toks[:-1]
    if len([t for t in toks if not t.is_punct]) < 3:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text, start, end = _finish(ctx.text, start, end, toks, ctx)
    words = [t for t in toks if not t.is_punct]
    direct = all(ctx.in_quote(t.idx) for t in words)
    return _Draft(speaker, "according to", _stance("say", text, []), direct, start, end, toks, k, 0)


def _relative_after(pobj: Any) -> set[int]:
    """The token indices of a relative clause right after the source of
    "according to" (", who said …"), with its comma; empty if none."""
    doc = pobj.doc
    nxt = max(t.i for t in pobj.subtree) + 1
    start = nxt
    while nxt < len(doc) and doc[nxt].text == ",":
        nxt += 1
    if nxt >= len(doc) or doc[nxt].tag_ not in ("WP", "WDT") or doc[nxt].head.dep_ != "relcl":
        return set()
    rel = doc[nxt].head
    return set(range(start, max(t.i for t in rel.subtree) + 1))


def _source_relative(tok: Any, other: _Draft, ctx: _Ctx) -> bool:
    """ "…, according to officials, who said the toll could rise": a claim
    the source of "according to" makes in a relative clause right after it
    is no other attribution of the sentence."""
    pobj = _according_to(tok)
    if pobj is None or other.cue_pos < 0:
        return False
    span = ctx.doc.char_span(other.cue_pos, other.cue_pos + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    cue = span[0]
    if cue.dep_ != "relcl":
        return False
    end = max(t.i for t in pobj.subtree)
    doc = cue.doc
    nxt = end + 1
    while nxt < len(doc) and doc[nxt].is_punct:
        nxt += 1
    return nxt < len(doc) and doc[nxt].tag_ in ("WP", "WDT") and nxt < cue.i


def _view_claim(tok: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "…, but for Republicans, it is a smoking gun": the view of the people a
    "for" phrase before the clause's subject names (see ``_view_for``)."""
    verb = tok.head
    holder = _view_for(verb)
    if holder is None or holder.i != tok.i:
        return None
    obj = _pobj(tok)
    speaker = None if obj is None else _speaker(obj, ctx)
    if speaker is None:
        return None
    skip = {t.i for t in tok.subtree}
    toks = [t for t in _sub(verb) if t.i not in skip and t.i > tok.i]
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks = toks[1:]
    draft = _draft_from_tokens(speaker, verb, "think", toks, sent, k, ctx, False)
    if draft is None:
        return None
    draft.cue = "".join(t.text_with_ws for t in tok.subtree).strip()
    return draft


# what a verb needs after it to say something in a statement ("condemned the
# attack", "appealed for calm", "was wrong"), beyond the statement phrase itself
_STATED = frozenset({"dobj", "dative", "ccomp", "xcomp", "attr", "acomp", "oprd", "prep"})


def _states_something(verb: Any, prep: Any) -> bool:
    """Whether the verb a statement phrase hangs on says something in it: a
    main verb with a complement of its own. Not a clause of time or manner
    ("as he has demonstrated in recent speeches", "after the senator quit"),
    a participle ("the bureau cited in his tweet"), nor a verb that only takes
    part in the interview or leads to the tweet ("will participate in an
    interview", "ultimately resulted in his tweet")."""
    if verb.dep_ in ("acl", "amod") or any(c.dep_ == "mark" for c in verb.children):
        return False
    return any(c.dep_ in _STATED and c.i != prep.i for c in verb.children)


def _statement_claim(tok: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "In a statement, the ministry condemned …": a nominal cue on a verb
    that is not a cue itself."""
    obj = _pobj(tok)
    if obj is None or obj.lemma_.lower() not in STATEMENT_NOUNS:
        return None
    verb = tok.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in CUE_VERBS:
        return None
    if not _states_something(verb, tok):
        return None
    active = _active_speaker(verb, ctx)
    if active is None:
        return None
    subj, speaker = active
    skip = {t.i for t in tok.subtree} | {t.i for t in subj.subtree}
    toks = [t for t in _sub(verb) if t.i not in skip]
    toks = [t for t in toks if not (t.dep_ == "punct" and t.head.i == verb.i and t.i < verb.i)]
    cue = "".join(t.text_with_ws for t in tok.subtree).strip()
    draft = _draft_from_tokens(speaker, verb, "state", toks, sent, k, ctx, False)
    if draft is None:
        return None
    draft.cue = cue
    return draft


_HOSTS = frozenset(
    {"anchor", "host", "presenter", "interviewer", "moderator", "q", "question", "narrator"}
)


def _is_clause(sent: Any, colon: Any) -> bool:
    """Whether the words after a colon hold a verb with a subject."""
    return any(
        t.i > colon.i and t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJ for c in t.children)
        for t in sent
    )


def _para_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


_RUBRIC_DASHES = frozenset({"-", "—", "–", "--"})


def _after_rubric(left: list[Any]) -> list[Any]:
    """ "RED STATES OUTNUMBER BLUE ONES - Jeffrey Jones: “…”", "Signs were
    there all along -More from Blumenthal and Cohen: “…”": in a round-up, the
    name before a quotation's colon comes after the item's heading and a
    dash (and "More from"); the words before the colon otherwise."""
    dashes = [
        n
        for n, t in enumerate(left)
        if n > 0
        and (
            t.text in _RUBRIC_DASHES
            # "-More" read as one word, the dash stuck to it
            or (t.text[:1] in _RUBRIC_DASHES and t.text[1:].lower() == "more")
        )
    ]
    if not dashes:
        return left
    n = dashes[-1]
    after = left[n + 1 :]
    words = [t.lower_ for t in after[:2]]
    if left[n].text not in _RUBRIC_DASHES:
        words = ["more", *words[:1]]  # "-More" "from"
    if words == ["more", "from"]:
        return after[2:] if left[n].text in _RUBRIC_DASHES else after[1:]
    return after


def _colon_claim(sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "Zelensky: “…”" and transcript turns "ORTIZ: …"."""
    text = ctx.text
    colon = next((t for t in sent if t.text == ":" and not ctx.in_quote(t.idx)), None)
    if colon is None:
        return None
    left = [t for t in sent if t.i < colon.i and ctx.same_para(t.idx, colon.idx) and not t.is_space]
    rest_start = colon.idx + 1
    while rest_start < len(text) and text[rest_start] in (" ", "\xa0"):
        rest_start += 1
    if rest_start >= len(text):
        return None
    quoted = text[rest_start] in "\"“«‘'"
    whole = len(left)
    if quoted:
        left = _after_rubric(left)
    # "… problematic - Pew Research: “…”": a name after a round-up's heading
    after_heading = len(left) < whole
    if not left or len(left) > 8 or any(ctx.in_dateline(t.idx) for t in left):
        return None
    if any(
        t.tag_ == "VB" and not any(c.dep_ in ("nsubj", "aux", "auxpass") for c in t.children)
        for t in left
    ):
        return None  # "But beware, Republicans: …": whom the writer addresses
    found = ctx.mentions_in(left[0].idx, colon.idx)
    speaker: _Speaker | None = None
    persons = [m for m in found if m.entity.type == "PERSON"]
    pick = persons[0] if persons else (found[0] if found else None)
    if pick is not None and (quoted or len(left) <= 4):
        speaker = _Speaker(pick.entity.name, pick.entity.id, _kind(pick, left[0]), left[0].idx)
    elif len(left) <= 8 and not any(t.pos_ in ("VERB", "AUX") for t in left):
        # "HRYTSENKO (through interpreter):" - the parenthesis is no part of the name
        paren = [t.i for t in left if t.text == "("]
        if paren:
            left = [t for t in left if t.i < paren[0]]
        if not left or len(left) > 4:
            return None
        words = [t for t in left if t.is_alpha]
        if not words or not all(t.text[:1].isupper() for t in words):
            return None
        if (
            len(words) == 1
            and words[0].lemma_.lower() in DOCUMENT_NOUNS - _RUBRICS
            and not quoted
            and _is_clause(sent, colon)
        ):
            # a headline "Poll: Rivals tied in the west", "Study: …": the
            # document speaks for whoever made it
            rest_end = min(sent.end_char, _para_end(text, rest_start))
            content, start, end = _finish(text, rest_start, rest_end, None, ctx)
            if not content:
                return None
            speaker = _Speaker(words[0].text, None, "other", words[0].idx)
            stance = _stance("say", content, [])
            return _Draft(speaker, ":", stance, False, start, end, None, k, 0, "say", colon.idx)
        # "Live: …", "Analysis: …" - a rubric, not a name: a transcript name is
        # in capitals or recognised as a person
        if (
            not all(t.text.isupper() for t in words)
            and not any(t.ent_type_ in ("PERSON", "ORG") for t in words)
            and not (quoted and all(t.pos_ == "PROPN" for t in words))
            and not after_heading
        ):
            return None
        if words[0].lower_ in _HOSTS:
            return None
        name = _clean(left)
        speaker = _transcript_speaker(name, ctx, left[0].idx)
    if speaker is None:
        return None
    q = ctx.quote_at(rest_start + 1)
    if quoted and q is not None:
        content, start, end = _finish(text, q[0], q[1], None, ctx)
    elif not quoted and len(left) <= 4 and not _attributes_itself(sent, colon, ctx):
        # transcript turn: the rest of the paragraph, up to a sentence that
        # attributes something itself ("… The governor says …")
        end = text.find("\n", rest_start)
        end = len(text) if end < 0 else end
        for later in ctx.doc.char_span(rest_start, end, alignment_mode="expand").sents:
            if later.start_char <= rest_start:
                continue
            if any(_others_cue(t, ctx) for t in later):
                end = later.start_char
                break
        content, start, end = _finish(text, rest_start, end, None, ctx)
        if content.endswith("?") and "\n" not in text[: colon.idx]:
            return None  # a headline "Dorn: reformer or career politician?" asks about him
        if content.endswith("?"):
            # "ORTIZ: Will the line reopen?": the turn asks
            return _Draft(speaker, ":", Stance.QUESTION, True, start, end, None, k, 0)
    else:
        return None
    if len(content.split()) < 3:
        return None
    return _Draft(speaker, ":", _stance("say", content, []), True, start, end, None, k, 0)


# nouns for what someone said, as the object before a colon and a quotation
# ("delivered a blunt message to the mayor: “…”")
_MESSAGE_NOUNS = STATEMENT_NOUNS | frozenset(
    {"warning", "word", "words", "reply", "answer", "response", "verdict", "advice", "plea"}
    | {"appeal", "retort", "rebuke", "explanation", "promise", "pledge", "threat", "prediction"}
)


_RECEIVING_VERBS = frozenset(
    {"receive", "get", "obtain", "hear", "read", "see", "view", "review", "find", "quote"}
)


def _message_claim(sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "Vale delivered a blunt message to the mayor: “…”", "The paper had this
    to say about the plan: “…”": a quotation after a colon that closes a
    clause whose object is something said; the clause's subject speaks."""
    text = ctx.text
    colon = next((t for t in sent if t.text == ":" and not ctx.in_quote(t.idx)), None)
    if colon is None:
        return None
    pos = colon.idx + 1
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    two = text.startswith(("''", "``"), pos)
    if not two and (pos >= len(text) or text[pos] not in '"“«'):
        return None
    q = ctx.quote_at(pos + (2 if two else 1))
    if q is None:
        return None
    # the clause before the colon (the parser may root the sentence in the quotation)
    verb = sent.root
    if verb.i > colon.i or ctx.in_quote(verb.idx):
        verb = next(
            (
                t
                for t in sent
                if t.i < colon.i
                and t.pos_ in ("VERB", "AUX")
                and any(c.dep_ == "nsubj" and c.i < t.i for c in t.children)
            ),
            None,
        )
    if verb is None or verb.pos_ not in ("VERB", "AUX") or verb.i > colon.i:
        return None
    if verb.lemma_.lower() in _RECEIVING_VERBS:
        return None  # "received a letter from the council: …" is the council's
    objects = [
        c
        for c in verb.children
        if c.dep_ == "dobj"
        and c.i < colon.i
        and not any(p.dep_ == "prep" and p.lower_ == "from" for p in c.children)
    ]
    said = any(o.lemma_.lower() in _MESSAGE_NOUNS for o in objects) or any(
        o.lower_ == "this"
        and any(c.lemma_.lower() == "say" and c.i < colon.i for c in verb.children)
        for o in objects
    )
    if not said:
        return None
    active = _active_speaker(verb, ctx)
    if active is None or ctx.in_quote(active[0].idx):
        return None
    speaker = active[1]
    content, start, end = _finish(text, q[0], q[1], None, ctx)
    if len(content.split()) < 3:
        return None
    cue = " ".join(t.text for t in sent if verb.i <= t.i < colon.i and t.i <= objects[0].i)
    return _Draft(speaker, cue, _stance("say", content, []), True, start, end, None, k, 0)


def _attributes_itself(sent: Any, colon: Any, ctx: _Ctx) -> bool:
    """ "NWOSU: The first doses have arrived, the minister confirmed." - the
    turn reports someone else's claim."""
    first = colon.doc[colon.i + 1].sent if colon.i + 1 < len(colon.doc) else sent
    return any(
        t.i > colon.i
        and t.pos_ == "VERB"
        and _others_cue(t, ctx)
        and any(c.dep_ in _SUBJ for c in t.children)
        for t in [*sent, *first]
    )


# the people of a conversation: a turn's "I think", "you say" are its own words
_TALKERS = frozenset({"i", "we", "you"})


def _others_cue(t: Any, ctx: _Ctx) -> bool:
    """Whether ``t`` is a cue verb in a transcript turn that reports a third
    party's words ("…, the minister confirmed"), not the turn speaker's own
    ("I think …", "Do you believe …?"), nor a feeling the turn asks for
    ("make every family feel that …")."""
    if t.lemma_.lower() not in CUE_VERBS or ctx.in_quote(t.idx):
        return False
    subj = [c for c in t.children if c.dep_ in _SUBJ]
    if subj and all(c.lower_ in _TALKERS for c in subj):
        return False
    if t.dep_ == "relcl":
        return False  # "This is a man who said …" describes someone
    return not (t.dep_ == "ccomp" and t.head.pos_ == "VERB" and t.head.lemma_.lower() == "make")


_SHARING_VERBS = frozenset(
    {"share", "issue", "release", "publish", "send", "give", "offer", "read", "provide"}
)
_OPENERS = ("“", '"', "«", "‘", "''", "``")
_CLOSERS = ("”", '"', "»", "’", "''")


_SAYING = frozenset({"say", "state", "write", "announce", "declare", "tell", "add", "explain"})


def _plain_paragraph(verb: Any, pos: int, ctx: _Ctx, sent_at: Any) -> _Draft | None:
    """The unquoted paragraph after a verb of saying that ends its sentence with
    a colon and reports nothing of its own: one paragraph, when it holds a
    clause and attributes nothing itself."""
    if verb.lemma_.lower() not in _SAYING or any(
        c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children
    ):
        return None
    active = _active_speaker(verb, ctx)
    if active is None:
        return None
    speaker = active[1]
    text = ctx.text
    end = _para_end(text, pos)
    span = ctx.doc.char_span(pos, end, alignment_mode="expand")
    if span is None or not text[pos : pos + 1].isupper():
        return None
    if not any(
        t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJ for c in t.children) for t in span
    ):
        return None
    if any(t.lemma_.lower() in CUE_VERBS and t.pos_ == "VERB" for t in span):
        return None  # the paragraph attributes something itself
    content, start, stop = _finish(text, pos, end, None, ctx)
    if len(content.split()) < 5:
        return None
    stance = _stance("say", content, [])
    return _Draft(speaker, verb.text, stance, False, start, stop, None, sent_at(pos), 0)


def _intro_block_claims(sent: Any, ctx: _Ctx, sent_at: Any) -> list[_Draft]:
    """ "Microsoft's president shared this message on Twitter:" and the quoted
    paragraphs after it: each paragraph is a claim of the introducing speaker,
    up to the paragraph that closes the quotation. ``sent_at`` maps a
    character offset to its sentence index."""
    text = ctx.text
    last = next((t for t in reversed(sent) if not t.is_space), None)
    if last is None or last.text != ":" or ctx.in_quote(last.idx):
        return []
    verb = sent.root
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if not (
        lemma in CUE_VERBS
        or lemma in _SHARING_VERBS
        or any(o.lemma_.lower() in STATEMENT_NOUNS | {"following"} for o in objects)
    ):
        return []
    active = _active_speaker(verb, ctx)
    if active is None:
        return []
    speaker = active[1]
    pos = last.idx + 1
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    if "\n" not in text[last.idx : pos]:
        return []
    if not text.startswith(_OPENERS, pos):
        # "The ministry said in a statement on Monday:" and a paragraph of its words
        plain = _plain_paragraph(verb, pos, ctx, sent_at)
        return [plain] if plain is not None else []
    out: list[_Draft] = []
    while pos < len(text) and len(out) < 8:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        para = text[pos:end].strip()
        content, start, stop = _finish(text, pos, end, None, ctx)
        if len(content.split()) >= 3:
            out.append(
                _Draft(
                    speaker,
                    verb.text,
                    _stance("say", content, []),
                    True,
                    start,
                    stop,
                    None,
                    sent_at(pos),
                    0,
                )
            )
        nxt = end
        while nxt < len(text) and text[nxt] in " \t\n":
            nxt += 1
        closed = para.endswith(_CLOSERS) and not para.endswith("'s")
        if nxt >= len(text) or (closed and not text.startswith(_OPENERS, nxt)):
            break
        pos = nxt
    return out


# a rubric before the name in a headline ("EXCLUSIVE – Roger Stone: …")
_RUBRIC_DASHES = frozenset({"–", "—", "-", "--", "|"})


def _headline_claim(ctx: _Ctx, sent_at: Any) -> _Draft | None:
    """A headline "Name: what they said" ("Vale: ‘We Will Rebuild the Pier’",
    "Former Mayor Dorn at Hearing: Budget Was Never Balanced"): the person or
    organisation named before the colon says the rest of the headline. The
    name must end the phrase before the colon ("Port strike: talks resume" is
    a rubric); a one-word name is the person of the story with that name; a
    document noun ("Poll: …") speaks as itself. ``sent_at`` maps an offset
    to its sentence index."""
    text = ctx.text
    end = text.find("\n")
    end = len(text) if end < 0 else end
    colon = next((i for i in range(min(end, 120)) if text[i] == ":" and not ctx.in_quote(i)), -1)
    if colon <= 0 or colon + 1 >= end:
        return None
    span = ctx.doc.char_span(0, colon, alignment_mode="contract")
    if span is None:
        return None
    left = [t for t in span if not t.is_space]
    dashes = [n for n, t in enumerate(left) if t.text in _RUBRIC_DASHES and t.whitespace_]
    if dashes:
        left = left[dashes[-1] + 1 :]
    # "Former AG Dorn at the hearing": the name ends before the preposition
    adp = next((n for n, t in enumerate(left) if t.pos_ == "ADP" and n > 0), None)
    name = left[:adp] if adp is not None else left
    words = [t for t in name if t.is_alpha or t.text in (".", "'s", "’s")]
    if not words or len(words) > 6 or len(name) != len(words):
        return None
    if any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") or t.pos_ == "AUX" for t in left):
        return None  # "Bill is back: …"
    if any(not t.text[:1].isupper() for t in words if t.is_alpha):
        return None
    head = words[-1]
    names = {
        m.entity.id
        for m in ctx.mentions_in(words[0].idx, head.idx + len(head.text))
        if m.entity.type in ("PERSON", "ORG") and m.start >= words[0].idx
    }
    if len(names) > 1:
        return None  # "Vale Endorses Dorn: …": a headline about two
    speaker = _headline_speaker(head, words, ctx)
    if speaker is None:
        return None
    start = colon + 1
    while start < end and text[start] in " \t":
        start += 1
    stop = end
    while stop > start and text[stop - 1] in " \t;.":
        stop -= 1
    content, start, stop = _finish(text, start, stop, None, ctx)
    if len(content.split()) < 3:
        return None
    q = ctx.quote_at(start + 1) if text[start] in "\"“‘'«" else None
    direct = q is not None and q[1] >= stop - 2
    if direct and q is not None:
        content, start, stop = _finish(text, q[0], q[1], None, ctx)
    if content.endswith("?") and not direct:
        return None  # "Vale: builder or wrecker?" asks about her
    k = sent_at(colon)
    return _Draft(speaker, ":", _stance("say", content, []), direct, start, stop, None, k, 0)


_TITLE_WORDS = frozenset(
    {"former", "ex", "senator", "president", "governor", "mayor", "minister", "judge"}
    | {"general", "candidate", "rep", "sen", "gov", "chairman", "chief", "speaker", "leader"}
)


# document nouns that head a rubric, not a document ("Analysis: …")
_RUBRICS = frozenset({"analysis", "review"})
# plural nouns a headline names as speakers ("Officials: …", "Historians: …")
_HEADLINE_GROUPS = frozenset(
    {"historian", "investigator", "authority", "official", "observer", "insider", "source"}
)


def _a_title(word: str) -> bool:
    """A title before a name in a headline ("AG", "Sen.", "Gov.", "Dr.")."""
    return word.endswith(".") or (word.isupper() and len(word) <= 4)


def _headline_speaker(head: Any, words: list[Any], ctx: _Ctx) -> _Speaker | None:
    """Who the name before a headline's colon is: a person or organisation
    whose mention takes its last word; a one- or two-word name the story
    gives in full elsewhere ("Vale" → "Irene Vale"); a document noun."""
    for m in ctx.mentions_in(head.idx, head.idx + len(head.text)):
        if m.start <= head.idx < m.end and m.entity.type in ("PERSON", "ORG"):
            if is_outlet_name(m.entity.name, ctx.outlet):
                return None
            before = [t.text for t in words if t.idx < m.start]
            if not all(_a_title(w) or w.lower() in _TITLE_WORDS for w in before):
                return None  # "Vale Endorses Dorn: …"
            if m.entity.type == "PERSON":
                # "AG Dorn" in the headline, "Lena Dorn" in the story
                named = m.entity.name.split()
                fuller = [
                    x
                    for x in ctx.mentions
                    if x.entity.type == "PERSON"
                    and x.entity.name.split()[-1] == named[-1]
                    and len(x.entity.name) > len(m.entity.name)
                    and x.start > m.end
                    and all(w in x.entity.name.split() or _a_title(w) for w in named[:-1])
                ]
                m = fuller[0] if fuller else m
            return _Speaker(m.entity.name, m.entity.id, _kind(m, head), words[0].idx)
    if len(words) == 1 and head.lemma_.lower() in DOCUMENT_NOUNS - _RUBRICS:
        return _Speaker(head.text, None, "other", head.idx)
    if len(words) == 1 and (
        head.lower_ == "police"
        or (head.lower_.endswith("s") and head.lemma_.lower() in ROLE_NOUNS | _HEADLINE_GROUPS)
    ):
        # "Historians: …", "Police: …": the people the headline names
        return _Speaker(head.text, None, "group", head.idx)
    if len(words) <= 2:
        keys = {t.text.casefold() for t in words}
        for m in ctx.mentions:
            if m.entity.type == "PERSON" and keys <= set(m.entity.name.casefold().split()):
                return _Speaker(m.entity.name, m.entity.id, "person", words[0].idx)
    return None
