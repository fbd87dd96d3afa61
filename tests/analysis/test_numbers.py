"""Figures normalised from text: digits, words, scales, percentages; no years or dates."""

from __future__ import annotations

import pytest

from bot.analysis.numbers import extract_numbers, new_figures, same_figure


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


@pytest.mark.parametrize(
    "text",
    [
        "regulators grounded the Talon 420 XR jets",
        "the Corvid 88 Max 3 airliner",
        "a fault in the ZX 5 drone",
    ],
)
def test_model_designations_are_not_figures(text: str) -> None:
    assert extract_numbers(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flood Toll Climbs To 17 In Valley Towns", (17.0,)),  # title-case headline
        ("Some 4,310 homes were flooded", (4310.0,)),
        ("Pipelines 1 and 2 were damaged", (1.0, 2.0)),
        ("Workers at 64 Larkin sites walked out", (64.0,)),
    ],
)
def test_figures_beside_capitalised_words(text: str, expected: tuple[float, ...]) -> None:
    assert extract_numbers(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1200.0, 1187.0),  # "about 1,200" and "1,187"
        (1_200_000.0, 1_200_000.0),  # "1.2 million" and "1,200,000"
        (3_000_000_000.0, 3e9),  # "$3bn" and "3 billion dollars"
        (40_000.0, 39_870.0),
    ],
)
def test_one_count_told_two_ways(a: float, b: float) -> None:
    assert same_figure(a, b) and same_figure(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (17.0, 16.0),  # small counts must be equal
        (1300.0, 1187.0),
        (23_000.0, 23_831.0),  # 23,831 is not 23,000 rounded
        (1234.0, 1237.0),  # two exact figures
    ],
)
def test_changed_counts_are_not_the_same(a: float, b: float) -> None:
    assert not same_figure(a, b)


def test_new_figures_ignore_roundings_of_known_ones() -> None:
    assert new_figures({1187.0, 5.0}, {1200.0}) == {5.0}
    assert extract_numbers("$3bn in loans") == extract_numbers("3 billion dollars in loans")
    assert extract_numbers("1.2 million people") == extract_numbers("1,200,000 people")
