"""The built-in engine behind the model string ``offline``: no model, deterministic."""
