"""The static site: which pages a hub has, built into a folder that is swapped in whole."""
