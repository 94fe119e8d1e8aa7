"""The catalog of a build beside a live generation: unchanged files' parses and passages taken from it,
new and changed files read and split, the catalog copied and updated in place where rows stay where
they were (`retriever.index.local.catalog`), written whole otherwise. A rebuild, with no live
generation, is streamed instead (`retriever.index.local.stream`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from itertools import groupby
from pathlib import Path

from embeddings import Encoder
from retriever.index.local.catalog import Kept, can_copy, write_catalog
from retriever.index.local.dense import choose_spec
from retriever.index.local.layout import Layout, lay_out
from retriever.index.local.previous import Previous
from retriever.index.local.stream import read_file
from retriever.index.passages import Passage, cut_paragraphs, make_passages
from retriever.index.removed import remembered
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, Document, SkippedFile
from retriever.wordforms import updated_counts

Progress = Callable[[BuildProgress], None]


def update_catalog(
    catalog: Path,
    now: datetime,
    files: tuple[list[Path], Path, dict[str, str], list[SkippedFile]],
    previous: Previous,
    encoder: Encoder,
    progress: Progress,
    ocr: OcrOptions,
    dense_index: str,
    parsed: dict[str, list[Document] | SkippedFile] | None = None,
) -> tuple[Layout, BuildReport, list[SkippedFile], int, str]:
    """The catalog of a build beside a live generation: its layout (passages not held: the catalog has
    them), the report's facts, the files skipped, how many removed passages are remembered, the FAISS
    index chosen. `parsed`: files already read (by `retriever.index.local.patch`), not read again."""
    assert previous.store is not None  # a rebuild, with no live generation, is streamed instead
    paths, data_dir, hashes, skipped = files
    documents, file_hashes, reused, skipped = _read_documents(
        paths, data_dir, previous, hashes, skipped, progress, ocr, parsed or {}
    )
    passages, duplicates, reused = _passages(documents, reused, previous, encoder)
    spec = choose_spec(len(passages), dense_index)
    layout = lay_out(passages, previous.row_map(passages), previous.total_rows, previous.index_type == spec)
    counts = _accent_counts(passages, previous)
    removed = remembered(
        previous.remembered(),
        previous.removed_now(documents, now.isoformat(timespec="microseconds")),
        {p.passage_id for p in passages},
    )
    facts = _facts(previous, documents, passages)
    live = Kept(previous.store.generation / "passages.sqlite", frozenset(reused))
    kept = live if layout.keeps_rows and live.paths and can_copy(live.catalog) else None
    if kept is None:  # the catalog is written whole: with the unchanged files' paragraphs and texts
        documents = _with_paragraphs(documents, reused, previous)
        layout = replace(layout, passages=previous.with_texts(passages))
    write_catalog(catalog, documents, file_hashes, layout, counts, (removed, duplicates), kept)
    previous.forget_texts()
    return replace(layout, passages=()), facts, skipped, len(removed), spec


def _passages(
    documents: list[Document], reused: set[str], previous: Previous, encoder: Encoder
) -> tuple[list[Passage], list[tuple[int, str]], set[str]]:
    """Passages of unchanged files as they were, then those of new and changed files; the repeats left
    out (passage id, path); the files whose passages were kept as they were. Surviving passages keep their
    previous rows and new ones go last, so that when nothing was removed the previous dense index can be
    extended instead of rebuilt."""
    changed = set(previous.files) - reused
    if changed and not previous.can_keep(changed, reused):
        # a file changed or went, and a paragraph it shared with an unchanged file now belongs to that one:
        # every file is split again, so the unchanged ones' paragraphs are read after all
        documents[:] = _with_paragraphs(documents, reused, previous)
        reused = set()
    kept = [p for path in reused for p in previous.file_passages(path)]
    kept_ids = {p.passage_id for p in kept}
    dropped = [(pid, path) for pid, path in previous.duplicates or [] if path in reused]
    fresh = make_passages(
        [d for d in documents if d.path not in reused],
        encoder.max_tokens - 8,
        encoder.count_tokens,
        previous.known_texts() if not reused else frozenset(),  # every file split again: skip counting tokens
        kept_ids,
        dropped,
    )
    rows = previous.rows  # once: a property read a million times is a second at a million passages
    survivors = kept + [p for p in fresh if p.passage_id in rows]
    survivors.sort(key=lambda p: rows[p.passage_id])
    return survivors + [p for p in fresh if p.passage_id not in rows], dropped, reused


def _with_paragraphs(documents: list[Document], reused: set[str], previous: Previous) -> list[Document]:
    """`documents` in their order, those of the `reused` files read back whole from the live catalog
    (`_read_documents` takes them without their paragraphs)."""
    out: list[Document] = []
    for path, group in groupby(documents, key=lambda d: d.path):
        out.extend(previous.documents(path) if path in reused else group)
    return out


def _read_documents(
    paths: list[Path],
    data_dir: Path,
    previous: Previous,
    hashes: dict[str, str],
    skipped: list[SkippedFile],
    progress: Progress,
    ocr: OcrOptions,
    parsed: dict[str, list[Document] | SkippedFile],
) -> tuple[list[Document], dict[str, str], set[str], list[SkippedFile]]:
    """Parse new and changed files, take the stored parse of unchanged ones (returned as `reused`)."""
    documents: list[Document] = []
    parsed_hashes: dict[str, str] = {}
    reused: set[str] = set()
    skipped = list(skipped)
    relatives = [(path, str(path.relative_to(data_dir))) for path in paths]
    # progress counts the files that are read: one ZIP of 20 is "1/20", whatever the collection's size
    to_read = sum(1 for _, r in relatives if r in hashes and not previous.unchanged(r, hashes[r]))
    done = 0
    for path, relative in relatives:
        if relative not in hashes:
            continue  # unreadable: already reported
        if previous.unchanged(relative, hashes[relative]):
            # paragraphs only if the file must be split again after all (`_passages`)
            documents.extend(previous.documents(relative, paragraphs_too=False))
            parsed_hashes[relative] = hashes[relative]
            reused.add(relative)
            continue
        done += 1
        progress(BuildProgress("reading", done, to_read))
        found = parsed[relative] if relative in parsed else read_file(path, relative, data_dir, ocr)
        if isinstance(found, SkippedFile):
            skipped.append(found)
            continue
        parsed_hashes[relative] = hashes[relative]
        documents.extend(found)
    return documents, parsed_hashes, reused, skipped


def _accent_counts(passages: list[Passage], previous: Previous) -> dict[str, int]:
    """Accent vocabulary counts, updated from the previous build's by the passages that changed."""
    current = {p.passage_id for p in passages}
    rows = previous.rows
    removed = list(previous.texts(pid for pid in rows if pid not in current).values())
    added = [p.text for p in passages if p.passage_id not in rows]
    return updated_counts(previous.accent_counts(), removed, added)


def _facts(previous: Previous, documents: list[Document], passages: list[Passage]) -> BuildReport:
    """The report, but for what encoding will tell (`encoded`, `seconds`)."""
    before = previous.document_hashes()
    old_ids = set(previous.rows)
    now = {d.key: d.content_hash for d in documents}
    new_ids = {p.passage_id for p in passages}
    return BuildReport(
        documents=len(documents),
        passages=len(passages),
        added=sum(key not in before for key in now),
        changed=sum(key in before and before[key] != digest for key, digest in now.items()),
        removed=sum(key not in now for key in before),
        passages_added=len(new_ids - old_ids),
        passages_removed=len(old_ids - new_ids),
        encoded=0,
        skipped=(),
        seconds=0.0,
        cut=tuple(cut_paragraphs(documents)),  # the files read: those kept have no paragraphs here
    )
