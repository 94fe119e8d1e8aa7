"""What a setting's value must be beyond its type, for the settings model (tracuu/settings.py) to check as it
reads them: a value the product cannot use is named at start, not where it first breaks something."""

from __future__ import annotations

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
