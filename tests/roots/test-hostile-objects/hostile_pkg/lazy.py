"""A lazily loading module whose ``__getattr__`` raises for unknown names."""

__all__ = ["direct", "later"]


def direct(flag: bool) -> bool:
    return not flag


def __getattr__(name):
    if name == "later":
        from hostile_pkg._impl import later

        return later
    raise RuntimeError(f"lazy module refuses {name}")
