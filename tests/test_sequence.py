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
