"""Does a passage answer the question? A fitted score over what the rankers and the answer checks saw.

Dense similarity alone cannot tell: e5 gives off-topic questions 0.82-0.84, like real ones, and a
paragraph of the same topic that does not answer (another university's exams for a question about
course registration) scores higher still. What separates them is whether the best window of sentences
holds the question's specific content: its rarest syllables, its syllable pairs, its names, and the
kind of thing it asks for (`retriever.query.answerability`). The gate is a logistic regression over
those and the dense evidence, with every pairwise interaction, fitted by `tracuu calibrate`
(scikit-learn; `retriever.query.calibrate`) on answerable questions and hard negatives: the same
questions asked with their passage or their whole article left out, questions written to share a
collection's vocabulary without being answered by it, and every set asked of the other collections.

A fit belongs to one encoder (backend, model and quantization) and one feature list: it is stored as
JSON (`calibration.json` beside the index, or the shipped `gates/*.json`), never pickled, and a file
for another encoder or feature list is ignored with one warning line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from functools import cached_property
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CALIBRATION_FILE = "calibration.json"
CALIBRATION_FORMAT = 2
SHIPPED_DIR = Path(__file__).parent / "gates"


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
    lead: float = 0.0  # dense_best minus the best dense_best of the other candidates (> 0: it stands first)
    lexical_z: float = 0.0  # BM25 of the passage among the candidates, in standard deviations (agreement)
    window_coverage: float = 0.0  # share of the question's content in the best window of sentences
    pair_coverage: float = 0.0  # share of its syllable pairs there (`answerability.fit`)
    top_missing: float = 0.0  # share of its rarest syllables the passage lacks
    typed: float = 0.0  # 1: it asks for a number/date or a name
    type_missing: float = 0.0  # 1: ... and the window has none
    named: float = 0.0  # 1: it mentions names (capitalised words, numbers)
    names_missing: float = 0.0  # share of those the passage lacks
    rare_pairs_missing: float = 0.0  # share of its three rarest syllable pairs the best window lacks
    rarest_window_missing: float = 0.0  # share of its three rarest syllables the best window lacks
    vector_check: float = 0.0  # the fitted `VectorCheck` of its best sentence (a logit; 0 without one)
    words_missing: float = 0.0  # log(1 + how many of the question's content syllables the window lacks)

    def features(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, name)) for name in FEATURES)


FEATURES = tuple(field.name for field in fields(Evidence))


@dataclass(frozen=True)
class Calibration:
    """relevance = sigmoid(bias + Σ weight · Π z_f^power), z = (x - mean) / scale over `used` features.
    A term per used feature (powers one-hot) is a plain logistic regression; pairs of features give
    their interactions."""

    used: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    powers: tuple[tuple[int, ...], ...]  # one row per term, one exponent per used feature
    weights: tuple[float, ...]  # one per term
    bias: float
    threshold: float

    def relevance(self, evidence: Evidence) -> float:
        return self.relevance_of(evidence.features())

    def relevance_of(self, values: Sequence[float]) -> float:
        """`values`: one per FEATURES, in that order."""
        return float(self.relevance_many(np.asarray([values], dtype=np.float64))[0])

    def relevance_many(self, rows: np.ndarray) -> np.ndarray:
        """One relevance per row of `rows` (n, len(FEATURES))."""
        z = (rows[:, self._columns] - self._mean) / self._scale
        terms = np.prod(z[:, None, :] ** self._powers[None, :, :], axis=2)
        logit = self.bias + terms @ self._weights
        return 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))

    @cached_property
    def _columns(self) -> np.ndarray:
        return np.array([FEATURES.index(name) for name in self.used], dtype=np.int64)

    @cached_property
    def _mean(self) -> np.ndarray:
        return np.array(self.mean, dtype=np.float64)

    @cached_property
    def _scale(self) -> np.ndarray:
        return np.array(self.scale, dtype=np.float64)

    @cached_property
    def _powers(self) -> np.ndarray:
        return np.array(self.powers, dtype=np.float64).reshape(len(self.powers), len(self.used))

    @cached_property
    def _weights(self) -> np.ndarray:
        return np.array(self.weights, dtype=np.float64)


def linear(bias: float, weights: dict[str, float], threshold: float) -> Calibration:
    """A plain logistic regression on raw features."""
    used = tuple(weights)
    identity = tuple(tuple(int(i == j) for j in range(len(used))) for i in range(len(used)))
    return Calibration(used, (0.0,) * len(used), (1.0,) * len(used), identity, tuple(weights.values()), bias,
                       threshold)


@dataclass(frozen=True)
class VectorCheck:
    """A learned weighting of the question's vector and the best sentence's: logit = bias + Σ w_i q_i s_i,
    over unit vectors. Fitted (`tracuu calibrate`) as a logistic regression on their element-wise product,
    it weighs the directions in which an answer's sentence meets its question, not the topic both share;
    the gate takes its logit as one more feature."""

    weights: tuple[float, ...]
    bias: float

    @cached_property
    def _weights(self) -> np.ndarray:
        return np.array(self.weights, dtype=np.float64)

    def of_products(self, products: np.ndarray) -> np.ndarray:
        """One logit per row of `products` (n, dim): question × sentence, element-wise."""
        return self.bias + np.asarray(products, dtype=np.float64) @ self._weights

    def logits(self, question: np.ndarray, sentences: np.ndarray) -> np.ndarray:
        """One logit per row of `sentences` (n, dim), unit vectors."""
        if not len(sentences):
            return np.zeros(0, dtype=np.float64)
        return self.of_products(np.asarray(sentences, dtype=np.float64) * np.asarray(question, dtype=np.float64))


@dataclass(frozen=True)
class Calibrations:
    """The gate for questions in the collection's language, and the one for questions in another
    language (their lexical evidence is ~0 whether or not the passage answers)."""

    same_language: Calibration
    cross_language: Calibration
    vector_check: VectorCheck | None = None  # same-language questions only


@dataclass(frozen=True)
class EncoderKey:
    backend: str
    model: str
    quantization: str


# any encoder without a fitted file: only scale-free evidence (how the top passage stands out, lexical
# coverage), which does not depend on where the model's cosines happen to lie. Kept from before the
# fitted gates (there is no second encoder here to fit it on). Without coverage, the cross-language
# gate needs the top passage 5.5 standard deviations above the other candidates: questions in another
# language are mostly declined until `tracuu calibrate` is run for that encoder.
GENERIC = Calibrations(
    same_language=linear(-8.57, {"dense_z": 1.31, "sentence_coverage": 22.46}, 0.2),
    cross_language=linear(-8.57, {"dense_z": 1.31}, 0.2),
)


def calibration_for(key: EncoderKey, fitted_file: Path | None = None) -> Calibrations:
    """A fitted file (`calibration.json` beside the index) for exactly this encoder, else the shipped
    fit for exactly this encoder, else GENERIC."""
    if fitted_file is not None:
        fitted = read_calibration(fitted_file, key)
        if fitted is not None:
            return fitted
    return shipped(key) or GENERIC


def shipped(key: EncoderKey) -> Calibrations | None:
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if data.get("encoder") == asdict(key):
            return read_calibration(path, key)
    return None


def read_calibration(path: Path, key: EncoderKey) -> Calibrations | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != CALIBRATION_FORMAT or list(data.get("features", [])) != list(FEATURES):
            log.warning("%s was fitted for another feature set: ignored (run `tracuu calibrate` again)", path)
            return None
        if EncoderKey(**data["encoder"]) != key:
            log.warning("%s was fitted for another encoder (%s): ignored", path, data["encoder"]["model"])
            return None
        check = data.get("vector_check")
        vector_check = None if check is None else VectorCheck(
            tuple(float(w) for w in check["weights"]), float(check["bias"]))
        return Calibrations(_calibration(data["same_language"]), _calibration(data["cross_language"]), vector_check)
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("%s is unreadable (%s): ignored (run `tracuu calibrate` again)", path, error)
        return None


def _calibration(part: dict) -> Calibration:
    used = tuple(str(name) for name in part["used"])
    if any(name not in FEATURES for name in used):
        raise ValueError(f"unknown feature in {used}")
    powers = tuple(tuple(int(p) for p in row) for row in part["powers"])
    if any(len(row) != len(used) for row in powers) or len(powers) != len(part["weights"]):
        raise ValueError("terms and weights do not match")
    return Calibration(
        used, tuple(float(m) for m in part["mean"]), tuple(float(s) for s in part["scale"]), powers,
        tuple(float(w) for w in part["weights"]), float(part["bias"]), float(part["threshold"]),
    )


def write_calibration(path: Path, key: EncoderKey, calibrations: Calibrations, fitted_on: dict) -> None:
    payload = {
        "format": CALIBRATION_FORMAT,
        "encoder": asdict(key),
        "features": list(FEATURES),
        "same_language": _as_json(calibrations.same_language),
        "cross_language": _as_json(calibrations.cross_language),
        "fitted_on": fitted_on,
    }
    if calibrations.vector_check is not None:
        payload["vector_check"] = {"weights": [round(w, 6) for w in calibrations.vector_check.weights],
                                   "bias": round(calibrations.vector_check.bias, 6)}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", "utf-8")


def _as_json(calibration: Calibration) -> dict:
    part = asdict(calibration)
    part["powers"] = [list(row) for row in calibration.powers]
    return part
