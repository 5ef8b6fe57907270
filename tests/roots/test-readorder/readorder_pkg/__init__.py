from readorder_pkg.core import scale

__all__ = ["scale"]
