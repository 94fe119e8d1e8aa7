"""A question to a SearchResponse: candidates, fusion, best sentence, the relevance gate."""
