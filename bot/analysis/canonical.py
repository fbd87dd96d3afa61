"""Which canonical claim each claim of a story belongs to.

After the novelty step, a claim is either a proposition of its own (new, an
update of a figure, a contradiction: it becomes a canonical claim with its own
id) or a repeat, which adds a source to the earlier claim it repeats. A repeat
joins the claim it ``matches`` when that claim is known; a repeat without a
usable match (a near-duplicate story copies claims it matched nowhere) joins
the first earlier mention in the event with the same speaker and the same
words; failing both, it stands as a claim of its own. The store writes what
this decides (:attr:`storage.base.AnalysisRecord.canonical`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.models import Claim, Novelty, normalise_body

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EarlierMention:
    """A claim as an earlier story of the event said it, oldest first."""

    canonical_id: str  # the canonical claim that mention belongs to
    speaker: str
    text_norm: str  # normalise_body(text)


def unmatched_repeats(claims: Sequence[Claim], known: Collection[str]) -> bool:
    """Whether a repeat matches no known claim nor one of the story's own, so
    :func:`canonical_ids` needs the event's earlier mentions."""
    own = {c.id for c in claims}
    return any(
        c.novelty is Novelty.REPEAT and (c.matches is None or c.matches not in {*known, *own})
        for c in claims
    )


def canonical_ids(
    claims: Sequence[Claim], known: Collection[str], earlier: Sequence[EarlierMention] = ()
) -> tuple[str, ...]:
    """For each claim (with its final ``id``), the id of the canonical claim it
    belongs to: its own id when it is one, else the earlier claim it repeats.
    ``known`` are the canonical claims a match may name (the event's);
    ``earlier`` the event's mentions by other stories, oldest first."""
    canonical: set[str] = set(known)
    said = list(earlier)
    out: list[str] = []
    for claim in claims:
        if claim.id is None:
            raise ValueError(f"claim {claim.text[:40]!r} has no id yet")
        joins: str | None = None
        text_norm = normalise_body(claim.text)
        if claim.novelty is Novelty.REPEAT:
            if claim.matches is not None and claim.matches in canonical:
                joins = claim.matches
            else:
                if claim.matches is not None:
                    log.warning(
                        "claim %s matches unknown claim %s; joined by its words or new",
                        claim.id,
                        claim.matches,
                    )
                joins = next(
                    (
                        m.canonical_id
                        for m in said
                        if m.speaker == claim.speaker and m.text_norm == text_norm
                    ),
                    None,
                )
        if joins is None:
            joins = claim.id
            canonical.add(claim.id)
        said.append(EarlierMention(joins, claim.speaker, text_norm))
        out.append(joins)
    return tuple(out)
