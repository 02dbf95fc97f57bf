"""Units and allowed ranges of the model's two inputs, shared by the simulation and the treatments."""

ESTROGEN_RANGE = (0.0, 120.0)  # % of the premenopausal level
FERRITIN_RANGE = (10.0, 3000.0)  # µg/L of serum ferritin
