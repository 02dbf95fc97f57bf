"""Loading and validating content/ into frozen dataclasses; markdown to safe HTML (no Qt)."""
