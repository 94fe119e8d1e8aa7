"""Answers to one chat leave in the order its questions arrived, whichever finishes first."""

from __future__ import annotations

import pytest

from bot.delivery.sequence import ChatSequencer

pytestmark = pytest.mark.asyncio


async def test_a_question_done_early_lets_no_later_one_overtake_those_before_it() -> None:
    sequencer = ChatSequencer()
    searching, limited, thanks = (sequencer.take(-100) for _ in range(3))
    limited.done()  # over the group's limit: nothing to send, done at once
    assert not limited.finished.done()  # a thanks after it would have been sent before the first answer
    searching.done()
    await thanks.turn()  # now it goes
    assert limited.finished.done()
    thanks.done()
    assert sequencer.take(-100)._before is None  # every question answered: the chat is forgotten


async def test_the_limits_are_taken_in_the_order_asked() -> None:
    sequencer = ChatSequencer()
    first, second, third = (sequencer.take(-100) for _ in range(3))
    second.admit()  # its share taken before the first question's: not its turn yet
    assert not second.admitted.done()
    await first.admission()  # the first question waits for nothing
    first.admit()
    await third.admission()  # both before it have taken theirs
    third.done()
    assert not third.finished.done()  # its answer still waits for theirs
