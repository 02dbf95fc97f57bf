"""Everything Qt: windows, the diagram, panels, plots and quiz views."""
