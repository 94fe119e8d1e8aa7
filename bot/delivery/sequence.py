"""Answers to one chat leave in the order its questions arrived.

Questions are handled concurrently, so three asked in a row can finish searching in any order, and an
outage (the Sender waiting it out) would then release them in that order. A ticket taken when a question
arrives (before the handler first awaits, so in update order) makes its answer wait for the previous
question's answer to be sent, dropped or refused.

The rate limits are spent in that order too (`admission`, `admit`): each question's share is taken from the
store in a worker thread, and the threads finish in any order, so a reader's first question was refused as
one too many while the ones sent after it were answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Ticket:
    def __init__(self, sequencer: ChatSequencer, chat_id: int, before: Ticket | None) -> None:
        self._sequencer = sequencer
        self._chat_id = chat_id
        self._before = before.finished if before else None
        self._before_admitted = before.admitted if before else None
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.admitted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def admission(self) -> None:
        """Wait until every earlier question of this chat has taken its share of the rate limits."""
        if self._before_admitted is not None:
            await asyncio.shield(self._before_admitted)

    def admit(self) -> None:
        """This question takes no more of the rate limits: the next one may take its share (once every earlier
        one has too)."""
        _after(self._before_admitted, self.admitted)

    async def turn(self) -> None:
        """Wait until every earlier question of this chat has been answered (or given up on)."""
        self.admit()  # a question waiting for its turn has taken all it takes: the next ones must not wait for it
        if self._before is not None:
            await asyncio.shield(self._before)

    def done(self) -> None:
        """This question is answered (or given up on). The next one goes once every earlier one is too: a
        question that ended without a word (over a limit) let a thanks sent after it overtake the answers
        still being searched before it."""
        self.admit()
        _after(self._before, self.finished, lambda: self._sequencer._forget(self))


def _after(before: asyncio.Future[None] | None, this: asyncio.Future[None], then: Callable[[], None] = lambda: None,
           ) -> None:
    """Resolve `this` (and call `then`) as soon as `before` is resolved: at once when there is none, or it is."""

    def resolve(_: object = None) -> None:
        if not this.done():
            this.set_result(None)
            then()

    if before is None or before.done():
        resolve()
    else:
        before.add_done_callback(resolve)


class ChatSequencer:
    def __init__(self) -> None:
        self._last: dict[int, Ticket] = {}
        self._failed: dict[int, Ticket] = {}  # update id → the ticket of a question the error handler answers

    def take(self, chat_id: int) -> Ticket:
        """A ticket behind the chat's previous one. Synchronous: call it before the handler's first await."""
        ticket = Ticket(self, chat_id, self._last.get(chat_id))
        self._last[chat_id] = ticket
        return ticket

    def hand_over(self, update_id: int, ticket: Ticket) -> None:
        """A question failed: its place is kept until the error handler has apologised (`handed`)."""
        self._failed[update_id] = ticket

    def handed(self, update_id: int) -> Ticket | None:
        return self._failed.pop(update_id, None)

    def _forget(self, ticket: Ticket) -> None:
        # the table holds only chats with a question in flight
        if self._last.get(ticket._chat_id) is ticket:
            del self._last[ticket._chat_id]
