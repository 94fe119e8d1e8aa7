"""Build a new index generation beside the live one, reusing what has not changed, then swap it in."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.accents import count_forms, updated_counts
from retriever.dense import choose_spec
from retriever.errors import TraCuuError
from retriever.ingest import list_files, parse_source, read_source
from retriever.models import BuildProgress, BuildReport, Document, Paragraph, SkippedFile
from retriever.passages import Passage, make_passages
from retriever.storage import IndexStore, current_generation, read_manifest, swap_in
from retriever.writer import write_generation

log = logging.getLogger(__name__)

PARSER_VERSION = 1  # bump when ingestion changes what a file turns into
ENCODE_CHUNK = 256

Progress = Callable[[BuildProgress], None]


def _noop(_: BuildProgress) -> None:
    pass


def fingerprint(files: list[tuple[str, str]], encoder: Encoder) -> str:
    digest = hashlib.sha256(f"{PARSER_VERSION}|{encoder.backend}|{encoder.model}".encode())
    for relative, content_hash in sorted(files):
        digest.update(f"{relative}\0{content_hash}\n".encode())
    return digest.hexdigest()


def _previous(index_dir: Path, encoder: Encoder, rebuild: bool, repair: bool) -> IndexStore | None:
    if rebuild or current_generation(index_dir) is None:
        return None
    try:
        return IndexStore.open(index_dir, encoder)
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
) -> BuildReport:
    started = time.perf_counter()
    progress = progress or _noop
    paths, skipped = list_files(data_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    old = _previous(index_dir, encoder, rebuild, repair)
    try:
        hashes = _hash_files(paths, data_dir, skipped)
        print_ = fingerprint(list(hashes.items()), encoder)
        if old is not None and old.manifest.get("fingerprint") == print_:
            return _unchanged_report(old, skipped, started)
        documents, file_hashes, skipped = _read_documents(paths, data_dir, old, hashes, skipped, progress)
        previous = _previous_passages(old)
        known = {text for _, text in previous.values()}
        passages = make_passages(documents, encoder.max_tokens - 8, encoder.count_tokens, known)
        passages, appended = _stable_order(passages, previous)
        vectors, encoded = _vectors(passages, previous, old, encoder, batch_size, progress)
        progress(BuildProgress("indexing", 0, 1))
        spec = choose_spec(len(passages), dense_index)
        extendable = old is not None and appended and old.info.dense_index == spec
        reuse = old.generation / "dense.faiss" if extendable else None
        generation = index_dir / f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S-%f}"
        try:
            counts = _accent_counts(passages, previous, old)
            manifest = write_generation(
                generation, documents, file_hashes, passages, vectors, counts, encoder, spec, reuse,
                old.generation if old is not None else None, _previous_rows(passages, previous),
            )
            manifest["fingerprint"] = print_
            (generation / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
            read_manifest(generation)  # refuse to swap in something we could not load
            swap_in(index_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        report = _report(old, previous, documents, passages, encoded, skipped, started)
    finally:
        if old is not None:
            old.close()
    progress(BuildProgress("done", report.passages, report.passages))
    return report


def _hash_files(paths: list[Path], data_dir: Path, skipped: list[SkippedFile]) -> dict[str, str]:
    """Content hash of every readable file: enough to tell that nothing changed, without parsing."""
    hashes = {}
    for path in paths:
        try:
            hashes[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:
            log.warning("skipping %s: %s", path.relative_to(data_dir), error)
            skipped.append(SkippedFile(str(path.relative_to(data_dir)), str(error)))
    return hashes


def _previous_passages(old: IndexStore | None) -> dict[int, tuple[int, str]]:
    """passage_id -> (row, text) of the live generation, read once for every step that reuses it."""
    if old is None:
        return {}
    return {pid: (row, text) for row, pid, text in old.query("SELECT row, passage_id, text FROM passages")}


def _stable_order(passages: list[Passage], previous: dict[int, tuple[int, str]]) -> tuple[list[Passage], bool]:
    """Surviving passages keep their previous rows and new ones go last, so that when nothing was
    removed the previous dense index can be extended instead of rebuilt. Returns (order, appended)."""
    if not previous:
        return passages, False
    survivors = sorted((p for p in passages if p.passage_id in previous), key=lambda p: previous[p.passage_id][0])
    new = [p for p in passages if p.passage_id not in previous]
    return survivors + new, len(survivors) == len(previous)


def _previous_rows(passages: list[Passage], previous: dict[int, tuple[int, str]]) -> np.ndarray:
    """For each passage, its row in the live generation, or -1 when it is new."""
    return np.array([previous[p.passage_id][0] if p.passage_id in previous else -1 for p in passages], dtype=np.int64)


def _read_documents(
    paths: list[Path],
    data_dir: Path,
    old: IndexStore | None,
    hashes: dict[str, str],
    skipped: list[SkippedFile],
    progress: Progress,
) -> tuple[list[Document], dict[str, str], list[SkippedFile]]:
    old_files = dict(old.query("SELECT path, content_hash FROM files")) if old else {}
    documents: list[Document] = []
    parsed_hashes: dict[str, str] = {}
    skipped = list(skipped)
    for done, path in enumerate(paths, start=1):
        progress(BuildProgress("reading", done, len(paths)))
        relative = str(path.relative_to(data_dir))
        if relative not in hashes:
            continue  # unreadable: already reported
        try:
            if old is not None and old_files.get(relative) == hashes[relative]:
                parsed = _stored_documents(old, relative)
            else:
                parsed = parse_source(read_source(path, data_dir))
        except (OSError, ValueError) as error:
            reason = str(error) or type(error).__name__
            log.warning("skipping %s: %s", path.relative_to(data_dir), reason)
            skipped.append(SkippedFile(str(path.relative_to(data_dir)), reason))
            continue
        if not any(document.paragraphs for document in parsed):
            log.warning("skipping %s: no text paragraphs found", relative)
            skipped.append(SkippedFile(relative, "no text paragraphs found"))
            continue
        parsed_hashes[relative] = hashes[relative]
        documents.extend(parsed)
    return documents, parsed_hashes, skipped


def _stored_documents(old: IndexStore, relative: str) -> list[Document]:
    """Re-use the parse of an unchanged file instead of parsing it again."""
    documents = []
    for doc_id, key, title, derived, date, source, url, content_hash in old.query(
        "SELECT doc_id, key, title, title_derived, date, source, url, content_hash FROM documents "
        "WHERE path = ? ORDER BY position",
        (relative,),
    ):
        rows = old.query(
            "SELECT text, teaser, teaser_title FROM paragraphs WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
        )
        paragraphs = tuple(Paragraph(text, bool(teaser), teaser_title) for text, teaser, teaser_title in rows)
        documents.append(Document(key, relative, title, bool(derived), date, source, url, paragraphs, content_hash))
    return documents


def _vectors(
    passages: list[Passage],
    previous: dict[int, tuple[int, str]],
    old: IndexStore | None,
    encoder: Encoder,
    batch_size: int,
    progress: Progress,
) -> tuple[np.ndarray, int]:
    vectors = np.zeros((len(passages), encoder.dim), dtype=np.float32)
    missing = []
    for row, passage in enumerate(passages):
        if old is None or passage.passage_id not in previous:
            missing.append(row)
        else:
            vectors[row] = old.vectors[previous[passage.passage_id][0]]
    for start in range(0, len(missing), ENCODE_CHUNK):
        progress(BuildProgress("encoding", start, len(missing)))
        chunk = missing[start : start + ENCODE_CHUNK]
        vectors[chunk] = encoder.encode([passages[i].searchable for i in chunk], kind="passage", batch_size=batch_size)
    progress(BuildProgress("encoding", len(missing), len(missing)))
    return vectors, len(missing)


def _accent_counts(
    passages: list[Passage], previous: dict[int, tuple[int, str]], old: IndexStore | None
) -> dict[str, int]:
    """Accent vocabulary counts, updated from the previous build's by the passages that changed."""
    if old is None:
        return count_forms(p.text for p in passages)
    current = {p.passage_id for p in passages}
    removed = [text for pid, (_, text) in previous.items() if pid not in current]
    added = [p.text for p in passages if p.passage_id not in previous]
    return updated_counts(dict(old.query("SELECT form, count FROM accent_counts")), removed, added)


def _report(
    old: IndexStore | None,
    previous: dict[int, tuple[int, str]],
    documents: list[Document],
    passages: list[Passage],
    encoded: int,
    skipped: list[SkippedFile],
    started: float,
) -> BuildReport:
    before = dict(old.query("SELECT key, content_hash FROM documents")) if old else {}
    old_ids = set(previous)
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
        encoded=encoded,
        skipped=tuple(skipped),
        seconds=time.perf_counter() - started,
    )


def _unchanged_report(old: IndexStore, skipped: list[SkippedFile], started: float) -> BuildReport:
    info = old.info
    return BuildReport(
        documents=info.documents, passages=info.passages, added=0, changed=0, removed=0, passages_added=0,
        passages_removed=0, encoded=0, skipped=tuple(skipped), seconds=time.perf_counter() - started, unchanged=True,
    )
