"""Documents to an index: passages, vectors and BM25 postings, written as one generation per build."""
