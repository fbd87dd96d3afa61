"""The alert idempotency key tells a denial of a claim, and a later update of
it, from the claim itself."""

from __future__ import annotations

from bot.models import Claim, Novelty, Stance
from bot.watch import idempotency_key


def claim(
    cid: str, novelty: Novelty, matches: str | None, numbers: tuple[float, ...] = ()
) -> Claim:
    return Claim(
        speaker="Someone",
        cue="said",
        stance=Stance.DENY if novelty is Novelty.CONTRADICTION else Stance.ASSERT,
        direct=False,
        text=f"text of {cid}",
        numbers=numbers,
        id=cid,
        novelty=novelty,
        matches=matches,
    )


def test_a_denial_of_a_claim_is_not_the_claim_again() -> None:
    first = idempotency_key("chat", "ev1", [claim("c1.1", Novelty.NEW, None)])
    denial = idempotency_key("chat", "ev1", [claim("c2.1", Novelty.CONTRADICTION, "c1.1")])
    assert first != denial


def test_two_updates_of_one_claim_with_new_figures_are_two_alerts() -> None:
    a = idempotency_key("chat", "ev1", [claim("c2.1", Novelty.UPDATE, "c1.1", (80.0,))])
    b = idempotency_key("chat", "ev1", [claim("c3.1", Novelty.UPDATE, "c1.1", (120.0,))])
    again = idempotency_key("chat", "ev1", [claim("c3.1", Novelty.UPDATE, "c1.1", (120.0,))])
    assert a != b and b == again
