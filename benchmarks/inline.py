"""Inline-mode latency: the real bot and library answering `@bot question` through the fake Bot API.

    .venv/bin/python -m benchmarks.inline [--users 20] [--rounds 3] [--passages 10000] [--json]

Uses the collection `tracuu bench` generated under <--work>/p<passages> (default .bench/), else data/
(see benchmarks.load_bot). Each round, every user "types" a real question from eval/: the
fake server receives its prefixes (40 %, 70 %, 100 % of the text, `--keystroke` seconds apart), as
Telegram sends a query per pause in typing. Latency runs from the full question's inline query being
queued to the bot's answerInlineQuery arriving, and so includes the bot's deliberate pause
(BotConfig.inline_pause) before it searches. A second pass asks the same questions from other users
(the bot's per-text cache). Target: p95 <= 1 s on the 10k-passage index.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.load_bot import REPO, start_bot, stop_bot, with_bench_library
from benchmarks.load_instruments import TimedLibrary
from benchmarks.measure import load_questions, percentile

USER_BASE = 3_000_000
TARGET_P95_MS = 1000.0
PREFIXES = (0.4, 0.7, 1.0)


def _fake_class() -> type:
    from tests.fake_telegram import FakeTelegram

    class TimedTelegram(FakeTelegram):
        def __post_init__(self) -> None:
            super().__post_init__()
            self.answered: dict[str, float] = {}
            self.waiting: dict[str, asyncio.Future[float]] = {}

        async def _api_answerInlineQuery(self, params: dict) -> bool:
            result = await super()._api_answerInlineQuery(params)
            query_id = str(params["inline_query_id"])
            self.answered[query_id] = time.perf_counter()
            future = self.waiting.pop(query_id, None)
            if future is not None and not future.done():
                future.set_result(self.answered[query_id])
            return result

        def answer_to(self, query_id: str) -> asyncio.Future[float]:
            future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            if query_id in self.answered:
                future.set_result(self.answered[query_id])
            else:
                self.waiting[query_id] = future
            return future

    return TimedTelegram


async def _type(fake: Any, user: dict, question: str, keystroke: float) -> tuple[list[str], str, float]:
    """Send the question's prefixes as typing would; returns (stale ids, final id, when it was queued)."""
    stale = []
    for share in PREFIXES[:-1]:
        stale.append(await fake.inline(user, question[: max(1, int(len(question) * share))]))
        await asyncio.sleep(keystroke)  # the simulated typist, not synchronisation
    queued = time.perf_counter()
    return stale, await fake.inline(user, question), queued


async def _pass(fake: Any, users: list[int], questions: list[str], keystroke: float, timeout: float) -> dict:
    typed = await asyncio.gather(*(_type(fake, fake.user(u), q, keystroke) for u, q in zip(users, questions)))
    futures = {fake.answer_to(final): queued for _, final, queued in typed}
    done, pending = await asyncio.wait(futures, timeout=timeout)
    return {
        "latencies_ms": [(f.result() - futures[f]) * 1000 for f in done],
        "unanswered": len(pending),
        "stale": {i for ids, _, _ in typed for i in ids},
    }


async def run(args: argparse.Namespace, library: Any, questions: list[str]) -> dict:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    fake = _fake_class()()
    await fake.start()
    timed = TimedLibrary(library)
    application = await start_bot(fake, timed, 30.0)
    pause = application.bot_data.state.config.inline_pause
    try:
        await _pass(fake, [USER_BASE - 1], questions[-1:], args.keystroke, args.reply_timeout)  # warm-up
        searched = len(timed.search_ms)
        fresh, cached = [], []
        for number in range(args.rounds):
            chunk = questions[number * args.users : (number + 1) * args.users]
            first = USER_BASE + 2 * number * args.users
            fresh.append(await _pass(fake, list(range(first, first + len(chunk))), chunk, args.keystroke,
                                     args.reply_timeout))  # fmt: skip
            again = list(range(first + args.users, first + args.users + len(chunk)))
            cached.append(await _pass(fake, again, chunk, args.keystroke, args.reply_timeout))
        await asyncio.sleep(3 * pause)  # a stale query that was not dropped would be answered by now
        stale_answered = len({i for p in fresh + cached for i in p["stale"]} & set(fake.answered))
        rejected = [c for c in fake.calls if c.error and "chat not found" not in c.error]
    finally:
        await stop_bot(application)
        await fake.close()
    new = [ms for p in fresh for ms in p["latencies_ms"]]
    hits = [ms for p in cached for ms in p["latencies_ms"]]
    return {
        "passages": library.info().passages,
        "users": args.users,
        "rounds": args.rounds,
        "inline_pause_ms": round(pause * 1000),
        "fresh_p50_ms": round(percentile(new, 50), 1),
        "fresh_p95_ms": round(percentile(new, 95), 1),
        "cached_p50_ms": round(percentile(hits, 50), 1),
        "cached_p95_ms": round(percentile(hits, 95), 1),
        "search_batch_ms_p95": round(percentile(timed.search_ms[searched:], 95), 1),
        "searches": len(timed.search_ms) - searched,
        "questions": len(new),
        "unanswered": sum(p["unanswered"] for p in fresh + cached),
        "stale_answered": stale_answered,
        "rejected": len(rejected),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.inline", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20, help="users typing at the same time per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keystroke", type=float, default=0.15, help="seconds between the typed prefixes")
    parser.add_argument("--passages", type=int, default=10000, help="size of the `tracuu bench` collection")
    parser.add_argument("--data", type=Path, help="data folder of another collection")
    parser.add_argument("--index", type=Path, help="its built index (copied first); omitted: built from --data")
    parser.add_argument("--work", type=Path, default=Path(".bench"), help="the `tracuu bench --work` folder")
    parser.add_argument("--reply-timeout", type=float, default=30.0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser.parse_args(argv)


async def _main(args: argparse.Namespace) -> dict:
    wanted = args.users * args.rounds + 1
    questions = load_questions(REPO, wanted)
    questions = (questions * wanted)[:wanted]
    return await with_bench_library(args, "inline-", lambda library: run(args, library, questions))


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    args = parse_args(argv)
    result = asyncio.run(_main(args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:<20}  {value}")
        ok = result["fresh_p95_ms"] <= TARGET_P95_MS and not result["unanswered"] and not result["stale_answered"]
        print(f"\n{'PASS' if ok else 'FAIL'}  inline p95 <= {TARGET_P95_MS:g} ms, every final query answered, "
              "no stale one")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
