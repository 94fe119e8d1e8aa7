"""The one indexing queue: jobs run one at a time, in order, and a failing job does not stop the rest."""

from __future__ import annotations

import asyncio

import pytest

from bot.admins.jobs import IndexQueue


async def test_jobs_run_one_at_a_time_in_order_and_survive_a_failure() -> None:
    queue = IndexQueue()
    gate = asyncio.Event()
    log: list[str] = []
    running = 0

    def job(name: str, fail: bool = False):
        async def run() -> None:
            nonlocal running
            running += 1
            assert running == 1, "two jobs at once"
            log.append(f"start {name}")
            if name == "a":
                await gate.wait()
            running -= 1
            log.append(f"end {name}")
            if fail:
                raise RuntimeError("boom")

        return run

    assert queue.submit("upload", job("a")) == 0
    assert queue.submit("link", job("b", fail=True)) == 1
    assert queue.submit("reindex", job("c")) == 2
    assert queue.kinds == ["upload", "link", "reindex"]
    gate.set()
    await asyncio.wait_for(queue.idle(), 5)
    assert log == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert queue.kinds == []
    assert queue.submit("feed", job("d")) == 0  # a new worker after the queue ran dry
    await asyncio.wait_for(queue.idle(), 5)
    assert log[-1] == "end d"


async def test_a_stop_waits_for_the_indexing_under_way_so_that_its_admin_is_told(caplog) -> None:
    import logging

    queue = IndexQueue()
    release, told = asyncio.Event(), []

    async def upload() -> None:
        await release.wait()  # the build, in its thread
        told.append("✅")  # the status edited: the step a stop used to cut off

    queue.submit("upload", upload)
    with caplog.at_level(logging.WARNING, logger="bot.admins.jobs"):
        assert not await queue.drain(0.05)  # past the grace period: said, and left to the next start
    assert "stopping with upload unfinished" in caplog.text
    asyncio.get_running_loop().call_later(0.05, release.set)
    assert await queue.drain(5.0) and told == ["✅"]


async def test_a_build_cut_short_by_a_stop_does_not_keep_the_process_alive() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    # a build blocked for ten minutes, awaited by a task that the stop cancels: with asyncio.to_thread the
    # process waited for the thread at exit, past any service manager's grace period
    code = (
        "import asyncio, threading\n"
        "from bot.admins.jobs import in_daemon_thread\n"
        "gate = threading.Event()\n"
        "async def main():\n"
        "    build = asyncio.ensure_future(in_daemon_thread(lambda: gate.wait(600)))\n"
        "    await asyncio.sleep(0)\n"
        "asyncio.run(main())\n"
        "print('exited')\n"
    )
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                   text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "exited", done.stderr


class _Status:
    def __init__(self) -> None:
        self.said: list[str] = []

    async def edit_text(self, text: str, *, reply_markup: object = None) -> None:
        self.said.append(text)


async def test_what_was_sent_is_released_once_told_and_kept_when_the_bot_stops_first() -> None:
    import threading

    from bot.admins.jobs import IndexingJob

    released: list[str] = []

    def refusing(_: object) -> None:
        raise ValueError("not a readable file")

    told = _Status()
    job = IndexingJob(None, told, "en", 0.05, refusing, lambda *_: "", lambda why: f"❌ {why}",  # type: ignore[arg-type]
                      finished=lambda told: released.append("told"))
    await job()
    assert told.said == ["❌ not a readable file"] and released == ["told"]

    gate, preparing = threading.Event(), threading.Event()

    def prepare(_: object) -> None:
        preparing.set()
        gate.wait(30)

    stopped = IndexingJob(None, _Status(), "en", 0.05, prepare, lambda *_: "",  # type: ignore[arg-type]
                          lambda why: why, finished=lambda told: released.append("stopped"))
    running = asyncio.create_task(stopped())
    assert await asyncio.to_thread(preparing.wait, 30)  # in its prepare
    running.cancel()  # the bot stopping past its wait
    with pytest.raises(asyncio.CancelledError):
        await running
    gate.set()
    # its admin was never told: it stays held for the next start (a `finally` released it)
    assert released == ["told"]


def test_a_long_stage_says_about_how_long_it_has_left() -> None:
    from bot.admins.eta import StageClock
    from bot.admins.jobs import progress_text
    from retriever.models import BuildProgress

    now = [0.0]
    clock = StageClock(now=lambda: now[0])

    def shown(done: int, at: float) -> str:
        now[0] = at
        event = BuildProgress("encoding", done, 6000)
        return progress_text(event, "vi", clock.minutes_left(event))

    assert shown(0, 0.0) == "⏳ Cập nhật chỉ mục: mã hóa đoạn văn 0/6000"
    assert shown(100, 5.0) == "⏳ Cập nhật chỉ mục: mã hóa đoạn văn 100/6000"  # too early to tell its pace
    # 600 in 20 s: 5,400 more take three minutes
    assert shown(600, 20.0) == "⏳ Cập nhật chỉ mục: mã hóa đoạn văn 600/6000 · còn khoảng 3 phút"
    assert shown(5900, 196.0) == "⏳ Cập nhật chỉ mục: mã hóa đoạn văn 5900/6000"  # under a minute: not said
