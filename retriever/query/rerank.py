"""Optional cross-encoder reranking of the front candidates (`RERANKER_MODEL`, off by default).

A cross-encoder reads question and passage together, which orders the front better than any score of
separate vectors when the model is good, at the price of one transformer pass per candidate (fine on
a GPU, ~20-50 ms per candidate on 2 CPU cores for a small model). It only reorders: whether to answer
at all is still the calibrated gate's decision, so a reranker cannot make off-topic quotes appear.
Its quality was not measured here (no reranker weights can be downloaded on this machine).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np

from retriever.query.ranked import Ranked

log = logging.getLogger(__name__)


class Reranker(Protocol):
    model: str

    def scores(self, question: str, passages: Sequence[str]) -> np.ndarray:
        """One relevance score per passage; higher is better."""
        ...


class RerankerLoadError(RuntimeError):
    pass


class CrossEncoderReranker:
    """Any sentence-transformers `CrossEncoder`: a hub id (cached, or downloaded unless `offline`, the
    HF_HUB_OFFLINE setting) or a local folder."""

    def __init__(self, model: str, device: str = "", *, offline: bool = False) -> None:
        try:
            from sentence_transformers import CrossEncoder  # only here: the default path never imports torch
        except ImportError as error:
            from embeddings.loader import NO_TORCH

            raise RerankerLoadError(NO_TORCH.format(setting="RERANKER_MODEL")) from error

        local = Path(model).expanduser()
        from embeddings.loader import is_cached

        if not local.is_dir() and offline and not is_cached(model):
            # the hub's own message ran over several lines, asking to check the internet connection
            raise RerankerLoadError(
                f"RERANKER_MODEL={model!r} is not in the local Hugging Face cache and HF_HUB_OFFLINE is set: point "
                "it at a local CrossEncoder folder, or leave it empty (no reranking)"
            )
        try:
            self._model = CrossEncoder(str(local) if local.is_dir() else model, device=device or None)
        except (OSError, ValueError) as error:
            said = " ".join(str(error).split())  # one line
            raise RerankerLoadError(
                f"Could not load RERANKER_MODEL={model!r}: {said}. Point it at a local CrossEncoder folder or "
                "leave it empty (no reranking)"
            ) from error
        self.model = model

    def scores(self, question: str, passages: Sequence[str]) -> np.ndarray:
        if not passages:
            return np.zeros(0)
        predicted = self._model.predict([(question, passage) for passage in passages], convert_to_numpy=True)
        scores = np.asarray(predicted, dtype=np.float64)
        # a two-label head gives (n, 2): the "relevant" column is the score
        return scores[:, -1] if scores.ndim == 2 else scores


def rerank(ranked: Ranked, question: str, texts: Sequence[str], reranker: Reranker) -> Ranked:
    """`ranked` with its first len(texts) candidates reordered by the reranker (texts: theirs, in order)."""
    depth = len(texts)
    if depth < 2:
        return ranked
    order = np.argsort(-reranker.scores(question, texts), kind="stable")
    full = np.concatenate([order, np.arange(depth, len(ranked.rows))])
    return replace(
        ranked,
        rows=ranked.rows[full],
        evidence=tuple(ranked.evidence[i] for i in full),
        highlights=tuple(ranked.highlights[i] for i in full),
    )
