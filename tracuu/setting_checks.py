"""What a setting's value must be beyond its type, for the settings model (tracuu/settings.py) to check as it
reads them: a value the product cannot use is named at start, not where it first breaks something."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings


def faiss_builds(spec: str) -> bool:
    """Whether FAISS makes an index of `spec` (empty, untrained: cheap) at a dimension of a common encoder;
    some strings (PQ splits) only fit some dimensions."""
    import faiss

    for dim in (384, 768, 1024):
        try:
            faiss.index_factory(dim, spec, faiss.METRIC_INNER_PRODUCT)
        except RuntimeError:
            continue
        return True
    return False


def is_webhook_url(value: str, *, self_hosted: bool) -> bool:
    """What Telegram's setWebhook accepts; a self-hosted Bot API server (TELEGRAM_API_BASE_URL) also calls
    plain http and any port."""
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        return False
    if self_hosted:
        return parts.scheme in {"https", "http"} and bool(parts.hostname)
    return parts.scheme == "https" and bool(parts.hostname) and port in {None, 443, 80, 88, 8443}


def is_bot_api_url(value: str) -> bool:
    """A Bot API server's address as PTB needs it: http(s), a host, a path ending in "bot". The token is
    appended to it: "http://127.0.0.1:8081" made ":8081<token>", and the failure was blamed on the network."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.path.rstrip("/").endswith("bot")


def misspelled(names: Iterable[str], known: set[str]) -> list[tuple[str, str]]:
    """(name, the setting it is close to) for each of `names` that is no setting but nearly one: an unknown
    name is ignored (a `.env` shared with other tools holds theirs), and "TELEGRAM_BOT_TOKN" was, without a
    word, so that `make run` started the terminal chat instead of the bot."""
    return [(name, close[0]) for name in names if name.upper() not in known
            and (close := difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.8))]


def cleaned(value: str) -> str:
    """A value as it was meant: `docker run --env-file` and systemd keep a CRLF `.env`'s carriage return and a
    value's quotes, so `DATA_DIR=../data` came as "../data\\r" ("does not exist", though it did) and `TOP_K="3"`
    as a quoted string ("not a valid integer"). Spaces around it and one pair of matching quotes go."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    return value


_DEVICE = re.compile(r"(cpu|cuda(:\d+)?|mps)", re.IGNORECASE)


def device_problem(value: str) -> str:
    """Why torch cannot run on `value` here ("" where it can, or where it is empty: the best is picked). Checked
    before a model loads: torch said "Torch not compiled with CUDA enabled", naming no setting, and the bot
    exited to be restarted for ever."""
    if not value:
        return ""
    if not _DEVICE.fullmatch(value):
        return f"{value!r} is no device: cpu, cuda, cuda:1 or mps, or leave it empty to pick the best"
    if value.lower() == "cpu":
        return ""
    import torch  # only for a device other than the CPU, which only sentence-transformers uses

    if value.lower().startswith("cuda") and not torch.cuda.is_available():
        return (f"{value} is not available here (this torch has no CUDA, or no GPU is visible): use cpu or leave "
                "it empty")
    if value.lower() == "mps" and not torch.backends.mps.is_available():
        return "mps is not available here (Apple GPUs only): use cpu or leave it empty"
    return ""


class CheckedValues(BaseSettings):
    """Each setting's value cleaned and checked as it is read. The fields are tracuu.settings.Settings's, which
    inherits these (hence `check_fields=False`); the checks that weigh one setting against another are there."""

    @model_validator(mode="before")
    @classmethod
    def _as_meant(cls, values: object) -> object:
        # before any field's own validator: a field validator for "*" ran after the ones splitting ADMIN_IDS
        return {key: cleaned(value) if isinstance(value, str) else value
                for key, value in values.items()} if isinstance(values, dict) else values

    @field_validator("embedding_backend", "index_backend", "log_format", "embedding_device", "reranker_device",
                     mode="before", check_fields=False)
    @classmethod
    def _any_case(cls, value: object) -> object:
        # "JSON", "Postgres": what was meant is clear; torch.device("CPU") failed at load
        return value.lower() if isinstance(value, str) else value

    @field_validator("webhook_secret", check_fields=False)
    @classmethod
    def _telegrams_secret(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_-]{0,256}", value):  # the value is a secret: not repeated
            raise ValueError("must be 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule), e.g. from `openssl rand -hex 32`")
        return value

    @field_validator("ocr_language", check_fields=False)
    @classmethod
    def _tesseract_names(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_]+(\+[A-Za-z_]+)*", value):
            raise ValueError(f"Tesseract's language names joined by +, e.g. vie or vie+eng (got {value!r})")
        return value

    @field_validator("data_dir", "index_dir", check_fields=False)
    @classmethod
    def _home(cls, value: Path) -> Path:
        # "~/data" was a folder named "~" in the working directory, and deleting it invited `rm -rf ~`
        return value.expanduser()

    @field_validator("state_path", check_fields=False)
    @classmethod
    def _home_too(cls, value: str) -> str:
        return os.path.expanduser(value)

    @field_validator("user_id_secret", check_fields=False)
    @classmethod
    def _a_key(cls, value: str) -> str:
        if value.strip() and len(value.strip()) < 16:
            raise ValueError("at least 16 characters are needed (e.g. `openssl rand -hex 32`), or leave "
                             "it empty to derive the key from the token")
        return value

    @field_validator("dense_index", check_fields=False)
    @classmethod
    def _a_faiss_index(cls, value: str) -> str:
        # checked here, not when the index is built: after encoding every passage, or never over an index
        # that is already up to date
        value = "auto" if value.strip().lower() == "auto" else value.strip()
        if value != "auto" and value.lower() != "flat" and not faiss_builds(value):
            raise ValueError(f"{value!r} is not a FAISS index: auto, flat, or a FAISS factory string such as "
                             "HNSW32,SQ8 or IVF1024,PQ48")
        return value

    @field_validator("min_relevance", check_fields=False)
    @classmethod
    def _a_share(cls, value: float | None) -> float | None:
        # 5 would decline every question and -1 quote off-topic ones: outside 0..1 is never what was meant
        if value is not None and not 0 <= value <= 1:
            raise ValueError(f"must be from 0 to 1, e.g. 0.5 (got {value:g})")
        return value

    @field_validator("example_questions", mode="before", check_fields=False)
    @classmethod
    def _split_examples(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(" ".join(part.split()) for part in value.split("|") if part.strip())
        return value

    @field_validator("admin_ids", mode="before", check_fields=False)
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            # `@me` or a username is the usual mistake: Telegram's updates carry the numeric id only
            wrong = [part for part in parts if not re.fullmatch(r"[0-9]+", part)]
            if wrong:
                raise ValueError(f"{wrong[0]!r} is not a Telegram user id: give numeric ids, comma-separated, e.g. "
                                 "123456789 (ask @userinfobot in Telegram for yours)")
            return frozenset(int(part) for part in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value
