"""The bench's serving figures on an index already built: cold start, answers and resident memory.

    python -m benchmarks.serving DATA INDEX [--runs 2]

`tracuu bench` builds a collection before it measures it; this runs only its fresh-process probe
(`benchmarks.probe`: what `tracuu ask` does, then the bench's 200 questions answered, encoding
included) on a built index, so that two checkouts can be compared on the same index, in turn.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.bench import ANSWER_QUESTIONS, QUESTIONS
from benchmarks.measure import eval_root, load_questions, percentile, run_probe


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    questions = load_questions(eval_root(), QUESTIONS)[:ANSWER_QUESTIONS]
    for _ in range(args.runs):
        probe = run_probe(args.data, args.index, questions)
        print(
            json.dumps(
                {
                    "cold_start_s": round(probe.cold_start_s, 2),
                    "answer_ms_p50": round(percentile(probe.answer_ms, 50), 1),
                    "answer_ms_p95": round(percentile(probe.answer_ms, 95), 1),
                    "rss_mb": probe.rss_mb,
                    "rss_anon_mb": probe.rss_anon_mb,
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
