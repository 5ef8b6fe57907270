"""A module that imports a package that is not installed."""

import aidoc_no_such_dependency  # noqa: F401


def uses_it() -> None:
    return None
