"""Settings: read from the environment and ``.env``, in this one place.

Every field here is documented in ``.env.example`` (a test checks it).
Secrets are ``SecretStr``: they never show in a repr or a log line.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # storage
    database_url: str = "sqlite:///claimwatch.db"

    # analysis
    spacy_model: str = "en_core_web_sm"
    analysis_workers: int = Field(default=1, ge=1, le=16)
    nlp_batch_size: int = Field(default=8, ge=1, le=64)
    event_window_days: int = Field(default=7, ge=1)
    event_followup_days: int = Field(default=30, ge=0)
    event_similarity: float = Field(default=0.30, gt=0, lt=1)
    duplicate_distance: int = Field(default=6, ge=0, le=32)
    claim_similarity: float = Field(default=0.5, gt=0, lt=1)
    min_salience: float = Field(default=0.2, ge=0, le=1)
    story_max_attempts: int = Field(default=4, ge=1, le=100)
    story_retry_seconds: float = Field(default=30.0, ge=0)

    # delivery
    delivery_max_attempts: int = Field(default=8, ge=1)
    delivery_backoff_seconds: float = Field(default=2.0, gt=0)
    delivery_lease_seconds: float = Field(default=60.0, gt=0)
    delivery_poll_seconds: float = Field(default=1.0, gt=0)
    delivery_concurrency: int = Field(default=64, ge=1, le=1024)
    per_chat_per_second: float = Field(default=1.0, gt=0)
    global_per_second: float = Field(default=28.5, gt=0)
    telegram_global_per_second: float | None = Field(default=None, gt=0)
    telegram_chat_per_second: float | None = Field(default=None, gt=0)
    telegram_group_per_minute: int = Field(default=19, ge=0)
    slack_global_per_second: float | None = Field(default=None, gt=0)
    slack_chat_per_second: float | None = Field(default=None, gt=0)
    flood_max_alerts: int = Field(default=10, ge=0)
    flood_window_seconds: float = Field(default=600.0, gt=0)
    digest_max_alerts: int = Field(default=50, ge=2, le=500)
    outlet_edit_interval_seconds: float = Field(default=60.0, ge=0)

    # leases: owners, heartbeats, taking over from gone processes (bot/liveness.py)
    lease_heartbeat_seconds: float = Field(default=2.0, gt=0, le=60)
    lease_stale_seconds: float = Field(default=8.0, gt=0)

    # /healthz: when the service is not healthy (503)
    health_analysis_stall_seconds: float = Field(default=300.0, gt=0)
    health_adapter_down_seconds: float = Field(default=120.0, gt=0)

    # chat
    command_max_chars: int = Field(default=200, ge=10)
    claims_default_count: int = Field(default=5, ge=1, le=50)
    max_watches_per_chat: int = Field(default=100, ge=1, le=10000)
    log_level: str = "INFO"

    # adapters (an adapter is on when its token is set)
    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None  # set: webhook mode instead of long polling
    telegram_webhook_secret: SecretStr | None = None  # checked on every webhook request
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = Field(default=8443, ge=0, le=65535)
    telegram_link_previews: bool = False
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_admin_only: bool = False  # only workspace admins/owners change a channel's watches

    # the service's HTTP port (Slack HTTP mode at /slack/events)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)

    # event pages on the HTTP port (see docs/pages.md); on when PUBLIC_URL is set
    public_url: str | None = None  # how people reach HTTP_PORT, e.g. https://news.example.org
    pages: Literal["signed", "public", "off"] = "signed"
    pages_secret: SecretStr | None = None  # unset: generated once, kept in the database
    pages_link_days: int = Field(default=30, ge=1, le=3650)
    pages_rate_per_minute: int = Field(default=60, ge=1, le=100_000)
    pages_client_header: str | None = None  # set by your reverse proxy, e.g. X-Real-IP

    # live sources: feeds, URLs, HTTP push (see docs/sources.md)
    admin_user_ids: str = ""  # operators: comma-separated platform:user_id
    ingest_token: SecretStr | None = None  # bearer token for POST /ingest; unset: endpoint off
    ingest_max_bytes: int = Field(default=2_000_000, ge=1024)
    feed_interval_seconds: float = Field(default=300.0, ge=60.0)
    feed_max_backoff_seconds: float = Field(default=21600.0, ge=60.0)
    feed_per_host: int = Field(default=2, ge=1, le=32)
    feed_concurrency: int = Field(default=8, ge=1, le=256)
    fetch_articles: bool = True  # fetch the page of a summary-only feed entry
    fetch_max_bytes: int = Field(default=5_000_000, ge=1024)
    fetch_timeout_seconds: float = Field(default=20.0, gt=0)
    allow_private_urls: bool = False
    fetch_proxy: SecretStr | None = None  # http(s)://[user:pass@]host:port for every fetch
    user_agent: str = "ClaimWatch/0.1 (news alerts; +https://github.com/claimwatch)"

    @property
    def operators(self) -> frozenset[str]:
        """``platform:user_id`` of every operator named in ``ADMIN_USER_IDS``."""
        return frozenset(
            part.strip().casefold() for part in self.admin_user_ids.split(",") if part.strip()
        )

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError("use an http(s) address such as https://news.example.org")
        return value

    @field_validator("fetch_proxy")
    @classmethod
    def _proxy_address(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        text = value.get_secret_value().strip()
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 (raises on a bad port)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # the value is not repeated: it may hold a password
            raise ValueError("use a proxy address such as http://proxy.internal:3128")
        return SecretStr(text)

    @field_validator("pages_client_header")
    @classmethod
    def _header_name(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def pages_on(self) -> bool:
        """Event pages are served (and linked from alerts)."""
        return self.public_url is not None and self.pages != "off"

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not (
            value.startswith(("sqlite:///", "postgresql://", "postgres://")) or "://" not in value
        ):
            raise ValueError("use sqlite:///PATH, a file path, or postgresql://...")
        return value


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"bad settings: {problems}") from None
