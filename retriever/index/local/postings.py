"""Token ids of passages, and their term frequencies as flat NumPy arrays.

bm25s counts and scores one document at a time in Python and needs every document's tokens as strings
first: at a million passages that is gigabytes and minutes, and it cannot add a document to an index.
Here a passage becomes an int32 array of token ids as soon as it is tokenised, the counts are
vectorised NumPy, and the term frequencies are saved beside the matrix so that the next build only
tokenises the passages that are new (`retriever.index.local.lexical_build` writes the matrix).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retriever.text import fold_word, syllables

EMPTY = ""  # the token of a passage with no words, so every passage has a length


class Vocabulary:
    """Token string -> id, growing as new tokens are seen; ids are never reused."""

    def __init__(self, ids: dict[str, int] | None = None) -> None:
        self.ids: dict[str, int] = dict(ids or {})
        self._pairs: dict[int, int] = {}  # (id_a << 32 | id_b) -> id of "a_b": skips building the string

    def _id(self, token: str) -> int:
        found = self.ids.get(token)
        if found is None:
            found = self.ids[token] = len(self.ids)
        return found

    def encode(self, text: str) -> np.ndarray:
        """Ids of `retriever.text.lexical_tokens(text)`: folded syllables, then folded syllable pairs."""
        folded = [fold_word(word) for word in syllables(text)]
        if not folded:
            return np.array([self._id(EMPTY)], dtype=np.int32)
        ids = [self._id(token) for token in folded]
        pairs = self._pairs
        for a, b, id_a, id_b in zip(folded, folded[1:], ids, ids[1:]):
            key = id_a << 32 | id_b
            pair = pairs.get(key)
            if pair is None:
                pair = pairs[key] = self._id(f"{a}_{b}")
            ids.append(pair)
        return np.array(ids, dtype=np.int32)


def count_chunk(token_ids: Sequence[np.ndarray], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(token, row, tf) of each distinct token of each passage, sorted by token then row; `rows`: each
    passage's row, ascending."""
    if not len(token_ids):
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint16)
    flat = np.concatenate(token_ids).astype(np.int64)
    local = np.repeat(np.arange(len(token_ids), dtype=np.int64), [len(ids) for ids in token_ids])
    keys, tf = np.unique(flat << 32 | local, return_counts=True)
    return (
        (keys >> 32).astype(np.int32),
        np.asarray(rows, dtype=np.int64)[keys & 0xFFFFFFFF].astype(np.int32),
        np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16),
    )
