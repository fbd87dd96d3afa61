"""Fixtures of the analysis tests: the real spaCy model and the gazetteer, loaded once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.analysis import nlp as nlp_mod
from bot.analysis.aliases import Gazetteer, default_gazetteer


@pytest.fixture(scope="session")
def nlp() -> Any:
    return nlp_mod.load("en_core_web_sm")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()
