"""Is a passage relevant at all? A logistic score over what the rankers saw, calibrated per encoder.

Dense similarity alone cannot tell: e5 gives off-topic questions 0.82-0.84, like real ones. How much
of the question's content one sentence of the passage contains separates them. The weights were
fitted (logistic regression) on the shared question sets, with off-topic examples made by asking
each collection the other collection's questions; see README "Quality".
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    dense: float  # cosine similarity of question and passage
    dense_z: float  # how far above the other candidates, in standard deviations
    sentence_coverage: float  # share of the question's content (idf mass) in the passage's best sentence


@dataclass(frozen=True)
class Calibration:
    bias: float
    dense: float
    dense_z: float
    sentence_coverage: float
    threshold: float

    def relevance(self, evidence: Evidence) -> float:
        logit = (
            self.bias
            + self.dense * evidence.dense
            + self.dense_z * evidence.dense_z
            + self.sentence_coverage * evidence.sentence_coverage
        )
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


# multilingual-e5 cosines live in a narrow band that the fit can use directly
E5 = Calibration(bias=-29.11, dense=29.55, dense_z=0.0, sentence_coverage=18.62, threshold=0.2)
# other encoders: only scale-free evidence (how the top passage stands out, lexical coverage)
GENERIC = Calibration(bias=-8.57, dense=0.0, dense_z=1.31, sentence_coverage=22.46, threshold=0.2)


def calibration_for(model: str) -> Calibration:
    return E5 if "e5" in model.lower() else GENERIC
