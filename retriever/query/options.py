"""How a search ranks, gates and shows; each default with what it measured."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchOptions:
    candidates: int = 50  # from each ranker
    rerank: int = 24  # of those, how many get sentence-level lexical evidence
    dense_weight: float = 1.0
    lexical_weight: float = 0.5
    sentence_weight: float = 0.5
    # the front is ranked by the question's share in the best window of this many consecutive sentences.
    # A question's words are often spread over neighbouring sentences ("Tesla ... Năm 1884, ông ..."); a
    # window keeps the measure independent of the passage's length, which whole-passage coverage is not.
    # 3 instead of 1 (the best sentence), never abstaining: hit@1 on the calibration questions 643 -> 645
    # of 683 (XQuAD-vi) and 646 -> 647 (long passages), on the held-out ones 486 -> 490 and 488 -> 491 of
    # 505; 2 sentences gained less (644, 649; 488, 489); a pairwise logistic fit of the fusion weights
    # (dense, sentence and passage cosines, BM25, coverages) gained on its training questions only.
    # Four paragraphs joined (documents cut into several passages at the token limit): held-out
    # 0.970 -> 0.976, calibration 0.943 -> 0.944; whole-passage coverage 0.974 and 0.939
    coverage_window: int = 3
    # dense evidence: the better of passage and best-sentence cosine. Held-out XQuAD with long passages:
    # hit@1 0.945 -> 0.958 from this alone (README "Quality"); averaging the two instead of taking the
    # better gained 2 more of 683 calibration questions, within noise, so the simpler rule stays
    sentence_vectors: bool = True
    # the question is answered when any of this many front passages passes the threshold: the right
    # passage first with a relevance just under it, and a related one second above it, was a third of
    # the false abstentions (old weights: XQuAD-vi false abstentions 10 -> 5, held-out 5 -> 2)
    gate_depth: int = 3
    cross_language: bool = True  # a question in another language: dense evidence and its own gate
    rerank_depth: int = 10  # front candidates a cross-encoder reorders, when one is configured
    min_relevance: float | None = None  # None: the encoder's calibrated threshold
    # behind "more results", after the quotes that pass the gate: the next candidates down to this share of
    # the threshold. 0: all of them, up to k. Measured on the fit parts with the shipped gate (`tracuu eval`,
    # 0.25 → 0): hit@5 of the readers' news questions 0.916 → 0.940, XQuAD-vi's 0.975 → 0.977, its readers'
    # 0.974 → 0.983, English 0.385 → 0.423; nothing else moves, since nothing shown first changes. The answer
    # the reader did not find first was often the second candidate, just under a quarter of the threshold
    follow_ratio: float = 0.0
    # decline a candidate that names something else where the question names what its article never
    # mentions though the collection does, or another "lần thứ N" than the one asked
    # (`retriever.query.names`; measured in docs/quality.md)
    swapped_names: bool = True
    short_lookups: bool = True  # a question of one or two content words quotes only what holds them
    # abstain when a removed document's passage (`retriever.index.removed`) is closer to the question than
    # every live one by this much (cosine, the better of passage and best sentence): the question was about
    # what was removed. None: never. The lowest margin that took no right answer away on XQuAD-vi's
    # calibration questions, each paragraph removed in turn (`benchmarks.removal_margin`): 566 of 694
    # abstain (0.010: 595, and 2 right answers lost); held out, 398 of 491 and 1 lost. Real removals
    # (`benchmarks.removal`): seed questions of a removed article quoted 15 -> 4 of 17, XQuAD-vi 591 -> 75
    removed_margin: float | None = 0.015
