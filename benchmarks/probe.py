"""A fresh process for `tracuu bench`: does what `tracuu ask` does, then answers a question list.

Reads {"data", "index", "questions"} as JSON on stdin; prints "FIRST ok" once the first answer is
rendered (the parent times process start to that line: cold start), then one JSON line with answer
latencies (question text to rendered answer, encoding included) and this process's memory.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> int:
    request = json.loads(sys.stdin.read())
    from benchmarks.measure import proc_status_mb
    from tracuu.configured import open_library
    from tracuu.render import format_response
    from tracuu.settings import load_settings

    settings = load_settings(data_dir=Path(request["data"]), index_dir=Path(request["index"]))
    library, _ = open_library(settings)  # refreshes from the data folder first, like `tracuu ask`
    questions = request["questions"]
    rendered = format_response(library.search(questions[0], settings.top_k))
    print("FIRST ok" if rendered else "FIRST empty", flush=True)
    times = []
    for question in questions:
        started = time.perf_counter()
        format_response(library.search(question, settings.top_k))
        times.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "answer_ms": times,
                "rss_mb": round(proc_status_mb("VmRSS"), 1),
                "rss_peak_mb": round(proc_status_mb("VmHWM"), 1),
                # memory-mapped index pages count in RSS but are page cache the kernel can drop
                "rss_anon_mb": round(proc_status_mb("RssAnon"), 1),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
