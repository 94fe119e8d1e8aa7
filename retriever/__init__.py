"""Ingest articles, index them (FAISS + BM25 + SQLite) and search them."""
