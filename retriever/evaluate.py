"""Retrieval quality on a JSONL question set (format: eval/README.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retriever.errors import DataFolderError
from retriever.models import SearchResponse
from retriever.text import collapse_spaces, nfc


@dataclass(frozen=True)
class Question:
    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class EvalReport:
    questions: int
    answerable: int
    hit_at_1: float
    hit_at_3: float
    hit_at_5: float
    mrr: float
    false_answers: int
    false_abstentions: int
    query_ms_p50: float
    query_ms_p95: float

    def as_json(self) -> dict[str, float | int]:
        return {
            "questions": self.questions,
            "answerable": self.answerable,
            "hit@1": round(self.hit_at_1, 4),
            "hit@3": round(self.hit_at_3, 4),
            "hit@5": round(self.hit_at_5, 4),
            "mrr": round(self.mrr, 4),
            "false_answers": self.false_answers,
            "false_abstentions": self.false_abstentions,
            "query_ms_p50": round(self.query_ms_p50, 2),
            "query_ms_p95": round(self.query_ms_p95, 2),
        }


def comparable(text: str) -> str:
    return collapse_spaces(nfc(text).casefold())


def load_questions(path: Path) -> list[Question]:
    if path.is_dir():
        raise DataFolderError(f"Question file {path} is a folder: give the JSONL file of questions itself.")
    if not path.exists():  # /dev/null or a pipe exists and is read as it is (no questions: said below)
        raise DataFolderError(f"Question file {path} does not exist.")
    try:
        # utf-8-sig: Notepad and Excel begin a UTF-8 file with a BOM, and its first line was "not JSON"
        lines = path.read_text("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise DataFolderError(f"Question file {path} is not UTF-8 text: save it as UTF-8.") from error
    questions = [_question(path, number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not questions:
        raise DataFolderError(f"Question file {path} holds no questions: one JSON object a line.")
    return questions


_RECORD = '{"question": "…", "answers": ["…"]}'


def _question(path: Path, number: int, line: str) -> Question:
    """One line's question; DataFolderError naming the line and what a record is when it is none. A string
    for `answers` was read one character an answer (every passage "held" one: hit@5 1.0)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataFolderError(f"{path} line {number} is not JSON ({error.msg}): each line is {_RECORD}") from error
    question = record.get("question") if isinstance(record, dict) else None
    answers = record.get("answers", []) if isinstance(record, dict) else None
    if not isinstance(question, str) or not question.strip():
        raise DataFolderError(f"{path} line {number} has no \"question\" text: each line is {_RECORD}")
    if not isinstance(answers, list) or not all(isinstance(answer, str) for answer in answers):
        raise DataFolderError(f"{path} line {number}: \"answers\" is a list of texts ([] when nothing answers)")
    return Question(question, tuple(answers))


def first_hit(response: SearchResponse, answers: tuple[str, ...]) -> int | None:
    wanted = [comparable(answer) for answer in answers]
    for rank, result in enumerate(response.results, start=1):
        text = comparable(result.text)
        if any(answer in text for answer in wanted):
            return rank
    return None


def evaluate(questions: list[Question], search: Callable[[str], SearchResponse]) -> EvalReport:
    if questions:
        search(questions[0].question)  # warm-up: the first query pays for lazy loading
    ranks: list[int | None] = []
    latencies: list[float] = []
    false_answers = false_abstentions = 0
    for item in questions:
        response = search(item.question)
        latencies.append(response.query_ms)
        if not item.answers:
            false_answers += bool(response.results)
            continue
        false_abstentions += not response.results
        ranks.append(first_hit(response, item.answers))
    answerable = len(ranks)

    def hit(k: int) -> float:
        return sum(1 for rank in ranks if rank is not None and rank <= k) / answerable if answerable else 0.0

    mrr = sum(1 / rank for rank in ranks if rank) / answerable if answerable else 0.0
    lat = np.array(latencies or [0.0])
    return EvalReport(
        len(questions), answerable, hit(1), hit(3), hit(5), mrr, false_answers, false_abstentions,
        float(np.percentile(lat, 50)), float(np.percentile(lat, 95)),
    )
