"""A rebuild streamed into its catalog: files are read, split into passages and written to
`passages.sqlite` a few documents at a time, and dropped.

A rebuild has no live generation to take rows from: every passage is new and takes the next row, in
the order files and their paragraphs come, so a passage's row is known as soon as it is made and
nothing needs the whole collection at once. Before, the whole collection's documents and passages
(about 2.3 KB a passage in Python objects) were held until the catalog was written: 480 MB at 200k
passages. What is held now: one file's parse (a parser returns a file's documents together), the
passages of `DOCUMENTS_AT_ONCE` documents, and a few numbers per passage (ids, for deduplication).

The result is the catalog an unstreamed write makes, row for row: deduplication keeps the first
passage of a text across files as `make_passages` over every document would, and the accent counts
are added up in the same order (ties between forms are broken by which came first).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from embeddings import Encoder
from retriever.index.local.catalog import SCHEMA, insert_rows, write_small_tables
from retriever.index.passages import cut_paragraphs, make_passages
from retriever.ingest.files import parse_source, read_source, skips
from retriever.ingest.news import NO_PARAGRAPHS
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, CutParagraph, Document, SkippedFile
from retriever.wordforms import count_forms

DOCUMENTS_AT_ONCE = 500  # split and written together: a few MB of text


@dataclass
class Streamed:
    """What the rest of a rebuild needs of the collection once its catalog is written."""

    passages: int = 0
    documents: int = 0
    keys: set[str] = field(default_factory=set)
    file_hashes: dict[str, str] = field(default_factory=dict)
    skipped: list[SkippedFile] = field(default_factory=list)
    cut: list[CutParagraph] = field(default_factory=list)


def read_file(path: Path, relative: str, data_dir: Path, ocr: OcrOptions) -> list[Document] | SkippedFile:
    """A file's documents, or why it is left out (logged): unreadable, or without a text paragraph."""
    try:
        parsed = parse_source(read_source(path, data_dir), ocr)
    except (OSError, ValueError) as error:
        skipped = SkippedFile.of(relative, error)
        skips.warning("skipping %s: %s", relative, skipped.reason)
        return skipped
    if not any(document.paragraphs for document in parsed):
        skips.warning("skipping %s: %s", relative, NO_PARAGRAPHS)
        return SkippedFile(relative, NO_PARAGRAPHS, "no_paragraphs")
    return parsed


def stream_catalog(
    catalog: Path,
    paths: list[Path],
    data_dir: Path,
    hashes: dict[str, str],
    skipped: list[SkippedFile],
    encoder: Encoder,
    progress: Callable[[BuildProgress], None],
    ocr: OcrOptions,
) -> Streamed:
    """Write the whole catalog of a rebuild of `paths` (`hashes`: those readable) at `catalog`."""
    out = Streamed(skipped=list(skipped))
    seen: set[int] = set()
    dropped: list[tuple[int, str]] = []
    counts: Counter[str] = Counter()
    relatives = [(path, relative) for path in paths if (relative := str(path.relative_to(data_dir))) in hashes]
    db = sqlite3.connect(catalog)
    try:
        db.executescript(SCHEMA)
        for done, (path, relative) in enumerate(relatives, start=1):
            progress(BuildProgress("reading", done, len(relatives)))
            parsed = read_file(path, relative, data_dir, ocr)
            if isinstance(parsed, SkippedFile):
                out.skipped.append(parsed)
                continue
            out.file_hashes[relative] = hashes[relative]
            out.cut += cut_paragraphs(parsed)
            for start in range(0, len(parsed), DOCUMENTS_AT_ONCE):
                documents = parsed[start : start + DOCUMENTS_AT_ONCE]
                passages = make_passages(
                    documents, encoder.max_tokens - 8, encoder.count_tokens, taken=seen, dropped=dropped
                )
                seen.update(p.passage_id for p in passages)
                positions = {d.key: start + i for i, d in enumerate(documents)}  # its place in the file
                insert_rows(db, documents, positions, enumerate(passages, start=out.passages))
                counts.update(count_forms(p.text for p in passages))
                out.documents += len(documents)
                out.passages += len(passages)
                out.keys.update(positions)
            del parsed
        write_small_tables(db, out.file_hashes, [], counts, ([], dropped))
        db.commit()
    finally:
        db.close()
    return out
