"""Functions rendered in each docstring style."""
