"""Content boundaries of verb cues: the reported clause when the parse
loses it, a relative clause's noun, a recorded figure, a second attribution
cut off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.analysis.claims.base import (
    _SUBJ,
    _Ctx,
    _span_of,
    _sub,
)
from bot.analysis.claims.positions import position_content
from bot.analysis.claims.speakers import _a_share, _share_before
from bot.analysis.cues import (
    AUDIENCE,
    CLAUSE_ONLY_CUES,
    CUE_VERBS,
    POLL_VERBS,
    POSITION_CUES,
    REASON_CUES,
    RECORD_CUES,
    TOPIC_CUES,
)

# cues whose clause may come first only when nothing follows them ("Voters,
# Clinton suggested, don't have to worry that …", not "In his book, ''…,''
# he suggested looking at …")
_BEFORE_BARE_CUES = frozenset(
    {"suggest", "contend", "assert", "maintain", "emphasize", "emphasise"}
)
_BEFORE_CUES = frozenset(
    {"say", "add", "tell", "claim", "insist", "warn", "argue", "write", "state", "note"}
    | {"explain", "report", "allege", "confirm", "acknowledge", "admit", "deny", "stress"}
    # "The ferry will resume on Monday, the port authority announced Friday."
    | {"announce", "predict", "declare", "concede", "reply", "respond", "tweet", "post"}
    | {"recall", "boast", "complain", "counter", "retort", "observe", "remark", "conclude"}
    | _BEFORE_BARE_CUES
)


_CLAUSE_CUES = frozenset(
    {"say", "claim", "assert", "insist", "warn", "argue", "allege", "suggest", "add", "write"}
    | {"state", "note", "stress", "maintain", "confirm", "acknowledge", "admit", "deny"}
    | {"reveal", "announce", "declare", "report", "tell", "explain", "emphasise", "emphasize"}
    | {"predict"}
)


def _that_clause(cue: Any, ctx: _Ctx) -> list[Any]:
    """Fallbacks for parses that lose the reported clause: "confirmed for the
    first time that X" (X hung on "time"); "claims X suggests Y" (X a conj)."""
    if cue.lemma_.lower() not in _CLAUSE_CUES:
        return []
    doc = cue.doc
    end = cue.sent.end
    # "said the remaining differences concerned …": the clause's subject was
    # taken for a second subject of the cue
    late = [c for c in cue.children if c.dep_ in _SUBJ and c.i > cue.i]
    if late:
        toks: list[Any] = [doc[i] for i in range(late[0].i, end)]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if len(toks) >= 3:
            return toks
    # "X has killed six people, the NCDC said": the clause before the comma
    subj = [c for c in cue.children if c.dep_ in _SUBJ and c.i < cue.i]
    # "…, the budget office reported on Tuesday -- a development that …": an
    # aside after a dash is no part of the cue's own words
    dash = next(
        (t.i for t in doc[cue.i + 1 : end] if t.text in ("--", "—", "–") and t.i > cue.i + 1),
        end,
    )
    after = [t for t in doc[cue.i + 1 : dash] if not t.is_punct]
    # "…, she said this week at an event in Wyoming": the cue's own time and place
    own = {
        t.i
        for c in cue.children
        if c.dep_ in ("prep", "npadvmod", "advmod") and c.i > cue.i
        for t in c.subtree
    }
    ends_sentence = (len(after) <= 6 or (len(after) <= 12 and all(t.i in own for t in after))) and (
        not any(t.pos_ in ("VERB", "AUX") for t in after)
    )
    if cue.lemma_.lower() in _BEFORE_CUES and subj and ends_sentence and cue.dep_ != "relcl":
        first = min(t.i for t in _sub(subj[-1]))
        if first > cue.sent.start and doc[first - 1].text == ",":
            toks = [
                doc[i]
                for i in range(cue.sent.start, first - 1)
                if not ctx.in_dateline(doc[i].idx) and ctx.same_para(doc[i].idx, cue.idx)
            ]
            if (
                len(toks) >= 4
                and any(t.pos_ in ("VERB", "AUX") for t in toks)
                and not _subordinate(toks)
            ):
                return toks
        if first == cue.sent.start + 1 and doc[cue.sent.start].text == "," and cue.sent.start > 0:
            # "Those who borrow struggle, even with a job, he said.": the
            # parser made ", he said." a sentence of its own
            prev = doc[cue.sent.start - 1].sent
            toks = [
                t
                for t in prev
                if not t.is_space and ctx.same_para(t.idx, cue.idx) and not ctx.in_dateline(t.idx)
            ]
            if (
                len(toks) >= 4
                and any(t.pos_ in ("VERB", "AUX") for t in toks)
                and not any(ctx.in_quote(t.idx) for t in toks[:1])
            ):
                return toks
    # "141,000 workers were on site, the president said, more than 7,000 of
    # them from abroad": a cue set off by commas inside the sentence
    if cue.lemma_.lower() in _BEFORE_CUES and subj and cue.dep_ != "relcl":
        first = min(t.i for t in _sub(subj[-1]))
        last = cue.i + 1
        while last < end and doc[last].dep_ in ("prt", "npadvmod") and doc[last].i - cue.i < 3:
            last += 1
        # "The solution, the banker told them on Monday, was simple": whom
        # the cue was told to and when
        while (
            last < end
            and doc[last].head.i == cue.i
            and doc[last].text != ","
            and (
                (doc[last].dep_ in ("dobj", "dative") and _audience(doc[last]))
                or doc[last].dep_ in ("prep", "npadvmod", "advmod")
            )
            and max(t.i for t in doc[last].subtree) - cue.i < 7
        ):
            last = max(t.i for t in doc[last].subtree) + 1
        if (
            first > cue.sent.start + 1
            and doc[first - 1].text == ","
            and last < end - 2
            and doc[last].text == ","
        ):
            tail = end
            for i in range(last + 1, end):
                t = doc[i]
                if t.tag_ == "VBG" and t.lemma_.lower() in CUE_VERBS and t.dep_ == "advcl":
                    # "…, the agency said, also announcing that …": a claim of its own
                    if all(x.dep_ == "advmod" for x in doc[last + 1 : i]):
                        tail = last + 1
                    break
            toks = [
                doc[i]
                for i in [*range(cue.sent.start, first - 1), *range(last + 1, tail)]
                if not ctx.in_dateline(doc[i].idx) and ctx.same_para(doc[i].idx, cue.idx)
            ]
            # "Many of the closures, he said, have involved public courses":
            # the cue may also split the subject from its verb
            if len(toks) >= 5 and any(t.pos_ in ("VERB", "AUX") for t in toks):
                return toks
    sub = sorted(cue.subtree, key=lambda t: t.i)
    for t in sub:
        if t.i > cue.i and t.i - cue.i <= 8 and t.lower_ == "that" and t.dep_ != "det":
            rest = [x for x in sub if x.i > t.i]
            if len([x for x in rest if not x.is_punct]) >= 3:
                return rest
    # the clause right after the cue, when the parse attached it elsewhere
    toks = []
    for i in range(cue.i + 1, end):
        tok = doc[i]
        if tok.text == ";" or (ctx.in_quote(tok.idx) and not toks):
            break
        toks.append(tok)
    has_clause = any(
        t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJ and c.i > cue.i for c in t.children)
        for t in toks
    )
    if toks and toks[0].pos_ in ("DET", "PROPN", "NOUN", "PRON", "ADJ", "NUM") and has_clause:
        return toks
    return []


