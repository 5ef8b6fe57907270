"""A tiny package whose API changes between builds."""
