"""BM25's parameters, one pair for both backends: the local index (bm25s's scoring) and PostgreSQL's
sparse vectors score a passage alike."""

K1 = 1.5  # bm25s defaults
B = 0.75
