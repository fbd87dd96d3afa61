"""Shared fixtures: settings on a temporary SQLite file, the wired core, a fake chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.runtime import Services
from tests.fakes.chat import FakeAdapter, FakeChat

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_report_header() -> str:
    """Say up front whether the PostgreSQL half of the suite runs."""
    import os

    if os.environ.get("CLAIMWATCH_TEST_POSTGRES_DSN"):
        return "PostgreSQL tests: on (CLAIMWATCH_TEST_POSTGRES_DSN is set)"
    return "PostgreSQL tests: SKIPPED — set CLAIMWATCH_TEST_POSTGRES_DSN to run them (see README)"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(database_url=f"sqlite:///{tmp_path / 'claimwatch.db'}", _env_file=None)


@pytest.fixture
def fake_adapter() -> FakeAdapter:
    return FakeAdapter()


@pytest.fixture
async def services(settings: Settings, fake_adapter: FakeAdapter) -> AsyncIterator[Services]:
    opened = await Services.open(settings, [fake_adapter])
    yield opened
    await opened.close()


@pytest.fixture
def chat(services: Services) -> FakeChat:
    return FakeChat(services.router)
