"""Exploring the mechanism: the path explorer and the comparison of pinned runs (two features)."""
