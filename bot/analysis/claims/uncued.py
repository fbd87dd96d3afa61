"""Statements without a cue of their own: an outlet's fact sentence, a fact
carried over from "according to"."""

from __future__ import annotations

from typing import Any

from bot.analysis.claims.base import _Ctx, _Draft, _finish, _relay_tokens, _Speaker
from bot.analysis.cues import CUE_VERBS, FACT_LEMMAS, RECORD_CUES
from bot.analysis.numbers import extract_numbers
from bot.models import Stance


def _outlet_fact(sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """A sentence with a figure and a hard fact and no speaker: the outlet's."""
    text = sent.text.strip()
    if not text or ctx.in_quote(sent.start_char + 1) or len(sent) < 6:
        return None
    fact = any(t.lemma_.lower() in FACT_LEMMAS for t in sent if t.pos_ in ("VERB", "NOUN", "ADJ"))
    nums = extract_numbers(text)
    if not nums:
        return None
    if not fact and not _sizeable_figure(sent):
        return None
    if not any(t.pos_ in ("VERB", "AUX") and t.dep_ == "ROOT" for t in sent):
        return None
    if any(t.lower_ in ("if", "would", "could", "might", "may") for t in sent):
        return None
    if any(_names_a_source(t, ctx) for t in sent):
        # someone else's words the cue rules could not read: not the outlet's
        return None
    relay = _relay_tokens(sent, ctx)
    last = sent[-1].idx
    toks = [
        t
        for t in sent
        if t.i not in relay and not ctx.in_dateline(t.idx) and ctx.same_para(t.idx, last)
    ]
    while toks and (toks[0].is_space or toks[0].is_punct):
        toks = toks[1:]
    if len(toks) < 5:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    _, start, end = _finish(ctx.text, start, end, toks, ctx)
    speaker = _Speaker(ctx.outlet or "unattributed", None, "other", sent.start_char)
    return _Draft(speaker, "reported", Stance.ASSERT, False, start, end, toks, k, 0)


def _sizeable_figure(sent: Any) -> bool:
    """A figure that sizes something: a share ("15%") or a large count
    ("60 million people", "1.2 million accounts", "20,000 tonnes")."""
    for t in sent:
        if not t.like_num:
            continue
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if nxt is not None and nxt.lower_ in ("%", "percent", "per"):
            return True
        if nxt is not None and nxt.lower_ in ("million", "billion", "trillion", "thousand"):
            return True
        if t.ent_type_ in ("DATE", "TIME", "ORDINAL"):
            continue
        digits = t.text.replace(",", "")
        if digits.isdigit() and int(digits) >= 1000 and "," in t.text:
            return True
    return False


def _carry_over(sent: Any, k: int, ctx: _Ctx, drafts: list[_Draft]) -> _Draft | None:
    """Sustained attribution: in the paragraph of an "according to X"
    sentence, a following fact sentence with a figure is still X's."""
    if not drafts or k == 0:
        return None
    prev = drafts[-1]
    if prev.sentence != k - 1 or prev.cue != "according to":
        return None
    if ctx.para_of[k] != ctx.para_of[prev.sentence]:
        return None
    d = _outlet_fact(sent, k, ctx)
    if d is None:
        return None
    d.speaker = prev.speaker
    d.cue = "according to"
    return d


_SOURCE_NOUNS = frozenset({"poll", "survey", "report", "figure", "data", "estimate", "study"})


def _names_a_source(tok: Any, ctx: _Ctx) -> bool:
    """A cue verb or a source noun outside quotes ("…, the budget office said",
    "the latest reports hint at", "figures provided by the ministry")."""
    if ctx.in_quote(tok.idx):
        return False
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in CUE_VERBS and lemma not in RECORD_CUES:
        return True
    return tok.pos_ == "NOUN" and lemma in _SOURCE_NOUNS
