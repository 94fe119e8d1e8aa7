"""Ingest articles, index them and search them: `ingest/` files to documents, `index/` documents to an
index behind one seam (a local backend of files, or PostgreSQL), `query/` a question to quotes or an
abstention; `library.Library` is what the command line and the bot use."""