def _subordinate(toks: list[Any]) -> bool:
    """ "But when Congress cut the funding, Mexico said enough": a clause
    of time or condition before the comma is no reported clause."""
    words = [t for t in toks if not t.is_punct]
    while words and words[0].lower_ in ("but", "and", "so", "yet", "then"):
        words = words[1:]
    return (
        bool(words)
        and words[0].head.dep_ == "advcl"
        and (words[0].dep_ == "mark" or words[0].lower_ in ("when", "where", "whenever", "once"))
    )


def _audience(tok: Any) -> bool:
    """Whom something is told to: a pronoun or an audience noun ("them", "reporters")."""
    return bool(tok.pos_ == "PRON" or tok.lemma_.lower() in AUDIENCE)


_TIME_NOUNS = frozenset({"time", "day", "moment", "week", "year", "month", "night", "hour"})


def _with_antecedent(cue: Any, toks: list[Any]) -> list[Any]:
    """ "the 5,600 buildings officials said were destroyed": a cue inside a
    relative clause reports a clause whose subject is the noun the relative
    clause hangs on; the content starts with that noun phrase."""
    if cue.dep_ != "relcl" or not toks:
        return toks
    if any(c.dep_ in _SUBJ and c.tag_ in ("WDT", "WP") for c in cue.children):
        return toks  # "a lawyer who has pledged to …": the noun is the speaker
    verbs = [t for t in toks if t.head.i == cue.i and t.pos_ in ("VERB", "AUX")]
    subjects = [c for v in verbs for c in v.children if c.dep_ in _SUBJ]
    if not verbs or any(c.tag_ not in ("WDT", "WP") for c in subjects):
        return toks
    if cue.head.lemma_.lower() in _TIME_NOUNS or cue.head.ent_type_ in ("DATE", "TIME"):
        return toks  # "the first time that Ukraine alleged …"
    # the relative pronoun and the speaker are no part of the content
    toks = [t for t in toks if t.i > cue.i]
    noun = _antecedent(cue)
    return noun + toks if noun else toks


