"""Documents to an index, behind one seam.

`backend.IndexBackend` is what search needs from an index; two backends satisfy it, each in its own
subpackage: `local` (files on disk, one generation per build) and `postgres` (pgvector, shared by
replicas). What both use lives here: passages cut from documents (`passages`), sentence vectors and their
int8 form (`sentences`), what is remembered of removed documents (`removed`), which files make the
collection (`sources`) and BM25's parameters (`bm25`)."""
