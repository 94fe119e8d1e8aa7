"""Figures of docs/security.md: parser bombs refused, a kept answer's size, the cost of PRAGMA quick_check.

Run: python -m benchmarks.hostile bombs            (builds a 1.5 GB Word bomb in memory: about 3 GB RSS)
     python -m benchmarks.hostile state --index DIR (an index of data/, e.g. from `tracuu index`)
     python -m benchmarks.hostile quick-check       (writes a 124 MB SQLite file in a temporary folder)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path


def bombs() -> None:
    from retriever.collection import store_upload
    from retriever.ingest.bounded import ParseLimits, configure, run_child
    from retriever.ingest.parsers import parse_content
    from tests.documents import make_docx_bomb, make_pdf_bomb

    configure(ParseLimits())  # the defaults: 1024 MB, 120 s
    with tempfile.TemporaryDirectory() as folder:
        cases = {"bom.pdf": make_pdf_bomb(80 * 1024 * 1024),
                 "bom.docx": make_docx_bomb(Path(folder) / "seed.docx", 1536 * 1024 * 1024)}
        for name, raw in cases.items():
            started = time.perf_counter()
            try:
                store_upload(Path(folder) / "data", name, raw)
                outcome = "accepted"
            except ValueError as error:
                outcome = str(error)
            print(f"{name}: {len(raw) / 1024:.0f} KB, {time.perf_counter() - started:.2f} s: {outcome}")
        started = time.perf_counter()
        report = run_child(parse_content, (".pdf", make_pdf_bomb(40 * 1024 * 1024), "bom"), ParseLimits())
        why = report.payload[1] if report.status == "refused" else ""
        print(f"40 MB content stream (under the fast check): {report.status} {why} after "
              f"{time.perf_counter() - started:.1f} s; this process's peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def state(index: Path, data: Path) -> None:
    from bot.store.base import dump_response
    from tracuu.configured import open_library, settings_for

    library, _ = open_library(settings_for(argparse.Namespace(data=data, index=index)))
    questions = [json.loads(line)["question"] for line in Path("eval/seed_dev.jsonl").read_text("utf-8").splitlines()]
    old, new = [], []
    for question in questions[:60]:
        response = library.search(question, 9)  # TOP_K 3 x 3 pages, as the bot keeps them
        if response.results:
            old.append(len(json.dumps(asdict(response), ensure_ascii=False).encode()))
            new.append(len(dump_response(response).encode()))
    print(f"{len(old)} answered: whole responses mean {statistics.mean(old):.0f} B (max {max(old)}), "
          f"ids mean {statistics.mean(new):.0f} B (max {max(new)})")


def quick_check() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "passages.sqlite"
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE passages (row INTEGER PRIMARY KEY, passage_id INTEGER UNIQUE, doc_id INTEGER, "
                   "text TEXT)")
        db.execute("CREATE INDEX passages_doc ON passages (doc_id)")
        words = "một hai ba bốn năm sáu bảy tám chín mười đường biên giới Việt Nam Lào".split()
        rows = ((i, random.getrandbits(62), i // 20, " ".join(random.choices(words, k=90))) for i in range(200_000))
        db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?)", rows)
        db.commit()
        for pragma in ("quick_check", "integrity_check"):
            started = time.perf_counter()
            db.execute(f"PRAGMA {pragma}").fetchall()
            print(f"{path.stat().st_size / 1e6:.0f} MB: {pragma} {time.perf_counter() - started:.2f} s")
        db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["bombs", "state", "quick-check"])
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--data", type=Path, default=Path("data"))
    args = parser.parse_args()
    if args.what == "bombs":
        bombs()
    elif args.what == "state":
        state(args.index, args.data)
    else:
        quick_check()
