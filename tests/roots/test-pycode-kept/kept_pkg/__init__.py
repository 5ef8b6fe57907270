"""Shapes whose comments and overloads only a parse of the source finds."""