def _antecedent(cue: Any) -> list[Any]:
    """The noun phrase a relative clause with a cue hangs on, without it:
    "the 5,600 buildings [officials said were destroyed]"; set off by a comma,
    the whole phrase a preposition's object belongs to ("sinking to 1.1
    percent of output, which he said would be its lowest")."""
    head = cue.head
    first = min(t.i for t in cue.subtree)
    if first > 0 and cue.doc[first - 1].text == ",":
        while (
            head.dep_ == "pobj"
            and head.head.lower_ == "of"
            and head.head.head.pos_ in ("NOUN", "NUM", "PROPN")
        ):
            head = head.head.head
    skip = {t.i for t in cue.subtree}
    noun = [t for t in _sub(head) if t.i not in skip and t.i < cue.i]
    while (noun and noun[0].dep_ in ("prep", "case")) or (noun and noun[0].is_punct):
        noun = noun[1:]
    while noun and noun[-1].is_punct:
        noun = noun[:-1]
    return noun


def _outer_coordinate(verb: Any) -> Any | None:
    """ "Markova acknowledged that A and said B": the parser often coordinates
    the second speech verb with the reported clause A instead of the first
    cue. With no subject of its own and a clause it reports, that verb is the
    first cue's speaker speaking again (never A's subject: "the flow of information … said"), and
    its clause is no part of A. The first cue, else None."""
    if verb.dep_ != "conj" or verb.lemma_.lower() not in CUE_VERBS:
        return None
    if any(c.dep_ in _SUBJ for c in verb.children):
        return None
    if (
        not any(c.dep_ == "ccomp" for c in verb.children)
        and not (
            # "revealed that A and urged Washington to reconsider": a demand is
            # the first cue's speaker's too
            verb.lemma_.lower() in POSITION_CUES and position_content(verb)
        )
        and not _pledged(verb)
        and not _judges_clause_subject(verb)
    ):
        return None  # "said it is reviewing … and will continue cooperating": no report
    clause = verb.head
    outer = clause.head
    if clause.dep_ != "ccomp" or outer is clause or verb.i < clause.i:
        return None
    return outer if outer.lemma_.lower() in CUE_VERBS else None


def _judges_clause_subject(verb: Any) -> bool:
    """ "said Mr. Cole was ignorant and criticized him for saying …": a verb
    of saying whose object is "him" or "her" while the clause it is
    coordinated with has a named person for subject: "him" most likely is
    that person, who then does not judge himself ("him", not "himself"), so
    the verb is the first cue's speaker's speaking again."""
    if verb.lemma_.lower() not in CUE_VERBS:
        return False
    if not any(c.dep_ == "dobj" and c.lower_ in ("him", "her") for c in verb.children):
        return False
    subj = next((c for c in verb.head.children if c.dep_ in _SUBJ), None)
    return subj is not None and subj.pos_ == "PROPN" and subj.ent_type_ == "PERSON"


# verbs by which a speaker commits to what the infinitive after them says
_PLEDGES = frozenset({"vow", "pledge", "promise"})


def _pledged(verb: Any) -> bool:
    """ "announced that she was stepping down and vowed to focus on …": a
    pledge in the past or present tense with an infinitive of its own
    ("vowed to", "pledged to", "promised to") says what its speaker will
    do ("claims not to be arming …" restates the clause before it)."""
    return (verb.lemma_.lower() in _PLEDGES and verb.tag_ in ("VBD", "VBZ", "VBP")) and any(
        c.dep_ == "xcomp"
        and c.i > verb.i
        and c.pos_ == "VERB"
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in verb.children
    )


# subordinators of a clause set against the reported one ("…, while B …")
_CONTRAST = frozenset({"while", "whereas", "although", "though"})


