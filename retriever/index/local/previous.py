"""What a build takes over from the live generation: parses of unchanged files, their passages, vectors and counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from retriever.index.local.storage import IndexStore
from retriever.index.passages import Passage
from retriever.index.removed import Removed
from retriever.models import Document, Paragraph

TEXTS_AT_ONCE = 900  # under SQLite's limit on a statement's parameters


class Previous:
    """The live generation as a build sees it; empty when there is none (or it is being replaced)."""

    def __init__(self, store: IndexStore | None, reparse: bool = False) -> None:
        self.store = store
        # the live generation was parsed by other converters: its parses are not reused (its vectors are)
        self.reparse = reparse
        self.files: dict[str, str] = dict(store.query("SELECT path, content_hash FROM files")) if store else {}
        self.total_rows = int(store.manifest.get("rows", store.info.passages)) if store else 0
        self.index_type = store.info.dense_index if store else ""
        self._rows: dict[int, int] | None = None  # passage_id -> row, read when first asked for
        self._passages: dict[int, Passage] = {}
        self._by_path: dict[str, list[Passage]] = defaultdict(list)
        # (passage id, path) of repeats left out of unchanged files; None: a generation that did not record them
        self.duplicates: list[tuple[int, str]] | None = None
        if store is not None and store.query("SELECT 1 FROM sqlite_master WHERE name = 'duplicates'"):
            self.duplicates = store.query("SELECT passage_id, path FROM duplicates")

    @property
    def rows(self) -> dict[int, int]:
        """passage id -> row of every live passage. Read only by an update that is not written as changes
        (`retriever.index.local.patch`): 3.8 s at 926k passages."""
        if self._rows is None:
            self._read_rows()
        assert self._rows is not None
        return self._rows

    @property
    def passages(self) -> dict[int, Passage]:
        self.rows  # noqa: B018 (read on first use)
        return self._passages

    def _read_rows(self) -> None:
        self._rows = {}
        if self.store is None:
            return
        # without their texts (`texts`, `with_texts` read those an update needs): an update that keeps the
        # catalog never writes the kept passages again, and reading every text took 0.86 s at 100k passages
        found = self.store.query(
            "SELECT p.row, p.passage_id, d.key, d.path, p.ordinal, p.teaser, p.teaser_title "
            "FROM passages p JOIN documents d USING (doc_id) ORDER BY p.row"
        )
        for row, pid, key, path, ordinal, teaser, teaser_title in found:
            passage = Passage(pid, key, ordinal, "", bool(teaser), teaser_title)
            self._rows[pid] = row
            self._passages[pid] = passage
            self._by_path[path].append(passage)

    def texts(self, passage_ids: Iterable[int]) -> dict[int, str]:
        """passage id -> text, for some of the live generation's passages."""
        assert self.store is not None
        ids = list(passage_ids)
        found: dict[int, str] = {}
        for start in range(0, len(ids), TEXTS_AT_ONCE):
            part = ids[start : start + TEXTS_AT_ONCE]
            marks = ",".join("?" * len(part))
            found.update(self.store.query(f"SELECT passage_id, text FROM passages WHERE passage_id IN ({marks})",
                                          tuple(part)))
        return found

    def with_texts(self, passages: Sequence[Passage]) -> list[Passage]:
        """`passages` with their texts, those taken from the live generation read back from it."""
        texts = self.texts(p.passage_id for p in passages if not p.text) if self.store is not None else {}
        return [replace(p, text=texts[p.passage_id]) if not p.text else p for p in passages]

    def known_texts(self) -> set[str]:
        """Every passage text of the live generation (known to fit the encoder: not counted again)."""
        return {text for (text,) in self.store.query("SELECT text FROM passages")} if self.store else set()

    def forget_texts(self) -> None:
        """Drop the passages (texts) once the new catalog has them; rows and files stay."""
        self._passages = {}
        self._by_path = defaultdict(list)

    def unchanged(self, relative: str, content_hash: str) -> bool:
        return self.store is not None and not self.reparse and self.files.get(relative) == content_hash

    def documents(self, relative: str, paragraphs_too: bool = True) -> list[Document]:
        """The stored parse of an unchanged file, instead of parsing it again. Without `paragraphs_too`, the
        documents without their paragraphs: what an update needs of a file whose passages it keeps (their
        keys, hashes and order), without reading the collection's text (a second at 100k passages)."""
        assert self.store is not None
        paragraphs: dict[int, list[Paragraph]] = defaultdict(list)
        for doc_id, text, teaser, teaser_title in self.store.query(
            "SELECT doc_id, text, teaser, teaser_title FROM paragraphs JOIN documents USING (doc_id) "
            "WHERE path = ? ORDER BY doc_id, ordinal",
            (relative,),
        ) if paragraphs_too else ():
            paragraphs[doc_id].append(Paragraph.stored(text, bool(teaser), teaser_title))
        return [
            Document(key, relative, title, bool(derived), date, source, url, tuple(paragraphs[doc_id]), content_hash)
            for doc_id, key, title, derived, date, source, url, content_hash in self.store.query(
                "SELECT doc_id, key, title, title_derived, date, source, url, content_hash FROM documents "
                "WHERE path = ? ORDER BY position",
                (relative,),
            )
        ]

    def can_keep(self, changed: set[str], kept: set[str]) -> bool:
        """Whether the passages of the `kept` files can be taken as they are while the `changed` files
        (changed or gone) are split again: not when a kept file left out a repeat of one of theirs, which
        it must now hold itself (known only where the generation recorded its repeats)."""
        if self.duplicates is None:
            return False
        theirs = {p.passage_id for path in changed for p in self.file_passages(path)}
        return not any(pid in theirs and path in kept for pid, path in self.duplicates)

    def file_passages(self, relative: str) -> list[Passage]:
        """The passages an unchanged file gave last time: not split or fingerprinted again."""
        self.rows  # noqa: B018 (read on first use)
        return self._by_path.get(relative, [])

    def vectors(self, rows: np.ndarray | slice) -> np.ndarray:
        assert self.store is not None
        return self.store.vectors[rows]

    def sentence_vectors(self, row: int) -> np.ndarray:
        assert self.store is not None
        return self.store.sentences.of(row)

    def sentence_blocks(self, rows: np.ndarray) -> list[np.ndarray]:
        """The sentence vectors of each of `rows`, read in one go."""
        assert self.store is not None
        stored = self.store.sentences
        rows = np.asarray(rows, dtype=np.int64)
        sizes = stored.offsets[rows + 1] - stored.offsets[rows]
        return np.split(stored.gather(rows), np.cumsum(sizes)[:-1]) if len(rows) else []

    def removed_now(self, documents: list[Document], removed_at: str) -> list[Removed]:
        """The vectors of the passages of documents that are gone from `documents` (not of changed ones)."""
        keys = {document.key for document in documents}
        passages = self.passages
        gone = [(pid, row) for pid, row in self.rows.items() if passages[pid].doc_key not in keys]
        if not gone:
            return []
        vectors = self.vectors(np.array([row for _, row in gone], dtype=np.int64))
        return [
            Removed.of(pid, removed_at, vectors[i], self.sentence_vectors(row)) for i, (pid, row) in enumerate(gone)
        ]

    def remembered(self) -> list[Removed]:
        return self.store.removed_passages() if self.store else []

    def row_map(self, passages: list[Passage]) -> np.ndarray:
        """For each passage, its row in the live generation, or -1 when it is new."""
        rows = self.rows
        return np.array([rows.get(p.passage_id, -1) for p in passages], dtype=np.int64)

    def accent_counts(self) -> dict[str, int]:
        assert self.store is not None
        return dict(self.store.query("SELECT form, count FROM accent_counts"))

    def document_hashes(self) -> dict[str, str]:
        return dict(self.store.query("SELECT key, content_hash FROM documents")) if self.store else {}
