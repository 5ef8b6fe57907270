"""A package that re-exports its document class (as tomlkit does)."""

from alias_pkg.doc import Document

__all__ = ["Document"]