def _other_speakers_clause(verb: Any, cue: Any, toks: list[Any]) -> int | None:
    """ "argue that the tax is rigged, while her rival has gained by saying
    that …": a verb of saying inside a clause set against the reported one
    ("while", "whereas", "although") that has a subject of its own belongs to
    that subject, not to the first claim. Where the clause begins, else
    None."""
    if verb.i == cue.i or verb.lemma_.lower() not in CUE_VERBS or verb.tag_ != "VBG":
        return None
    inside = {t.i for t in toks}
    node = verb
    for _ in range(4):
        if node.head.i == node.i or node.head.i not in inside:
            return None
        if node.dep_ == "advcl":
            break
        if node.dep_ not in ("pcomp", "prep", "xcomp"):
            return None
        node = node.head
    else:
        return None
    if not (
        any(c.dep_ == "mark" and c.lower_ in _CONTRAST for c in node.children)
        and any(c.dep_ == "nsubj" for c in node.children)
    ):
        return None
    start = min(t.i for t in node.subtree)
    return start if all(i in inside for i in range(start, verb.i)) else None


def _is_outer(verb: Any, cue: Any) -> bool:
    outer = _outer_coordinate(verb)
    return outer is not None and outer.i == cue.i


def _background_clause(verb: Any) -> bool:
    """ "he knew little of her before she announced her bid, but …": a
    clause of time that sets the reported clause in time, not a second
    attribution."""
    return verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("before", "after", "when", "since", "until", "once")
        for c in verb.children
        if c.i < verb.i
    )


def _cut_other_attribution(
    toks: list[Any], cue: Any, ctx: _Ctx, claims: Callable[[Any], bool] | None = None
) -> list[Any]:
    """ "Police said two men were arrested, while the mayor warned that …": the
    second attribution is a claim of its own, not part of the first one. A
    second verb of saying of the same speaker's (see ``_second_saying``) cuts
    the content only when ``claims`` says it makes a claim of its own."""
    if not toks:
        return toks
    made: dict[int, bool] = {}

    def makes_claim(t: Any) -> bool:
        """Whether ``claims`` says ``t`` makes a claim of its own, asked once per token."""
        if claims is None:
            return False
        if t.i not in made:
            made[t.i] = claims(t)
        return made[t.i]

    first = toks[0].i
    for t in toks:
        share = (
            _share_before(t)
            if t.i != cue.i and t.lemma_.lower() in CUE_VERBS and not ctx.in_quote(t.idx)
            else None
        )
        if (
            share is None
            and t.i != cue.i
            and t.dep_ in ("advcl", "conj")
            and t.lemma_.lower() in POLL_VERBS
            and not ctx.in_quote(t.idx)
        ):
            # "… prefer an outsider, while about 4 in 10 want one with
            # experience": another share's finding
            subj = next((c for c in t.children if c.dep_ == "nsubj" and c.i < t.i), None)
            if subj is not None and _a_share(subj):
                share = ([subj], min(x.i for x in _sub(t)))
        if share is not None and share[1] > first + 2:
            # "… does not care and one in four said …": the group's own claim
            return _trim_end([x for x in toks if x.i < share[1]])
        other = _other_speakers_clause(t, cue, toks) if claims is not None else None
        if other is not None and other > first + 2 and makes_claim(t):
            # "argue that A, while her rival has gained by saying that B": a
            # clause set against A whose own subject speaks
            return _trim_end([x for x in toks if x.i < other])
        if t.i > first + 2 and t.dep_ == "conj" and _view_for(t) is not None:
            # "said the mails were personal, but for Republicans, it is …"
            start = min(x.i for x in _sub(t))
            return _trim_end([x for x in toks if x.i < start])
        if (
            t.i > first + 2
            and t.i != cue.i
            and (t.dep_ in ("advcl", "conj", "relcl") or _saying_after_prep(t))
            and (
                (
                    t.lemma_.lower() in CUE_VERBS
                    and t.lemma_.lower() not in RECORD_CUES
                    and (
                        t.lemma_.lower() not in CLAUSE_ONLY_CUES
                        # "say he sees no need to debate, believing that …":
                        # a belief set off after the clause is held apart
                        or (t.tag_ == "VBG" and _second_saying(t, cue, first))
                    )
                    and _speech_sense(t)
                )
                # "believe A and have been calling on the council to …": the
                # speaker's demand, coordinated with the clause A
                or (_is_outer(t, cue) and makes_claim(t))
                # "said the budget would be cut, pointing to the drop in
                # sales": the reason given is a claim of its own
                or (
                    (t.lemma_.lower() in REASON_CUES or t.lemma_.lower() in TOPIC_CUES)
                    and makes_claim(t)
                )
            )
            and not ctx.in_quote(t.idx)
            and not _background_clause(t)
            and (t.dep_ != "relcl" or (_second_saying(t, cue, first) and makes_claim(t)))
            and (
                any(c.dep_ == "nsubj" for c in t.children)
                or (_is_outer(t, cue) and makes_claim(t))
                or _hung_saying(t)
                or (_second_saying(t, cue, first) and makes_claim(t))
                or (_saying_after_prep(t) and makes_claim(t))
            )
        ):
            start = min(x.i for x in _sub(t))
            if _saying_after_prep(t):
                start = t.head.i  # the preposition with its participle
            if start > first + 2 and t.dep_ == "relcl":
                # "Vote for Clinton, whom he called “…”, or throw away his vote":
                # the relative clause and its commas, not what follows it
                end = max(x.i for x in _sub(t))
                doc = t.doc
                while end + 1 < len(doc) and doc[end + 1].is_punct and doc[end + 1].text != ".":
                    end += 1  # ',”' closing the clause
                return _trim_end([x for x in toks if not start - 1 <= x.i <= end])
            if start > first + 2:
                kept = _trim_end([x for x in toks if x.i < start])
                last = kept[-1] if kept else None
                subj = [] if last is None else [c for c in last.children if c.dep_ in _SUBJ]
                if last is not None and last.lemma_.lower() in CUE_VERBS and subj:
                    # "“…,” he said, adding that …, he added": the words before
                    # are the first cue's, not the last one's
                    own = min(x.i for c in subj for x in c.subtree)
                    kept = _trim_end([x for x in kept if x.i < own])
                return kept
    return toks


