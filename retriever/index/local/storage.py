"""The index on disk, one generation per build, `current` pointing at the live one.

    INDEX_DIR/current -> gen-20261124T193000-123456/
        manifest.json     encoder, dimension, prompts, counts, build time, fingerprint
        file_states.json  what each data file looked like when hashed: an unchanged one is not read again
        passages.sqlite   documents, passages, accent vocabulary, retired rows, removed passages' vectors
        changes.sqlite    with a delta: what changed in the catalog since the main's (`changes`), the
                          passages.sqlite above being a link to the main's
        passages.sqlite.written  the build's word that it wrote that file whole (`check.mark_written`)
        vectors.npy       float32 passage vectors, row = passage row
        sentences.npy     int8 sentence vectors, sentence_offsets.npy: row -> its sentences
        dense.faiss       FAISS index over the vectors
        lexical/          bm25s index over folded syllables, with its term frequencies
        delta/            after an update that only appended rows: the rows past `main_rows` (vectors,
                          sentence vectors, flat FAISS, BM25), the files above being links to the previous
                          generation's (`retriever.index.local.delta`, read by `segments`)
A row whose passage was removed is "retired" (see `retriever.index.local.layout`): FAISS, vectors.npy and BM25
keep the slot, SQLite lists it in `retired`, search skips it.
No pickle anywhere; everything is checked against the manifest on load.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path, PurePath

import faiss
import numpy as np

from embeddings import Encoder
from retriever.errors import IndexCorruptError, IndexMissingError
from retriever.index.backend import Candidates, check_encoder
from retriever.index.local.changes import connect, count_passages
from retriever.index.local.check import damaged_files, unreadable_part
from retriever.index.local.dense import load_dense, search_dense
from retriever.index.local.generations import current_generation, read_manifest
from retriever.index.local.lexical import LexicalIndex, Retired
from retriever.index.local.removed import RemovedMemory
from retriever.index.local.segments import (
    DELTA,
    MAIN_RETIRED,
    MainFiles,
    SegmentedDense,
    SegmentedLexical,
    SegmentedSentences,
    SegmentedVectors,
    has_delta,
)
from retriever.index.local.sentences import SentenceFile, sentence_cosines, sentence_vectors
from retriever.index.local.vectorfile import VectorFile
from retriever.index.removed import Removed
from retriever.models import Article, ArticleInfo, IndexInfo, with_headings

RETIRED_OVERFETCH = 256  # dense candidates fetched past retired rows, at most
MMAP_ABOVE = 200_000  # passages; below this, loading into RAM is faster and small


class IndexStore:
    """Read side of one generation. Thread-safe."""

    def __init__(
        self, generation: Path, manifest: dict, mapped: bool = False, reuse: IndexStore | None = None
    ) -> None:
        """`mapped`: map FAISS and BM25 whatever the size (a build reads a few rows of the previous
        generation, and must not load its whole graph and matrix to do so). `reuse`: the store this one
        replaces, whose main segment is taken as it is where this generation links the same files."""
        self.generation = generation
        self.manifest = manifest
        passages = int(manifest["passages"])
        total_rows = int(manifest.get("rows", passages))  # rows of removed passages stay until compaction
        mmap = mapped or passages > MMAP_ABOVE
        damaged = damaged_files(generation)
        if damaged:
            raise IndexCorruptError(
                f"The index in {generation} is damaged ({'; '.join(damaged[:3])}): "
                "rebuild with `tracuu index --rebuild`"
            )
        try:
            self.db = connect(generation / "passages.sqlite", check_same_thread=False)
            self._load_rows(generation, mmap, reuse)
            rows = count_passages(self.db)
            self.live = self._live_rows(total_rows) if total_rows != passages else None
            self.removed = RemovedMemory([block.vectors for block in self.removed_passages()], int(manifest["dim"]))
        except Exception as error:  # any damaged part means the same thing to the user: which one, in words
            raise IndexCorruptError(
                f"The index in {generation} is damaged ({unreadable_part(generation, error)}): "
                "rebuild with `tracuu index --rebuild`"
            ) from error
        counts = {self.dense.ntotal, len(self.vectors), self.lexical.num_docs, self.sentences.rows}
        main = {int(manifest.get("main_rows", total_rows))}
        if counts != {total_rows} or rows != passages or (self.segmented and self._main_counts != main):
            raise IndexCorruptError(
                f"The index in {generation} is inconsistent (rows {sorted(counts)}, passages {rows}; manifest "
                f"{total_rows} and {passages}): rebuild with `tracuu index --rebuild`"
            )
        if reuse is not None and self.main is reuse.main:
            # the store that replaces another takes its main segment over: closing the old one leaves it open
            reuse._owns_main = False
        self._lock = threading.Lock()
        self.info = IndexInfo(
            backend=manifest["backend"],
            model=manifest["model"],
            quantization=manifest["quantization"],
            dim=int(manifest["dim"]),
            documents=int(manifest["documents"]),
            passages=passages,
            built_at=manifest["built_at"],
            dense_index=manifest["dense_index"],
            fingerprint=manifest["fingerprint"],
        )

    @classmethod
    def open(
        cls, index_dir: Path, encoder: Encoder | None, mapped: bool = False, reuse: IndexStore | None = None
    ) -> IndexStore:
        generation = current_generation(index_dir)
        if generation is None:
            raise IndexMissingError(f"No index in {index_dir}. Build one with: tracuu index --index {index_dir}")
        manifest = read_manifest(generation)
        if encoder is not None:
            check_encoder(manifest, encoder)
        return cls(generation, manifest, mapped, reuse)

    def _load_rows(self, generation: Path, mmap: bool, reuse: IndexStore | None) -> None:
        """The per-row files: the main ones, and with a delta segment (`retriever.index.local.segments`) both."""
        self.main: MainFiles = MainFiles.load(generation, mmap, reuse.main if reuse is not None else None)
        self._owns_main = True
        vectors, sentences, dense, lexical = self.main.vectors, self.main.sentences, self.main.dense, self.main.lexical
        retired = Retired.load(generation / MAIN_RETIRED)
        if retired.docs:
            lexical = lexical.without(retired)
        self.main_rows = len(vectors)
        self._main_counts: set[int] = {int(dense.ntotal), len(vectors), lexical.num_docs, sentences.rows}
        self.segmented: bool = has_delta(generation)
        self.vectors: VectorFile | SegmentedVectors = vectors
        self.sentences: SentenceFile | SegmentedSentences = sentences
        self.dense: faiss.Index | SegmentedDense = dense
        self.lexical: LexicalIndex | SegmentedLexical = lexical
        if not self.segmented:
            return
        delta = generation / DELTA
        self.vectors = SegmentedVectors(vectors, VectorFile(delta / "vectors.npy"))
        self.sentences = SegmentedSentences(sentences, SentenceFile(delta))
        self.dense = SegmentedDense(dense, load_dense(delta / "dense.faiss"))
        self.lexical = SegmentedLexical(lexical, LexicalIndex.load(delta / "lexical"))

    def _live_rows(self, total_rows: int) -> np.ndarray:
        live = np.ones(total_rows, dtype=bool)
        live[[row for (row,) in self.db.execute("SELECT row FROM retired")]] = False
        return live

    def removed_passages(self) -> list[Removed]:
        """The removed passages this generation remembers (none in one written before `removed` existed)."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'removed'").fetchone():
            return []
        dim = int(self.manifest["dim"])
        found = self.db.execute("SELECT passage_id, removed_at, vectors FROM removed").fetchall()
        return [Removed(pid, at, np.frombuffer(blob, dtype=np.int8).reshape(-1, dim)) for pid, at, blob in found]

    def live_rows(self, rows: np.ndarray) -> np.ndarray:
        """`rows` without those of removed passages (FAISS still holds them)."""
        rows = rows[rows >= 0]
        return rows if self.live is None else rows[self.live[rows]]

    def candidates(self, tokens: Sequence[list[str]], vectors: np.ndarray, depth: int) -> list[Candidates]:
        """IndexBackend: FAISS and BM25 candidates, with exact cosines from the stored vectors (also when
        FAISS is approximate)."""
        # retired rows (removed passages) keep their FAISS slots and are the nearest to a question about what
        # was removed: fetch past them, so the live candidates are those of an index that never had them
        # (bounded: a removed document has far fewer passages than this)
        retired = min(self.dense.ntotal - self.info.passages, RETIRED_OVERFETCH)
        _, dense_rows = search_dense(self.dense, vectors, depth + retired)
        removed = self.removed.best(vectors)
        found = []
        for query_tokens, vector, rows_, gone in zip(tokens, vectors, dense_rows, removed.tolist()):
            # the main's BM25 still holds the rows an update written as a delta retired (a full build drops
            # their postings)
            match = self.lexical.search(query_tokens, depth + retired)
            lexical_rows = self.live_rows(match.rows)[:depth]
            rows = np.unique(np.concatenate([self.live_rows(rows_)[:depth], lexical_rows]))
            dense = np.asarray(self.vectors[rows] @ vector, dtype=np.float64)
            found.append(Candidates(rows, dense, self.lexical.score_rows(match, rows).astype(np.float64), gone))
        return found

    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        return self.lexical.idf(tokens)

    def sentence_cosines(self, rows: np.ndarray, vector: np.ndarray) -> list[np.ndarray] | None:
        return sentence_cosines(self.sentences, rows, vector)

    def row_vectors(self, rows: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        rows = np.asarray(rows, dtype=np.int64)
        return np.asarray(self.vectors[rows], dtype=np.float32), sentence_vectors(self.sentences, rows)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, params).fetchall()

    def passage_rows(self, rows: list[int]) -> dict[int, tuple]:
        """row -> (text, teaser, teaser_title, doc_id, title, date, source, path, url, passage_id)."""
        return self._passages("p.row", rows)

    def passages_by_id(self, passage_ids: list[int]) -> dict[int, tuple]:
        """passage_id -> the same tuple as `passage_rows`; a passage no longer indexed is absent."""
        return self._passages("p.passage_id", passage_ids)

    def _passages(self, key: str, values: list[int]) -> dict[int, tuple]:
        if not values:
            return {}
        marks = ",".join("?" * len(values))
        found = self.query(
            f"SELECT {key}, p.text, p.teaser, p.teaser_title, d.doc_id, d.title, d.date, d.source, d.path, d.url, "
            f"p.passage_id FROM passages p JOIN documents d USING (doc_id) WHERE {key} IN ({marks})",
            tuple(int(value) for value in values),
        )
        return {item[0]: item[1:] for item in found}

    def accents(self, folded: list[str]) -> dict[str, str]:
        if not folded:
            return {}
        marks = ",".join("?" * len(folded))
        return dict(self.query(f"SELECT folded, form FROM accents WHERE folded IN ({marks})", tuple(folded)))

    def articles(self) -> list[ArticleInfo]:
        """In the order of their files (as `list_files` sorts them), then of their place in the file."""
        found = self.query(
            "SELECT d.doc_id, d.title, d.date, d.source, d.path, COUNT(p.row), d.url, d.position FROM documents d "
            "LEFT JOIN passages p USING (doc_id) GROUP BY d.doc_id"
        )
        found.sort(key=lambda row: (PurePath(row[4]).parts, row[7]))
        return [ArticleInfo(*row[:7]) for row in found]

    def article(self, doc_id: int) -> Article | None:
        info = self.query(
            "SELECT d.doc_id, d.title, d.date, d.source, d.path, "
            "(SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.doc_id), d.url FROM documents d WHERE d.doc_id = ?",
            (doc_id,),
        )
        if not info:
            return None
        paragraphs = self.query(
            "SELECT text, teaser_title FROM paragraphs WHERE doc_id = ? AND teaser = 0 ORDER BY ordinal", (doc_id,)
        )
        return Article(ArticleInfo(*info[0]), with_headings(paragraphs))

    def close(self) -> None:
        """The main segment is closed by the last store that took it (`reuse`)."""
        self.db.close()
        if self._owns_main:
            self.main.close()
        if isinstance(self.vectors, SegmentedVectors):
            self.vectors.delta.close()
        if isinstance(self.sentences, SegmentedSentences):
            self.sentences.delta.close()
