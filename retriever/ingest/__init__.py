"""Files to Documents: one converter per format, plus the news heuristics they share."""

from retriever.ingest.files import SUPPORTED, SourceFile, list_files, parse_source, read_source

__all__ = ["SUPPORTED", "SourceFile", "list_files", "parse_source", "read_source"]
