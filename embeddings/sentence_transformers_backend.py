"""Any sentence-transformers model: a hub id (cached or downloadable) or a local folder."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embeddings.base import Kind, length_sorted, normalise
from embeddings.prompts import prompts_for


class SentenceTransformerEncoder:
    backend = "sentence-transformers"

    def __init__(self, model: str, *, device: str = "", local_files_only: bool = False) -> None:
        from huggingface_hub.utils import disable_progress_bars
        from sentence_transformers import SentenceTransformer  # lazy: imports torch
        from transformers.utils.logging import disable_progress_bar

        # "Loading weights: 0%|…" drawn on stderr before the one-line summary or error of every command
        disable_progress_bar()
        disable_progress_bars()
        self._model = SentenceTransformer(model, device=device or None, local_files_only=local_files_only)
        self.model = model
        self.quantization = str(next(self._model.parameters()).dtype).removeprefix("torch.")
        dimension = (
            getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length or 512)
        prompts = prompts_for(model, getattr(self._model, "prompts", None))
        self.query_prompt = prompts.query
        self.passage_prompt = prompts.passage

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        prompt = self.query_prompt if kind == "query" else self.passage_prompt
        order = length_sorted(texts)
        vectors = self._model.encode(
            [prompt + texts[i] for i in order],
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        out[order] = vectors
        return normalise(out)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(self.passage_prompt + text)["input_ids"])
