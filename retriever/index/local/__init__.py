"""The local backend: one generation of files per build (FAISS, vectors, BM25 postings, sentence vectors and
a SQLite file of passages), built beside the live one and swapped in; `storage.IndexStore` serves it."""
