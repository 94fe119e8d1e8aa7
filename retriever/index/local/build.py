"""Build a new index generation beside the live one, reusing what has not changed, then swap it in."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path

from embeddings import Encoder
from retriever.errors import TraCuuError
from retriever.index import sources
from retriever.index.local.budget import BuildBudget
from retriever.index.local.catalog import Kept, has_every_table, write_catalog
from retriever.index.local.delta import fits_delta, write_delta
from retriever.index.local.dense import choose_spec
from retriever.index.local.layout import lay_out
from retriever.index.local.lock import WAIT, build_lock
from retriever.index.local.previous import Previous
from retriever.index.local.rows import write_rows
from retriever.index.local.storage import IndexStore, current_generation, read_manifest, restore_current, swap_in
from retriever.index.local.texts import CatalogTexts, release_freed_memory
from retriever.index.local.writer import describe, write_generation
from retriever.index.passages import Passage, make_passages
from retriever.index.removed import remembered
from retriever.ingest.files import DEFAULT_OCR, list_files, parse_source, read_source
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, Document, SkippedFile
from retriever.wordforms import count_forms, updated_counts

log = logging.getLogger(__name__)


Progress = Callable[[BuildProgress], None]


def _noop(_: BuildProgress) -> None:
    pass


def _previous(index_dir: Path, encoder: Encoder, rebuild: bool, repair: bool) -> IndexStore | None:
    if rebuild or current_generation(index_dir) is None:
        return None
    try:
        return IndexStore.open(index_dir, encoder, mapped=True)
    except TraCuuError as error:
        if not repair:
            raise
        log.warning("replacing the previous index: %s", error)
        return None


def build_index(
    data_dir: Path,
    index_dir: Path,
    encoder: Encoder,
    *,
    dense_index: str = "auto",
    batch_size: int = 32,
    rebuild: bool = False,
    repair: bool = True,
    progress: Progress | None = None,
    lock_wait: float = WAIT,
    build_memory_mb: int = 0,
    ocr: OcrOptions = DEFAULT_OCR,
) -> BuildReport:
    """`build_memory_mb`: what the build may hold at once (`retriever.index.local.budget`); 0: sized to
    the machine."""
    progress = progress or _noop
    paths, skipped = list_files(data_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    budget = BuildBudget(build_memory_mb) if build_memory_mb > 0 else BuildBudget.for_machine()
    with build_lock(index_dir, lock_wait) as unwritable:
        if unwritable is None and (repaired := restore_current(index_dir)):
            log.warning("%s", repaired)
        return _build(
            data_dir, index_dir, encoder, paths, skipped, dense_index, batch_size, rebuild, repair, progress,
            unwritable, budget, ocr,
        )


def _build(
    data_dir: Path,
    index_dir: Path,
    encoder: Encoder,
    paths: list[Path],
    skipped: list[SkippedFile],
    dense_index: str,
    batch_size: int,
    rebuild: bool,
    repair: bool,
    progress: Progress,
    unwritable: OSError | None,
    budget: BuildBudget,
    ocr: OcrOptions,
) -> BuildReport:
    started = time.perf_counter()
    old = _previous(index_dir, encoder, rebuild, repair)
    try:
        hashes = sources.hash_files(paths, data_dir, skipped)
        print_ = sources.fingerprint(list(hashes.items()), encoder)
        # a format 4 generation (float16 sentence vectors) is rewritten even when nothing changed, copied and
        # converted, not encoded again; where the folder cannot be written it is served as it is
        current = old is not None and old.manifest.get("fingerprint") == print_
        if old is not None and current and (not old.sentences.outdated or unwritable is not None):
            return _unchanged_report(old, skipped, started)
        if unwritable is not None:
            raise unwritable
        reparse = old is not None and old.manifest.get("parser_version") != sources.PARSER_VERSION
        previous = Previous(old, reparse=reparse)
        documents, file_hashes, reused, skipped = _read_documents(
            paths, data_dir, previous, hashes, skipped, progress, ocr
        )
        passages, duplicates, reused = _passages(documents, reused, previous, encoder)
        spec = choose_spec(len(passages), dense_index, encoder.dim, budget.memory_mb)
        layout = lay_out(passages, previous.row_map(passages), previous.total_rows, previous.index_type == spec)
        now = datetime.now(UTC)
        generation = index_dir / f"gen-{now:%Y%m%dT%H%M%S-%f}"
        generation.mkdir(parents=True)
        try:
            counts = _accent_counts(passages, previous)
            removed = remembered(
                previous.remembered(),
                previous.removed_now(documents, now.isoformat(timespec="microseconds")),
                {p.passage_id for p in passages},
            )
            facts = _facts(previous, documents, passages)
            catalog = generation / "passages.sqlite"
            kept = Kept(old.generation / "passages.sqlite", frozenset(reused)) if old is not None else None
            if kept is None or not layout.keeps_rows or not kept.paths or not has_every_table(kept.catalog):
                kept = None  # the catalog is written whole: with the unchanged files' paragraphs and texts
                documents = _with_paragraphs(documents, reused, previous)
                layout = replace(layout, passages=previous.with_texts(passages))
            write_catalog(catalog, documents, file_hashes, layout, counts, (removed, duplicates), kept)
            # from here on texts are read back from the catalog: the collection is not held in Python objects
            del documents, passages
            previous.forget_texts()
            release_freed_memory()
            with CatalogTexts(catalog, layout.rows) as texts:
                layout = replace(layout, passages=texts)
                sizes = (facts.documents, len(removed))
                if fits_delta(layout, old):
                    # only the new rows are written; the main's files are linked (`retriever.index.local.delta`)
                    encoded, main_rows = write_delta(generation, layout, previous, encoder, batch_size, progress,
                                                     budget)
                    manifest = {**describe(layout, sizes, encoder, spec), "main_rows": main_rows}
                else:
                    encoded = write_rows(
                        generation, layout, previous, encoder, batch_size, progress, budget.vector_rows(encoder.dim)
                    )
                    progress(BuildProgress("indexing", 0, 1))
                    manifest = write_generation(
                        generation, layout, sizes, encoder, spec, old.generation if old is not None else None, budget
                    )
            manifest["fingerprint"] = print_
            manifest["parser_version"] = sources.PARSER_VERSION
            (generation / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
            read_manifest(generation)  # refuse to swap in something we could not load
            swap_in(index_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        report = replace(facts, encoded=encoded, skipped=tuple(skipped), seconds=time.perf_counter() - started)
    finally:
        if old is not None:
            old.close()
    progress(BuildProgress("done", report.passages, report.passages))
    return report


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
    survivors = kept + [p for p in fresh if p.passage_id in previous.rows]
    survivors.sort(key=lambda p: previous.rows[p.passage_id])
    return survivors + [p for p in fresh if p.passage_id not in previous.rows], dropped, reused


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
        try:
            if previous.unchanged(relative, hashes[relative]):
                # paragraphs only if the file must be split again after all (`_passages`)
                documents.extend(previous.documents(relative, paragraphs_too=False))
                parsed_hashes[relative] = hashes[relative]
                reused.add(relative)
                continue
            done += 1
            progress(BuildProgress("reading", done, to_read))
            parsed = parse_source(read_source(path, data_dir), ocr)
        except (OSError, ValueError) as error:
            reason = str(error) or type(error).__name__
            log.warning("skipping %s: %s", relative, reason)
            skipped.append(SkippedFile(relative, reason))
            continue
        if not any(document.paragraphs for document in parsed):
            log.warning("skipping %s: no text paragraphs found", relative)
            skipped.append(SkippedFile(relative, "no text paragraphs found"))
            continue
        parsed_hashes[relative] = hashes[relative]
        documents.extend(parsed)
    return documents, parsed_hashes, reused, skipped


def _accent_counts(passages: list[Passage], previous: Previous) -> dict[str, int]:
    """Accent vocabulary counts, updated from the previous build's by the passages that changed."""
    if previous.store is None:
        return count_forms(p.text for p in passages)
    current = {p.passage_id for p in passages}
    removed = list(previous.texts(pid for pid in previous.rows if pid not in current).values())
    added = [p.text for p in passages if p.passage_id not in previous.rows]
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
    )


def _unchanged_report(old: IndexStore, skipped: list[SkippedFile], started: float) -> BuildReport:
    info = old.info
    return BuildReport(
        documents=info.documents, passages=info.passages, added=0, changed=0, removed=0, passages_added=0,
        passages_removed=0, encoded=0, skipped=tuple(skipped), seconds=time.perf_counter() - started, unchanged=True,
    )
