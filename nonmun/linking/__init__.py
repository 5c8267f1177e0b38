"""Linking reviews to papers: finding mentions and resolving them against the catalog."""
