"""Digests: weekly issues of reviews — weeks, assembling a draft, rendering an issue."""
