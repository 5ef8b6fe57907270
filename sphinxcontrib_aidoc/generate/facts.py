"""The facts of an object a prompt sends, and the cache key is made of.

Kept apart from :mod:`.prompt` so that the cache key (built for every
object of every build) costs no import of the answer model (pydantic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinxcontrib_aidoc.model import ObjectInfo

#: Longest text of one fact (a default value, a decorator, a base class).
MAX_FACT_CHARS = 200
#: Longest signature sent.
MAX_SIGNATURE_CHARS = 1_000
_MAX_CALLS = 30


def facts(info: ObjectInfo) -> dict[str, Any]:
    """Return what analysis knows about *info*, as sent to the model.

    Every text is clipped (:data:`MAX_FACT_CHARS`, the signature at
    :data:`MAX_SIGNATURE_CHARS`), so no value of the code can make the facts
    large.
    """
    data: dict[str, Any] = {
        "qualname": clip(info.qualname, MAX_FACT_CHARS),
        "kind": info.kind,
        "signature": clip(info.signature, MAX_SIGNATURE_CHARS),
        "async": info.is_async,
        "decorators": [clip(d, MAX_FACT_CHARS) for d in info.decorators[:_MAX_CALLS]],
        "params": [
            {
                "name": p.name,
                "kind": p.kind,
                "type": clip(p.type, MAX_FACT_CHARS),
                "default": clip(p.default, MAX_FACT_CHARS),
            }
            for p in info.documented_params
        ],
        "returns": clip(info.returns.type, MAX_FACT_CHARS) if info.returns else None,
        "yields": clip(info.yields.type, MAX_FACT_CHARS) if info.yields else None,
        "raises": [clip(r, MAX_FACT_CHARS) for r in info.raises[:_MAX_CALLS]],
        "calls": [clip(c, MAX_FACT_CHARS) for c in info.calls[:_MAX_CALLS]],
    }
    if info.bases:
        data["bases"] = [clip(b, MAX_FACT_CHARS) for b in info.bases[:_MAX_CALLS]]
    if info.deprecated:
        data["deprecated"] = True
    return data


def clip(text: str | None, limit: int) -> str | None:
    """Return *text* cut to *limit* characters, ending with an ellipsis if cut."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "\u2026"
