"""Is the best passage relevant at all? A logistic score over what the two rankers saw.

Dense similarity alone cannot tell: e5 gives off-topic questions 0.82-0.84, like real ones. Whether
the question's rare words occur in the passage (coverage) and how far the passage stands out from
the other candidates (z-scores) separate them. Weights were fitted on the shared question sets,
with off-topic examples made by asking each collection the other collection's questions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    dense: float  # cosine similarity of question and passage
    dense_z: float  # how far above the other candidates, in standard deviations
    lexical_z: float
    coverage: float  # share of the question's idf mass found in the passage
    restored: bool  # accents were restored before encoding


WEIGHTS = {"bias": -30.0, "dense": 30.0, "dense_z": 0.5, "lexical_z": 0.3, "coverage": 4.0}


def relevance(evidence: Evidence) -> float:
    logit = (
        WEIGHTS["bias"]
        + WEIGHTS["dense"] * evidence.dense
        + WEIGHTS["dense_z"] * evidence.dense_z
        + WEIGHTS["lexical_z"] * evidence.lexical_z
        + WEIGHTS["coverage"] * evidence.coverage
    )
    return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))
