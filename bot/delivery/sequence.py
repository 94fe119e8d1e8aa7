"""Answers to one chat leave in the order its questions arrived.

Questions are handled concurrently, so three asked in a row can finish searching in any order, and an
outage (the Sender waiting it out) would then release them in that order. A ticket taken when a question
arrives (before the handler first awaits, so in update order) makes its answer wait for the previous
question's answer to be sent, dropped or refused.
"""

from __future__ import annotations

import asyncio


class Ticket:
    def __init__(self, sequencer: ChatSequencer, chat_id: int, before: asyncio.Future | None) -> None:
        self._sequencer = sequencer
        self._chat_id = chat_id
        self._before = before
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def turn(self) -> None:
        """Wait until every earlier question of this chat has been answered (or given up on)."""
        if self._before is not None:
            await asyncio.shield(self._before)

    def done(self) -> None:
        """This question is answered (or given up on). The next one goes once every earlier one is too: a
        question that ended without a word (over a limit) let a thanks sent after it overtake the answers
        still being searched before it."""
        if self._before is None or self._before.done():
            self._finish()
        else:
            self._before.add_done_callback(lambda _: self._finish())

    def _finish(self) -> None:
        if not self.finished.done():
            self.finished.set_result(None)
        self._sequencer._forget(self)


class ChatSequencer:
    def __init__(self) -> None:
        self._last: dict[int, Ticket] = {}
        self._failed: dict[int, Ticket] = {}  # update id → the ticket of a question the error handler answers

    def hand_over(self, update_id: int, ticket: Ticket) -> None:
        """A question failed: its place is kept until the error handler has apologised (`handed`)."""
        self._failed[update_id] = ticket

    def handed(self, update_id: int) -> Ticket | None:
        return self._failed.pop(update_id, None)

    def take(self, chat_id: int) -> Ticket:
        """A ticket behind the chat's previous one. Synchronous: call it before the handler's first await."""
        previous = self._last.get(chat_id)
        ticket = Ticket(self, chat_id, previous.finished if previous else None)
        self._last[chat_id] = ticket
        return ticket

    def _forget(self, ticket: Ticket) -> None:
        # the table holds only chats with a question in flight
        if self._last.get(ticket._chat_id) is ticket:
            del self._last[ticket._chat_id]
