"""Text handling shared by the catalog, the linker and search."""
