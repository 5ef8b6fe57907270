"""A package that makes aidoc warn."""
