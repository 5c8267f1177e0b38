"""The catalog of papers: identifiers, records, snapshot, arXiv API, BibTeX, merging."""
