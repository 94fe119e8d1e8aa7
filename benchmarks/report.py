"""Rendering of `tracuu bench` results: Markdown tables (pasteable into the README) and the target check."""

from __future__ import annotations


def _near(passages: int, size: int) -> bool:
    return abs(passages - size) <= size * 0.1


# (size the target applies to, field, "<=" or ">=", limit, label)
TARGETS = (
    (1_000_000, "retrieve_ms_p95", "<=", 25.0, "1M: retrieval p95 ≤ 25 ms"),
    (1_000_000, "answer_ms_p95", "<=", 80.0, "1M: full answer p95 ≤ 80 ms (default encoder)"),
    (1_000_000, "rss_mb", "<=", 2048.0, "1M: resident memory ≤ 2 GB"),
    (1_000_000, "cold_start_s", "<=", 10.0, "1M: cold start ≤ 10 s"),
    (100_000, "retrieve_ms_p95", "<=", 10.0, "100k: retrieval p95 ≤ 10 ms"),
    (100_000, "recall@10", ">=", 0.95, "100k: recall@10 ≥ 0.95"),
    (100_000, "add_article_s", "<=", 15.0, "100k: one added article answerable ≤ 15 s"),
    (100_000, "add_article_s", "<=", 5.0, "100k: adding an article ≤ 5 s"),
    (100_000, "change_article_s", "<=", 5.0, "100k: changing an article ≤ 5 s"),
    (1_000_000, "build_peak_mb", "<=", 4096.0, "1M: build peak ≤ 4 GB"),
    (1_000_000, "add_article_s", "<=", 15.0, "1M: adding an article ≤ 15 s"),
    (1_000_000, "rss_mb", "<=", 1536.0, "1M: serving RSS ≤ 1.5 GB"),
)
PEAK_GROWTH = (50_000, 200_000, 1.6)  # the build peak at the larger size, at most this many times the smaller's


def targets(payload: dict) -> list[dict]:
    checks = []
    overhead = payload["build_overhead"]["overhead"]
    checks.append(
        {"target": "build overhead over raw encoding ≤ 10%", "value": overhead, "met": overhead <= 0.10}
    )
    for size, field, op, limit, label in TARGETS:
        for run in payload["runs"]:
            if _near(run["passages"], size):
                value = run[field]
                met = value <= limit if op == "<=" else value >= limit
                checks.append({"target": label, "value": value, "met": bool(met)})
    small, large, limit = PEAK_GROWTH
    peaks = {size: run.get("build_peak_mb") for size in (small, large) for run in payload["runs"]
             if _near(run["passages"], size)}
    if peaks.get(small) and peaks.get(large):
        ratio = round(peaks[large] / peaks[small], 2)
        label = f"build peak at 200k ≤ {limit}× the peak at 50k"
        checks.append({"target": label, "value": ratio, "met": ratio <= limit})
    return checks


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _size(passages: int) -> str:
    if passages >= 1_000_000 and passages % 1_000_000 < 50_000:
        return f"{passages / 1_000_000:.0f}M ({passages:,})"
    if passages >= 1000:
        return f"{round(passages / 1000)}k ({passages:,})"
    return str(passages)


def markdown(payload: dict) -> str:
    m = payload["machine"]
    out = [
        (
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, "
            f"Python {m['python']}, {m['os']} (1-min load average at start: {m['load_avg_1m_at_start']})."
        ),
        "",
        "Encoders (bulk passages in batches of 32; queries one at a time):",
        "",
        _table(
            ["encoder", "passages/s", "query ms p50", "query ms p95", "load s"],
            [
                [e["name"], e["passages_per_s"], e["query_ms_p50"], e["query_ms_p95"], e["load_s"]]
                for e in payload["encoders"]
            ],
        ),
        "",
    ]
    o = payload["build_overhead"]
    out += [
        (
            f"Build, files to searchable index, real encoding, {o['passages']} passages: {o['build_s']} s, "
            f"of which encoding {o['encode_s']} s: overhead {o['overhead'] * 100:.1f}% over raw encoding."
        ),
        "",
        (
            f"Scale runs ({payload['questions']} questions for retrieval and recall, "
            f"{payload['answer_questions']} for full answers in a fresh process; ms unless marked s):"
        ),
        "",
        _table(
            [
                "passages",
                "index",
                "build s*",
                "build peak MB",
                "recall@10 (served)",
                "retrieve p50",
                "retrieve p95 (first pass)",
                "dense p95",
                "BM25 p95",
                "fusion+fetch p95",
                "answer p50",
                "answer p95",
                "RSS MB (anon)",
                "disk MB",
                "cold start s",
                "add article s",
                "change article s",
            ],
            [
                [
                    _size(r["passages"]),
                    r["index"],
                    r["build_s"],
                    r.get("build_peak_mb", ""),
                    f"{r['recall@10']} ({r['recall@10_served']})",
                    r["retrieve_ms_p50"],
                    f"{r['retrieve_ms_p95']} ({r['retrieve_first_pass_ms_p95']})",
                    r["dense_ms_p95"],
                    r["lexical_ms_p95"],
                    r["fusion_fetch_ms_p95"],
                    r["answer_ms_p50"],
                    r["answer_ms_p95"],
                    f"{r['rss_mb']} ({r['rss_anon_mb']})",
                    r["disk_mb"],
                    r["cold_start_s"],
                    f"{r['add_article_s']}{'' if r['add_article_found'] else ' (not found!)'}",
                    f"{r['change_article_s']}{'' if r['change_article_found'] else ' (not found!)'}",
                ]
                for r in payload["runs"]
            ],
        ),
        "",
        "\\* " + payload["synthetic"],
        "",
        "Build stages (s; reading = files, parsing, passages; indexing = SQLite, FAISS, BM25, swap):",
        "",
        *[
            f"- {_size(r['passages'])}: build {r.get('build_stages_s', {})}; "
            f"add article {r.get('add_article_stages_s', {})}; change it {r.get('change_article_stages_s', {})}"
            for r in payload["runs"]
        ],
        "",
        "Targets:",
        "",
    ]
    out += [f"- [{'x' if t['met'] else ' '}] {t['target']}: {t['value']}" for t in payload.get("targets", [])]
    out += ["", f"Bot under load: {payload['bot_under_load']}. Bench took {payload['bench_s']} s."]
    return "\n".join(out)
