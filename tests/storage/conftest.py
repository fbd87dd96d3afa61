"""The ``store`` fixture: every storage test runs on SQLite and on PostgreSQL.

A PostgreSQL case gets a schema of its own (see :mod:`tests.storage.pg`); a
SQLite case a file in its temporary folder. ``backend`` describes where the
store lives, so a test can open a second store on the same database, hand its
URL to another process, or run raw SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import open_store
from storage.base import Store
from tests.storage.pg import execute_in, fresh_schema, postgres_dsn, schema_url


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" | "postgres"
    url: str  # a DATABASE_URL for open_store and for other processes
    dsn: str = ""  # postgres: the server, without the schema
    schema: str = ""  # postgres: this test's schema

    async def open(self) -> Store:
        """Another store on the same database (schema brought up to date)."""
        return await open_store(self.url)

    async def execute(self, sql: str) -> None:
        """Raw SQL on a connection of its own, committed."""
        if self.name == "postgres":
            await execute_in(self.dsn, self.schema, sql)
            return
        db = sqlite3.connect(self.url.removeprefix("sqlite:///"))
        try:
            with db:
                db.execute(sql)
        finally:
            db.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "claimwatch.db"


@pytest.fixture(params=["sqlite", "postgres"])
async def backend(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{db_path}")
        return
    dsn = await postgres_dsn()
    async with fresh_schema(dsn) as schema:
        yield Backend("postgres", schema_url(dsn, schema), dsn, schema)


@pytest.fixture
async def store(backend: Backend) -> AsyncIterator[Store]:
    opened = await backend.open()
    yield opened
    await opened.close()