# people whose view "for X, …" states ("but for Republicans, it is a smoking gun")
_VIEW_HOLDERS = frozenset(
    {"critic", "supporter", "voter", "opponent", "observer", "conservative", "liberal"}
    | {"progressive", "democrat", "republican", "activist", "advocate", "expert", "analyst"}
    | {"economist", "investor", "resident", "official", "lawmaker", "member", "student"}
)


def _view_for(verb: Any) -> Any:
    """ "For many voters, the plan is a betrayal", "…, but for Republicans, it is
    a smoking gun": a "for" phrase naming people, set off by a comma before
    the clause's subject, gives their view. The "for" token, else None."""
    subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
    if subj is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    doc = verb.doc
    for tok in verb.children:
        if tok.dep_ != "prep" or tok.lower_ != "for" or tok.i > subj.i:
            continue
        obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        end = max(t.i for t in tok.subtree)
        if obj is None or end + 1 >= len(doc) or doc[end + 1].text != ",":
            continue
        prev = doc[tok.i - 1] if tok.i > tok.sent.start else None
        if prev is not None and not (prev.dep_ == "cc" or prev.text == ","):
            continue
        if obj.ent_type_ == "NORP" or (
            obj.tag_ in ("NNS", "NNPS") and obj.lemma_.lower() in _VIEW_HOLDERS
        ):
            return tok
    return None


def _trim_end(toks: list[Any]) -> list[Any]:
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "mark")):
        toks = toks[:-1]
    return toks


# what a verb of saying says, when it says something of its own
_OWN_CONTENT = frozenset({"ccomp", "dobj", "dative", "oprd", "xcomp", "parataxis"})
# pronouns by which a reported clause names its speaker again ("says he …")
_SELF = frozenset({"he", "she", "they", "i", "we"})


def _second_saying(verb: Any, cue: Any, first: int) -> bool:
    """ "said he saw no need to change, telling reporters that …", "insisted
    that A, claiming that B": a participle of saying set off by a comma at
    the end of the reported clause; "says he respects her and calls her
    “…”": a verb of saying with a tense of its own coordinated with the
    reported clause's verb whose subject names the speaker again. Either is
    the speaker's second claim, with content of its own, not part of the
    first one."""
    if not any(
        (
            c.dep_ in _OWN_CONTENT
            or (
                c.dep_ == "prep"
                and (verb.lemma_.lower() in REASON_CUES or verb.lemma_.lower() in TOPIC_CUES)
            )
        )
        and c.i > verb.i
        for c in verb.children
    ):
        return False
    doc = verb.doc
    if verb.dep_ == "relcl":
        # "…, which he called “a total disaster”", "…, which she argued would …"
        start = min(t.i for t in verb.subtree)
        return (
            doc[start].tag_ in ("WDT", "WP")
            and doc[start - 1].text in (",", "—", "–")
            and any(c.dep_ == "nsubj" for c in verb.children)
        )
    if any(c.dep_ in _SUBJ for c in verb.children):
        return False
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj") and verb.head.i != cue.i:
        j = verb.i - 1
        while j > first and (
            (doc[j].dep_ == "advmod" and doc[j].head.i == verb.i) or doc[j].is_quote
        ):
            j -= 1  # ", also telling …"; ',” citing …'
        if doc[j].text in (",", "—", "–", ";"):
            return True
        # "urging voters to … and promising to …": a second participle of saying
        return bool(doc[j].dep_ == "cc" and verb.dep_ == "conj" and cue.tag_ == "VBG")
    if verb.dep_ != "conj" or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    head = verb.head
    if not any(c.dep_ == "cc" and head.i < c.i < verb.i for c in head.children):
        return False
    subj = next((c for c in head.children if c.dep_ in _SUBJ), None)
    return subj is not None and subj.lower_ in _SELF and head.tag_ == verb.tag_


