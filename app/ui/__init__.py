"""The Qt layer, in sub-packages by feature: the shell, the diagram, the model on screen, and the
features that install themselves into the shell (docs/architecture.md)."""
