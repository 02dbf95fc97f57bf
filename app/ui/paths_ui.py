"""Placeholder: filled in by its feature."""

from __future__ import annotations


def install(window) -> None:  # noqa: ANN001
    """Add this feature's actions, menus and docks to the main window."""
