"""An update written as changes: only the files that changed are read, from the data folder and the catalog.

`retriever.index.local.update` takes over the whole live generation (every passage's row and key read
into Python, the catalog copied): 7 s of an addition at 926k passages, whatever the addition. When an
update can be written as a delta over the live generation's main (`retriever.index.local.delta`), this
writes it without any of that: the changed files' live passages are looked up by path, the new passages
by id, and the catalog is the main's, linked, plus its changes (`retriever.index.local.changes`).

It declines (returns None, and the update is written in full, as before) where a full generation is
needed anyway: rows to renumber, the delta past its bound (the fold), another kind of FAISS index, a
repeat that a kept file must now hold itself, or a catalog from before a table existed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from embeddings import Encoder
from retriever.index.local.catalog import has_every_table
from retriever.index.local.changes import CHANGES
from retriever.index.local.changes_write import AccentChanges, Changes, write_changes
from retriever.index.local.delta import delta_fits, link
from retriever.index.local.dense import choose_spec
from retriever.index.local.layout import RETIRED_MAX_SHARE, Layout
from retriever.index.local.storage import IndexStore
from retriever.index.local.stream import read_file
from retriever.index.passages import Passage, cut_paragraphs, make_passages
from retriever.index.removed import Removed, remembered
from retriever.ingest.ocr import OcrOptions
from retriever.models import BuildProgress, BuildReport, Document, SkippedFile
from retriever.wordforms import accent_folds, best_forms, count_forms

Parsed = dict[str, list[Document] | SkippedFile]  # files read by a patch that declined: not read again
AT_ONCE = 900  # values in one statement, under SQLite's limit on its parameters


@dataclass(frozen=True)
class Patch:
    tail: Layout  # the rows past the main, without texts (read back from the new catalog)
    retiring: np.ndarray  # the main's rows this update retires
    facts: BuildReport  # but for what encoding will tell
    skipped: list[SkippedFile]
    remembered: int  # removed passages remembered
    passages: int
    spec: str
    fold_due: bool  # past the delta's bound, within the slack allowed


@dataclass(frozen=True)
class _Live:
    """A live passage of a changed file."""

    row: int
    text: str
    doc_key: str


def patch_catalog(
    generation: Path,
    now: datetime,
    files: tuple[list[Path], Path, dict[str, str], list[SkippedFile]],
    store: IndexStore,
    encoder: Encoder,
    progress: Callable[[BuildProgress], None],
    ocr: OcrOptions,
    dense_index: str,
    parsed: Parsed,
    slack: int = 1,
) -> Patch | None:
    """Write `generation`'s catalog as the live main's plus changes; None where a full update is needed
    (`parsed` then holds the files read, for it). `slack`: a delta past its bound, within that many times
    it, is written all the same and reported as due for a fold (one done in the background)."""
    paths, data_dir, hashes, skipped = files
    if store.sentences.outdated or not has_every_table(store.generation / "passages.sqlite"):
        return None
    live_files = dict(store.query("SELECT path, content_hash FROM files"))
    changed = {path for path, digest in live_files.items() if hashes.get(path) != digest}  # or gone
    before = _live_passages(store, changed)
    duplicates = store.query("SELECT passage_id, path FROM duplicates")
    if any(pid in before and path not in changed for pid, path in duplicates):
        return None  # a kept file left out a repeat of a changed file's passage: it must be split again
    documents, file_hashes, skipped = _read(paths, data_dir, hashes, live_files, skipped, progress, ocr, parsed)
    file_hashes.update((path, digest) for path, digest in live_files.items() if path not in changed)
    dropped = [(pid, path) for pid, path in duplicates if path not in changed]
    fresh = make_passages(documents, encoder.max_tokens - 8, encoder.count_tokens, frozenset(),
                          _Taken(store, before), dropped)
    new = [p for p in fresh if p.passage_id not in before]
    gone = set(before) - {p.passage_id for p in fresh}
    passages = store.info.passages - len(before) + len(fresh)
    total = int(store.manifest.get("rows", store.info.passages)) + len(new)
    spec = choose_spec(passages, dense_index)
    retiring = np.array(sorted(before[pid].row for pid in gone), dtype=np.int64)
    retiring_main = retiring[retiring < store.main_rows]
    if (spec != store.info.dense_index or total - passages > RETIRED_MAX_SHARE * total
            or not delta_fits(total, len(retiring_main), store, slack)):
        return None
    rows = {p.passage_id: before[p.passage_id].row for p in fresh if p.passage_id in before}
    rows.update((p.passage_id, total - len(new) + i) for i, p in enumerate(new))
    removed = _remembered(store, before, gone, {d.key for d in documents}, {p.passage_id for p in fresh}, now)
    accents = _accent_changes(store, [before[pid].text for pid in gone], [p.text for p in new])
    hidden = _select(store, "SELECT doc_id FROM main.documents WHERE path IN ({})", sorted(changed))
    link(store.generation / "passages.sqlite", generation / "passages.sqlite")
    write_changes(generation / CHANGES, store.generation, Changes(
        documents, [(rows[p.passage_id], p) for p in fresh], changed, [doc_id for (doc_id,) in hidden],
        file_hashes, retiring, removed, dropped, accents,
    ))
    return Patch(
        _tail(store, gone, new, total), retiring_main,
        _facts(store, before, changed, documents, passages, (len(new), len(gone))), skipped, len(removed),
        passages, spec, not delta_fits(total, len(retiring_main), store),
    )


def _read(
    paths: list[Path],
    data_dir: Path,
    hashes: dict[str, str],
    live_files: dict[str, str],
    skipped: list[SkippedFile],
    progress: Callable[[BuildProgress], None],
    ocr: OcrOptions,
    parsed: Parsed,
) -> tuple[list[Document], dict[str, str], list[SkippedFile]]:
    """The documents of the new and changed files, in the order of `paths`, and their hashes."""
    relatives = [(path, relative) for path in paths if (relative := str(path.relative_to(data_dir))) in hashes
                 and live_files.get(relative) != hashes[relative]]
    documents: list[Document] = []
    file_hashes: dict[str, str] = {}
    skipped = list(skipped)
    for done, (path, relative) in enumerate(relatives, start=1):
        progress(BuildProgress("reading", done, len(relatives)))
        found = parsed[relative] = read_file(path, relative, data_dir, ocr)
        if isinstance(found, SkippedFile):
            skipped.append(found)
            continue
        file_hashes[relative] = hashes[relative]
        documents.extend(found)
    return documents, file_hashes, skipped


def _select(store: IndexStore, sql: str, values: list) -> list[tuple]:
    """`sql` with its one `IN ({})` filled with `values`, a statement per AT_ONCE of them."""
    found: list[tuple] = []
    for start in range(0, len(values), AT_ONCE):
        part = values[start : start + AT_ONCE]
        found += store.query(sql.format(",".join("?" * len(part))), tuple(part))
    return found


def _live_passages(store: IndexStore, paths: set[str]) -> dict[int, _Live]:
    found = _select(store, "SELECT p.passage_id, p.row, p.text, d.key FROM passages p JOIN documents d "
                           "USING (doc_id) WHERE d.path IN ({})", sorted(paths))
    return {pid: _Live(row, text, key) for pid, row, text, key in found}


class _Taken:
    """The ids of live passages that stay (of files not changed): a new file's repeat of one is left out.
    Asked for a new article's few passages, one look-up each, instead of a set of every id."""

    def __init__(self, store: IndexStore, changing: dict[int, _Live]) -> None:
        self._store, self._changing = store, changing

    def __contains__(self, passage_id: object) -> bool:
        if not isinstance(passage_id, int) or passage_id in self._changing:
            return False
        return bool(self._store.query("SELECT 1 FROM passages WHERE passage_id = ?", (passage_id,)))


