"""Writing the lexical index a block at a time: memory bounded by the chunk sizes, not the collection.

1. Passages that are new are tokenised `run_passages` at a time; each run's postings (token, row, tf),
   sorted by token, go to a temporary file, and the document frequencies are added up as they come.
   Postings of passages the previous index already has are not counted again: its score matrix is a
   run too (its columns are its postings by token), read with its rows renumbered.
2. With every length and document frequency known, the BM25 matrix is written one block of tokens at
   a time: each run's slice of those tokens is read (runs are sorted by token, so that is one range
   per run), sorted by (token, row) as bm25s stores columns, scored and appended to the output files.

Scores are those of `retriever.index.local.postings.score_matrix` (bm25s's Lucene variant), so the
files are an ordinary bm25s index.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from retriever.index.bm25 import K1, B
from retriever.index.local.npyfile import NpyAppender, read_range
from retriever.index.local.postings import Vocabulary, count_chunk

TF_FILE = "tf.index.npy"
LENGTHS_FILE = "lengths.index.npy"
VOCAB_FILE = "vocab.index.json"
DATA, INDICES, INDPTR = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
RUN_PASSAGES = 50_000  # passages tokenised and counted at once
BLOCK_POSTINGS = 4_000_000  # postings scored and written at once


@dataclass(frozen=True)
class Chunks:
    """How much a lexical build holds at once (`retriever.index.local.budget` sizes these)."""

    run_passages: int = RUN_PASSAGES
    block_postings: int = BLOCK_POSTINGS


@dataclass(frozen=True)
class Background:
    """Passages scored elsewhere whose statistics count with these (a delta segment's main): their
    document frequency of each token, their number, their summed length."""

    doc_freqs: Callable[[Sequence[str]], np.ndarray]
    docs: int
    length: int


NO_BACKGROUND = Background(lambda tokens: np.zeros(len(tokens)), 0, 0)


@dataclass(frozen=True)
class _Run:
    """Postings of some passages on disk, sorted by token: tokens.npy, rows.npy, tf.npy."""

    folder: Path

    def part(self, name: str, start: int, end: int) -> np.ndarray:
        return read_range(self.folder / f"{name}.npy", start, end)

    def positions(self, bounds: np.ndarray) -> np.ndarray:
        tokens = np.load(self.folder / "tokens.npy", mmap_mode="r")  # a binary search touches a few pages
        found = np.searchsorted(tokens, bounds)
        del tokens
        return found


def build_lexical(
    folder: Path,
    texts: Sequence[str],
    rows: np.ndarray,
    total_rows: int,
    previous: Path | None = None,
    previous_rows: np.ndarray | None = None,
    chunks: Chunks = Chunks(),
    background: Background = NO_BACKGROUND,
) -> None:
    """Write the lexical index of passages `texts`, placed at `rows` among `total_rows` slots, to `folder`.

    With `previous` (an earlier lexical folder) and `previous_rows` (each passage's row there, or -1),
    passages found there keep their counts and only the rest are tokenised.
    """
    rows = np.asarray(rows, dtype=np.int64)
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / ".runs"
    work.mkdir()
    try:
        lengths = np.zeros(total_rows, dtype=np.int32)
        old: _Old | None = None
        fresh = np.arange(len(texts))
        if previous is not None and previous_rows is not None and (previous / TF_FILE).is_file():
            # rows past the previous index's own (a delta segment's) are counted again, as new ones
            known = len(np.load(previous / LENGTHS_FILE, mmap_mode="r"))
            previous_rows = np.where(previous_rows < known, previous_rows, -1)
            vocabulary = Vocabulary(json.loads((previous / VOCAB_FILE).read_text("utf-8")))
            old = _Old(previous, previous_rows, rows)
            found = previous_rows >= 0
            lengths[rows[found]] = old.lengths[previous_rows[found]]
            fresh = np.flatnonzero(~found)
            df = old.kept_df(chunks.block_postings)
        else:
            vocabulary = Vocabulary()
            df = np.zeros(0, dtype=np.int64)
        fresh = fresh[np.argsort(rows[fresh], kind="stable")]
        # as a build lays rows out, kept passages stay in their order and new ones come after them all: then
        # each source's postings of a token are already in row order, and a stable sort by token merges them
        ordered = old is None or old.ordered_before(int(rows[fresh].min()) if len(fresh) else total_rows)
        runs = []
        for number, start in enumerate(range(0, len(fresh), chunks.run_passages)):
            part = fresh[start : start + chunks.run_passages]
            ids = [vocabulary.encode(texts[int(i)]) for i in part]
            lengths[rows[part]] = [len(x) for x in ids]
            tokens, run_rows, tf = count_chunk(ids, rows[part])
            del ids
            counted = np.bincount(tokens, minlength=len(vocabulary.ids))
            df = np.concatenate([df, np.zeros(len(counted) - len(df), dtype=np.int64)]) + counted
            runs.append(_save_run(work / f"run-{number}", tokens, run_rows, tf))
        df = np.concatenate([df, np.zeros(len(vocabulary.ids) - len(df), dtype=np.int64)])
        names = sorted(vocabulary.ids, key=vocabulary.ids.__getitem__)
        extra = np.asarray(background.doc_freqs(names), dtype=np.int64) if background.docs else np.zeros_like(df)
        _write_matrix(folder, (df, extra), lengths, old, runs, chunks.block_postings, ordered, background)
        _write_vocabulary(folder, vocabulary.ids, total_rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _Old:
    """The previous lexical index as a source of postings, rows renumbered (-1: the passage is gone)."""

    def __init__(self, folder: Path, previous_rows: np.ndarray, rows: np.ndarray) -> None:
        self.folder = folder
        self.indptr = np.load(folder / INDPTR)
        self.lengths = np.load(folder / LENGTHS_FILE)
        found = previous_rows >= 0
        self.moves = np.full(len(self.lengths), -1, dtype=np.int64)
        self.moves[previous_rows[found]] = rows[found]
        self.everything_kept = bool((self.moves >= 0).all())

    def ordered_before(self, first_new: int) -> bool:
        """Kept rows keep their relative order and all come before `first_new`."""
        kept = self.moves[self.moves >= 0]
        return not len(kept) or (bool((np.diff(kept) > 0).all()) and int(kept[-1]) < first_new)

    @property
    def vocabulary(self) -> int:
        return len(self.indptr) - 1

    def kept_df(self, block: int) -> np.ndarray:
        if self.everything_kept:  # only appended: every old posting stays
            return np.diff(self.indptr).astype(np.int64)
        df = np.zeros(self.vocabulary, dtype=np.int64)
        for first, last in _token_blocks(self.indptr, block):
            tokens, rows, _ = self.postings(first, last)
            df[first:last] = np.bincount(tokens[rows >= 0] - first, minlength=last - first)
        return df

    def postings(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(token, new row or -1, tf) of tokens first:last, in column order."""
        first, last = min(first, self.vocabulary), min(last, self.vocabulary)
        start, end = int(self.indptr[first]), int(self.indptr[last])
        tokens = np.repeat(np.arange(first, last, dtype=np.int64), np.diff(self.indptr[first : last + 1]))
        rows = self.moves[read_range(self.folder / INDICES, start, end)]
        return tokens, rows, read_range(self.folder / TF_FILE, start, end)


def _save_run(folder: Path, tokens: np.ndarray, rows: np.ndarray, tf: np.ndarray) -> _Run:
    folder.mkdir()
    np.save(folder / "tokens.npy", tokens)
    np.save(folder / "rows.npy", rows)
    np.save(folder / "tf.npy", tf)
    return _Run(folder)


def _token_blocks(indptr: np.ndarray, block: int) -> list[tuple[int, int]]:
    """Token ranges holding about `block` postings each (one token may hold more)."""
    vocabulary = len(indptr) - 1
    bounds = np.unique(np.searchsorted(indptr, np.arange(0, int(indptr[-1]), block), side="right") - 1)
    bounds = np.unique(np.concatenate([[0], np.clip(bounds, 0, vocabulary), [vocabulary]]))
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]


def _write_matrix(
    folder: Path,
    counts: tuple[np.ndarray, np.ndarray],
    lengths: np.ndarray,
    old: _Old | None,
    runs: list[_Run],
    block: int,
    ordered: bool,
    background: Background,
) -> None:
    """Lucene BM25 as bm25s computes it: idf = ln(1 + (N - df + .5) / (df + .5)),
    tf part = tf / (tf + k1 (1 - b + b len / avg len)); retired slots (length 0) count for nothing.
    `counts`: each token's postings here, and its document frequency in the `background`."""
    df, extra = counts
    live = lengths[lengths > 0]
    docs, everywhere = len(live) + background.docs, df + extra
    idf = np.log1p((docs - everywhere + 0.5) / (everywhere + 0.5)).astype(np.float32)
    average = (float(live.sum()) + background.length) / docs if docs else 1.0
    norm = K1 * (1 - B + B * lengths / average)
    indptr = np.zeros(len(df) + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    blocks = _token_blocks(indptr, block)
    bounds = np.array([first for first, _ in blocks] + [len(df)], dtype=np.int64)
    positions = [run.positions(bounds) for run in runs]
    with (
        NpyAppender(folder / DATA, np.float32) as data,
        NpyAppender(folder / INDICES, np.int32) as indices,
        NpyAppender(folder / TF_FILE, np.uint16) as tfs,
    ):
        for number, (first, last) in enumerate(blocks):
            parts = [] if old is None else [old.postings(first, last)]
            for run, at in zip(runs, positions, strict=True):
                start, end = int(at[number]), int(at[number + 1])
                parts.append((run.part("tokens", start, end), run.part("rows", start, end), run.part("tf", start, end)))
            tokens, rows, tf = (np.concatenate(column) for column in zip(*parts)) if parts else _empty()
            keep = rows >= 0
            tokens, rows, tf = tokens[keep].astype(np.int64), rows[keep].astype(np.int64), tf[keep]
            # a column's rows ascending, as bm25s has them: sorting sorted runs by token is a merge (timsort)
            order = np.argsort(tokens if ordered else tokens << 32 | rows, kind="stable")
            tokens, rows, tf = tokens[order], rows[order], tf[order]
            if len(tokens) != indptr[last] - indptr[first]:
                raise ValueError(f"lexical postings of tokens {first}:{last} do not add up to their counts")
            scores = idf[tokens] * (tf.astype(np.float32) / (norm[rows] + tf.astype(np.float32)))
            data.append(scores.astype(np.float32))
            indices.append(rows.astype(np.int32))
            tfs.append(tf.astype(np.uint16))
    np.save(folder / INDPTR, indptr)
    np.save(folder / LENGTHS_FILE, lengths)


def _empty() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint16)


def _write_vocabulary(folder: Path, vocab: dict[str, int], num_docs: int) -> None:
    """The two JSON files of a bm25s index (what `bm25s.BM25.save` writes beside the arrays)."""
    model = bm25s.BM25(k1=K1, b=B, method="lucene", idf_method="lucene")
    (folder / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    params = {
        "k1": model.k1, "b": model.b, "delta": model.delta, "method": model.method, "idf_method": model.idf_method,
        "dtype": model.dtype, "int_dtype": model.int_dtype, "num_docs": num_docs, "version": bm25s.__version__,
        "backend": model.backend,
    }
    (folder / "params.index.json").write_text(json.dumps(params, indent=4), "utf-8")
