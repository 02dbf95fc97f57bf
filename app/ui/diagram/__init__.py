"""The mechanism diagram: its scene, view, items and the overlay stack that decides what is lit."""