def _tail(store: IndexStore, gone: set[int], new: list[Passage], total: int) -> Layout:
    """The rows past the main after the update: the live delta's that stay, then the new passages'."""
    kept = sorted(row for row, pid in store.query("SELECT row, passage_id FROM passages WHERE row >= ?",
                                                  (store.main_rows,)) if pid not in gone)
    rows = kept + list(range(total - len(new), total))
    previous = kept + [-1] * len(new)  # the live delta's rows stay where they are
    return Layout((), np.array(rows, dtype=np.int64), total, np.array(previous, dtype=np.int64), True)


def _remembered(
    store: IndexStore, before: dict[int, _Live], gone: set[int], keys: set[str], fresh: set[int], now: datetime
) -> list[Removed]:
    """The removed passages to remember: those of documents that left (not of changed ones), then the rest."""
    at = now.isoformat(timespec="microseconds")
    left = sorted((before[pid].row, pid) for pid in gone if before[pid].doc_key not in keys)
    vectors = np.asarray(store.vectors[np.array([row for row, _ in left], dtype=np.int64)], dtype=np.float32)
    new = [Removed.of(pid, at, vectors[i], store.sentences.of(row)) for i, (row, pid) in enumerate(left)]
    kept = store.removed_passages()
    asked = sorted({r.passage_id for r in kept} - fresh)
    live = {pid for (pid,) in _select(store, "SELECT passage_id FROM passages WHERE passage_id IN ({})", asked)}
    return remembered(kept, new, fresh | (live - set(before)))


