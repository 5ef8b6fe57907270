"""A package for the search tests."""
