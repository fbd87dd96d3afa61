"""Persistence behind one :class:`~storage.base.Store` interface."""

from __future__ import annotations

from pathlib import Path

from bot.errors import ConfigError
from storage.base import AnalysisRecord, Store

__all__ = ["AnalysisRecord", "Store", "open_store", "sqlite_path"]

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def sqlite_path(database_url: str) -> str | None:
    """The SQLite file named by ``database_url`` (``sqlite:///PATH`` or a plain path),
    or None for a PostgreSQL URL."""
    if database_url.startswith(_POSTGRES_PREFIXES):
        return None
    if database_url.startswith(_SQLITE_PREFIX):
        return database_url[len(_SQLITE_PREFIX) :]
    if "://" in database_url:
        raise ConfigError(f"unknown database URL scheme in {database_url.split('://')[0]}://...")
    return database_url


async def open_store(database_url: str) -> Store:
    """Open the store ``database_url`` names and bring its schema up to date:
    :class:`~storage.postgres.PostgresStore` for ``postgresql://…`` (or
    ``postgres://…``), :class:`~storage.sqlite.SqliteStore` otherwise."""
    path = sqlite_path(database_url)
    store: Store
    if path is None:
        from storage.postgres import PostgresStore

        store = await PostgresStore.open(database_url)
    elif not path:
        raise ConfigError("the database URL names no file; use sqlite:///PATH")
    else:
        from storage.sqlite import SqliteStore

        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        store = await SqliteStore.open(path)
    try:
        await store.upgrade()
    except BaseException:
        await store.close()
        raise
    return store
