"""Prometheus metrics of one bot process, in a registry of its own (several bots may share a test process)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# answers take tens of milliseconds warm and seconds when a batch queues behind a reindex
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.questions = Counter("tracuu_questions", "Questions received", registry=self.registry)
        self.answers = Counter("tracuu_answers", "Questions answered with quotes", registry=self.registry)
        self.abstentions = Counter("tracuu_abstentions", "Questions the library could not answer",
                                   registry=self.registry)
        self.errors = Counter("tracuu_errors", "Updates that failed with an error", registry=self.registry)
        self.unconfirmed = Counter(
            "tracuu_sends_unconfirmed", "Sends whose connection dropped after the request went out: delivered "
            "or lost, never repeated (at most once)", registry=self.registry,
        )
        self.latency = Histogram("tracuu_answer_seconds", "From question to answer sent", buckets=LATENCY_BUCKETS,
                                 registry=self.registry)
        self.passages = Gauge("tracuu_index_passages", "Passages in the loaded index", registry=self.registry)
        self.documents = Gauge("tracuu_index_documents", "Documents in the loaded index", registry=self.registry)
        self.readable = Gauge("tracuu_index_readable", "1 when the index (the database, with PostgreSQL) answered "
                              "the last scrape; 0 while it cannot be read", registry=self.registry)

    def answered(self, seconds: float, abstained: bool) -> None:
        (self.abstentions if abstained else self.answers).inc()
        self.latency.observe(seconds)

    def sized(self, documents: int, passages: int) -> None:
        self.documents.set(documents)
        self.passages.set(passages)

    def render(self, index_size: Callable[[], tuple[int, int] | None]) -> bytes:
        """The text exposition; the index size is read now (a reindex changes it). None: it cannot be read (the
        database is down): the sizes keep their last values, which a 0 would have turned into an emptied index
        on every dashboard, and `tracuu_index_readable` says 0."""
        counts = index_size()
        self.readable.set(counts is not None)
        if counts is not None:
            self.sized(*counts)
        return generate_latest(self.registry)
