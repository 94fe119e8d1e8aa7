"""Fitting the vector check (`retriever.query.relevance.VectorCheck`) that the gate takes as a feature.

A logistic regression (scikit-learn) on the element-wise product of the question's vector and its front
passages' best-sentence vectors: positives the sentences of answering passages, negatives those of
passages a collection cannot answer from. Measured by 2-fold cross-validation grouped by question on
the fit parts (`python -m benchmarks.gate_cv`, docs/quality.md): stacked into the gate, it left 18.8% of
the written questions over XQuAD-vi quoted instead of 22.2% (7.4% over the news either way), with no
natural news question declined, but only with every question set weighing the same within each class:
weighted by question alone, its 683 XQuAD-vi positives (questions written from their paragraphs) taught
it their style, and it declined 2 of the 22 natural news questions (12-15% of the held-out ones).
"""

from __future__ import annotations

import zlib

import numpy as np

from retriever.query.relevance import VectorCheck

# inverse L2 strength on standardised products, cross-validated on the fit parts: 0.01 and 0.001 were
# within a point of each other on the written questions quoted; at 0.1, with 384 weights for ~4,000
# passages, the check alone quoted more of the other collections' questions (6.8% against 4.5% at 0.01)
C_VECTOR = 0.001
FOLDS = 2


def fit_vector_check(products: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> VectorCheck:
    """`products`: (n, dim) question × sentence; `labels` 1 answers, 0 does not; `weights` per row."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(products)
    model = LogisticRegression(C=C_VECTOR, max_iter=5000)
    model.fit(scaler.transform(products), labels, sample_weight=weights)
    # standardisation folded into the weights: w·(x - m)/s + b = (w/s)·x + (b - Σ w m / s)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    folded = model.coef_[0] / scale
    bias = float(model.intercept_[0] - np.sum(model.coef_[0] * scaler.mean_ / scale))
    # rounded as stored (JSON), so a check read back equals the one fitted
    return VectorCheck(tuple(round(float(w), 6) for w in folded), round(bias, 6))


def question_folds(questions: list[str]) -> np.ndarray:
    """A fold per question, by a hash of its text: the same question asked of several collections, or with
    its answer left out, stays in one fold."""
    return np.array([zlib.crc32(question.encode("utf-8")) % FOLDS for question in questions], dtype=np.int64)


def out_of_fold(
    products: np.ndarray, labels: np.ndarray, weights: np.ndarray, folds: np.ndarray, fitted: np.ndarray
) -> np.ndarray:
    """Each row's logit from a check fitted without its question's fold (rows where `fitted` is False are
    scored, never fitted on): what the gate learns to trust is what the check does on unseen questions."""
    logits = np.zeros(len(products))
    for fold in range(FOLDS):
        train = fitted & (folds != fold)
        held = folds == fold
        # a fold without both kinds (a handful of questions) leaves its rows at 0: no evidence either way
        if held.any() and len(np.unique(labels[train])) == 2:
            check = fit_vector_check(products[train], labels[train], weights[train])
            logits[held] = check.of_products(products[held])
    return logits
