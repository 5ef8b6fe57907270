"""A small inventory package with clean and flawed docstrings."""
