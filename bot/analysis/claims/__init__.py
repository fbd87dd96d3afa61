"""Attributed claims: who said what, how, and with which stance.

Rules on top of spaCy's dependency parse, one module per pass over a story
(run in this order by :func:`extract_claims`, in ``extract.py``):

1. ``quotes``: the character spans between quotation marks, joined across
   paragraphs when a paragraph reopens a quote it left open; the quotation
   next to a cue; quote paragraphs that continue the previous speaker;
2. ``verb_cues``: verbs of saying outside quotes (``said``, ``told
   reporters``, ``dismissed``, ``were quoted as saying`` …): the content is
   the reported clause, the object, or the quote next to the cue
   (``verb_content``: the clause when the parse loses it, a relative
   clause's noun, a recorded figure);
3. ``nominal_cues``: ``according to X``, ``in a statement``, ``X: “…”``;
4. ``uncued``: statements without a cue of their own (a sentence with a
   figure and a hard fact is the outlet's own claim);
5. ``speakers`` and ``sides``: the subject of a cue resolved to an entity
   through the mentions; pronouns and role nouns ("he", "the spokesperson")
   to the most recent compatible speaker outside quotes; whom each speaker
   speaks for. News agencies that relay a quote and datelines are never
   speakers.

``split`` offers the two sentences of a quotation broken by its cue as the
claim's ``parts``; the novelty step splits the claim when one part is news
and the other is not.

``base`` holds the story context, drafts and the token helpers they share.
"""

from bot.analysis.claims.extract import extract_claims
from bot.analysis.claims.quotes import quote_spans

__all__ = ["extract_claims", "quote_spans"]
