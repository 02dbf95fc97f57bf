"""The living model on screen: its controller, the control panel, the plots and what binds them."""
