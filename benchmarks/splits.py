"""Split every evaluation set reproducibly into a part to fit on and a held-out part, never fitted or
chosen on (what `docs/quality.md` reports).

    python -m benchmarks.splits eval /tmp/splits

writes TARGET/fit/NAME.jsonl and TARGET/heldout/NAME.jsonl for seed_dev, seed_en, news_vi, unanswerable_vi,
unanswerable_en and the readers' sets of the news (one question in two held out, by a hash of its text; a
translation by its original's, its `source`), XQuAD-vi's readers' questions and near misses the same way (as
xquad_reader and xquad_nearmiss: all of them are about the articles XQuAD-vi's split fits on), and XQuAD-vi's
split by article (`benchmarks.heldout`: TARGET/fit/xquad_vi.jsonl
is its calibration part, TARGET/fit/xquad_en.jsonl the English translation of it; TARGET/xquad and
TARGET/long are the collections to index).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

from benchmarks.heldout import split as split_xquad
from benchmarks.heldout import split_questions

SETS = (
    "seed_dev", "seed_en", "news_vi", "unanswerable_vi", "unanswerable_en",
    "news_reader_vi", "news_nearmiss_vi", "news_reader_en", "news_nearmiss_en",
)
XQUAD_SETS = {"reader": "xquad_reader", "nearmiss": "xquad_nearmiss"}  # eval/xquad_vi/NAME.jsonl → split name


def held_out(question: str) -> bool:
    return hashlib.blake2b(question.encode("utf-8"), digest_size=4).digest()[0] % 2 == 0


def split(source: Path, target: Path) -> dict[str, dict[str, int]]:
    counts = {}
    for part in ("fit", "heldout"):
        (target / part).mkdir(parents=True, exist_ok=True)
    files = {name: source / f"{name}.jsonl" for name in SETS}
    files.update({name: source / "xquad_vi" / f"{file}.jsonl" for file, name in XQUAD_SETS.items()})
    for name, path in files.items():
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        parts: dict[str, list[str]] = {"fit": [], "heldout": []}
        for line in lines:
            record = json.loads(line)
            # a translation on the same side as its original: neither is fitted on while the other is measured
            parts["heldout" if held_out(record.get("source", record["question"])) else "fit"].append(line)
        for part, chosen in parts.items():
            (target / part / f"{name}.jsonl").write_text("\n".join(chosen) + "\n", "utf-8")
        counts[name] = {part: len(chosen) for part, chosen in parts.items()}
    xquad = split_xquad(source / "xquad_vi", target)
    shutil.move(target / "calibration" / "questions.jsonl", target / "fit" / "xquad_vi.jsonl")
    shutil.move(target / "heldout" / "questions.jsonl", target / "heldout" / "xquad_vi.jsonl")
    (target / "calibration").rmdir()
    counts["xquad_vi"] = {"fit": xquad["calibration"], "heldout": xquad["heldout"]}
    english = split_questions(source / "xquad_vi", target, "questions_en.jsonl")
    for part, name in (("calibration", "fit"), ("heldout", "heldout")):
        shutil.move(target / part / "questions_en.jsonl", target / name / "xquad_en.jsonl")
    (target / "calibration").rmdir()
    counts["xquad_en"] = {"fit": english["calibration"], "heldout": english["heldout"]}
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="the eval folder")
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(json.dumps(split(args.source, args.target)))


if __name__ == "__main__":
    main()
