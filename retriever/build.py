"""Build a new index generation beside the live one, reusing what has not changed, then swap it in."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.dense import build_dense, choose_spec, save_dense
from retriever.errors import TraCuuError
from retriever.ingest import list_files, parse_source, read_source
from retriever.lexical import LexicalIndex
from retriever.models import BuildProgress, BuildReport, Document, Paragraph, SkippedFile
from retriever.passages import Passage, make_passages, stable_id
from retriever.storage import FORMAT_VERSION, SCHEMA, IndexStore, current_generation, read_manifest, swap_in
from retriever.text import fold_word, syllables

log = logging.getLogger(__name__)

PARSER_VERSION = 1  # bump when ingestion changes what a file turns into
ENCODE_CHUNK = 256

Progress = Callable[[BuildProgress], None]


def _noop(_: BuildProgress) -> None:
    pass


def doc_id_of(key: str) -> int:
    return stable_id("doc:" + key, bits=52)  # fits JSON numbers and short callback data


def fingerprint(files: list[tuple[str, str]], encoder: Encoder) -> str:
    digest = hashlib.sha256(f"{PARSER_VERSION}|{encoder.backend}|{encoder.model}".encode())
    for relative, content_hash in sorted(files):
        digest.update(f"{relative}\0{content_hash}\n".encode())
    return digest.hexdigest()


def _previous(index_dir: Path, encoder: Encoder, rebuild: bool) -> IndexStore | None:
    if rebuild or current_generation(index_dir) is None:
        return None
    try:
        return IndexStore.open(index_dir, encoder)
    except TraCuuError as error:
        log.warning("not reusing the previous index: %s", error)
        return None


def build_index(
    data_dir: Path,
    index_dir: Path,
    encoder: Encoder,
    *,
    dense_index: str = "auto",
    batch_size: int = 32,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    started = time.perf_counter()
    progress = progress or _noop
    paths, skipped = list_files(data_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    old = _previous(index_dir, encoder, rebuild)
    try:
        documents, file_hashes, skipped = _read_documents(paths, data_dir, old, skipped, progress)
        print_ = fingerprint(list(file_hashes.items()), encoder)
        if old is not None and old.manifest.get("fingerprint") == print_ and not rebuild:
            return _unchanged_report(old, skipped, started)
        passages = make_passages(documents, encoder.max_tokens - 8, encoder.count_tokens)
        vectors, encoded = _vectors(passages, old, encoder, batch_size, progress)
        progress(BuildProgress("indexing", 0, 1))
        generation = index_dir / f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S-%f}"
        try:
            manifest = _write_generation(generation, documents, file_hashes, passages, vectors, encoder, dense_index)
            manifest["fingerprint"] = print_
            (generation / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
            read_manifest(generation)  # refuse to swap in something we could not load
            swap_in(index_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        report = _report(old, documents, passages, encoded, skipped, started)
    finally:
        if old is not None:
            old.close()
    progress(BuildProgress("done", report.passages, report.passages))
    return report


def _read_documents(
    paths: list[Path], data_dir: Path, old: IndexStore | None, skipped: list[SkippedFile], progress: Progress
) -> tuple[list[Document], dict[str, str], list[SkippedFile]]:
    old_files = dict(old.query("SELECT path, content_hash FROM files")) if old else {}
    documents: list[Document] = []
    hashes: dict[str, str] = {}
    skipped = list(skipped)
    for done, path in enumerate(paths, start=1):
        progress(BuildProgress("reading", done, len(paths)))
        try:
            source = read_source(path, data_dir)
            if old is not None and old_files.get(source.relative) == source.content_hash:
                parsed = _stored_documents(old, source.relative)
            else:
                parsed = parse_source(source)
        except (OSError, ValueError) as error:
            reason = str(error) or type(error).__name__
            log.warning("skipping %s: %s", path.relative_to(data_dir), reason)
            skipped.append(SkippedFile(str(path.relative_to(data_dir)), reason))
            continue
        if not any(document.paragraphs for document in parsed):
            log.warning("skipping %s: no text paragraphs found", source.relative)
            skipped.append(SkippedFile(source.relative, "no text paragraphs found"))
            continue
        hashes[source.relative] = source.content_hash
        documents.extend(parsed)
    return documents, hashes, skipped


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
    passages: list[Passage], old: IndexStore | None, encoder: Encoder, batch_size: int, progress: Progress
) -> tuple[np.ndarray, int]:
    vectors = np.zeros((len(passages), encoder.dim), dtype=np.float32)
    known: dict[int, int] = {}
    if old is not None:
        known = {passage_id: row for row, passage_id in old.query("SELECT row, passage_id FROM passages")}
    missing = []
    for row, passage in enumerate(passages):
        old_row = known.get(passage.passage_id)
        if old_row is None:
            missing.append(row)
        else:
            vectors[row] = old.vectors[old_row]
    for start in range(0, len(missing), ENCODE_CHUNK):
        progress(BuildProgress("encoding", start, len(missing)))
        chunk = missing[start : start + ENCODE_CHUNK]
        vectors[chunk] = encoder.encode([passages[i].searchable for i in chunk], kind="passage", batch_size=batch_size)
    progress(BuildProgress("encoding", len(missing), len(missing)))
    return vectors, len(missing)


def accent_forms(passages: list[Passage]) -> dict[str, str]:
    """Most frequent accented form of each folded syllable and syllable pair in the collection."""
    counts: Counter[str] = Counter()
    for passage in passages:
        words = syllables(passage.text)
        counts.update(words)
        counts.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    best: dict[str, tuple[int, str]] = {}
    for form, count in counts.items():
        folded = " ".join(fold_word(part) for part in form.split(" "))
        if folded != form and count > best.get(folded, (0, ""))[0]:
            best[folded] = (count, form)
    return {folded: form for folded, (_, form) in best.items()}


def _write_generation(
    generation: Path,
    documents: list[Document],
    file_hashes: dict[str, str],
    passages: list[Passage],
    vectors: np.ndarray,
    encoder: Encoder,
    dense_index: str,
) -> dict:
    generation.mkdir(parents=True)
    db = sqlite3.connect(generation / "passages.sqlite")
    try:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO files VALUES (?, ?)", file_hashes.items())
        db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id_of(d.key), d.key, d.path, d.title, int(d.title_derived), d.date, d.source, d.url,
                 d.content_hash, position)
                for position, d in enumerate(documents)
            ],
        )
        db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?)",
            [
                (doc_id_of(d.key), ordinal, p.text, int(p.teaser), p.teaser_title)
                for d in documents
                for ordinal, p in enumerate(d.paragraphs)
            ],
        )
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (row, p.passage_id, doc_id_of(p.doc_key), p.ordinal, p.text, int(p.teaser), p.teaser_title)
                for row, p in enumerate(passages)
            ],
        )
        db.executemany("INSERT INTO accents VALUES (?, ?)", accent_forms(passages).items())
        db.commit()
    finally:
        db.close()
    np.save(generation / "vectors.npy", vectors)
    spec = choose_spec(len(passages), dense_index)
    save_dense(build_dense(vectors, spec), generation / "dense.faiss")
    LexicalIndex.build([p.searchable for p in passages]).save(generation / "lexical")
    return {
        "format": FORMAT_VERSION,
        "backend": encoder.backend,
        "model": encoder.model,
        "dim": encoder.dim,
        "query_prompt": encoder.query_prompt,
        "passage_prompt": encoder.passage_prompt,
        "max_tokens": encoder.max_tokens,
        "documents": len(documents),
        "passages": len(passages),
        "dense_index": spec,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _report(
    old: IndexStore | None,
    documents: list[Document],
    passages: list[Passage],
    encoded: int,
    skipped: list[SkippedFile],
    started: float,
) -> BuildReport:
    before = dict(old.query("SELECT key, content_hash FROM documents")) if old else {}
    old_ids = {pid for (pid,) in old.query("SELECT passage_id FROM passages")} if old else set()
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
