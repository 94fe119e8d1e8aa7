"""Build a new index generation beside the live one, reusing what has not changed, then swap it in."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.errors import TraCuuError
from retriever.index import sources
from retriever.index.local.budget import BuildBudget
from retriever.index.local.changes import CHANGES
from retriever.index.local.check import mark_written
from retriever.index.local.delta import FOLD_SLACK, fits_delta, retired_now, tail_of, write_delta
from retriever.index.local.dense import choose_spec
from retriever.index.local.generations import current_generation, read_manifest, restore_current, swap_in
from retriever.index.local.layout import Layout
from retriever.index.local.lock import WAIT, build_lock
from retriever.index.local.patch import Parsed, patch_catalog
from retriever.index.local.previous import Previous
from retriever.index.local.rows import write_rows
from retriever.index.local.storage import IndexStore
from retriever.index.local.stream import Streamed, stream_catalog
from retriever.index.local.texts import CatalogTexts, release_freed_memory
from retriever.index.local.update import update_catalog
from retriever.index.local.writer import describe, write_generation
from retriever.ingest.files import DEFAULT_OCR, list_files
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, SkippedFile

log = logging.getLogger(__name__)


Progress = Callable[[BuildProgress], None]
FILE_STATES = "file_states.json"  # what each file looked like when hashed (`sources.FileStates`)


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
    defer_fold: bool = False,
) -> BuildReport:
    """`build_memory_mb`: what the build may hold at once (`retriever.index.local.budget`); 0: sized to
    the machine. `defer_fold`: an update that takes the delta past its bound is still written as a delta
    (up to twice the bound) and reported `fold_due`, for `retriever.index.local.fold` to fold apart from
    it; otherwise the update itself is the fold (a full generation)."""
    progress = progress or _noop
    paths, skipped = list_files(data_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    budget = BuildBudget(build_memory_mb) if build_memory_mb > 0 else BuildBudget.for_machine()
    with build_lock(index_dir, lock_wait) as unwritable:
        if unwritable is None and (repaired := restore_current(index_dir)):
            log.warning("%s", repaired)
        return _build(
            data_dir, index_dir, encoder, paths, skipped, dense_index, batch_size, rebuild, repair, progress,
            unwritable, budget, ocr, defer_fold,
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
    defer_fold: bool,
) -> BuildReport:
    started = time.perf_counter()
    old = _previous(index_dir, encoder, rebuild, repair)
    try:
        known = sources.FileStates.load(old.generation / FILE_STATES) if old is not None else sources.FileStates()
        hashes, states = sources.hash_changed(paths, data_dir, skipped, known)
        print_ = sources.fingerprint(list(hashes.items()), encoder)
        # a format 4 generation (float16 sentence vectors) is rewritten even when nothing changed, copied and
        # converted, not encoded again; where the folder cannot be written it is served as it is
        current = old is not None and old.manifest.get("fingerprint") == print_
        if old is not None and current and (not old.sentences.outdated or unwritable is not None):
            return _unchanged_report(old, sources.still_skipped(old.manifest.get("skipped"), skipped, hashes), started)
        if unwritable is not None:
            raise unwritable
        reparse = old is not None and old.manifest.get("parser_version") != sources.PARSER_VERSION
        previous = Previous(old, reparse=reparse)
        now = datetime.now(UTC)
        generation = index_dir / f"gen-{now:%Y%m%dT%H%M%S-%f}"
        generation.mkdir(parents=True)
        try:
            catalog = generation / "passages.sqlite"
            parsed: Parsed = {}
            patch = None
            if old is not None and not reparse:
                patch = patch_catalog(generation, now, (paths, data_dir, hashes, skipped), old, encoder, progress,
                                      ocr, dense_index, parsed, FOLD_SLACK if defer_fold else 1)
            if patch is not None:
                assert old is not None
                # only the changed files were read; the catalog is the main's plus changes (`patch`)
                with CatalogTexts(catalog, patch.tail.rows) as texts:
                    tail = replace(patch.tail, passages=texts)
                    encoded, main_rows = write_delta(generation, tail, patch.retiring, previous, encoder,
                                                     batch_size, progress, budget)
                sizes = (patch.facts.documents, patch.remembered)
                manifest = {**describe(patch.passages, patch.tail.total_rows, sizes, encoder, patch.spec),
                            "main_rows": main_rows}
                facts, skipped = replace(patch.facts, fold_due=patch.fold_due), patch.skipped
            else:
                facts, skipped, encoded, manifest = full_generation(
                    generation, now, (paths, data_dir, hashes, skipped), old, previous, encoder, progress, ocr,
                    (dense_index, batch_size, budget), parsed,
                )
            seal(generation, manifest, (print_, sources.PARSER_VERSION), states, sources.skips_record(skipped))
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


def seal(generation: Path, manifest: dict, made_of: tuple[str, int | None], states: sources.FileStates,
         skipped: list[list[str]]) -> None:
    """What a generation gets last, before it is swapped in: its manifest (`made_of`: the collection's
    fingerprint and the parser's version; `skipped`: the files it could not read, `sources.skips_record`),
    the data files' states, and the build's word for each catalog file it wrote (`check.mark_written`)."""
    fingerprint, parser_version = made_of
    manifest = {**manifest, "fingerprint": fingerprint, "parser_version": parser_version, "skipped": skipped}
    (generation / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    states.save(generation / FILE_STATES)
    read_manifest(generation)  # refuse to swap in something we could not load
    for written in (generation / "passages.sqlite", generation / CHANGES):
        if written.is_file():
            mark_written(written)


def full_generation(
    generation: Path,
    now: datetime,
    files: tuple[list[Path], Path, dict[str, str], list[SkippedFile]],
    old: IndexStore | None,
    previous: Previous,
    encoder: Encoder,
    progress: Progress,
    ocr: OcrOptions,
    options: tuple[str, int, BuildBudget],
    parsed: Parsed,
    fold: bool = False,
) -> tuple[BuildReport, list[SkippedFile], int, dict]:
    """A generation whose catalog is written here (streamed on a rebuild, copied and updated otherwise):
    the report's facts, the files skipped, the passages encoded, the manifest. `fold`: never a delta."""
    dense_index, batch_size, budget = options
    paths, data_dir, hashes, skipped = files
    catalog = generation / "passages.sqlite"
    if old is None:
        # a rebuild: files go to the catalog as they are read and split, never all held at once
        streamed = stream_catalog(catalog, paths, data_dir, hashes, skipped, encoder, progress, ocr)
        spec = choose_spec(streamed.passages, dense_index)
        rows = np.arange(streamed.passages, dtype=np.int64)
        layout = Layout((), rows, streamed.passages, np.full(streamed.passages, -1, dtype=np.int64), False)
        facts, skipped, removed_count = _streamed_facts(streamed), streamed.skipped, 0
    else:
        layout, facts, skipped, removed_count, spec = update_catalog(
            catalog, now, files, previous, encoder, progress, ocr, dense_index, parsed
        )
    # from here on texts are read back from the catalog: the collection is not held in Python objects
    release_freed_memory()
    with CatalogTexts(catalog, layout.rows) as texts:
        layout = replace(layout, passages=texts)
        sizes = (facts.documents, removed_count)
        if old is not None and not fold and fits_delta(layout, old):
            # only the new rows are written; the main's files are linked (`retriever.index.local.delta`)
            tail, retiring = tail_of(layout, old), retired_now(layout, old)
            encoded, main_rows = write_delta(generation, tail, retiring, previous, encoder, batch_size, progress,
                                             budget)
            manifest = {**describe(len(layout.passages), layout.total_rows, sizes, encoder, spec),
                        "main_rows": main_rows}
        else:
            encoded = write_rows(
                generation, layout, previous, encoder, batch_size, progress, budget.vector_rows(encoder.dim)
            )
            progress(BuildProgress("indexing", 0, 1))
            manifest = write_generation(
                generation, layout, sizes, encoder, spec, old.generation if old is not None else None, budget
            )
    return facts, skipped, encoded, manifest


def _streamed_facts(streamed: Streamed) -> BuildReport:
    """The report of a rebuild, but for what encoding will tell: every document and passage is new."""
    return BuildReport(
        documents=streamed.documents, passages=streamed.passages, added=len(streamed.keys), changed=0, removed=0,
        passages_added=streamed.passages, passages_removed=0, encoded=0, skipped=(), seconds=0.0,
        cut=tuple(streamed.cut),
    )


def _unchanged_report(old: IndexStore, skipped: tuple[SkippedFile, ...], started: float) -> BuildReport:
    info = old.info
    return BuildReport(
        documents=info.documents, passages=info.passages, added=0, changed=0, removed=0, passages_added=0,
        passages_removed=0, encoded=0, skipped=skipped, seconds=time.perf_counter() - started, unchanged=True,
    )