def _accent_changes(store: IndexStore, removed: Iterable[str], added: Iterable[str]) -> AccentChanges:
    """The counts of the forms that changed, and for each folded word among them its best form and every
    form it has now, as a whole write would have them (`retriever.wordforms`)."""
    change: Counter[str] = count_forms(added)
    change.subtract(count_forms(removed))
    touched = sorted(form for form, n in change.items() if n)
    old = dict(_select(store, "SELECT form, count FROM accent_counts WHERE form IN ({})", touched))
    counts = {form: max(old.get(form, 0) + change[form], 0) for form in touched}
    accented = accent_folds(touched)
    folds = sorted({folded for folded, _ in accented})
    forms: dict[str, set[str]] = {folded: set() for folded in folds}
    for folded, form in _select(store, "SELECT folded, form FROM accent_folds WHERE folded IN ({})", folds):
        forms[folded].add(form)
    for folded, form in accented:
        (forms[folded].add if counts[form] > 0 else forms[folded].discard)(form)
    others = sorted({form for held in forms.values() for form in held} - set(counts))
    every = {**dict(_select(store, "SELECT form, count FROM accent_counts WHERE form IN ({})", others)), **counts}
    best = best_forms({form: every.get(form, 0) for held in forms.values() for form in held})
    return AccentChanges(
        list(counts.items()),
        [(folded, best.get(folded, "")) for folded in folds],
        [(folded, form) for folded in folds for form in sorted(forms[folded])],
    )


def _facts(
    store: IndexStore,
    before: dict[int, _Live],
    changed: set[str],
    documents: list[Document],
    passages: int,
    moved: tuple[int, int],
) -> BuildReport:
    """The report, but for what encoding will tell (`encoded`, `seconds`)."""
    old = dict(_select(store, "SELECT key, content_hash FROM documents WHERE path IN ({})", sorted(changed)))
    now = {d.key: d.content_hash for d in documents}
    added, removed = moved
    return BuildReport(
        documents=store.info.documents - len(old) + len(now),
        passages=passages,
        added=sum(key not in old for key in now),
        changed=sum(key in old and old[key] != digest for key, digest in now.items()),
        removed=sum(key not in now for key in old),
        passages_added=added,
        passages_removed=removed,
        encoded=0,
        skipped=(),
        seconds=0.0,
        cut=tuple(cut_paragraphs(documents)),
    )