# prepositions by which a participle of saying follows the reported clause
_THEN_PREPS = frozenset({"before", "after", "while"})


def _saying_after_prep(verb: Any) -> bool:
    """ "said the levy had “saved the harbour” before claiming that …": a
    participle of saying with a reported clause of its own after "before",
    "after" or "while", at the end of the first claim's clause, is a second
    claim, not part of the first one."""
    prep = verb.head
    return (
        verb.tag_ == "VBG"
        and verb.dep_ == "pcomp"
        and prep.dep_ == "prep"
        and prep.lower_ in _THEN_PREPS
        and prep.i == verb.i - 1
        and not any(c.dep_ in _SUBJ for c in verb.children)
        and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    )


def _hung_saying(verb: Any) -> bool:
    """ "… to back the plan while adding, “…”": a participle of saying after
    "while" inside the reported clause is a second claim, not part of it."""
    return (
        verb.tag_ == "VBG"
        and verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in ("while", "before") for c in verb.children)
    )


def _speech_sense(verb: Any) -> bool:
    """Whether a verb of the cue lexicon is used as one: "for the city to put
    the plan in place", "the talks continued", "called for calm" and "points
    to a gap" report nobody's words."""
    lemma: str = verb.lemma_.lower()
    kids = list(verb.children)
    if lemma == "put":
        return any(c.dep_ == "prep" and c.lower_ == "at" for c in kids)
    if lemma == "point":
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in kids)
    if lemma == "call":
        return not any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in kids)
    return lemma != "continue"


def _recorded(cue: Any, kids: list[Any]) -> list[Any]:
    """ "registered two explosions Monday near the leaks": the verb phrase,
    when what is recorded is counted."""
    objects = [c for c in kids if c.dep_ == "dobj" and c.i > cue.i]
    if not objects or not any(t.like_num for t in objects[0].subtree):
        return []
    right = [c for c in kids if c.i > cue.i and c.dep_ not in ("punct", "cc", "conj")]
    return [cue, *_span_of(right)]


_PRO_FORMS = frozenset({"so", "yes", "no", "otherwise", "likewise", "as much", "the same", "not"})


def _pro_form(words: list[Any]) -> bool:
    """Content that only stands for something said before: "half said so",
    "46 percent said yes", "said as much", "49 percent say the same of
    Jones" (not "the same voters backed her"). No proposition of its own."""
    low = " ".join(t.lower_ for t in words)
    if low in _PRO_FORMS:
        return True
    return (
        len(words) >= 2
        and words[0].lower_ == "the"
        and words[1].lower_ == "same"
        and words[1].dep_ != "amod"
        and not any(t.pos_ in ("VERB", "AUX") for t in words)
    )


def _says_pro_form(cue: Any) -> bool:
    """ "half said so in the earlier poll", "46 percent said yes", "said as
    much", "say the same of Jones": what the cue reports is a word standing
    for something said before (not "said no one was hurt", "said so far")."""
    doc = cue.doc
    j = cue.i + 1
    while j < len(doc) and doc[j].dep_ == "prt":
        j += 1

    def closes(n: int) -> bool:
        return (
            n >= len(doc) or doc[n].is_punct or (doc[n].pos_ == "ADP" and doc[n].lower_ != "that")
        )

    if j >= len(doc):
        return False
    w = doc[j].lower_
    if w in ("so", "yes", "no", "otherwise", "likewise") and closes(j + 1):
        return True
    if j + 1 < len(doc) and (w, doc[j + 1].lower_) in (("the", "same"), ("as", "much")):
        return closes(j + 2)
    return False
