"""Search over papers and reviews: the index (index.py) and queries (query.py)."""
