"""The retrieval benchmark: a synthetic news corpus, the MinHash baseline and the runner."""
