"""The lecture-hall feature: guided tours, presentation mode and inquiry mode."""
