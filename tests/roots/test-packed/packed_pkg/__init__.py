"""A package whose generated docstrings have typed fields and call lines."""
