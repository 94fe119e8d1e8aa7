"""The first pass of a PostgreSQL reindex: every file to write is read, parsed and split into passages
once, and kept on disk until the second pass writes it.

BM25 weights need the collection's average passage length before the first row is written, and that is
known only once every file is split. Before, the import held the whole collection (its originals,
documents, passages, vectors and sentence vectors) in Python objects until then: a build peak of 2.8 GB
at 100k passages, about 28 KB a passage. The spool holds it on disk instead, one JSON line a file (its
`idx_files` row, documents and passages), in the order the second pass writes them; what stays in
memory is one file at a time and the passages' ids (for deduplication). The passages' lexical tokens are
counted here and made again when written: kept in the spool, they were half its size (3.2 times the
text's bytes as JSON), and making them again costs about 40 µs a passage.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO

from retriever.index.passages import Passage, WordCounts, cut_paragraphs, make_passages
from retriever.index.postgres.originals import Incoming, Query, load
from retriever.ingest.files import parse_source
from retriever.ingest.news import NO_PARAGRAPHS
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, CutParagraph, Document, Paragraph, SkippedFile
from retriever.text import lexical_tokens

EMPTY = "\x00"  # the token of a passage without syllables (as the local vocabulary has)

FileRow = tuple[str, str, bytes, str | None]  # idx_files: content hash, origin, original, metadata JSON


def passage_tokens(passage: Passage) -> list[str]:
    return lexical_tokens(passage.searchable) or [EMPTY]


@dataclass(frozen=True)
class Spooled:
    """One file as the second pass writes it."""

    path: str
    row: FileRow
    documents: list[Document]
    passages: list[Passage]


@dataclass
class Totals:
    """What the first pass learned of the whole collection to write."""

    passages: int = 0
    tokens: int = 0  # the passages' lexical lengths, summed
    ids: set[int] = field(default_factory=set)  # the passages'
    cut: list[CutParagraph] = field(default_factory=list)  # paragraphs past the length bound, said to the admin


@dataclass(frozen=True)
class Splitter:
    """How a file's documents become passages: the encoder's limit and token count, and the ids already
    taken (the kept files' passages, then each spooled file's)."""

    max_tokens: int
    count_tokens: Callable[[str], int]
    taken: set[int]


def write_spool(out: IO[str], query: Query, items: list[Incoming], splitter: Splitter, skipped: list[SkippedFile],
                progress: Callable[[BuildProgress], None], ocr: OcrOptions) -> Totals:
    """Read, parse and split each item (unreadable ones go to `skipped`) into `out`, in the order given."""
    totals = Totals()
    estimate = WordCounts(splitter.count_tokens)
    for done, item in enumerate(items, start=1):
        progress(BuildProgress("reading", done, len(items)))
        try:
            source, (origin, raw, meta) = load(query, item)
            parsed = parse_source(source, ocr)
        except (OSError, ValueError) as error:
            skipped.append(SkippedFile.of(item.relative, error))
            continue
        if not any(document.paragraphs for document in parsed):
            skipped.append(SkippedFile(item.relative, NO_PARAGRAPHS, "no_paragraphs"))
            continue
        passages = make_passages(parsed, splitter.max_tokens, splitter.count_tokens, (), splitter.taken,
                                 estimate=estimate)
        totals.cut += cut_paragraphs(parsed)
        splitter.taken.update(p.passage_id for p in passages)
        totals.ids.update(p.passage_id for p in passages)
        totals.passages += len(passages)
        totals.tokens += sum(len(passage_tokens(p)) for p in passages)
        line = {"path": item.relative, "row": [item.content_hash, origin, base64.b64encode(raw).decode(), meta],
                "documents": [asdict(d) for d in parsed], "passages": [asdict(p) for p in passages]}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()
    return totals


def read_spool(spool: IO[str]) -> Iterator[Spooled]:
    for line in spool:
        item = json.loads(line)
        content_hash, origin, raw, meta = item["row"]
        documents = [Document(**{**d, "paragraphs": tuple(Paragraph(**p) for p in d["paragraphs"])})
                     for d in item["documents"]]
        yield Spooled(item["path"], (content_hash, origin, base64.b64decode(raw), meta), documents,
                      [Passage(**p) for p in item["passages"]])
