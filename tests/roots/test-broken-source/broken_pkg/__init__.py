"""A package with one good module and two broken ones."""
