"""Figures normalised from text: digits, words, scales, percentages; no years or dates."""

from __future__ import annotations

import pytest

from bot.analysis.numbers import extract_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two Chinese citizens were captured", (2.0,)),
        ("at least 155 people are fighting", (155.0,)),
        ("1,500 troops crossed the river", (1500.0,)),
        ("8.5 million people need aid", (8_500_000.0,)),
        ("an 8.5m budget", (8_500_000.0,)),
        ("$3bn in loans", (3_000_000_000.0,)),
        ("1.2 billion accounts", (1_200_000_000.0,)),
        ("about 80% of the parts", (80.0,)),
        ("nearly 80 per cent of voters", (80.0,)),
        ("a dozen soldiers", (12.0,)),
        ("half a dozen drones", (6.0,)),
        ("twenty-five were wounded", (25.0,)),
        ("three hundred thousand refugees", (300_000.0,)),
        ("2000 troops arrived", (2000.0,)),
        ("six killed and 31 injured", (6.0, 31.0)),
    ],
)
def test_figures(text: str, expected: tuple[float, ...]) -> None:
    assert extract_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in 2022",
        "since 2014 the war has gone on",
        "March 2024",
        "on 10 April",
        "April 8, 2025",
        "the 65th Mechanised Brigade",
        "for the third time",
        "at 10:30 a.m.",
        "one of them said",
        "no one was hurt",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract_numbers(text) == ()


def test_figures_in_a_sentence_keep_their_order() -> None:
    text = (
        "On 9 April 2025 officials said 1,200 homes and 40% of the farms, two dams too, were hit."
    )
    assert extract_numbers(text) == (1200.0, 40.0, 2.0)
