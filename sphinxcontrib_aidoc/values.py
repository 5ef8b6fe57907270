"""Setting values given as Python objects or as strings, checked and converted.

``conf.py`` gives objects; ``sphinx-build -D``, Sphinx's ``confoverrides``
and the command line give strings. :func:`convert` turns both into the value
a setting holds, or raises :class:`InvalidValueError` with a message that
names the value given and the problem (with a "did you mean" hint for
misspelt choices).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from typing import Any

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_NONE = frozenset({"", "none", "null"})


class InvalidValueError(ValueError):
    """A setting's value cannot be used; the message says why."""


def suggest(word: str, candidates: tuple[str, ...] | list[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def convert(meta: Mapping[str, Any], value: Any, default: Any) -> Any:  # noqa: ANN401
    """Return *value* as a setting with *meta* and *default* holds it.

    Strings are converted (``"0.5"``, ``"none"``, ``"a,b"``, ``"true"``).

    Raises:
        InvalidValueError: With a message naming the value and the problem.
    """
    if meta["choices"]:
        return _choice(value, meta["choices"])
    declared: tuple[type, ...] = meta["types"] or (type(default),)
    if isinstance(value, str) and default is None and value.strip().lower() in _NONE:
        return None
    if value is None:
        if default is None:
            return None
        raise InvalidValueError("None is not allowed")
    if dict in declared:
        return _weights(value, default)
    if list in declared:
        return _names(value)
    if bool in declared:
        return _bool(value)
    if float in declared or int in declared:
        return _bounded(value, meta, whole=float not in declared)
    if not isinstance(value, str):
        raise InvalidValueError(f"expected a string, got {value!r}")
    return value.strip()


def _bounded(value: Any, meta: Mapping[str, Any], *, whole: bool) -> float:  # noqa: ANN401
    number = _number(value, whole=whole)
    if meta["minimum"] is not None and number < meta["minimum"]:
        raise InvalidValueError(f"{value!r} is below the minimum {meta['minimum']:g}")
    if meta["maximum"] is not None and number > meta["maximum"]:
        raise InvalidValueError(f"{value!r} is above the maximum {meta['maximum']:g}")
    return number


def _choice(value: Any, choices: tuple[str, ...]) -> str:  # noqa: ANN401
    known = ", ".join(choices)
    if not isinstance(value, str):
        raise InvalidValueError(f"expected one of {known}, got {value!r}")
    key = value.strip().lower()
    if key not in choices:
        hint = suggest(key, choices)
        raise InvalidValueError(f"{value!r} is not one of {known}{hint}")
    return key


def _bool(value: Any) -> bool:  # noqa: ANN401
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InvalidValueError(f"expected True or False, got {value!r}")


def _number(value: Any, *, whole: bool = False) -> float:  # noqa: ANN401
    """Return *value* as an int (*whole*) or a float; strings are parsed."""
    what = "a whole number" if whole else "a number"
    number: object = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise InvalidValueError(f"{value!r} is not {what}") from None
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise InvalidValueError(f"expected {what}, got {value!r}")
    if not math.isfinite(number):
        raise InvalidValueError(f"{value!r} is not a finite number")
    if whole:
        if not float(number).is_integer():
            raise InvalidValueError(f"{value!r} is not {what}")
        return int(number)
    return float(number)


def _names(value: Any) -> tuple[str, ...]:  # noqa: ANN401
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(v, str) for v in value
    ):
        raise InvalidValueError(f"expected a list of strings, got {value!r}")
    return tuple(v.strip() for v in value if v.strip())


def _weights(value: Any, default: dict[str, float]) -> dict[str, float]:  # noqa: ANN401
    if isinstance(value, str):
        value = _parse_mapping(value)
    if not isinstance(value, dict):
        raise InvalidValueError(f"expected a dict, got {value!r}")
    unknown = set(value) - set(default)
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        hint = suggest(str(min(map(str, unknown))), list(default))
        raise InvalidValueError(f"unknown weight(s) {names}{hint}")
    weights: dict[str, float] = {}
    for key, weight in value.items():
        try:
            number = _number(weight)
        except InvalidValueError:
            number = -1.0
        if number < 0:
            raise InvalidValueError(
                f"weight {key}={weight!r} is not a non-negative number"
            )
        weights[key] = number
    merged = {**default, **weights}
    if not sum(merged.values()):
        raise InvalidValueError("weights must not all be zero")
    return merged


def _parse_mapping(text: str) -> Any:  # noqa: ANN401
    """``'{"style": 1}'`` (JSON) or ``'style=1,clarity=0.5'`` (``:`` works too)."""
    text = text.strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            raise InvalidValueError(f"{text!r} is not a JSON object") from None
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, number = item.replace(":", "=", 1).partition("=")
        if not sep:
            raise InvalidValueError(f"{text!r} is not 'name=weight,...'")
        pairs[key.strip()] = number.strip()
    return pairs
