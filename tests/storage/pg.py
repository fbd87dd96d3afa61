"""PostgreSQL for tests: the server named by ``CLAIMWATCH_TEST_POSTGRES_DSN``,
one fresh schema per test so runs never see each other's rows.

Without the variable the PostgreSQL cases are skipped; with ``CI`` set they
fail instead (unset variable or unreachable server), so CI cannot pass by
silently testing SQLite only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

import asyncpg
import pytest

DSN_VARIABLE = "CLAIMWATCH_TEST_POSTGRES_DSN"

_reachable: dict[str, str | None] = {}


def schema_url(dsn: str, schema: str) -> str:
    """``dsn`` with the connection's search_path set to ``schema`` (libpq ``options``)."""
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options={quote(f'-csearch_path={schema}', safe='')}"


async def postgres_dsn() -> str:
    """The test server's DSN; skips (or fails under CI) when there is none."""
    dsn = os.environ.get(DSN_VARIABLE, "").strip()
    in_ci = bool(os.environ.get("CI"))
    if not dsn:
        if in_ci:
            pytest.fail(f"CI is set but {DSN_VARIABLE} is not: PostgreSQL tests cannot run")
        pytest.skip(f"{DSN_VARIABLE} is not set")
    if dsn not in _reachable:
        try:
            conn = await asyncpg.connect(dsn, timeout=5)
            await conn.close()
            _reachable[dsn] = None
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            _reachable[dsn] = f"{type(exc).__name__}: {exc}"
    problem = _reachable[dsn]
    if problem is not None:
        message = f"PostgreSQL at {DSN_VARIABLE} is unreachable: {problem}"
        if in_ci:
            pytest.fail(message)
        pytest.skip(message)
    return dsn


@asynccontextmanager
async def fresh_schema(dsn: str) -> AsyncIterator[str]:
    """A new empty schema ``cw_test_<random>``, dropped (with its tables) afterwards."""
    schema = f"cw_test_{secrets.token_hex(6)}"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
    finally:
        await conn.close()
    try:
        yield schema
    finally:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        finally:
            await conn.close()


async def execute_in(dsn: str, schema: str, sql: str) -> None:
    """Run raw SQL in ``schema`` on a connection of its own."""
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
