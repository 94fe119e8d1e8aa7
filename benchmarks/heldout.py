"""Split XQuAD-vi reproducibly into questions for `tracuu calibrate` and a held-out set it never sees.

    python -m benchmarks.heldout eval/xquad_vi /tmp/xq-split

writes
    calibration/questions.jsonl   questions of two thirds of the articles (by a hash of the title)
    heldout/questions.jsonl       the other third's questions: measured, never fitted or tuned on
    xquad/docs.jsonl              the XQuAD-vi collection as it is (a folder to index)
    long/docs.jsonl               all 48 articles with each two consecutive paragraphs joined into one:
                                  ~1,600-character paragraphs, some split into several passages, like the
                                  long Wikipedia-style passages the product misses most on
The XQuAD answer strings are whole sentences, so they stay substrings of the joined paragraphs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict
from pathlib import Path

from retriever.evaluate import comparable

HELD_OUT_SHARE = 3  # one article in three


def held_out(title: str) -> bool:
    return hashlib.blake2b(title.encode("utf-8"), digest_size=4).digest()[0] % HELD_OUT_SHARE == 0


def split_questions(source: Path, target: Path, name: str = "questions.jsonl") -> dict[str, int]:
    """Split `source/name` by the articles its answers are in: a translation of the questions (the same
    answers) falls on the same side as its originals."""
    docs = [json.loads(line) for line in (source / "docs.jsonl").read_text("utf-8").splitlines() if line.strip()]
    questions = [json.loads(line) for line in (source / name).read_text("utf-8").splitlines() if line]
    texts = [(comparable(doc["text"]), doc["title"]) for doc in docs]
    parts: dict[str, list[dict]] = {"calibration": [], "heldout": []}
    for question in questions:
        wanted = [comparable(answer) for answer in question["answers"]]
        titles = {title for text, title in texts if any(answer in text for answer in wanted)}
        parts["heldout" if titles and all(held_out(t) for t in titles) else "calibration"].append(question)
    for part, items in parts.items():
        (target / part).mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(item, ensure_ascii=False) for item in items]
        (target / part / name).write_text("\n".join(lines) + "\n", "utf-8")
    return {part: len(items) for part, items in parts.items()}


def split(source: Path, target: Path) -> dict[str, int]:
    docs = [json.loads(line) for line in (source / "docs.jsonl").read_text("utf-8").splitlines() if line.strip()]
    parts = split_questions(source, target)
    (target / "xquad").mkdir(parents=True, exist_ok=True)
    (target / "xquad" / "docs.jsonl").write_text((source / "docs.jsonl").read_text("utf-8"), "utf-8")
    articles: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        articles[doc["title"]].append(doc["text"])
    (target / "long").mkdir(parents=True, exist_ok=True)
    lines = []
    for number, (title, paragraphs) in enumerate(articles.items()):
        joined = [" ".join(paragraphs[i : i + 2]) for i in range(0, len(paragraphs), 2)]
        lines.append(json.dumps({"id": f"long_{number:03d}", "title": title, "text": "\n".join(joined)},
                                ensure_ascii=False))
    (target / "long" / "docs.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return parts | {"articles": len(articles)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="folder with XQuAD-vi docs.jsonl and questions.jsonl")
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(json.dumps(split(args.source, args.target)))


if __name__ == "__main__":
    main()
