"""Modules documented in part."""
