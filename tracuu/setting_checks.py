"""What a setting's value must be beyond its type, for the settings model (tracuu/settings.py) to check as it
reads them: a value the product cannot use is named at start, not where it first breaks something."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit


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
