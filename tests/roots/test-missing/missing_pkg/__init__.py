"""A tiny package whose API is mostly undocumented."""
