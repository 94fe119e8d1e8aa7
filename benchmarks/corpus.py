"""Scale collections for `tracuu bench`: real Vietnamese sentences recombined, vectors derived from real ones.

Encoding a million passages on a laptop CPU takes a day, so the bench encodes every *sentence* of
the real text (data/ and the XQuAD-vi paragraphs) once, caches the vectors in the work folder, and
gives each generated passage the normalised sum of its sentences' real vectors plus a little noise.
`StandInEncoder` does that from the passage text alone and claims the real encoder's identity, so the
real `Library` (with real query encoding) answers questions against the generated index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings import Encoder
from embeddings.base import Kind, normalise
from retriever.ingest.files import list_files, parse_source, read_source
from retriever.text import collapse_spaces, nfc, sentences

log = logging.getLogger(__name__)

CORPUS_VERSION = 1
PASSAGES_PER_FILE = 5_000
NOISE = 0.015  # per dimension, on a unit vector: cosine to the clean mix ≈ 0.96
XQUAD_DOCS = Path("eval/xquad_vi/docs.jsonl")


@dataclass(frozen=True)
class SourceText:
    titles: tuple[str, ...]
    paragraphs: tuple[tuple[str, str], ...]  # (title, paragraph text) of every real paragraph
    sentences: tuple[str, ...]


def key_of(text: str) -> str:
    return collapse_spaces(nfc(text))


def load_source_text(data_dir: Path, shared_dir: Path) -> SourceText:
    """Every real paragraph the bench can draw on: the articles in data/ and the XQuAD-vi paragraphs."""
    paragraphs: list[tuple[str, str]] = []
    if data_dir.is_dir():
        paths, _ = list_files(data_dir)
        for path in paths:
            try:
                for document in parse_source(read_source(path, data_dir)):
                    paragraphs += [(document.title, p.text) for p in document.paragraphs if not p.teaser]
            except (OSError, ValueError) as error:
                log.warning("bench: skipping %s: %s", path, error)
    xquad = shared_dir / XQUAD_DOCS
    if xquad.is_file():
        for line in xquad.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                paragraphs.append((str(record.get("title", "")).replace("_", " "), str(record["text"])))
    if not paragraphs:
        raise RuntimeError(f"no source text: neither {data_dir} nor {xquad} has paragraphs")
    seen: dict[str, None] = {}
    for _, text in paragraphs:
        for sentence in sentences(text):
            if len(sentence) >= 20:
                seen.setdefault(key_of(sentence), None)
    titles = tuple(dict.fromkeys(key_of(title) for title, _ in paragraphs if title.strip()))
    return SourceText(titles, tuple(paragraphs), tuple(seen))


def sentence_vectors(source: SourceText, encoder: Encoder, work: Path) -> dict[str, np.ndarray]:
    """Real vectors of every title and sentence, cached in `work` (keyed by encoder and text)."""
    texts = [*source.titles, *source.sentences]
    digest = hashlib.sha256(f"{encoder.backend}|{encoder.model}|{encoder.dim}".encode())
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    cache = work / f"sentence-vectors-{digest.hexdigest()[:16]}.npy"
    if cache.is_file():
        vectors = np.load(cache)
    else:
        from tqdm import tqdm

        log.info("bench: encoding %d real sentences and titles once (cached in %s)", len(texts), cache)
        vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        step = 64
        for start in tqdm(
            range(0, len(texts), step), desc="encode real sentences", file=sys.stderr, unit="batch"
        ):
            vectors[start : start + step] = encoder.encode(texts[start : start + step], kind="passage")
        work.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
    return dict(zip(texts, vectors, strict=True))


class StandInEncoder:
    """Passes for the real encoder (same backend, model, dim, prompts) but derives passage vectors."""

    def __init__(self, real: Encoder, vectors: dict[str, np.ndarray]) -> None:
        self.real = real
        self.backend = real.backend
        self.model = real.model
        self.quantization = real.quantization
        self.dim = real.dim
        self.max_tokens = real.max_tokens
        self.query_prompt = real.query_prompt
        self.passage_prompt = real.passage_prompt
        self._vectors = vectors
        self._pool = np.stack(list(vectors.values()))
        self.seconds = 0.0
        self.texts = 0

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        if kind == "query":
            return self.real.encode(texts, kind=kind, batch_size=batch_size)
        started = time.perf_counter()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        seed = int.from_bytes(hashlib.blake2b("".join(texts[:1]).encode(), digest_size=8).digest(), "big")
        rng = np.random.default_rng(seed)
        for row, text in enumerate(texts):
            out[row] = self._mix(key_of(text), rng)
        out = normalise(normalise(out) + rng.normal(0.0, NOISE, out.shape).astype(np.float32))
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return out

    def _mix(self, text: str, rng: np.random.Generator) -> np.ndarray:
        total = np.zeros(self.dim, dtype=np.float32)
        title, dot, body = text.partition(". ")
        if dot and title in self._vectors:
            total += 0.3 * self._vectors[title]
        else:
            body = text
        found = 0
        for sentence in sentences(body):
            vector = self._vectors.get(key_of(sentence))
            if vector is not None:
                total += vector
                found += 1
        if not found:  # text the bench did not write (e.g. an added article): a random real vector
            total += self._pool[rng.integers(len(self._pool))]
        return total


class TimedEncoder:
    """The real encoder, with the time spent in passage encoding added up (for build overhead)."""

    def __init__(self, real: Encoder) -> None:
        self.real = real
        self.backend, self.model, self.dim = real.backend, real.model, real.dim
        self.quantization = real.quantization
        self.max_tokens, self.query_prompt, self.passage_prompt = (
            real.max_tokens,
            real.query_prompt,
            real.passage_prompt,
        )
        self.seconds = 0.0
        self.texts = 0

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)

    def encode(self, texts: Sequence[str], *, kind: Kind, batch_size: int = 32) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.real.encode(texts, kind=kind, batch_size=batch_size)
        if kind == "passage":
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)
        return vectors


def generate_collection(source: SourceText, passages: int, data_dir: Path, seed: int = 0) -> int:
    """Write about `passages` recombined paragraphs as JSONL articles (cached: a marker records the recipe).

    Each article has a real title and 8–20 paragraphs of 2–3 real sentences drawn at random."""
    marker = data_dir / ".bench-corpus.json"
    recipe = {
        "version": CORPUS_VERSION,
        "passages": passages,
        "seed": seed,
        "sentences": len(source.sentences),
    }
    if marker.is_file() and json.loads(marker.read_text("utf-8")).get("recipe") == recipe:
        return int(json.loads(marker.read_text("utf-8"))["documents"])
    data_dir.mkdir(parents=True, exist_ok=True)
    for old in data_dir.glob("*"):
        if old.is_file():
            old.unlink()
    rng = np.random.default_rng(seed)
    pool = np.array(source.sentences, dtype=object)
    written = documents = part = 0
    handle = None
    while written < passages:
        if handle is None or written >= (part + 1) * PASSAGES_PER_FILE:
            if handle is not None:
                handle.close()
                part += 1
            handle = (data_dir / f"part-{part:04d}.jsonl").open("w", encoding="utf-8")
        count = min(int(rng.integers(8, 21)), passages - written)
        picks = rng.integers(0, len(pool), size=(count, 3))
        sizes = rng.integers(2, 4, size=count)
        paragraphs = [" ".join(pool[row[:size]]) for row, size in zip(picks, sizes, strict=True)]
        title = source.titles[int(rng.integers(len(source.titles)))] if source.titles else ""
        record = {"id": f"bench-{documents}", "title": title, "text": "\n".join(paragraphs)}
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += count
        documents += 1
    if handle is not None:
        handle.close()
    marker.write_text(json.dumps({"recipe": recipe, "documents": documents}), "utf-8")
    return documents


NEW_ARTICLE_FACT_DATE = "14 tháng 3 năm 2024"
CHANGED_FACT_DATE = "21 tháng 3 năm 2024"  # the change timed after the addition
NEW_ARTICLE_FACT = (
    f"Hội thảo quốc gia về thuỷ lợi vùng cát ven biển tỉnh Quảng Trị khai mạc ngày {NEW_ARTICLE_FACT_DATE}."
)
NEW_ARTICLE_QUESTION = "Hội thảo quốc gia về thuỷ lợi vùng cát ven biển tỉnh Quảng Trị khai mạc ngày nào?"


def write_new_article(source: SourceText, data_dir: Path, seed: int = 1) -> Path:
    """One fresh news article (a .txt file, 12 paragraphs) whose first paragraph holds a unique fact."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(source.sentences), size=(11, 3))
    body = [NEW_ARTICLE_FACT + " " + source.sentences[int(picks[0][0])]]
    body += [" ".join(source.sentences[int(i)] for i in row) for row in picks[1:]]
    path = data_dir / "zz-bench-new-article.txt"
    path.write_text("Quảng Trị mở hội thảo về thuỷ lợi vùng cát\n\n" + "\n\n".join(body) + "\n", "utf-8")
    return path
