"""The pure model: the pathway graph and the qualitative simulation (no Qt, no file formats)."""
