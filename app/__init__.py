"""IronBone: an interactive teaching app on iron, estrogen and postmenopausal bone loss."""

__version__ = "0.1.0"
